/*
 * The kernel's stack protector (-fstack-protector-strong): one canary for
 * every protected frame, the global __stack_chk_guard (GCC's default on
 * arm64, and what libfdt, built for glibc, reads too).
 */
#ifndef BRAMBLE_STACKPROTECTOR_H
#define BRAMBLE_STACKPROTECTOR_H
#include <stdint.h>

/* The canary until stack_protector_init(): a link-time constant. */
#define STACK_CANARY_BUILD_VALUE 0x595e9fbd94fda700UL

extern uintptr_t __stack_chk_guard;

/* Draws the canary from the boot entropy (kernel/random.c, seeded first).
 * Called once, by kmain, before any other CPU or task runs. */
void stack_protector_init(void);

/* A fingerprint of the canary (not the canary) for the boot test that
 * compares two boots (test=stack-canary). */
uint32_t stack_canary_fingerprint(void);
#endif
