/*
 * Shared memory objects: the pages behind MAP_SHARED anonymous mappings
 * and read-only program images, charged once when made, freed with the
 * last mapping.
 */
#include "mm/vma.h"
#include "mm/commit.h"
#include "mm/kalloc.h"
#include "lib/irq_window.h"
#include "arch/arm64/irqflags.h"

/* The charge is for the pages asked for; a failed create has fewer. */
static void shm_free(struct shm *s, uint64_t charged)
{
	for (uint64_t i = 0; i < s->npages; i++) {
		free_pages(s->pages[i], 0);
		if (irq_pending())     /* a big program's pages: let interrupts in */
			irq_window();
	}
	commit_uncharge(charged);
	kfree(s);
}

struct shm *shm_create(uint64_t npages)
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
	for (s->npages = 0; s->npages < npages; s->npages++) {
		void *page = kalloc_pages(0);
		if (!page) {
			shm_free(s, npages);
			return NULL;
		}
		s->pages[s->npages] = virt_to_phys(page);
		if (irq_pending())
			irq_window();
	}
	return s;
}

void shm_put(struct shm *s)
{
	if (--s->refs)
		return;
	shm_free(s, s->npages);
}

phys_addr_t shm_page(const struct vma *v, uint64_t page_va)
{
	uint64_t i = v->pgoff + PAGES(page_va - v->start);

	return i < v->shm->npages ? v->shm->pages[i] : 0;
}
