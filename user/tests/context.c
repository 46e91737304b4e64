/*
 * context: what a process keeps across context switches and how its stack
 * grows. Two processes fill every FP/SIMD register with their own pattern
 * and yield to each other; each must find its registers (and its TLS
 * pointer) intact. The stack grows on demand up to RLIMIT_STACK, and a
 * process that recurses past it dies with SIGSEGV, alone.
 *
 * Prints "PASS context.<case>" or "FAIL context.<case>: <why>" per check and
 * exits 0 only if all passed.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>

#define PROG "context"
#include "check.h"

/* Loads v0..v31 with seed-derived values, yields, and checks them. */
static int fpsimd_survives_yield(uint64_t seed, int rounds)
{
	uint64_t in[64], out[64];

	for (int i = 0; i < 64; i++)
		in[i] = seed * 0x9e3779b97f4a7c15ULL + (uint64_t)i;
	for (int r = 0; r < rounds; r++) {
		__asm__ volatile(
			"ldp q0, q1, [%0, #0]\n ldp q2, q3, [%0, #32]\n"
			"ldp q4, q5, [%0, #64]\n ldp q6, q7, [%0, #96]\n"
			"ldp q8, q9, [%0, #128]\n ldp q10, q11, [%0, #160]\n"
			"ldp q12, q13, [%0, #192]\n ldp q14, q15, [%0, #224]\n"
			"ldp q16, q17, [%0, #256]\n ldp q18, q19, [%0, #288]\n"
			"ldp q20, q21, [%0, #320]\n ldp q22, q23, [%0, #352]\n"
			"ldp q24, q25, [%0, #384]\n ldp q26, q27, [%0, #416]\n"
			"ldp q28, q29, [%0, #448]\n ldp q30, q31, [%0, #480]\n"
			"mov x8, #124\n svc #0\n"                 /* sched_yield */
			"stp q0, q1, [%1, #0]\n stp q2, q3, [%1, #32]\n"
			"stp q4, q5, [%1, #64]\n stp q6, q7, [%1, #96]\n"
			"stp q8, q9, [%1, #128]\n stp q10, q11, [%1, #160]\n"
			"stp q12, q13, [%1, #192]\n stp q14, q15, [%1, #224]\n"
			"stp q16, q17, [%1, #256]\n stp q18, q19, [%1, #288]\n"
			"stp q20, q21, [%1, #320]\n stp q22, q23, [%1, #352]\n"
			"stp q24, q25, [%1, #384]\n stp q26, q27, [%1, #416]\n"
			"stp q28, q29, [%1, #448]\n stp q30, q31, [%1, #480]\n"
			: : "r"(in), "r"(out)
			: "x0", "x8", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7",
			  "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17",
			  "v18", "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27",
			  "v28", "v29", "v30", "v31");
		if (memcmp(in, out, sizeof(in)) != 0)
			return 0;
	}
	return 1;
}

static __thread int tls_value;

/* The child of test_switches: its own TLS value and FP/SIMD pattern. */
static void switches_child(void *arg)
{
	(void)arg;
	tls_value = 2;
	int ok = fpsimd_survives_yield(2, 200);
	for (int i = 0; i < 50; i++)
		sched_yield();
	_exit(ok && tls_value == 2 ? 0 : 1);
}

static void test_switches(void)
{
	tls_value = 1;
	pid_t pid = start_child(switches_child, NULL);
	int ok = fpsimd_survives_yield(1, 200);
	int st = wait_for(pid);
	check(ok, "fpsimd_parent", "FP/SIMD registers changed across a switch");
	check(exited_with(st, 0), "fpsimd_child",
	      "the child's FP/SIMD registers or TLS changed across a switch");
	check(tls_value == 1, "tls", "the parent's TLS variable changed");
}

/* Touches depth KiB of stack, a page at a time. */
static int __attribute__((noinline)) recurse(int kib)
{
	volatile char frame[1024];

	frame[0] = (char)kib;
	if (kib <= 1)
		return frame[0];
	return recurse(kib - 1) + frame[0];
}

/* For in_child: recursion through kib KiB of stack. */
static void recurse_in_child(void *kib)
{
	recurse((int)(intptr_t)kib);
}

static void test_stack(void)
{
	/* 4 MiB: within the 8 MiB default */
	int st = in_child(recurse_in_child, (void *)(intptr_t)(4 * 1024));
	check(exited_with(st, 0), "stack_grows", "a 4 MiB recursion did not complete");
	/* 64 MiB: past RLIMIT_STACK */
	st = in_child(recurse_in_child, (void *)(intptr_t)(64 * 1024));
	check(killed_by(st, SIGSEGV), "stack_limit",
	      "recursing past RLIMIT_STACK did not end in SIGSEGV");
	check(recurse(64) != 0, "parent_alive", "the parent could not recurse");
}

int main(void)
{
	test_switches();
	test_stack();
	return failures ? 1 : 0;
}
