/*
 * ELF64 validation for the loader. Pure code: host-tested in
 * tests/host/test_elf.c.
 *
 * The image is untrusted. Headers are copied out with memcpy (the image
 * need not be aligned), every offset is compared against the file size
 * before use, and every address sum is checked for overflow, so a hostile
 * file can make elf_check fail but never read outside img[0..size).
 */
#include "kernel/elf.h"
#include "lib/uapi/errno.h"
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "elf.c reads ELFDATA2LSB headers in place: little-endian hosts only"
#endif

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header layout");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header layout");

#define PN_XNUM 0xffff          /* real phnum lives in section 0: not for us */

/* The identification and header fields that make this our kind of file:
 * ELF64, little-endian, version 1, AArch64, executable or PIE. */
static int check_ehdr(const struct elf64_ehdr *eh)
{
	static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };

	if (memcmp(eh->e_ident, magic, 4) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_ident[EI_VERSION] != EV_CURRENT ||
	    eh->e_version != EV_CURRENT)
		return -ENOEXEC;
	if (eh->e_machine != EM_AARCH64)
		return -ENOEXEC;
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return -ENOEXEC;
	if (eh->e_phentsize != sizeof(struct elf64_phdr) || eh->e_phnum == PN_XNUM)
		return -ENOEXEC;
	return 0;
}

/* The program header table must lie wholly inside the file. */
static int check_phdr_table(const struct elf64_ehdr *eh, uint64_t size)
{
	uint64_t bytes = (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr);   /* < 2^22 */

	if (eh->e_phoff > size || bytes > size - eh->e_phoff)
		return -ENOEXEC;
	return 0;
}

static uint32_t prot_of(uint32_t p_flags)
{
	return ((p_flags & PF_R) ? PROT_R : 0) | ((p_flags & PF_W) ? PROT_W : 0) |
	       ((p_flags & PF_X) ? PROT_X : 0);
}

/* One PT_LOAD against the file, the address space and the previous load
 * (prev_end: where it ended, 0 for the first). The loader maps segments in
 * order, so out-of-order or overlapping ones would silently overwrite
 * each other; reject them instead. */
static int check_load(const struct elf64_phdr *ph, uint64_t size, uint64_t limit,
		      int nloads, uint64_t prev_end)
{
	if (nloads >= ELF_MAX_LOADS)
		return -ENOMEM;
	if (ph->p_filesz > ph->p_memsz)
		return -EINVAL;                  /* Linux's load_elf_binary: "set_brk can never work" */
	if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
		return -ENOEXEC;
	if (ph->p_vaddr % ELF_PAGE_SIZE != ph->p_offset % ELF_PAGE_SIZE)
		return -ENOEXEC;                 /* cannot be mapped page by page */
	if (ph->p_memsz > UINT64_MAX - ph->p_vaddr)
		return -ENOMEM;
	if (ph->p_vaddr + ph->p_memsz > limit)
		return -ENOMEM;
	if (nloads > 0 && ph->p_vaddr < prev_end)
		return -ENOEXEC;
	return 0;
}

/* Records a checked PT_LOAD in info. */
static void add_load(struct elf_info *info, const struct elf64_phdr *ph)
{
	struct elf_load *l = &info->loads[info->nloads++];

	l->vaddr = ph->p_vaddr;
	l->memsz = ph->p_memsz;
	l->offset = ph->p_offset;
	l->filesz = ph->p_filesz;
	l->prot = prot_of(ph->p_flags);
}

/* Page-rounded [first vaddr, last end): loads are ascending, so the first
 * starts lowest and the last ends highest. Rounding up may overflow. */
static int compute_span(struct elf_info *info, uint64_t limit)
{
	const struct elf_load *last = &info->loads[info->nloads - 1];
	uint64_t end = last->vaddr + last->memsz;        /* checked in check_load */

	if (end > UINT64_MAX - (ELF_PAGE_SIZE - 1))
		return -ENOMEM;
	info->span_start = ALIGN_DOWN(info->loads[0].vaddr, (uint64_t)ELF_PAGE_SIZE);
	info->span_end = ALIGN_UP(end, (uint64_t)ELF_PAGE_SIZE);
	return info->span_end > limit ? -ENOMEM : 0;
}

