/*
 * Address spaces and the memory system calls, with Linux's semantics and
 * no overcommit (see mm/commit.h).
 *
 * Every call is written as: check arguments, then reserve everything that
 * can fail (VMA records, commit charge, page tables), and only then change
 * the address space. A failure in the reserve phase undoes the reservations
 * and returns -ENOMEM, leaving the mappings as they were.
 */
#include "mm/vm.h"
#include "mm/uvm.h"
#include "mm/commit.h"
#include "mm/kalloc.h"
#include "mm/page_alloc.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include <string.h>
#include "kernel/string_ext.h"

#define MAP_SHARED          0x01
#define MAP_PRIVATE         0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE            0x0f
#define MAP_FIXED           0x10
#define MAP_ANONYMOUS       0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define MAP_KNOWN (MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | \
		   0x100 /* GROWSDOWN */ | 0x800 /* DENYWRITE */ | 0x1000 /* EXECUTABLE */ | \
		   0x2000 /* LOCKED */ | 0x4000 /* NORESERVE */ | 0x8000 /* POPULATE */ | \
		   0x10000 /* NONBLOCK */ | 0x20000 /* STACK */ | 0x40000 /* HUGETLB */)

#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED   2

#define PAGES(bytes) ((bytes) >> PAGE_SHIFT)

/* Shared anonymous memory: its pages, shared by every VMA that maps it. */
struct shm {
	int refs;
	uint64_t npages;
	phys_addr_t pages[];
};

/* ---- small helpers ------------------------------------------------------ */

static uint64_t vma_pages(const struct vma *v)
{
	return PAGES(v->end - v->start);
}

/* What RLIMIT_DATA counts: private writable memory that is not the stack. */
static bool is_data(const struct vma *v)
{
	return !(v->flags & (VM_SHARED | VM_STACK)) && (v->prot & PROT_WRITE);
}

static void count_vma(struct mm *mm, const struct vma *v, int sign)
{
	uint64_t n = vma_pages(v);

	mm->total_vm += sign * n;
	if (is_data(v))
		mm->data_vm += sign * n;
	if (v->flags & VM_ACCOUNT)
		mm->charged += sign * n;
}

struct vma *vm_find(struct mm *mm, uint64_t addr)
{
	for (struct vma *v = mm->vmas; v; v = v->next)
		if (addr < v->end)
			return addr >= v->start ? v : NULL;
	return NULL;
}

bool vm_range_is_free(struct mm *mm, uint64_t s, uint64_t e)
{
	for (struct vma *v = mm->vmas; v && v->start < e; v = v->next)
		if (v->end > s)
			return false;
	return true;
}

/* Frees the page tables over [s, e) that no mapping needs any more: every
 * mapping keeps the tables of its whole range (faults never allocate). */
static void trim_tables(struct mm *mm, uint64_t s, uint64_t e)
{
	for (uint64_t b = ALIGN_DOWN(s, UVM_TABLE_SPAN); b < e; b += UVM_TABLE_SPAN)
		if (vm_range_is_free(mm, b, b + UVM_TABLE_SPAN))
			uvm_free_table(mm, b);
}

static void insert_vma(struct mm *mm, struct vma *n)
{
	struct vma **pp = &mm->vmas;

	while (*pp && (*pp)->start < n->start)
		pp = &(*pp)->next;
	n->next = *pp;
	*pp = n;
	mm->map_count++;
}

static void unlink_vma(struct mm *mm, struct vma *v)
{
	struct vma **pp = &mm->vmas;

	while (*pp != v)
		pp = &(*pp)->next;
	*pp = v->next;
	mm->map_count--;
}

static struct shm *shm_create(uint64_t npages)
{
	if (npages > (SIZE_MAX - sizeof(struct shm)) / sizeof(phys_addr_t))
		return NULL;
	if (commit_charge(npages) < 0)
		return NULL;
	struct shm *s = kalloc(sizeof(*s) + npages * sizeof(phys_addr_t));
	if (!s) {
		commit_uncharge(npages);
		return NULL;
	}
	s->refs = 1;
	s->npages = npages;
	for (uint64_t i = 0; i < npages; i++) {
		void *page = kalloc_pages(0);
		if (!page) {
			s->npages = i;
			for (uint64_t j = 0; j < i; j++)
				free_pages(s->pages[j], 0);
			kfree(s);
			commit_uncharge(npages);
			return NULL;
		}
		s->pages[i] = virt_to_phys(page);
	}
	return s;
}

static void shm_put(struct shm *s)
{
	if (--s->refs)
		return;
	for (uint64_t i = 0; i < s->npages; i++)
		free_pages(s->pages[i], 0);
	commit_uncharge(s->npages);
	kfree(s);
}

