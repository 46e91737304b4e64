/*
 * The two ways any layer may stop the machine, declared here so that mm/,
 * fs/ and drivers/ need nothing of kernel/ to call them (as Linux's
 * include/linux/panic.h): panic() for a kernel bug, oom_panic() for the
 * one out-of-memory condition that is fatal, the kernel heap exhausted on
 * a must-succeed allocation. kernel/panic.c and kernel/oom_dump.c print
 * the dumps (kernel/panic.h has their pieces).
 */
#ifndef BRAMBLE_LIB_PANIC_H
#define BRAMBLE_LIB_PANIC_H
#include <stddef.h>
#include <stdint.h>

#define panic(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)
void panic_at(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));

/* The kernel-heap exhaustion dump: the request (size, alignment, the
 * caller's return address), every allocator's state, then a halt. */
void oom_panic(size_t size, size_t align, uintptr_t caller) __attribute__((noreturn));
#endif
