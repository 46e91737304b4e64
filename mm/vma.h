/*
 * Inside mm/: the VMA list of an address space and the arithmetic over it
 * that the memory system calls share (mm/vma.c), the shared-memory object
 * (mm/shm.c), and the page accounting of an mm. Not for use outside mm/.
 *
 * Locking: the kernel lock (kernel/spinlock.h). An mm and its VMAs change
 * only in a system call or fault of a task using it, one at a time even
 * when its threads run on several CPUs; its page tables are walked by
 * those CPUs' MMUs meanwhile, so every change of a valid entry is followed
 * by a TLB invalidation broadcast to the inner shareable domain (uvm.c).
 */
#ifndef BRAMBLE_MM_VMA_H
#define BRAMBLE_MM_VMA_H
#include "mm/vm.h"

#define PAGES(bytes) ((bytes) >> PAGE_SHIFT)

/* Shared anonymous memory, or a read-only program image: its pages,
 * charged once, shared by every VMA that maps it. */
struct shm {
	int refs;
	uint64_t npages;
	phys_addr_t pages[];
};

/* A new object of npages zeroed pages, charged; NULL when out of memory. */
struct shm *shm_create(uint64_t npages);
void shm_put(struct shm *s);
/* The object's page behind page_va of v, or 0 past its end (mremap may grow
 * a mapping beyond its object: Linux gives SIGBUS there). */
phys_addr_t shm_page(const struct vma *v, uint64_t page_va);
/* Maps all of shm's pages read-only at [addr, addr + len), present now: a
 * program image's segment, or pages the kernel shares (mm/special.c). The
 * mapping takes its own reference; 0 or -ENOMEM. */
int vm_map_image_pages(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot,
		       struct shm *shm);

/* A new VMA record copying v takes its own references to v's objects. */
static inline void vma_hold_objects(struct vma *v)
{
	if (v->shm)
		v->shm->refs++;
	if (v->file.ops) {
		v->file.ops->get(v->file.obj);
		if (v->flags & VM_SHARED)
			v->file.ops->mapped(v->file.obj, +1);
		if (v->file.tag)
			v->file.ops->tag_get(v->file.tag);
	}
}

static inline void vma_drop_objects(struct vma *v)
{
	if (v->shm)
		shm_put(v->shm);
	v->shm = NULL;
	if (v->file.ops) {
		if (v->flags & VM_SHARED)
			v->file.ops->mapped(v->file.obj, -1);
		if (v->file.tag)
			v->file.ops->tag_put(v->file.tag);
		v->file.ops->put(v->file.obj);
	}
	v->file.ops = NULL;
}

static inline uint64_t vma_pages(const struct vma *v)
{
	return PAGES(v->end - v->start);
}

/* What RLIMIT_DATA counts: private writable memory that is not the stack. */
static inline bool vma_is_data(const struct vma *v)
{
	return !(v->flags & (VM_SHARED | VM_STACK)) && (v->prot & PROT_WRITE);
}

/* Adds (sign +1) or removes (-1) pages of v's kind to mm's counts: mapped
 * pages, data pages, and for VM_ACCOUNT the pages charged to mm. */
static inline void vma_account(struct mm *mm, const struct vma *v, uint64_t pages, int sign)
{
	mm->total_vm += sign * pages;
	if (vma_is_data(v))
		mm->data_vm += sign * pages;
	if (v->flags & VM_ACCOUNT)
		mm->charged += sign * pages;
}

/*
 * Private writable or file-backed memory is charged; so is the brk area.
 * Shared memory and read-only program images are charged once, in their
 * shm object, however many processes map them.
 */
static inline uint32_t vma_account_flag(uint32_t prot, uint32_t flags)
{
	if ((flags & VM_SHARED) || ((flags & VM_IMAGE) && !(prot & PROT_WRITE)))
		return 0;
	return ((prot & PROT_WRITE) || (flags & (VM_FILE | VM_HEAP | VM_STACK))) ? VM_ACCOUNT : 0;
}

/* A mapping that may hold pages has its page tables charged: any
 * protection but PROT_NONE, and every populated one. */