/* The page of shared object behind page_va, or 0 past its end (mremap may
 * grow a mapping beyond its object: Linux gives SIGBUS there). */
static phys_addr_t object_page(const struct vma *v, uint64_t page_va)
{
	uint64_t i = v->pgoff + PAGES(page_va - v->start);

	return i < v->shm->npages ? v->shm->pages[i] : 0;
}

/*
 * Private writable or file-backed memory is charged; so is the brk area.
 * Shared memory and read-only program images are charged once, in their
 * shm object, however many processes map them.
 */
static uint32_t account_flag(uint32_t prot, uint32_t flags)
{
	if ((flags & VM_SHARED) || ((flags & VM_IMAGE) && !(prot & PROT_WRITE)))
		return 0;
	return ((prot & PROT_WRITE) || (flags & (VM_FILE | VM_HEAP | VM_STACK))) ? VM_ACCOUNT : 0;
}

/* ---- creation and teardown ---------------------------------------------- */

struct mm *vm_create(void)
{
	struct mm *mm = kalloc(sizeof(*mm));

	if (!mm)
		return NULL;
	if (uvm_init(mm) < 0) {
		kfree(mm);
		return NULL;
	}
	mm->users = 1;
	return mm;
}

struct mm *vm_share(struct mm *mm)
{
	mm->users++;
	return mm;
}

void vm_put(struct mm *mm)
{
	if (!mm || --mm->users > 0)
		return;
	struct vma *v = mm->vmas;
	while (v) {
		struct vma *next = v->next;
		if (v->shm)
			shm_put(v->shm);
		kfree(v);
		v = next;
	}
	commit_uncharge(mm->charged - mm->pt_pages);
	mm->charged = mm->pt_pages;
	uvm_free(mm);
	kfree(mm);
}

/* TTBR0 when no process runs: a table that maps nothing (ASID 0). */
static pte_t empty_pgd[512] __attribute__((aligned(4096)));

void vm_activate(struct mm *mm)
{
	uint64_t ttbr = mm ? (virt_to_phys(mm->pgd) | ((uint64_t)mm->asid << 48))
			   : table_to_phys(empty_pgd);

	__asm__ volatile("msr ttbr0_el1, %0\n isb" : : "r"(ttbr) : "memory");
}

/* ---- removing a range ----------------------------------------------------- */

/*
 * Cuts v at addr: v keeps [start, addr), spare gets [addr, end). Shared
 * memory gains a reference; counts move with the pages.
 */
static void split_vma(struct mm *mm, struct vma *v, uint64_t addr, struct vma *spare)
{
	*spare = *v;
	spare->start = addr;
	spare->pgoff = v->pgoff + PAGES(addr - v->start);
	v->end = addr;
	if (spare->shm)
		spare->shm->refs++;
	spare->next = v->next;
	v->next = spare;
	mm->map_count++;
}

/* How many VMA records cutting [s, e) out of the mappings needs (0..1). */
static int spares_to_unmap(struct mm *mm, uint64_t s, uint64_t e)
{
	struct vma *v = vm_find(mm, s);
	return (v && v->start < s && v->end > e) ? 1 : 0;
}

/* Removes [s, e) from the address space; *spare is consumed if a VMA
 * must be split in two. Pages are freed, charges returned. */
static void unmap_range(struct mm *mm, uint64_t s, uint64_t e, struct vma **spare)
{
	struct vma *v = mm->vmas, *next;

	for (; v && v->start < e; v = next) {
		next = v->next;
		if (v->end <= s)
			continue;
		if (v->start < s && v->end > e) {      /* a hole in the middle */
			split_vma(mm, v, e, *spare);
			*spare = NULL;
			next = v->next;
		}
		uint64_t cs = v->start > s ? v->start : s;
		uint64_t ce = v->end < e ? v->end : e;
		struct vma cut = *v;
		cut.start = cs;
		cut.end = ce;
		count_vma(mm, &cut, -1);
		if (cut.flags & VM_ACCOUNT)
			commit_uncharge(PAGES(ce - cs));
		uvm_unmap(mm, cs, ce);
		if (cs == v->start && ce == v->end) {
			unlink_vma(mm, v);
			if (v->shm)
				shm_put(v->shm);
			kfree(v);
		} else if (cs == v->start) {
			v->pgoff += PAGES(ce - v->start);
			v->start = ce;
		} else {
			v->end = cs;
		}
	}
}

/* ---- finding room ----------------------------------------------------------- */

static uint64_t mmap_top(struct mm *mm)
{
	return USER_STACK_TOP - mm->stack_limit - USER_STACK_GAP;
}

