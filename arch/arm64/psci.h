/* PSCI (Arm DEN 0022): the calls Bramble makes, through HVC or SMC. */
#ifndef BRAMBLE_ARM64_PSCI_H
#define BRAMBLE_ARM64_PSCI_H
#include <stdint.h>

#define PSCI_0_2_FN64_CPU_ON  0xc4000003u

#define PSCI_RET_SUCCESS          0
#define PSCI_RET_NOT_SUPPORTED   -1
#define PSCI_RET_INVALID_PARAMS  -2
#define PSCI_RET_DENIED          -3
#define PSCI_RET_ALREADY_ON      -4
#define PSCI_RET_ON_PENDING      -5
#define PSCI_RET_INTERNAL_FAILURE -6
#define PSCI_RET_INVALID_ADDRESS -9

/* SMC Calling Convention: function id and three arguments in x0..x3, result in x0. */
static inline int64_t psci_call_hvc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn, x1 __asm__("x1") = a1,
		 x2 __asm__("x2") = a2, x3 __asm__("x3") = a3;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (int64_t)x0;
}

static inline int64_t psci_call_smc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn, x1 __asm__("x1") = a1,
		 x2 __asm__("x2") = a2, x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (int64_t)x0;
}
#endif
