/*
 * Fatal errors. Every path here prints a dump by polling the console UART
 * with interrupts masked, allocates nothing, and ends in halt_system().
 * A panic while dumping prints one line and halts.
 */
#ifndef BRAMBLE_PANIC_H
#define BRAMBLE_PANIC_H
#include "lib/types.h"
#include "lib/panic.h"
#include "arch/arm64/trap_frame.h"

/* The QEMU exit status of a run that panicked (with exit=semihosting). */
#define PANIC_EXIT_STATUS 99

/* The frame record of the function that called the current one. */
#define CALLER_FP() (((const uintptr_t *)__builtin_frame_address(0))[0])

/* The pieces, for dumps that add their own sections (the OOM dump). */
bool panic_begin(void);          /* false: already panicking (one line printed) */
void panic_dump_regs(const struct trap_frame *tf);
void panic_backtrace(uintptr_t pc, uintptr_t fp);
void panic_end(void) __attribute__((noreturn));

/* Ends the run: semihosting SYS_EXIT with status under exit=semihosting,
 * otherwise "System halted." and a wait-for-event loop. */
void halt_system(int status) __attribute__((noreturn));
void set_exit_semihosting(bool on);

/* The stack protector found the canary of the function containing where
 * changed (kernel/stackprotector.c): a panic naming it. */
void panic_stack_smashed(uintptr_t where) __attribute__((noreturn));

/* What runs now, for the dump: "pid 1 \"init\"" or "boot". */
void describe_current(char *buf, size_t size);
#endif