/* The highest free gap of len bytes below the mmap base (Linux's top-down). */
static uint64_t find_free_area(struct mm *mm, uint64_t len)
{
	uint64_t top = mmap_top(mm), best = 0, prev_end = USER_MIN_ADDR;

	for (struct vma *v = mm->vmas;; v = v->next) {
		uint64_t gap_end = v ? v->start : top;
		if (gap_end > top)
			gap_end = top;
		if (gap_end > prev_end && gap_end - prev_end >= len)
			best = gap_end - len;
		if (!v || v->start >= top)
			break;
		if (v->end > prev_end)
			prev_end = v->end;
	}
	return best;
}

static bool valid_user_range(uint64_t addr, uint64_t len)
{
	return addr >= USER_MIN_ADDR && len <= USER_TOP && addr <= USER_TOP - len;
}

/* ---- mmap ------------------------------------------------------------------- */

struct map_request {
	uint64_t addr, len;
	uint32_t prot, flags;      /* VM_* */
	const uint8_t *file_data;
	uint64_t file_size, pgoff;
	struct shm *shm;           /* pages made by the caller (VM_IMAGE), or NULL */
};

/*
 * Places a new mapping at [r->addr, r->addr + r->len), replacing whatever is
 * there (the caller has checked MAP_FIXED_NOREPLACE and the limits).
 */
static long map_region(struct mm *mm, const struct map_request *r)
{
	uint64_t s = r->addr, e = r->addr + r->len, pages = PAGES(r->len);
	struct vma *v = kalloc(sizeof(*v));
	struct vma *spare = NULL;
	struct shm *shm = r->shm;
	uint32_t acct = account_flag(r->prot, r->flags);

	if (!v)
		return -ENOMEM;
	if (spares_to_unmap(mm, s, e) && !(spare = kalloc(sizeof(*spare))))
		goto undo_vma;
	if ((r->flags & VM_SHARED) && !(shm = shm_create(pages)))
		goto undo_spare;
	if (shm == r->shm && shm)
		shm->refs++;      /* the mapping's own reference */
	if (acct && commit_charge(pages) < 0)
		goto undo_shm;
	if (uvm_prepare(mm, s, e) < 0)
		goto undo_charge;

	unmap_range(mm, s, e, &spare);
	*v = (struct vma){ .start = s, .end = e, .prot = r->prot, .flags = r->flags | acct,
			   .shm = shm, .pgoff = r->pgoff, .file_data = r->file_data,
			   .file_size = r->file_size };
	insert_vma(mm, v);
	count_vma(mm, v, +1);
	kfree(spare);
	return (long)s;

undo_charge:
	trim_tables(mm, s, e);
	if (acct)
		commit_uncharge(pages);
undo_shm:
	if (shm)
		shm_put(shm);
undo_spare:
	kfree(spare);
undo_vma:
	kfree(v);
	return -ENOMEM;
}

static uint64_t overlap_pages(struct mm *mm, uint64_t s, uint64_t e, bool data_only)
{
	uint64_t n = 0;

	for (struct vma *v = mm->vmas; v && v->start < e; v = v->next) {
		if (v->end <= s || (data_only && !is_data(v)))
			continue;
		uint64_t cs = v->start > s ? v->start : s, ce = v->end < e ? v->end : e;
		n += PAGES(ce - cs);
	}
	return n;
}

/* RLIMIT_AS and RLIMIT_DATA, for pages that would be added over [s, e). */
static bool within_limits(struct mm *mm, uint64_t s, uint64_t e, bool data,
			  const struct rlimits_view *lim)
{
	uint64_t add = PAGES(e - s);
	uint64_t as = mm->total_vm - overlap_pages(mm, s, e, false) + add;
	uint64_t dv = mm->data_vm - overlap_pages(mm, s, e, true) + (data ? add : 0);

	if (lim->as != UINT64_MAX && as > PAGES(lim->as))
		return false;
	if (data && lim->data != UINT64_MAX && dv > PAGES(lim->data))
		return false;
	return true;
}

