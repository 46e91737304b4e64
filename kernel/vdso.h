/*
 * The vDSO (arch/arm64/vdso/): an ELF shared object built with the kernel
 * and mapped into every process at exec, with its data page below it:
 *
 *   VVAR_ADDR       [vvar]  the clock parameters (vdso_time.h), read-only
 *   VDSO_TEXT_ADDR  [vdso]  the image, read and execute; AT_SYSINFO_EHDR
 *
 * Both are the kernel's own pages (mm/special.c): shared by all, charged
 * to nobody, kept over fork. Signal handlers return through its
 * __kernel_rt_sigreturn. The system calls read the clocks the way the
 * vDSO does (vdso_clock_read), so both give the same time.
 *
 * Locking: the kernel lock; the data page is written under it, and read
 * by EL0 on every CPU under its sequence count.
 */
#ifndef BRAMBLE_VDSO_H
#define BRAMBLE_VDSO_H
#include "lib/types.h"

struct mm;

/* Below the largest stack and its guard gap (mm/vm.h), where no stack and
 * no mmap placement reaches. */
#define VDSO_TEXT_ADDR      0x7fefefc000UL
#define VDSO_TEXT_MAX_PAGES 3
#define VVAR_ADDR           (VDSO_TEXT_ADDR - PAGE_SIZE)

/* At boot, after tick_init (which measures the counter offset): checks the
 * embedded image, makes its mappings' pages and fills the data page. */
void vdso_init(void);
/* Maps the data page and the image into a new address space: 0 or -ENOMEM. */
int vdso_map(struct mm *mm);
/* Where a handler returns to, unless it gave SA_RESTORER. */
uint64_t vdso_sigreturn_address(void);
/* The clock's reading now in ns, as the vDSO computes it: false for the
 * clocks it leaves to the system call (CPU time, invalid ids). */
bool vdso_clock_read(int clock, uint64_t *ns);
/* What clock_getres gives the clocks read from the counter. */
uint64_t vdso_clock_resolution_ns(void);
/* Sets CLOCK_REALTIME (and TAI, which has no offset of its own) to ns:
 * false, with nothing changed, if that is before CLOCK_MONOTONIC's reading
 * (Linux's EINVAL). Every reader sees the new time from its next read. */
bool vdso_set_realtime(uint64_t ns);
/* A CLOCK_REALTIME time as a deadline on the kernel's clock (uptime_ns, the
 * timers'): 0 if it is before boot. */
uint64_t vdso_realtime_to_boot(uint64_t realtime_ns);
/* The time zone gettimeofday reports; settimeofday sets it. */
void vdso_set_timezone(int32_t minuteswest, int32_t dsttime);
void vdso_timezone(int32_t *minuteswest, int32_t *dsttime);
#endif
