/*
 * A process's address space: its mappings (VMAs), its page tables, its break
 * and what it has been charged. The system calls brk, mmap, munmap,
 * mprotect, mremap and madvise are implemented here with Linux's semantics;
 * each one either succeeds or undoes everything it did.
 */
#ifndef BRAMBLE_VM_H
#define BRAMBLE_VM_H
#include "lib/types.h"
#include "mm/mmu.h"
#include "mm/page_alloc.h"
#include "mm/vm_object.h"

/* User address space: 39-bit, TTBR0. */
#define USER_TOP          (1UL << VA_BITS)
#define USER_MIN_ADDR     0x10000UL              /* vm.mmap_min_addr */
#define USER_STACK_TOP    (USER_TOP - PAGE_SIZE)  /* a guard page above */
#define USER_STACK_INIT   (128 * 1024UL)          /* mapped at exec; grows on faults */
#define USER_STACK_GAP    (256 * PAGE_SIZE)       /* Linux's stack_guard_gap */
#define USER_ET_DYN_BASE  0x5555554000UL          /* static-pie load bias (2/3 of 512 GiB, as Linux) */
#define MAX_MAP_COUNT     4096                    /* vm.max_map_count, sized to the kernel heap */

#include "lib/uapi/mman.h"

#define VM_SHARED   (1u << 0)
#define VM_ACCOUNT  (1u << 1)   /* its pages are charged to the commit limit */
#define VM_STACK    (1u << 2)
#define VM_HEAP     (1u << 3)   /* the brk area */
#define VM_FILE     (1u << 4)
#define VM_IMAGE    (1u << 5)   /* read-only program pages, shared (by fork) until written */
#define VM_PT       (1u << 6)   /* may hold pages: its page tables are charged (once set, kept) */

struct shm;   /* shared memory object (mm/shm.c) */

struct vma {
	uint64_t start, end;       /* page-aligned [start, end) */
	uint32_t prot;             /* PROT_* */
	uint32_t flags;            /* VM_* */
	struct shm *shm;           /* VM_SHARED: the pages */
	uint64_t pgoff;            /* page offset into shm or file at start */
	struct vm_object file;     /* VM_FILE: the file's pages (held), or ops NULL */
	struct vma *next, *prev;   /* sorted by start */
};

struct mm {
	int users;                 /* processes using it (a vfork child shares its parent's) */
	pte_t *pgd;                /* L1 table (kernel VA) */
	uint16_t asid;
	struct vma *vmas;
	struct vma *vma_hint;      /* the VMA of the last lookup, or NULL (vma_from) */
	int map_count;
	/* The last VMA record freed, kept for the next one reserved (an
	 * mmap after a munmap: no trip through the kernel heap), or NULL;
	 * freed with the mm. */
	struct vma *spare_vma;
	uint64_t brk_start, brk;   /* [brk_start, brk) is the heap; brk unaligned */
	uint64_t charged;          /* pages charged: mappings + page tables */
	uint64_t pt_charged;       /* page-table pages charged (inside charged): every
				    * table the VM_PT mappings could need, and the root */
	uint64_t pt_pages;         /* page-table pages that exist (<= pt_charged) */
	pte_t *l3_hint;            /* the L3 table the last lookup found (uvm.c), or NULL, */
	uint64_t l3_hint_va;       /* and the 2 MiB span it maps */
	uint64_t total_vm;         /* pages mapped (RLIMIT_AS) */
	uint64_t data_vm;          /* private writable non-stack pages (RLIMIT_DATA) */
	uint64_t stack_limit;      /* RLIMIT_STACK, bytes, fixed at exec */
	/* Where exec put the argument and environment strings and the initial
	 * stack pointer (/proc/PID/cmdline, environ, stat). */
	uint64_t arg_start, arg_end, env_start, env_end, start_stack;
	struct mm *prev_mm, *next_mm;   /* every address space (vm_object_unmap_from) */
};

struct rlimits_view {
	uint64_t as, data;
};

struct mm *vm_create(void);
/* Another user of mm (vfork); vm_put drops one, and the last frees it all. */
struct mm *vm_share(struct mm *mm);
void vm_put(struct mm *mm);
/* A copy of parent for fork: private pages copied, shared ones shared. */
struct mm *vm_fork(struct mm *parent, int *err);
void vm_activate(struct mm *mm);

/* Where exec-time mappings get their bytes: read(ctx, dst, n, off)
 * copies n bytes at offset off of the source (a file, kernel memory):
 * 0 or -errno. The mapping gets [off, off + len) of it. */
struct vm_fill {
	int (*read)(void *ctx, void *dst, uint64_t n, uint64_t off);
	void *ctx;
	uint64_t off, len;
};

/* Maps [addr, addr+len) at exec time (ELF segments, the stack); populated
 * now from fill (NULL: zeros) starting data_off_in_first_page bytes into
 * the first page — returns 0 or -errno (-ENOMEM, or the source's). */
int vm_map_populated(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot,
		     uint32_t flags, const struct vm_fill *fill, uint64_t data_off_in_first_page);