long vm_mmap(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot, uint32_t flags,
	     const uint8_t *file_data, uint64_t file_size, uint64_t off,
	     const struct rlimits_view *lim)
{
	uint32_t type = flags & MAP_TYPE, vmflags = 0;
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);

	if (!len || (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE))
		return -EINVAL;
	if ((type == MAP_SHARED_VALIDATE && (flags & ~MAP_KNOWN)) || (prot & ~7u))
		return -EINVAL;
	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if (len > USER_TOP)
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (fixed && (addr & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (fixed && !valid_user_range(addr, len))
		return addr < USER_MIN_ADDR ? -EPERM : -ENOMEM;
	if (!(flags & MAP_ANONYMOUS)) {
		if (!file_data && file_size)
			return -EBADF;
		if (type != MAP_PRIVATE && (prot & PROT_WRITE))
			return -EACCES;           /* the initramfs is read-only */
		vmflags |= VM_FILE;
	} else if (type != MAP_PRIVATE) {
		vmflags |= VM_SHARED;
	}
	if ((flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED) &&
	    !vm_range_is_free(mm, addr, addr + len))
		return -EEXIST;
	if (mm->map_count >= MAX_MAP_COUNT)
		return -ENOMEM;
	if (!fixed) {
		addr = ALIGN_DOWN(addr, PAGE_SIZE);
		if (!addr || !valid_user_range(addr, len) || addr + len > mmap_top(mm) ||
		    !vm_range_is_free(mm, addr, addr + len))
			addr = find_free_area(mm, len);
		if (!addr)
			return -ENOMEM;
	}
	bool data = !(vmflags & VM_SHARED) && (prot & PROT_WRITE);
	if (!within_limits(mm, addr, addr + len, data, lim))
		return -ENOMEM;

	struct map_request r = { addr, len, prot, vmflags, file_data, file_size,
				 PAGES(off), NULL };
	return map_region(mm, &r);
}

/* ---- exec-time mappings ----------------------------------------------------- */

/* The bytes of [data_off, data_off + data_len) that fall in page [off, off+4K). */
static void fill_from(uint8_t *page, uint64_t off, const uint8_t *data, uint64_t data_len,
		      uint64_t data_off)
{
	uint64_t lo = data_off > off ? data_off : off;
	uint64_t hi = data_off + data_len < off + PAGE_SIZE ? data_off + data_len : off + PAGE_SIZE;

	if (data && lo < hi)
		memcpy(page + (lo - off), data + (lo - data_off), hi - lo);
}

/*
 * A read-only segment: its pages live in one shm object, so fork shares
 * them instead of copying; mprotect(PROT_WRITE) gives the process its own.
 */
static int map_image(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot,
		     const uint8_t *data, uint64_t data_len, uint64_t data_off)
{
	struct shm *shm = shm_create(PAGES(len));

	if (!shm)
		return -ENOMEM;
	for (uint64_t i = 0; i < shm->npages; i++) {
		uint8_t *page = phys_to_virt(shm->pages[i]);
		fill_from(page, i * PAGE_SIZE, data, data_len, data_off);
		if (prot & PROT_EXEC)
			sync_icache(page, PAGE_SIZE);
	}
	struct map_request r = { addr, len, prot, VM_FILE | VM_IMAGE, NULL, 0, 0, shm };
	long ret = map_region(mm, &r);
	shm_put(shm);             /* the mapping holds its own reference now */
	if (ret < 0)
		return (int)ret;
	for (uint64_t i = 0; i < shm->npages; i++)
		uvm_install(mm, addr + i * PAGE_SIZE, shm->pages[i], prot, false);
	return 0;
}

int vm_map_populated(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot,
		     uint32_t flags, const uint8_t *data, uint64_t data_len,
		     uint64_t data_off)
{
	if (!(prot & PROT_WRITE) && !(flags & VM_STACK))
		return map_image(mm, addr, len, prot, data, data_len, data_off);

	struct map_request r = { addr, len, prot, flags, NULL, 0, 0, NULL };
	long ret = map_region(mm, &r);

	if (ret < 0)
		return (int)ret;
	/* Charged above, so these pages are ours to take. */
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		phys_addr_t pa = alloc_charged_page();
		uint8_t *page = phys_to_virt(pa);
		clear_page(page);
		fill_from(page, off, data, data_len, data_off);
		if (prot & PROT_EXEC)
			sync_icache(page, PAGE_SIZE);
		uvm_install(mm, addr + off, pa, prot, true);
	}
	return 0;
}

/* ---- brk ------------------------------------------------------------------- */

/* The heap mapping that ends at the break (mprotect or MAP_FIXED may have
 * cut the heap into pieces: only the top one grows). */
static struct vma *heap_vma(struct mm *mm, uint64_t end)
{
	for (struct vma *v = mm->vmas; v; v = v->next)
		if ((v->flags & VM_HEAP) && v->end == end)
			return v;
	return NULL;
}