static inline uint32_t vma_pt_flag(uint32_t prot)
{
	return (prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) ? VM_PT : 0;
}

/*
 * The page tables the VM_PT mappings need over the spans [s, e) meets,
 * were every page of them touched: one L3 table for each 2 MiB span they
 * touch, one L2 table for each 1 GiB span. *with (if not NULL) gets the
 * same with [xs, xe) (inside [s, e)) counted as one more such mapping
 * (what a change may add; empty: none). A
 * change inside [s, e) changes the need only there, so the difference
 * before and after it is what the mm's table charge must move by
 * (mm/reserve.c). O(mappings), with little work for those outside.
 */
uint64_t vm_tables_needed(struct mm *mm, uint64_t s, uint64_t e, uint64_t xs, uint64_t xe,
			  uint64_t *with);
/* Whether a mapping with tables overlaps [s, e): searched out both ways
 * from the VMA of the last lookup, so a span around a change is usually
 * settled by its neighbours. */
bool vm_tables_in(struct mm *mm, uint64_t s, uint64_t e);

/* After each change of an address space, when vm_check=on. */
static inline void vm_debug_check(struct mm *mm)
{
	if (vm_debug_checks)
		vm_check(mm);
}

/* A VMA record no mapping uses any more: the mm's spare, or freed. */
void vma_free(struct mm *mm, struct vma *v);
void vma_insert(struct mm *mm, struct vma *n);
void vma_unlink(struct mm *mm, struct vma *v);
/* Cuts v at addr: v keeps [start, addr), spare gets [addr, end). */
void vma_split(struct mm *mm, struct vma *v, uint64_t addr, struct vma *spare);
/* VMA records cutting [s, e) out of the mappings needs (0 or 1). */
int vma_spares_to_unmap(struct mm *mm, uint64_t s, uint64_t e);
/* True when [s, e) is mapped without holes. */
bool vma_fully_mapped(struct mm *mm, uint64_t s, uint64_t e);
/* The end of the mappings from s on with no hole between, at most e; s
 * itself when s is unmapped (what Linux's mprotect changes before it
 * stops at a hole with -ENOMEM). */
uint64_t vma_mapped_run_end(struct mm *mm, uint64_t s, uint64_t e);

struct vm_reservation;
/* Removes [s, e) from the address space, freeing its pages and returning
 * its charges; a VMA split in two takes a record from res (reserved with
 * vma_spares_to_unmap). With res NULL and a split needed, nothing changes
 * and the result is -ENOMEM; else 0. The tables of spans [s, e) covers
 * whole go; vm_trim_tables frees those of the spans at its two ends that
 * no mapping needs. The table charge is settled by the caller's
 * reservation, whose window must hold [s, e). */
int vm_unmap_range(struct mm *mm, uint64_t s, uint64_t e, struct vm_reservation *res);
void vm_trim_tables(struct mm *mm, uint64_t s, uint64_t e);

/* The top of the mmap area, below the stack's limit and guard gap. */
static inline uint64_t vm_mmap_top(struct mm *mm)
{
	return USER_STACK_TOP - mm->stack_limit - USER_STACK_GAP;
}
/* The highest free gap of len bytes below the mmap top (Linux's top-down). */
uint64_t vm_find_free_area(struct mm *mm, uint64_t len);
static inline bool vm_valid_user_range(uint64_t addr, uint64_t len)
{
	return addr >= USER_MIN_ADDR && len <= USER_TOP && addr <= USER_TOP - len;
}
/* vm_within_limits with a limit set: the walk over the VMAs. */
bool vm_within_set_limits(struct mm *mm, uint64_t s, uint64_t e, bool data,
			  struct rlimits_view lim);
/* RLIMIT_AS and RLIMIT_DATA, for pages that would be added over [s, e)
 * (data: they count as data). Inline: the usual case, no limit, needs no
 * call. */
static inline bool vm_within_limits(struct mm *mm, uint64_t s, uint64_t e, bool data,
				    struct rlimits_view lim)
{
	if (lim.as == UINT64_MAX && (!data || lim.data == UINT64_MAX))
		return true;
	return vm_within_set_limits(mm, s, e, data, lim);
}
#endif
