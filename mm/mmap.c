/*
 * mmap, munmap, mprotect and madvise, and the mappings exec makes, with
 * Linux's semantics and no overcommit: each call checks its arguments,
 * reserves what can fail (mm/reserve.h), then changes the mappings.
 */
#include "mm/vma.h"
#include "mm/reserve.h"
#include "mm/uvm.h"
#include "mm/commit.h"
#include "mm/uaccess.h"
#include "lib/uapi/errno.h"
#include "lib/irq_window.h"
#include "arch/arm64/irqflags.h"
#include <string.h>
#include "arch/arm64/page.h"

#define MAP_KNOWN (MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | \
		   MAP_GROWSDOWN | MAP_DENYWRITE | MAP_EXECUTABLE | MAP_LOCKED | MAP_NORESERVE | \
		   MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB)

/* ---- mmap ------------------------------------------------------------------- */

struct map_request {
	uint64_t addr, len;
	uint32_t prot, flags;      /* VM_* */
	const struct vm_object *file;  /* VM_FILE: what it maps */
	uint64_t pgoff;
	struct shm *shm;           /* pages made by the caller (VM_IMAGE), or NULL */
};

/*
 * Places a new mapping at [r->addr, r->addr + r->len), replacing whatever is
 * there (the caller has checked MAP_FIXED_NOREPLACE and the limits).
 */
static long map_region(struct mm *mm, const struct map_request *r)
{
	uint64_t s = r->addr, e = r->addr + r->len, pages = PAGES(r->len);
	uint32_t acct = vma_account_flag(r->prot, r->flags);
	uint32_t pt = (r->flags & VM_PT) | vma_pt_flag(r->prot);
	struct shm *shm = r->shm;
	struct vm_reservation res;

	if ((r->flags & VM_SHARED) && !r->file) {
		if (!(shm = shm_create(pages)))     /* its reference is the mapping's */
			return -ENOMEM;
	} else if (shm) {
		shm->refs++;                         /* the mapping's own reference */
	}
	bool replaces = !vm_range_is_free(mm, s, e);
	if (vm_reserve_span(&res, mm, 1 + (replaces ? vma_spares_to_unmap(mm, s, e) : 0),
			    acct ? pages : 0, pt ? s : 0, pt ? e : 0, s, e) < 0) {
		if (shm)
			shm_put(shm);
		return -ENOMEM;
	}
	struct vma *v = vm_reserve_take_vma(&res);
	if (replaces)
		vm_unmap_range(mm, s, e, &res);
	else
		vm_reserve_added_only(&res);
	*v = (struct vma){ .start = s, .end = e, .prot = r->prot, .flags = r->flags | acct | pt,
			   .shm = shm, .pgoff = r->pgoff };
	if (r->file) {
		v->file = *r->file;
		vma_hold_objects(v);
	}
	vma_insert(mm, v);
	vma_account(mm, v, pages, +1);
	if (replaces)
		vm_trim_tables(mm, s, e);   /* one without tables may have replaced one */
	vm_reserve_commit(&res);
	return (long)s;
}