/* Grows the heap from old_end to new_end; 0 or -ENOMEM with nothing changed. */
static int brk_grow(struct mm *mm, uint64_t old_end, uint64_t new_end)
{
	struct vma *h = heap_vma(mm, old_end), *fresh = NULL;
	uint64_t pages = PAGES(new_end - old_end);

	if (!h) {
		if (mm->map_count >= MAX_MAP_COUNT || !(fresh = kalloc(sizeof(*fresh))))
			return -ENOMEM;
	}
	if (commit_charge(pages) < 0)
		goto undo;
	if (uvm_prepare(mm, old_end, new_end) < 0) {
		commit_uncharge(pages);
		trim_tables(mm, old_end, new_end);
		goto undo;
	}
	struct vma grown = { .start = old_end, .end = new_end, .prot = PROT_READ | PROT_WRITE,
			     .flags = VM_HEAP | VM_ACCOUNT };
	if (h) {
		h->end = new_end;
	} else {
		*fresh = grown;
		insert_vma(mm, fresh);
	}
	count_vma(mm, &grown, +1);
	return 0;
undo:
	kfree(fresh);
	return -ENOMEM;
}

uint64_t vm_brk(struct mm *mm, uint64_t addr, const struct rlimits_view *lim)
{
	uint64_t old_end = ALIGN_UP(mm->brk, PAGE_SIZE), new_end;

	if (addr < mm->brk_start || addr > mmap_top(mm))
		return mm->brk;
	new_end = ALIGN_UP(addr, PAGE_SIZE);
	if (new_end < old_end) {
		struct vma *none = NULL;
		unmap_range(mm, new_end, old_end, &none);
		trim_tables(mm, new_end, old_end);
	} else if (new_end > old_end) {
		/* RLIMIT_DATA counts the heap with other private writable memory,
		 * as Linux's check_data_rlimit does. */
		if (!within_limits(mm, old_end, new_end, true, lim))
			return mm->brk;
		/* A guard page must separate the heap from the next mapping. */
		if (!vm_range_is_free(mm, old_end, new_end + PAGE_SIZE))
			return mm->brk;
		if (brk_grow(mm, old_end, new_end) < 0)
			return mm->brk;
	}
	mm->brk = addr;
	return addr;
}

/* ---- munmap, mprotect, madvise ---------------------------------------------- */

long vm_munmap(struct mm *mm, uint64_t addr, uint64_t len)
{
	struct vma *spare = NULL;

	if ((addr & (PAGE_SIZE - 1)) || !len || len > USER_TOP)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (addr > USER_TOP - len)
		return -EINVAL;
	if (spares_to_unmap(mm, addr, addr + len)) {
		if (mm->map_count >= MAX_MAP_COUNT || !(spare = kalloc(sizeof(*spare))))
			return -ENOMEM;
	}
	unmap_range(mm, addr, addr + len, &spare);
	trim_tables(mm, addr, addr + len);
	kfree(spare);
	return 0;
}

/* True when [s, e) is mapped without holes. */
static bool fully_mapped(struct mm *mm, uint64_t s, uint64_t e)
{
	uint64_t at = s;

	for (struct vma *v = vm_find(mm, s); v && at < e; v = v->next) {
		if (v->start > at)
			return false;
		at = v->end;
	}
	return at >= e;
}

/* Pages in [s, e) that would become charged under prot. */
static uint64_t pages_to_charge(struct mm *mm, uint64_t s, uint64_t e, uint32_t prot)
{
	uint64_t n = 0;

	for (struct vma *v = vm_find(mm, s); v && v->start < e; v = v->next) {
		if ((v->flags & VM_ACCOUNT) || !account_flag(prot, v->flags))
			continue;
		uint64_t cs = v->start > s ? v->start : s, ce = v->end < e ? v->end : e;
		n += PAGES(ce - cs);
	}
	return n;
}

/* A program image made writable: the process gets its own copies (charged
 * by the caller), and drops its reference to the shared pages. */
static void privatize_image(struct mm *mm, struct vma *v)
{
	for (uint64_t va = v->start; va < v->end; va += PAGE_SIZE) {
		phys_addr_t src = object_page(v, va);
		if (!src) {              /* grown past the image: zeros, as the */
			uvm_unmap(mm, va, va + PAGE_SIZE);   /* private memory it is now */
			continue;
		}
		phys_addr_t copy = alloc_charged_page();
		memcpy(phys_to_virt(copy), phys_to_virt(src), PAGE_SIZE);
		uvm_install(mm, va, copy, v->prot, true);
	}
	shm_put(v->shm);
	v->shm = NULL;
	v->flags &= ~VM_IMAGE;
}

