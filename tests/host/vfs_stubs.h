/*
 * The kernel around the VFS, for host tests that compile the real fs/ and
 * mm/page_store.c (tests/host/vfs_stubs.c): a heap over calloc with a
 * fault-injection counter, a commit limit, a fake current process, and
 * user copies over host pointers (a uaddr_t holds a host address).
 */
#ifndef BRAMBLE_VFS_STUBS_H
#define BRAMBLE_VFS_STUBS_H
#include "lib/types.h"
#include "mm/commit.h"

struct dentry;

/* Allocations made (kalloc and kalloc_pages) and still live. */
extern uint64_t stub_allocs, stub_live_heap, stub_live_pages;
/* The commit charge and its limit (commit_charge fails past it): the
 * counter of mm/commit.h, whose charge is inline. */
#define stub_commit_used  (commit_pages.used)
#define stub_commit_limit (commit_pages.limit)
/* vm_object_unmap_from's calls and its last arguments. */
extern int stub_unmap_calls;
extern void *stub_unmap_obj;
extern uint64_t stub_unmap_first;
/* page_alloc_stats' total (tmpfs's default size= is half of it). */
extern uint64_t stub_total_pages;

/* The boot's held initrd (mm/boot_mem.c's claims): the pages of buf (up to
 * 4096 of them) can each be claimed once; a claimed page freed comes back
 * here (stub_initrd_freed), never to free(). stub_initrd_set(NULL, 0): none. */
extern uint64_t stub_initrd_claimed, stub_initrd_freed;
void stub_initrd_set(const void *buf, size_t size);
/* The nth allocation from now (1: the next) fails, once; 0 disarms. */
void stub_fail_nth(uint64_t nth);
/* Whether the armed failure has happened. */
bool stub_failed(void);

/* current: uid 0, umask 022, RLIMIT_NOFILE 1024, its cwd and root set to
 * root (held by the caller, not by current). */
void stub_proc_init(struct dentry *root);
/* A user address for a host pointer. */
static inline uaddr_t uptr(const void *p)
{
	return uaddr((uint64_t)(uintptr_t)p);
}
#endif
