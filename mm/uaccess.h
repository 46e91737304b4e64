/*
 * Checked copies between the kernel and a process's memory. The kernel never
 * dereferences a user address: each page is checked against the mappings,
 * faulted in if needed, and reached through the linear map. Any failure is
 * -EFAULT, never a kernel fault.
 */
#ifndef BRAMBLE_UACCESS_H
#define BRAMBLE_UACCESS_H
#include "lib/types.h"
struct mm;
int copy_to_user(struct mm *mm, uaddr_t udst, const void *src, size_t n);
int copy_from_user(struct mm *mm, void *dst, uaddr_t usrc, size_t n);
/* Copies a NUL-terminated string of at most max-1 bytes; returns its length,
 * -EFAULT, or -ENAMETOOLONG when no NUL comes within max bytes. */
long strncpy_from_user(struct mm *mm, char *dst, uaddr_t usrc, size_t max);
/* Replaces the aligned user word at addr by op(old) atomically, as seen by
 * threads of the process on other CPUs using atomics on it too (futexes:
 * FUTEX_WAKE_OP, robust lists); *old gets the value it replaced. */
int user_word_update(struct mm *mm, uaddr_t addr, uint32_t (*op)(uint32_t old, const void *arg),
		     const void *arg, uint32_t *old);
/* True if [addr, addr+n) lies in user space without wrapping. */
bool user_range_ok(uaddr_t addr, uint64_t n);
#endif
