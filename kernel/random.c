/* A small non-cryptographic generator (xorshift64*); see random.h. */
#include "kernel/random.h"
#include "lib/printk.h"

static uint64_t state = 0x9e3779b97f4a7c15UL;

void random_seed(uint64_t seed)
{
	state ^= seed ^ timer_count();
	if (!state)
		state = 0x9e3779b97f4a7c15UL;
}

static uint64_t next(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dUL;
}

void random_bytes(void *buf, size_t n)
{
	uint8_t *p = buf;

	while (n) {
		uint64_t r = next();
		for (int i = 0; i < 8 && n; i++, n--, r >>= 8)
			*p++ = (uint8_t)r;
	}
}
