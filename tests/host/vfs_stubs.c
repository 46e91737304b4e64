/* The kernel's side of the VFS, on the host (tests/host/vfs_stubs.h). */
#include "tests/host/vfs_stubs.h"
#include "fs/vfs.h"
#include "fs/file.h"
#include "fs/special.h"
#include "kernel/proc.h"
#include "mm/kalloc.h"
#include "mm/commit.h"
#include "mm/page_alloc.h"
#include "mm/uaccess.h"
#include "mm/uvm.h"
#include "mm/mmu.h"
#include "mm/vm_object.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>

uint64_t stub_allocs, stub_live_heap, stub_live_pages;
struct commit_counter commit_pages = { .limit = UINT64_MAX };
int stub_unmap_calls;
void *stub_unmap_obj;
uint64_t stub_unmap_first;
uint64_t stub_total_pages = 1u << 16;       /* 256 MiB */
static uint64_t fail_at;                    /* the stub_allocs value that fails */
static bool failed;

void stub_fail_nth(uint64_t nth)
{
	fail_at = nth ? stub_allocs + nth : 0;
	failed = false;
}

bool stub_failed(void)
{
	return failed;
}

static bool inject(void)
{
	if (++stub_allocs == fail_at) {
		fail_at = 0;
		failed = true;
		return true;
	}
	return false;
}

void *kalloc_at(size_t size, struct alloc_site *site)
{
	(void)site;
	if (inject())
		return NULL;
	void *p = calloc(1, size ? size : 1);
	if (p)
		stub_live_heap++;
	return p;
}

/* The boot's must-succeed allocations (rootfs_init): never injected. */
void *kmalloc_or_panic_at(size_t size, size_t align, struct alloc_site *site)
{
	(void)align;
	(void)site;
	void *p = calloc(1, size ? size : 1);
	if (!p)
		abort();
	stub_live_heap++;
	return p;
}

void kfree(void *p)
{
	if (p)
		stub_live_heap--;
	free(p);
}

void *kalloc_pages_at(unsigned order, struct alloc_site *site)
{
	(void)site;   /* every kind fails here: the host tests drive the boot paths too */
	if (inject())
		return NULL;
	void *p = aligned_alloc(PAGE_SIZE, (size_t)PAGE_SIZE << order);
	if (p) {
		memset(p, 0, (size_t)PAGE_SIZE << order);
		stub_live_pages += 1u << order;
	}
	return p;
}

/* The boot's held initrd pages (mm/boot_mem.c) over a host buffer. */
const unsigned char *stub_initrd;
size_t stub_initrd_size;
uint64_t stub_initrd_claimed, stub_initrd_freed;
static uint64_t claimed_bits[64];           /* pages of stub_initrd */

static int64_t initrd_index(const void *va)
{
	const unsigned char *p = va;

	if (!stub_initrd || p < stub_initrd || p >= stub_initrd + stub_initrd_size ||
	    (size_t)(p - stub_initrd) / PAGE_SIZE >= 64 * 64)
		return -1;
	return (int64_t)((size_t)(p - stub_initrd) / PAGE_SIZE);
}

uint64_t boot_mem_claim_initrd_pages(phys_addr_t pa, uint64_t n)
{
	int64_t k = initrd_index(phys_to_virt(pa));
	uint64_t got = 0;

	for (; k >= 0 && got < n && initrd_index(phys_to_virt(pa + got * PAGE_SIZE)) >= 0 &&
	       !(claimed_bits[(k + got) / 64] & (1ULL << ((k + got) % 64))); got++)
		claimed_bits[(k + got) / 64] |= 1ULL << ((k + got) % 64);
	stub_initrd_claimed += got;
	return got;
}

void boot_mem_unclaim_initrd_pages(phys_addr_t pa, uint64_t n)
{
	for (uint64_t j = 0; j < n; j++) {
		int64_t k = initrd_index(phys_to_virt(pa + j * PAGE_SIZE));
		if (k < 0 || !(claimed_bits[k / 64] & (1ULL << (k % 64))))
			abort();
		claimed_bits[k / 64] &= ~(1ULL << (k % 64));
		stub_initrd_claimed--;
	}
}

void stub_initrd_set(const void *buf, size_t size)
{
	stub_initrd = buf;
	stub_initrd_size = size;
	stub_initrd_claimed = stub_initrd_freed = 0;
	memset(claimed_bits, 0, sizeof(claimed_bits));
}

void kfree_pages(void *va, unsigned order)
{
	int64_t k = va ? initrd_index(va) : -1;

	if (k >= 0) {               /* a claimed initrd page: back to the allocator */
		if (order || !(claimed_bits[k / 64] & (1ULL << (k % 64))))
			abort();
		claimed_bits[k / 64] &= ~(1ULL << (k % 64));
		stub_initrd_freed++;
		return;
	}
	if (va)
		stub_live_pages -= 1u << order;
	free(va);
}