long vm_mprotect(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot)
{
	struct vma *spare[2] = { NULL, NULL };
	uint64_t end, charge;

	if ((addr & (PAGE_SIZE - 1)) || (prot & ~7u))
		return -EINVAL;
	if (!len)
		return 0;
	if (len > USER_TOP)
		return -ENOMEM;
	end = addr + ALIGN_UP(len, PAGE_SIZE);
	if (end > USER_TOP || end < addr || !fully_mapped(mm, addr, end))
		return -ENOMEM;
	if (mm->map_count + 2 > MAX_MAP_COUNT)
		return -ENOMEM;
	for (int i = 0; i < 2; i++)
		if (!(spare[i] = kalloc(sizeof(struct vma))))
			goto nomem;
	charge = pages_to_charge(mm, addr, end, prot);
	if (charge && commit_charge(charge) < 0)
		goto nomem;

	int used = 0;
	for (struct vma *v = vm_find(mm, addr); v && v->start < end; v = v->next) {
		if (v->start < addr) {
			split_vma(mm, v, addr, spare[used++]);
			continue;             /* the next iteration takes the new part */
		}
		if (v->end > end)
			split_vma(mm, v, end, spare[used++]);
		count_vma(mm, v, -1);
		v->prot = prot;
		v->flags |= account_flag(prot, v->flags);
		if ((v->flags & VM_IMAGE) && (prot & PROT_WRITE))
			privatize_image(mm, v);
		count_vma(mm, v, +1);
		uvm_protect(mm, v->start, v->end, prot);
	}
	/* count_vma charged mm for newly accounted pages: the commit already was. */
	for (int i = used; i < 2; i++)
		kfree(spare[i]);
	return 0;
nomem:
	kfree(spare[0]);
	kfree(spare[1]);
	return -ENOMEM;
}

#define MADV_NORMAL 0
#define MADV_RANDOM 1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4
#define MADV_FREE 8

long vm_madvise(struct mm *mm, uint64_t addr, uint64_t len, int advice)
{
	uint64_t end;

	if (addr & (PAGE_SIZE - 1) || len > USER_TOP)
		return -EINVAL;
	end = addr + ALIGN_UP(len, PAGE_SIZE);
	if (end > USER_TOP)
		return -EINVAL;
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
		return fully_mapped(mm, addr, end) ? 0 : -ENOMEM;
	case MADV_DONTNEED: case MADV_FREE:
		break;
	default:
		return -EINVAL;
	}
	if (!fully_mapped(mm, addr, end))
		return -ENOMEM;
	/* Private pages are dropped (they read back as zero); shared ones stay. */
	for (struct vma *v = vm_find(mm, addr); v && v->start < end; v = v->next) {
		if (v->shm)
			continue;
		uint64_t cs = v->start > addr ? v->start : addr, ce = v->end < end ? v->end : end;
		uvm_unmap(mm, cs, ce);
	}
	return 0;
}

/* ---- mremap ------------------------------------------------------------------ */

/* Grows v (which ends at old_end) in place by delta bytes, if there is room. */
static long grow_in_place(struct mm *mm, struct vma *v, uint64_t delta)
{
	uint64_t s = v->end, e = v->end + delta;

	if (v->shm || !valid_user_range(s, delta) || !vm_range_is_free(mm, s, e))
		return -ENOMEM;
	if ((v->flags & VM_ACCOUNT) && commit_charge(PAGES(delta)) < 0)
		return -ENOMEM;
	if (uvm_prepare(mm, s, e) < 0) {
		trim_tables(mm, s, e);
		if (v->flags & VM_ACCOUNT)
			commit_uncharge(PAGES(delta));
		return -ENOMEM;
	}
	struct vma grown = *v;
	grown.start = s;
	grown.end = e;
	grown.flags &= ~VM_ACCOUNT;   /* commit charged above; count mm's share below */
	count_vma(mm, &grown, +1);
	if (v->flags & VM_ACCOUNT)
		mm->charged += PAGES(delta);
	v->end = e;
	return 0;
}