static long do_mmap(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot, uint32_t flags,
		    const struct vm_object *file, bool shared_ok, uint64_t off,
		    const struct rlimits_view *lim)
{
	uint32_t type = flags & MAP_TYPE, vmflags = 0;
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);

	/* Linux's order: the offset, the length, then the type and flags. */
	if (!len || (off & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (len > USER_TOP)
		return -ENOMEM;
	if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if ((type == MAP_SHARED_VALIDATE && (flags & ~MAP_KNOWN)) || (prot & ~(uint32_t)(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (fixed && (addr & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (fixed && !vm_valid_user_range(addr, len))
		return addr < USER_MIN_ADDR ? -EPERM : -ENOMEM;
	if (!(flags & MAP_ANONYMOUS)) {
		if (!file)
			return -EBADF;
		if (type != MAP_PRIVATE && (prot & PROT_WRITE) && !shared_ok)
			return -EACCES;
		vmflags |= VM_FILE | (type != MAP_PRIVATE ? VM_SHARED : 0);
		if (off > UINT64_MAX - len)
			return -EOVERFLOW;
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
		if (!addr || !vm_valid_user_range(addr, len) || addr + len > vm_mmap_top(mm) ||
		    !vm_range_is_free(mm, addr, addr + len))
			addr = vm_find_free_area(mm, len);
		if (!addr)
			return -ENOMEM;
	}
	bool data = !(vmflags & VM_SHARED) && (prot & PROT_WRITE);
	if (!vm_within_limits(mm, addr, addr + len, data, *lim))
		return -ENOMEM;

	struct map_request r = { addr, len, prot, vmflags, (flags & MAP_ANONYMOUS) ? NULL : file,
				 PAGES(off), NULL };
	return map_region(mm, &r);
}

/*
 * MAP_POPULATE: every page faulted in now, by a write where the mapping is
 * private and writable (as Linux's populate_vma_page_range), so no later
 * access faults. The charge was taken with the mapping, so nothing here can
 * fail for want of memory; it stops, silently as Linux does, at a page that
 * cannot be had (a file mapping past the file's end). With MAP_NONBLOCK it
 * does nothing, as on Linux since 2.6.23.
 */
static void populate(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot, uint32_t flags)
{
	bool write = (prot & PROT_WRITE) && (flags & MAP_TYPE) == MAP_PRIVATE;

	if ((flags & (MAP_POPULATE | MAP_NONBLOCK)) != MAP_POPULATE || prot == PROT_NONE)
		return;
	len = ALIGN_UP(len, PAGE_SIZE);
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		if (vm_fault(mm, addr + off, write, false) != VM_FAULT_OK)
			return;
		if (irq_pending())      /* a big mapping: let interrupts in */
			irq_window();
	}
}

long vm_mmap(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot, uint32_t flags,
	     const struct vm_object *file, bool shared_ok, uint64_t off,
	     const struct rlimits_view *lim)
{
	long r = do_mmap(mm, addr, len, prot, flags, file, shared_ok, off, lim);

	if (r >= 0)
		populate(mm, (uint64_t)r, len, prot, flags);
	vm_debug_check(mm);
	return r;
}

/* ---- exec-time mappings ----------------------------------------------------- */

/* The source's bytes that fall in the mapping's page [off, off+4K), the
 * source starting data_off bytes into the mapping: 0 or -errno. */
static int fill_from(uint8_t *page, uint64_t off, const struct vm_fill *src, uint64_t data_off)
{
	if (!src)
		return 0;
	uint64_t lo = data_off > off ? data_off : off;
	uint64_t hi = data_off + src->len < off + PAGE_SIZE ? data_off + src->len : off + PAGE_SIZE;

	if (lo >= hi)
		return 0;
	return src->read(src->ctx, page + (lo - off), hi - lo, src->off + (lo - data_off));
}

/*
 * A read-only segment: its pages live in one shm object, so fork shares
 * them instead of copying; mprotect(PROT_WRITE) gives the process its own.
 */
static int map_image(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot,
		     const struct vm_fill *src, uint64_t data_off)
{
	struct shm *shm = shm_create(PAGES(len));

	if (!shm)
		return -ENOMEM;
	for (uint64_t i = 0; i < shm->npages; i++) {
		uint8_t *page = phys_to_virt(shm->pages[i]);
		if (irq_pending())
			irq_window();
		int err = fill_from(page, i * PAGE_SIZE, src, data_off);
		if (err) {
			shm_put(shm);
			return err;
		}
		if (prot & PROT_EXEC)
			sync_icache(page, PAGE_SIZE);
	}
	int err = vm_map_image_pages(mm, addr, len, prot, shm);
	shm_put(shm);             /* the mapping holds its own reference now */
	return err;
}

int vm_map_image_pages(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot,
		       struct shm *shm)
{
	struct map_request r = { addr, len, prot, VM_FILE | VM_IMAGE | VM_PT, NULL, 0, shm };
	long ret = map_region(mm, &r);

	if (ret < 0)
		return (int)ret;
	for (uint64_t i = 0; i < shm->npages; i++) {
		uvm_install(mm, addr + i * PAGE_SIZE, shm->pages[i], prot, false);
		if (irq_pending())
			irq_window();
	}
	return 0;
}

int vm_map_populated(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot,
		     uint32_t flags, const struct vm_fill *src, uint64_t data_off)
{
	if (!(prot & PROT_WRITE) && !(flags & VM_STACK))
		return map_image(mm, addr, len, prot, src, data_off);

	struct map_request r = { addr, len, prot, flags | VM_PT, NULL, 0, NULL };
	long ret = map_region(mm, &r);

	if (ret < 0)
		return (int)ret;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		if (irq_pending())      /* a big segment: let interrupts in */
			irq_window();
		phys_addr_t pa = alloc_charged_page();
		uint8_t *page = phys_to_virt(pa);
		clear_page(page);
		uvm_install(mm, addr + off, pa, prot, true);
		int err = fill_from(page, off, src, data_off);
		if (err)
			return err;         /* the caller drops the new mm */
		if (prot & PROT_EXEC)
			sync_icache(page, PAGE_SIZE);
	}
	vm_debug_check(mm);
	return 0;
}

/* ---- munmap ----------------------------------------------------------------- */

static long do_munmap(struct mm *mm, uint64_t addr, uint64_t len)
{
	struct vm_reservation res;
	int spares;

	if ((addr & (PAGE_SIZE - 1)) || !len || len > USER_TOP)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (addr > USER_TOP - len)
		return -EINVAL;
	spares = vma_spares_to_unmap(mm, addr, addr + len);
	if (spares && mm->map_count >= MAX_MAP_COUNT)
		return -ENOMEM;
	if (vm_reserve_span(&res, mm, spares, 0, 0, 0, addr, addr + len) < 0)
		return -ENOMEM;
	vm_unmap_range(mm, addr, addr + len, &res);
	vm_trim_tables(mm, addr, addr + len);
	vm_reserve_commit(&res);
	return 0;
}

long vm_munmap(struct mm *mm, uint64_t addr, uint64_t len)
{
	long r = do_munmap(mm, addr, len);

	vm_debug_check(mm);
	return r;
}

/* ---- mprotect --------------------------------------------------------------- */

/* Pages in [s, e) that would become charged under prot. */
static uint64_t pages_to_charge(struct mm *mm, uint64_t s, uint64_t e, uint32_t prot)
{
	uint64_t n = 0;

	for (struct vma *v = vm_find(mm, s); v && v->start < e; v = v->next) {
		if ((v->flags & VM_ACCOUNT) || !vma_account_flag(prot, v->flags))
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
		phys_addr_t src = shm_page(v, va);
		if (irq_pending())
			irq_window();
		if (!src) {              /* grown past the image: zeros, as the */
			uvm_unmap(mm, va, va + PAGE_SIZE);   /* private memory it is now */
			continue;
		}
		phys_addr_t copy = alloc_charged_page();
		memcpy(phys_to_virt(copy), phys_to_virt(src), PAGE_SIZE);
		uvm_install(mm, va, copy, v->prot, true);
	}
	vma_drop_objects(v);
	v->flags &= ~VM_IMAGE;
}

/*
 * As Linux: -ENOMEM if addr is unmapped; otherwise the mappings from addr
 * up to the first hole change, and a hole before the end still makes the
 * call -ENOMEM (what changed stays changed).
 */
static long do_mprotect(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot)
{
	struct vm_reservation res;
	uint64_t end;
	long hole = 0;

	if ((addr & (PAGE_SIZE - 1)) || (prot & ~(uint32_t)(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if (!len)
		return 0;
	if (len > USER_TOP)
		return -ENOMEM;
	end = addr + ALIGN_UP(len, PAGE_SIZE);
	if (end > USER_TOP || end < addr)
		return -ENOMEM;
	uint64_t run_end = vma_mapped_run_end(mm, addr, end);
	if (run_end == addr)
		return -ENOMEM;
	if (run_end < end) {
		hole = -ENOMEM;
		end = run_end;
	}
	if (mm->map_count + 2 > MAX_MAP_COUNT)
		return -ENOMEM;
	for (struct vma *v = vm_find(mm, addr); v && v->start < end; v = v->next)
		if (!vm_special_allows(v, prot))
			return -EACCES;      /* the vDSO's data page stays read-only */
	bool pt = vma_pt_flag(prot);
	if (vm_reserve_span(&res, mm, 2, pages_to_charge(mm, addr, end, prot), pt ? addr : 0,
			    pt ? end : 0, addr, end) < 0)
		return -ENOMEM;

	for (struct vma *v = vm_find(mm, addr); v && v->start < end; v = v->next) {
		if (v->start < addr) {
			vma_split(mm, v, addr, vm_reserve_take_vma(&res));
			continue;             /* the next iteration takes the new part */
		}
		if (v->end > end)
			vma_split(mm, v, end, vm_reserve_take_vma(&res));
		vma_account(mm, v, vma_pages(v), -1);
		v->prot = prot;
		v->flags |= vma_account_flag(prot, v->flags) | vma_pt_flag(prot);
		if ((v->flags & VM_IMAGE) && (prot & PROT_WRITE))
			privatize_image(mm, v);
		vma_account(mm, v, vma_pages(v), +1);
		uvm_protect(mm, v->start, v->end, prot);
	}
	vm_reserve_commit(&res);
	return hole;
}

long vm_mprotect(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot)
{
	long r = do_mprotect(mm, addr, len, prot);

	vm_debug_check(mm);
	return r;
}

/* ---- madvise ---------------------------------------------------------------- */

long vm_madvise(struct mm *mm, uint64_t addr, uint64_t len, int advice)
{
	uint64_t end;

	if (addr & (PAGE_SIZE - 1) || len > USER_TOP)
		return -EINVAL;
	end = addr + ALIGN_UP(len, PAGE_SIZE);
	if (end > USER_TOP)
		return -EINVAL;
	/* As Linux's madvise_walk_vmas: a hole anywhere is -ENOMEM, after the
	 * advice is applied to every mapping in the range. */
	long hole = vma_fully_mapped(mm, addr, end) ? 0 : -ENOMEM;
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
		return hole;
	case MADV_DONTNEED: case MADV_FREE:
		break;
	default:
		return -EINVAL;
	}
	/* Private pages are dropped (they read back as zero); shared ones stay.
	 * MADV_FREE is for anonymous private memory only: EINVAL at the first
	 * other mapping, the ones before it done. */
	for (struct vma *v = vma_from(mm, addr); v && v->start < end; v = v->next) {
		if (advice == MADV_FREE && (v->shm || v->file.ops))
			return -EINVAL;
		if (v->shm)
			continue;
		uint64_t cs = v->start > addr ? v->start : addr, ce = v->end < end ? v->end : end;
		uvm_unmap(mm, cs, ce);
	}
	return hole;
}

/* ---- msync and mincore --------------------------------------------------------------- */

#define MS_ASYNC      1
#define MS_INVALIDATE 2
#define MS_SYNC       4

static long page_range(uint64_t addr, uint64_t len, uint64_t *end)
{
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (len > USER_TOP || addr > USER_TOP - ALIGN_UP(len, PAGE_SIZE))
		return -ENOMEM;
	*end = addr + ALIGN_UP(len, PAGE_SIZE);
	return 0;
}

long vm_msync(struct mm *mm, uint64_t addr, uint64_t len, int flags)
{
	uint64_t end;
	long err;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	if ((err = page_range(addr, len, &end)))
		return err;
	return vma_fully_mapped(mm, addr, end) ? 0 : -ENOMEM;
}

/* In memory: mapped here, or (a file mapping) held by the file. */
static uint8_t page_resident(struct mm *mm, const struct vma *v, uint64_t va)
{
	pte_t *e = uvm_pte(mm, va);
	phys_addr_t pa;

	if (e && *e)
		return 1;
	if (v && v->file.ops && v->file.ops->page(v->file.obj, v->pgoff + PAGES(va - v->start), false, &pa) == 0)
		return pa != 0;
	return 0;
}

long vm_mincore(struct mm *mm, uint64_t addr, uint64_t len, uaddr_t vec)
{
	uint8_t buf[64];
	uint64_t end, n = 0;
	long err;

	if ((err = page_range(addr, len, &end)))
		return err;
	if (!vma_fully_mapped(mm, addr, end))
		return -ENOMEM;
	for (uint64_t va = addr; va < end; va += PAGE_SIZE) {
		struct vma *v = vm_find(mm, va);
		if (irq_pending())
			irq_window();
		buf[n % sizeof(buf)] = page_resident(mm, v, va);
		n++;
		if (n % sizeof(buf) == 0 || va + PAGE_SIZE == end) {
			uint64_t k = n % sizeof(buf) ? n % sizeof(buf) : sizeof(buf);
			if (copy_to_user(mm, uaddr_add(vec, n - k), buf, k) < 0)
				return -EFAULT;
		}
	}
	return 0;
}