/* No interrupts on the host: nothing to take. */
void irq_window(void)
{
}

void fail_alloc_set(uint64_t nth)
{
	stub_fail_nth(nth);
}

void commit_underflow(uint64_t pages)
{
	fprintf(stderr, "commit_uncharge: %lu more than charged\n", (unsigned long)pages);
	abort();
}

uint64_t commit_used(void) { return stub_commit_used; }
uint64_t commit_limit(void) { return stub_commit_limit; }

void page_alloc_stats(struct page_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->total_pages = stub_total_pages;
	st->free_pages = stub_total_pages;
}

void kheap_stats(struct kheap_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->total = 64u << 20;
}

uint64_t uptime_ns(void)
{
	static uint64_t t = 1000000000u;

	return t += 1000;
}

static uint8_t zero[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

phys_addr_t uvm_zero_pa;

/* The kernel sets the zero page at boot (zero_page_init); the host sets it
 * before any test runs. */
__attribute__((constructor)) static void zero_page_stub_init(void)
{
	uvm_zero_pa = virt_to_phys(zero);
}

int copy_to_user(struct mm *mm, uaddr_t udst, const void *src, size_t n)
{
	(void)mm;
	if (!uaddr_val(udst))
		return -14;     /* EFAULT */
	memcpy((void *)(uintptr_t)uaddr_val(udst), src, n);
	return 0;
}

int copy_from_user(struct mm *mm, void *dst, uaddr_t usrc, size_t n)
{
	(void)mm;
	if (!uaddr_val(usrc))
		return -14;
	memcpy(dst, (const void *)(uintptr_t)uaddr_val(usrc), n);
	return 0;
}

long strncpy_from_user(struct mm *mm, char *dst, uaddr_t usrc, size_t max)
{
	(void)mm;
	if (!uaddr_val(usrc))
		return -14;
	const char *s = (const char *)(uintptr_t)uaddr_val(usrc);
	size_t n = 0;
	while (n < max && s[n])
		n++;
	if (n == max)
		return -36;     /* ENAMETOOLONG */
	memcpy(dst, s, n + 1);
	return (long)n;
}

bool user_range_ok(uaddr_t addr, uint64_t n)
{
	return uaddr_val(addr) + n >= uaddr_val(addr);
}

void vm_object_unmap_from(void *obj, uint64_t first)
{
	stub_unmap_calls++;
	stub_unmap_obj = obj;
	stub_unmap_first = first;
}

/* Devices and FIFOs open as a file with no operations. */
static const struct file_ops special_stub_ops;

const struct file_ops *special_file_ops(uint32_t mode, uint32_t rdev)
{
	(void)mode;
	(void)rdev;
	return &special_stub_ops;
}

void chrdev_for_each(void (*fn)(const struct chrdev *c, void *arg), void *arg)
{
	(void)fn;
	(void)arg;
}

const struct fs_type proc_fs_type = { .name = "proc", .nodev = true };

void panic_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "panic at %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

/* ---- the current process ----------------------------------------------------------- */

static struct proc fake_proc;
struct proc *current;

void stub_proc_init(struct dentry *root)
{
	memset(&fake_proc, 0, sizeof(fake_proc));
	fake_proc.pid = 1;
	cred_init_root(&fake_proc.cred);
	fake_proc.umask = 022;
	fake_proc.rlim[RLIMIT_NOFILE].rlim_cur = fake_proc.rlim[RLIMIT_NOFILE].rlim_max = 1024;
	fake_proc.cwd = fake_proc.root = root;
	current = &fake_proc;
}

/* ---- wait queues (fs/locks.c): one thread, so a sleep would never end ---- */
#include "kernel/wait.h"
void wake_up(struct wait_queue *wq) { (void)wq; }
void wait_prepare(struct wait_queue *wq, struct waiter *w) { (void)wq, (void)w; }
void wait_finish(struct wait_queue *wq, struct waiter *w) { (void)wq, (void)w; }
long wait_sleep(bool interruptible)
{
	(void)interruptible;
	return -ERESTARTSYS;    /* as if a signal came: a host test never blocks */
}

/* ---- the process table: one process, the fake current ---------------------- */
void proc_for_each(void (*fn)(struct proc *p, void *arg), void *arg)
{
	if (current)
		fn(current, arg);
}

/* No pipes here: no file the VFS tests open is a pipe(2) end. */
uint64_t pipe_ino(const struct file *f)
{
	(void)f;
	return 0;
}

int pipe_reopen(struct file *end, uint32_t flags, struct file **out)
{
	(void)end, (void)flags, (void)out;
	return -6;      /* ENXIO */
}
