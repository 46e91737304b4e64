/*
 * The stack protector's canary and its report. A protected function saves
 * __stack_chk_guard in its frame and, before returning, compares it with the
 * guard; a difference means its locals overflowed into the saved registers
 * above them, and the function calls __stack_chk_fail instead of returning
 * through them.
 */
#include "kernel/stackprotector.h"
#include "kernel/random.h"
#include "kernel/panic.h"

uintptr_t __stack_chk_guard = STACK_CANARY_BUILD_VALUE;

/*
 * Not protected itself (the attribute), and so must be every frame live
 * when the guard changes: each protected frame compares, on return, the
 * copy it saved at entry with the guard then, so a frame that saved the
 * build-time value and returns after this would report a smash that never
 * happened. The only live frames are kmain's (kernel/main.c, marked too)
 * and this one; random_bytes has returned before the store.
 *
 * As Linux's get_random_canary, the low byte is zero: a string copy that
 * runs into the canary stops at it instead of reading it out. The canary is
 * only as secret as kernel/random.c, which is not cryptographic: with the
 * generator's state, recoverable from later output such as AT_RANDOM, it
 * can be recomputed. A CSPRNG (Linux's is ChaCha20) would close that.
 */
__attribute__((no_stack_protector)) void stack_protector_init(void)
{
	uintptr_t canary;

	random_bytes(&canary, sizeof(canary));
	canary &= ~(uintptr_t)0xff;
	if (canary == STACK_CANARY_BUILD_VALUE || canary == 0)
		canary ^= 0x9e3779b97f4a7c00UL;
	__stack_chk_guard = canary;
}

uint32_t stack_canary_fingerprint(void)
{
	uint64_t h = __stack_chk_guard * 0x9e3779b97f4a7c15UL;
	return (uint32_t)(h >> 32);
}

/* The return address is in the function whose canary changed: the panic
 * names it (kernel/panic.c). */
__attribute__((no_stack_protector, noreturn)) void __stack_chk_fail(void)
{
	panic_stack_smashed((uintptr_t)__builtin_return_address(0) - 4);
}
