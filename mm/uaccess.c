/* Copies to and from user memory, page by page through the linear map. */
#include "lib/irq_window.h"
#include "arch/arm64/irqflags.h"
#include "mm/uaccess.h"
#include "mm/vm.h"
#include "lib/uapi/errno.h"
#include <string.h>

bool user_range_ok(uaddr_t addr, uint64_t n)
{
	return n <= USER_TOP && uaddr_val(addr) <= USER_TOP - n;
}

/* Walks [uaddr, uaddr+n) a page at a time, calling fn on each piece. */
static int for_user_pages(struct mm *mm, uaddr_t uaddr, size_t n, bool write,
			  void (*fn)(void *kva, size_t off, size_t len, void *arg), void *arg)
{
	size_t done = 0;

	if (!mm || !user_range_ok(uaddr, n))
		return -EFAULT;
	while (done < n) {
		uint64_t at = uaddr_val(uaddr) + done;
		size_t len = PAGE_SIZE - (at & (PAGE_SIZE - 1));
		if (len > n - done)
			len = n - done;
		phys_addr_t pa = vm_user_page(mm, at, write);
		if (!pa)
			return -EFAULT;
		fn(phys_to_virt(pa), done, len, arg);
		done += len;
		if (irq_pending())      /* a copy of many pages lets interrupts in */
			irq_window();
	}
	return 0;
}

static void put_piece(void *kva, size_t off, size_t len, void *arg)
{
	memcpy(kva, (const char *)arg + off, len);
}

static void get_piece(void *kva, size_t off, size_t len, void *arg)
{
	memcpy((char *)arg + off, kva, len);
}

int copy_to_user(struct mm *mm, uaddr_t udst, const void *src, size_t n)
{
	return for_user_pages(mm, udst, n, true, put_piece, (void *)src);
}

int copy_from_user(struct mm *mm, void *dst, uaddr_t usrc, size_t n)
{
	return for_user_pages(mm, usrc, n, false, get_piece, dst);
}

struct word_update {
	uint32_t (*op)(uint32_t old, const void *arg);
	const void *arg;
	uint32_t old;
};

/* A compare-and-swap loop (LDAXR/STLXR) on the word's linear-map alias. */
static void update_piece(void *kva, size_t off, size_t len, void *arg)
{
	struct word_update *u = arg;
	uint32_t *w = kva, old = __atomic_load_n(w, __ATOMIC_RELAXED);

	(void)off;
	(void)len;
	while (!__atomic_compare_exchange_n(w, &old, u->op(old, u->arg), true,
					    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		;
	u->old = old;
}

int user_word_update(struct mm *mm, uaddr_t addr, uint32_t (*op)(uint32_t old, const void *arg),
		     const void *arg, uint32_t *old)
{
	struct word_update u = { op, arg, 0 };
	int err;

	if (uaddr_val(addr) & (sizeof(uint32_t) - 1))
		return -EFAULT;
	if ((err = for_user_pages(mm, addr, sizeof(uint32_t), true, update_piece, &u)))
		return err;
	*old = u.old;
	return 0;
}

long strncpy_from_user(struct mm *mm, char *dst, uaddr_t usrc, size_t max)
{
	size_t i = 0;

	while (i < max) {
		uint64_t at = uaddr_val(usrc) + i;
		if (!mm || at >= USER_TOP || at < uaddr_val(usrc))
			return -EFAULT;
		phys_addr_t pa = vm_user_page(mm, at, false);
		if (!pa)
			return -EFAULT;
		const char *page = phys_to_virt(pa);
		size_t avail = PAGE_SIZE - (at & (PAGE_SIZE - 1));
		for (size_t k = 0; k < avail && i < max; k++, i++) {
			dst[i] = page[k];
			if (!page[k])
				return (long)i;
		}
		if (irq_pending())      /* a long string (an exec's) lets interrupts in */
			irq_window();
	}
	return -ENAMETOOLONG;
}