/* Moves [old, old+old_len) of v to a new place of new_len bytes. */
static long move_mapping(struct mm *mm, struct vma *v, uint64_t old, uint64_t old_len,
			 uint64_t new_len, uint64_t to)
{
	struct map_request r = { to, new_len, v->prot, v->flags & ~VM_ACCOUNT,
				 v->file_data, v->file_size, v->pgoff + PAGES(old - v->start), NULL };
	struct vma *nv = kalloc(sizeof(*nv)), *spare = NULL;
	uint32_t acct = v->flags & VM_ACCOUNT;

	if (!nv)
		return -ENOMEM;
	if (spares_to_unmap(mm, old, old + old_len) && !(spare = kalloc(sizeof(*spare))))
		goto undo;
	if (acct && commit_charge(PAGES(new_len)) < 0)
		goto undo;
	if (uvm_prepare(mm, to, to + new_len) < 0) {
		trim_tables(mm, to, to + new_len);
		if (acct)
			commit_uncharge(PAGES(new_len));
		goto undo;
	}
	/* Moved, it is plain memory: no longer the heap's top or the stack. */
	*nv = (struct vma){ .start = to, .end = to + new_len, .prot = r.prot,
			    .flags = (r.flags | acct) & ~(VM_HEAP | VM_STACK),
			    .shm = v->shm, .pgoff = r.pgoff,
			    .file_data = r.file_data, .file_size = r.file_size };
	if (nv->shm)
		nv->shm->refs++;
	uvm_move(mm, old, to, old_len);
	unmap_range(mm, old, old + old_len, &spare);   /* its pages moved: frees none */
	insert_vma(mm, nv);
	count_vma(mm, nv, +1);
	/* Only now: old and new may share a table, which nv still needs. */
	trim_tables(mm, old, old + old_len);
	kfree(spare);
	return (long)to;
undo:
	kfree(spare);
	kfree(nv);
	return -ENOMEM;
}

long vm_mremap(struct mm *mm, uint64_t old, uint64_t old_len, uint64_t new_len,
	       uint32_t flags, uint64_t new_addr, const struct rlimits_view *lim)
{
	struct vma *v;

	if ((flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)) || (old & (PAGE_SIZE - 1)))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && (!(flags & MREMAP_MAYMOVE) || (new_addr & (PAGE_SIZE - 1))))
		return -EINVAL;
	if (!new_len || !old_len || old_len > USER_TOP || new_len > USER_TOP)
		return -EINVAL;
	old_len = ALIGN_UP(old_len, PAGE_SIZE);
	new_len = ALIGN_UP(new_len, PAGE_SIZE);
	v = vm_find(mm, old);
	if (!v || old_len > v->end - old)
		return -EFAULT;
	if (flags & MREMAP_FIXED) {
		if (!valid_user_range(new_addr, new_len) ||
		    (new_addr < old + old_len && old < new_addr + new_len))
			return -EINVAL;
		if (!within_limits(mm, new_addr, new_addr + new_len, is_data(v), lim))
			return -ENOMEM;
		long r = vm_munmap(mm, new_addr, new_len);
		if (r < 0)
			return r;
		return move_mapping(mm, vm_find(mm, old), old, old_len, new_len, new_addr);
	}
	if (new_len <= old_len) {
		if (new_len < old_len) {
			long r = vm_munmap(mm, old + new_len, old_len - new_len);
			if (r < 0)
				return r;
		}
		return (long)old;
	}
	if (!within_limits(mm, old + old_len, old + new_len, is_data(v), lim))
		return -ENOMEM;
	if (old + old_len == v->end && !(v->flags & (VM_STACK | VM_HEAP)) &&
	    grow_in_place(mm, v, new_len - old_len) == 0)
		return (long)old;
	if (!(flags & MREMAP_MAYMOVE) || mm->map_count >= MAX_MAP_COUNT)
		return -ENOMEM;
	uint64_t to = find_free_area(mm, new_len);
	if (!to)
		return -ENOMEM;
	return move_mapping(mm, v, old, old_len, new_len, to);
}

/* ---- faults ------------------------------------------------------------------- */

/* The stack grows down on a fault just below it, within RLIMIT_STACK. */
static struct vma *grow_stack(struct mm *mm, uint64_t addr)
{
	struct vma *v = mm->vmas, *prev = NULL;

	while (v && v->end <= addr) {
		prev = v;
		v = v->next;
	}
	if (!v || !(v->flags & VM_STACK) || addr >= v->start)
		return NULL;
	uint64_t s = ALIGN_DOWN(addr, PAGE_SIZE);
	if (USER_STACK_TOP - s > mm->stack_limit)
		return NULL;
	if (prev && prev->end + USER_STACK_GAP > s)
		return NULL;
	uint64_t pages = PAGES(v->start - s);
	if (commit_charge(pages) < 0)
		return NULL;
	if (uvm_prepare(mm, s, v->start) < 0) {
		trim_tables(mm, s, v->start);
		commit_uncharge(pages);
		return NULL;
	}
	struct vma grown = *v;
	grown.start = s;
	grown.end = v->start;
	count_vma(mm, &grown, +1);
	v->start = s;
	return v;
}

static bool access_allowed(const struct vma *v, bool write, bool exec)
{
	if (write)
		return v->prot & PROT_WRITE;
	if (exec)
		return v->prot & PROT_EXEC;
	return v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
}

