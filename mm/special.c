/*
 * Special mappings: pages of the kernel itself mapped into processes as
 * they are, the vDSO's text and its data page (kernel/vdso.c), as Linux's
 * _install_special_mapping. Each is an shm object over the kernel's pages
 * whose first reference is the kernel's and is never dropped, so unmapping
 * or exiting never frees them; it was never charged (kernel memory), and
 * its VMAs are read-only images, which fork shares and nobody charges.
 */
#include "mm/vma.h"
#include "mm/kalloc.h"
#include "lib/uapi/errno.h"

#define MAX_SPECIALS 4

static const struct vm_special *specials[MAX_SPECIALS];
static int nspecials;

int vm_special_init(struct vm_special *sp, const char *name, uint32_t may_prot,
		    phys_addr_t first, uint64_t npages)
{
	if (nspecials == MAX_SPECIALS || first & (PAGE_SIZE - 1))
		return -EINVAL;
	struct shm *s = kalloc_boot(sizeof(*s) + npages * sizeof(phys_addr_t));   /* vdso_init's */
	if (!s)
		return -ENOMEM;
	s->refs = 1;             /* the kernel's, for ever */
	s->npages = npages;
	for (uint64_t i = 0; i < npages; i++)
		s->pages[i] = first + i * PAGE_SIZE;
	sp->name = name;
	sp->may_prot = may_prot;
	sp->pages = s;
	specials[nspecials++] = sp;
	return 0;
}

int vm_map_special(struct mm *mm, uint64_t addr, uint32_t prot, const struct vm_special *sp)
{
	int err = vm_map_image_pages(mm, addr, sp->pages->npages * PAGE_SIZE, prot, sp->pages);

	vm_debug_check(mm);
	return err;
}

static const struct vm_special *special_of(const struct vma *v)
{
	for (int i = 0; i < nspecials; i++)
		if (v->shm && v->shm == specials[i]->pages)
			return specials[i];
	return NULL;
}

const char *vm_special_name(const struct vma *v)
{
	const struct vm_special *sp = special_of(v);

	return sp ? sp->name : NULL;
}

bool vm_special_allows(const struct vma *v, uint32_t prot)
{
	const struct vm_special *sp = special_of(v);

	return !sp || !(prot & ~sp->may_prot);
}
