/*
 * mmap, munmap, mprotect and madvise, and the mappings exec makes, with
 * Linux's semantics and no overcommit: each call checks its arguments,
 * reserves what can fail (mm/reserve.h), then changes the mappings.
 */
#include "mm/vma.h"
#include "mm/reserve.h"
#include "mm/uvm.h"
#include "mm/commit.h"
#include "lib/uapi/errno.h"
#include <string.h>
#include "arch/arm64/page.h"

#define MAP_KNOWN (MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | \
		   MAP_GROWSDOWN | MAP_DENYWRITE | MAP_EXECUTABLE | MAP_LOCKED | MAP_NORESERVE | \
		   MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB)

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
	uint32_t acct = vma_account_flag(r->prot, r->flags);
	struct shm *shm = r->shm;
	struct vm_reservation res;

	if (r->flags & VM_SHARED) {
		if (!(shm = shm_create(pages)))     /* its reference is the mapping's */
			return -ENOMEM;
	} else if (shm) {
		shm->refs++;                         /* the mapping's own reference */
	}
	if (vm_reserve(&res, mm, 1 + vma_spares_to_unmap(mm, s, e), acct ? pages : 0, s, e) < 0) {
		if (shm)
			shm_put(shm);
		return -ENOMEM;
	}
	struct vma *v = vm_reserve_take_vma(&res);
	vm_unmap_range(mm, s, e, &res);
	*v = (struct vma){ .start = s, .end = e, .prot = r->prot, .flags = r->flags | acct,
			   .shm = shm, .pgoff = r->pgoff, .file_data = r->file_data,
			   .file_size = r->file_size };
	vma_insert(mm, v);
	vma_account(mm, v, pages, +1);
	vm_reserve_commit(&res);
	return (long)s;
}

static long do_mmap(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot, uint32_t flags,
		    const uint8_t *file_data, uint64_t file_size, uint64_t off,
		    const struct rlimits_view *lim)
{
	uint32_t type = flags & MAP_TYPE, vmflags = 0;
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);

	if (!len || (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE))
		return -EINVAL;
	if ((type == MAP_SHARED_VALIDATE && (flags & ~MAP_KNOWN)) || (prot & ~(uint32_t)(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if (len > USER_TOP)
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (fixed && (addr & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (fixed && !vm_valid_user_range(addr, len))
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
		if (!addr || !vm_valid_user_range(addr, len) || addr + len > vm_mmap_top(mm) ||
		    !vm_range_is_free(mm, addr, addr + len))
			addr = vm_find_free_area(mm, len);
		if (!addr)
			return -ENOMEM;
	}
	bool data = !(vmflags & VM_SHARED) && (prot & PROT_WRITE);
	if (!vm_within_limits(mm, addr, addr + len, data, lim))
		return -ENOMEM;

	struct map_request r = { addr, len, prot, vmflags, file_data, file_size,
				 PAGES(off), NULL };
	return map_region(mm, &r);
}

long vm_mmap(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot, uint32_t flags,
	     const uint8_t *file_data, uint64_t file_size, uint64_t off,
	     const struct rlimits_view *lim)
{
	long r = do_mmap(mm, addr, len, prot, flags, file_data, file_size, off, lim);

	vm_debug_check(mm);
	return r;
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
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		phys_addr_t pa = alloc_charged_page();
		uint8_t *page = phys_to_virt(pa);
		clear_page(page);
		fill_from(page, off, data, data_len, data_off);
		if (prot & PROT_EXEC)
			sync_icache(page, PAGE_SIZE);
		uvm_install(mm, addr + off, pa, prot, true);
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
	if (vm_reserve(&res, mm, spares, 0, 0, 0) < 0)
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

static long do_mprotect(struct mm *mm, uint64_t addr, uint64_t len, uint32_t prot)
{
	struct vm_reservation res;
	uint64_t end;

	if ((addr & (PAGE_SIZE - 1)) || (prot & ~(uint32_t)(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if (!len)
		return 0;
	if (len > USER_TOP)
		return -ENOMEM;
	end = addr + ALIGN_UP(len, PAGE_SIZE);
	if (end > USER_TOP || end < addr || !vma_fully_mapped(mm, addr, end))
		return -ENOMEM;
	if (mm->map_count + 2 > MAX_MAP_COUNT)
		return -ENOMEM;
	if (vm_reserve(&res, mm, 2, pages_to_charge(mm, addr, end, prot), 0, 0) < 0)
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
		v->flags |= vma_account_flag(prot, v->flags);
		if ((v->flags & VM_IMAGE) && (prot & PROT_WRITE))
			privatize_image(mm, v);
		vma_account(mm, v, vma_pages(v), +1);
		uvm_protect(mm, v->start, v->end, prot);
	}
	vm_reserve_commit(&res);
	return 0;
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
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
		return vma_fully_mapped(mm, addr, end) ? 0 : -ENOMEM;
	case MADV_DONTNEED: case MADV_FREE:
		break;
	default:
		return -EINVAL;
	}
	if (!vma_fully_mapped(mm, addr, end))
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