/* The entry point must be an instruction the file provides: inside the
 * file-backed bytes of an executable load, and 4-byte aligned. */
static int check_entry(const struct elf_info *info)
{
	if (info->entry % 4)
		return -ENOEXEC;
	for (int i = 0; i < info->nloads; i++) {
		const struct elf_load *l = &info->loads[i];

		if ((l->prot & PROT_X) && info->entry >= l->vaddr &&
		    info->entry - l->vaddr < l->filesz)
			return 0;
	}
	return -ENOEXEC;
}

/* Without PT_PHDR, the program headers are visible to the program (AT_PHDR)
 * only if a load maps the bytes holding them. */
static uint64_t phdr_from_loads(const struct elf_info *info)
{
	uint64_t bytes = (uint64_t)info->phnum * sizeof(struct elf64_phdr);

	for (int i = 0; i < info->nloads; i++) {
		const struct elf_load *l = &info->loads[i];

		if (info->phoff >= l->offset && info->phoff - l->offset <= l->filesz &&
		    bytes <= l->filesz - (info->phoff - l->offset))
			return l->vaddr + (info->phoff - l->offset);
	}
	return 0;
}

/* One program header of any type; loads are checked and recorded. */
static int take_phdr(struct elf_info *info, const struct elf64_phdr *ph, uint64_t size,
		     uint64_t limit, bool *have_phdr)
{
	const struct elf_load *prev = info->nloads ? &info->loads[info->nloads - 1] : NULL;
	int err;

	switch (ph->p_type) {
	case PT_PHDR:
		info->phdr_vaddr = ph->p_vaddr;
		*have_phdr = true;
		return 0;
	case PT_GNU_STACK:
		info->exec_stack = (ph->p_flags & PF_X) != 0;
		return 0;
	case PT_LOAD:
		err = check_load(ph, size, limit, info->nloads, prev ? prev->vaddr + prev->memsz : 0);
		if (err)
			return err;
		add_load(info, ph);
		return 0;
	default:
		return 0;
	}
}

int elf_check(const void *img, uint64_t size, uint64_t limit, struct elf_info *info)
{
	return elf_check_head(img, size, size, limit, info);
}

int elf_check_head(const void *img, uint64_t head_len, uint64_t size, uint64_t limit,
		   struct elf_info *info)
{
	const uint8_t *base = img;
	struct elf64_ehdr eh;
	bool have_phdr = false;
	int err;

	memset(info, 0, sizeof(*info));
	if (!img || head_len > size || head_len < sizeof(eh))
		return -ENOEXEC;
	memcpy(&eh, base, sizeof(eh));
	err = check_ehdr(&eh);
	if (!err)
		err = check_phdr_table(&eh, head_len);
	if (err)
		return err;
	info->type = eh.e_type;
	info->entry = eh.e_entry;
	info->phoff = eh.e_phoff;
	info->phnum = eh.e_phnum;
	info->phentsize = eh.e_phentsize;
	/* The interpreter first, as Linux's load_elf_binary: its first
	 * PT_INTERP is recorded whatever the loads hold, so that the caller
	 * can give the interpreter's errors before theirs. */
	for (int i = 0; i < eh.e_phnum; i++) {
		struct elf64_phdr ph;

		memcpy(&ph, base + eh.e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_INTERP)
			continue;
		if (ph.p_filesz < 2 || ph.p_filesz > ELF_INTERP_MAX)
			return -ENOEXEC;
		info->interp_off = ph.p_offset;
		info->interp_len = ph.p_filesz;
		break;
	}
	for (int i = 0; i < eh.e_phnum; i++) {
		struct elf64_phdr ph;

		memcpy(&ph, base + eh.e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		err = take_phdr(info, &ph, size, limit, &have_phdr);
		if (err)
			return err;
	}
	if (info->nloads == 0)
		return -ENOEXEC;
	err = compute_span(info, limit);
	if (!err)
		err = check_entry(info);
	if (err)
		return err;
	if (!have_phdr)
		info->phdr_vaddr = phdr_from_loads(info);
	return info->interp_len ? ELF_INTERP : 0;
}
