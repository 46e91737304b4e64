/* mremap: shrinking, growing in place, and moving, with Linux's semantics. */
#include "mm/vma.h"
#include "mm/reserve.h"
#include "mm/uvm.h"
#include "lib/uapi/errno.h"

/* Grows v (which ends at old_end) in place by delta bytes: 0, 1 if there
 * is no room, or -ENOMEM if the room cannot be had (then, as Linux, the
 * mapping does not move instead). A shared mapping grows over its object
 * as Linux's does: pages past the object's end are SIGBUS (mm/fault.c). */
static long grow_in_place(struct mm *mm, struct vma *v, uint64_t delta)
{
	uint64_t s = v->end, e = v->end + delta;
	struct vm_reservation res;

	if (!vm_valid_user_range(s, delta) || !vm_range_is_free(mm, s, e))
		return 1;
	bool pt = v->flags & VM_PT;
	if (vm_reserve_span(&res, mm, 0, (v->flags & VM_ACCOUNT) ? PAGES(delta) : 0, pt ? s : 0,
			    pt ? e : 0, s, e) < 0)
		return -ENOMEM;
	v->end = e;
	vma_account(mm, v, PAGES(delta), +1);
	vm_reserve_added_only(&res);
	vm_reserve_commit(&res);
	return 0;
}

/* Moves [old, old+old_len) of v to a new place of new_len >= old_len bytes. */
static long move_mapping(struct mm *mm, struct vma *v, uint64_t old, uint64_t old_len,
			 uint64_t new_len, uint64_t to)
{
	uint32_t acct = v->flags & VM_ACCOUNT;
	bool pt = v->flags & VM_PT;
	uint64_t ws = old < to ? old : to;
	uint64_t we = old + old_len > to + new_len ? old + old_len : to + new_len;
	struct vm_reservation res;

	/* The change spans both places: the tables the destination needs may
	 * be the ones the source gives up. */
	if (vm_reserve_span(&res, mm, 1 + vma_spares_to_unmap(mm, old, old + old_len),
			    acct ? PAGES(new_len) : 0, pt ? to : 0, pt ? to + new_len : 0, ws, we) < 0)
		return -ENOMEM;
	struct vma *nv = vm_reserve_take_vma(&res);
	/* Moved, it is plain memory: no longer the heap's top or the stack. */
	*nv = (struct vma){ .start = to, .end = to + new_len, .prot = v->prot,
			    .flags = v->flags & ~(VM_HEAP | VM_STACK),
			    .shm = v->shm, .pgoff = v->pgoff + PAGES(old - v->start),
			    .file = v->file };
	vma_hold_objects(nv);
	uvm_move(mm, old, to, old_len);
	vm_unmap_range(mm, old, old + old_len, &res);   /* its pages moved: frees none */
	vma_insert(mm, nv);
	vma_account(mm, nv, vma_pages(nv), +1);
	/* Only now: old and new may share a table, which nv still needs. */
	vm_trim_tables(mm, old, old + old_len);
	vm_reserve_commit(&res);
	return (long)to;
}

static long do_mremap(struct mm *mm, uint64_t old, uint64_t old_len, uint64_t new_len,
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
		if (!vm_valid_user_range(new_addr, new_len) ||
		    (new_addr < old + old_len && old < new_addr + new_len))
			return -EINVAL;
		if (!vm_within_limits(mm, new_addr, new_addr + new_len, vma_is_data(v), *lim))
			return -ENOMEM;
		long r = vm_munmap(mm, new_addr, new_len);
		if (r < 0)
			return r;
		if (new_len < old_len) {     /* as Linux: shrink first, move what stays */
			if ((r = vm_munmap(mm, old + new_len, old_len - new_len)) < 0)
				return r;
			old_len = new_len;
		}
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
	if (!vm_within_limits(mm, old + old_len, old + new_len, vma_is_data(v), *lim))
		return -ENOMEM;
	if (old + old_len == v->end && !(v->flags & (VM_STACK | VM_HEAP))) {
		long r = grow_in_place(mm, v, new_len - old_len);
		if (r <= 0)
			return r < 0 ? r : (long)old;
	}
	if (!(flags & MREMAP_MAYMOVE) || mm->map_count >= MAX_MAP_COUNT)
		return -ENOMEM;
	uint64_t to = vm_find_free_area(mm, new_len);
	if (!to)
		return -ENOMEM;
	return move_mapping(mm, v, old, old_len, new_len, to);
}

long vm_mremap(struct mm *mm, uint64_t old, uint64_t old_len, uint64_t new_len,
	       uint32_t flags, uint64_t new_addr, const struct rlimits_view *lim)
{
	long r = do_mremap(mm, old, old_len, new_len, flags, new_addr, lim);

	vm_debug_check(mm);
	return r;
}