/* Kernel pages shared with every process that maps them (mm/special.c):
 * the vDSO and its data page. Never charged, never freed. */
struct vm_special {
	const char *name;          /* what /proc/PID/maps calls it: "[vdso]" */
	uint32_t may_prot;         /* what mprotect may give it (Linux's VM_MAY*) */
	struct shm *pages;         /* the kernel's reference holds them */
};
/* Makes sp over the npages kernel pages from physical address first, at
 * boot; mprotect may give its mappings may_prot at most (more: EACCES).
 * 0, -ENOMEM, or -EINVAL (not page-aligned, too many specials). */
int vm_special_init(struct vm_special *sp, const char *name, uint32_t may_prot,
		    phys_addr_t first, uint64_t npages);
/* Maps all of sp at addr (exec time), read-only: 0 or -ENOMEM. */
int vm_map_special(struct mm *mm, uint64_t addr, uint32_t prot, const struct vm_special *sp);
/* The special mapping v maps, by name, or NULL. */
const char *vm_special_name(const struct vma *v);
/* Whether mprotect may give v prot (false only for a special mapping). */
bool vm_special_allows(const struct vma *v, uint32_t prot);

/* The system calls; lim gives RLIMIT_AS / RLIMIT_DATA in bytes (brk's by
 * value, in two registers: its caller keeps no local in memory). */
uint64_t vm_brk(struct mm *mm, uint64_t addr, struct rlimits_view lim);
/* file: the object a file mapping maps (NULL for MAP_ANONYMOUS);
 * shared_ok: the file is open for writing (MAP_SHARED with PROT_WRITE). */
long vm_mmap(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot, uint32_t flags,
	     const struct vm_object *file, bool shared_ok, uint64_t off,
	     const struct rlimits_view *lim);
long vm_munmap(struct mm *mm, uint64_t addr, uint64_t len);
/* msync(2): memory files need no writing back; the checks are Linux's. */
long vm_msync(struct mm *mm, uint64_t addr, uint64_t len, int flags);
/* mincore(2): a byte per page into vec, 1 where the page is in memory. */
long vm_mincore(struct mm *mm, uint64_t addr, uint64_t len, uaddr_t vec);
long vm_mprotect(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot);
long vm_mremap(struct mm *mm, uint64_t old_addr, uint64_t old_len, uint64_t new_len,
	       uint32_t flags, uint64_t new_addr, const struct rlimits_view *lim);
long vm_madvise(struct mm *mm, uint64_t addr, uint64_t len, int advice);

/* Demand faults: what becomes of the access. */
enum vm_fault_result {
	VM_FAULT_OK = 0,       /* the access may proceed */
	VM_FAULT_SIGSEGV,      /* no mapping, or one that forbids the access */
	VM_FAULT_SIGBUS,       /* mapped, but no page behind it (past its object) */
};
int vm_fault(struct mm *mm, uint64_t addr, bool write, bool exec);
/*
 * The first VMA that ends after addr (the one holding it, or the next), or
 * NULL. The walk starts at the hint, the VMA the last lookup found, and
 * goes forward or back from there (the list is doubly linked): a process
 * works in one place at a time (the top of its mmap area, its heap), so
 * most lookups take a step or two.
 */
static inline struct vma *vma_from(struct mm *mm, uint64_t addr)
{
	struct vma *v = mm->vma_hint ? mm->vma_hint : mm->vmas;

	if (!v)
		return NULL;
	if (v->end <= addr) {
		while (v->next && v->next->end <= addr)
			v = v->next;
		mm->vma_hint = v;
		return v->next;
	}
	while (v->prev && v->prev->end > addr)
		v = v->prev;
	mm->vma_hint = v;
	return v;
}

/* The VMA holding addr, or NULL. */
static inline struct vma *vm_find(struct mm *mm, uint64_t addr)
{
	struct vma *v = vma_from(mm, addr);
	return v && addr >= v->start ? v : NULL;
}

/* Whether no VMA lies in [s, e). */
static inline bool vm_range_is_free(struct mm *mm, uint64_t s, uint64_t e)
{
	struct vma *v = vma_from(mm, s);
	return !v || v->start >= e;
}

/* The invariant checker (as Linux's validate_mm): VMAs sorted, aligned and
 * not overlapping, their counts and charges matching mm's, a page table
 * under every mapping, every valid user page never executable by the
 * kernel (PXN). A broken invariant is a kernel bug: a panic. Run
 * after every change of an address space, failed or not, when
 * vm_debug_checks is set (boot argument vm_check=on, which every QEMU test
 * sets). */
void vm_check(struct mm *mm);
/* The same for the page tables, a full walk: every entry lies in a mapping.
 * Run when an address space is freed (vm_put). */
void vm_check_tables(struct mm *mm);
extern bool vm_debug_checks;

/* The physical page behind a user address, faulting it in for the access;
 * 0 if the access is not allowed. */
phys_addr_t vm_user_page(struct mm *mm, uint64_t addr, bool write);
#endif