/* Fills a fresh page for a private mapping: file contents or zeros. */
static void fill_private_page(const struct vma *v, uint64_t page_va, uint8_t *page)
{
	clear_page(page);
	if (!(v->flags & VM_FILE) || !v->file_data)
		return;
	uint64_t off = (v->pgoff << PAGE_SHIFT) + (page_va - v->start);
	if (off < v->file_size) {
		uint64_t n = v->file_size - off < PAGE_SIZE ? v->file_size - off : PAGE_SIZE;
		memcpy(page, v->file_data + off, n);
	}
}

int vm_fault(struct mm *mm, uint64_t addr, bool write, bool exec)
{
	struct vma *v = vm_find(mm, addr);
	uint64_t page_va = ALIGN_DOWN(addr, PAGE_SIZE);

	if (!v)
		v = grow_stack(mm, addr);
	if (!v || !access_allowed(v, write, exec))
		return VM_FAULT_SIGSEGV;
	pte_t *e = uvm_pte(mm, page_va);
	if (!e)
		panic("fault: no page table under a mapping at %lx", (unsigned long)addr);
	if (*e && !(write && pte_page(*e) == zero_page())) {
		/* Present: the access may proceed only if the entry allows it now
		 * (it may have raced in); anything else would fault for ever. */
		return uvm_pte_allows(*e, write, exec) ? VM_FAULT_OK : VM_FAULT_SIGBUS;
	}

	if (v->shm) {
		phys_addr_t pa = object_page(v, page_va);
		if (!pa)
			return VM_FAULT_SIGBUS;
		uvm_install(mm, page_va, pa, v->prot, false);
		return VM_FAULT_OK;
	}
	if (!(v->flags & VM_ACCOUNT)) {
		/* Never-writable private memory reads as zeros. */
		uvm_install(mm, page_va, zero_page(), v->prot, false);
		return VM_FAULT_OK;
	}
	phys_addr_t pa = alloc_charged_page();
	fill_private_page(v, page_va, phys_to_virt(pa));
	if (v->prot & PROT_EXEC)
		sync_icache(phys_to_virt(pa), PAGE_SIZE);
	uvm_install(mm, page_va, pa, v->prot, true);
	return VM_FAULT_OK;
}

phys_addr_t vm_user_page(struct mm *mm, uint64_t addr, bool write)
{
	struct vma *v = vm_find(mm, addr);

	if (!v || !access_allowed(v, write, false))
		return 0;
	pte_t *e = uvm_pte(mm, addr);
	if (!e || !uvm_pte_allows(*e, write, false) || (write && pte_page(*e) == zero_page())) {
		if (vm_fault(mm, addr, write, false) != VM_FAULT_OK)
			return 0;
		e = uvm_pte(mm, addr);
	}
	return pte_page(*e) + (addr & (PAGE_SIZE - 1));
}

/* ---- fork ----------------------------------------------------------------------- */

/* Copies one VMA's pages into child: private pages copied, shared ones shared. */
static int copy_pages(struct mm *child, struct mm *parent, const struct vma *v)
{
	if (uvm_prepare(child, v->start, v->end) < 0)
		return -ENOMEM;
	for (uint64_t va = v->start; va < v->end; va += PAGE_SIZE) {
		pte_t *pe = uvm_pte(parent, va);
		if (!pe || !*pe)
			continue;
		phys_addr_t pa = pte_page(*pe);
		if (*pe & PTE_SW_OWNED) {
			phys_addr_t copy = alloc_charged_page();   /* charged with the VMA */
			memcpy(phys_to_virt(copy), phys_to_virt(pa), PAGE_SIZE);
			uvm_install(child, va, copy, v->prot, true);
		} else {
			uvm_install(child, va, pa, v->prot, false);
		}
	}
	return 0;
}

struct mm *vm_fork(struct mm *parent, int *err)
{
	struct mm *child = vm_create();
	struct vma **tail;

	*err = -ENOMEM;
	if (!child)
		return NULL;
	child->brk_start = parent->brk_start;
	child->brk = parent->brk;
	child->stack_limit = parent->stack_limit;
	tail = &child->vmas;
	for (struct vma *v = parent->vmas; v; v = v->next) {
		struct vma *nv = kalloc(sizeof(*nv));
		if (!nv)
			goto fail;
		if ((v->flags & VM_ACCOUNT) && commit_charge(vma_pages(v)) < 0) {
			kfree(nv);
			goto fail;
		}
		*nv = *v;
		nv->next = NULL;
		if (nv->shm)
			nv->shm->refs++;
		*tail = nv;
		tail = &nv->next;
		child->map_count++;
		count_vma(child, nv, +1);
		if (copy_pages(child, parent, v) < 0)
			goto fail;
	}
	*err = 0;
	return child;
fail:
	vm_put(child);
	return NULL;
}
