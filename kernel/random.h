#ifndef BRAMBLE_RANDOM_H
#define BRAMBLE_RANDOM_H
#include <stddef.h>
#include <stdint.h>
/* Bytes for AT_RANDOM and getrandom: not cryptographic (a xorshift generator
 * seeded from the DT's rng-seed/kaslr-seed and the boot counter). */
void random_seed(uint64_t seed);
void random_bytes(void *buf, size_t n);
#endif
