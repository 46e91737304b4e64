/*
 * Validating a static AArch64 ELF executable before the loader touches it:
 * after elf_check returns 0, the loader may map info->loads without further
 * checks on the file (for ET_DYN it adds its bias and rechecks the span).
 * Pure code: host-tested in tests/host/test_elf.c.
 */
#ifndef BRAMBLE_ELF_H
#define BRAMBLE_ELF_H
#include "lib/types.h"

/* ELF64, as in the System V ABI (the kernel has no <elf.h>). */
struct elf64_ehdr {
	uint8_t  e_ident[16];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

#define EI_CLASS       4
#define EI_DATA        5
#define EI_VERSION     6
#define ELFCLASS64     2
#define ELFDATA2LSB    1
#define EV_CURRENT     1
#define ET_EXEC        2
#define ET_DYN         3
#define EM_AARCH64     183
#define PT_LOAD        1
#define PT_DYNAMIC     2
#define PT_INTERP      3
#define PT_PHDR        6
#define PT_GNU_STACK   0x6474e551
#define PF_X           1
#define PF_W           2
#define PF_R           4
#define ELF_PAGE_SIZE  4096

#define ELF_MAX_LOADS 8
#define PROT_R 1
#define PROT_W 2
#define PROT_X 4

struct elf_load {
	uint64_t vaddr, memsz, offset, filesz;
	uint32_t prot;          /* PROT_R | PROT_W | PROT_X */
};

struct elf_info {
	uint16_t type;          /* ET_EXEC 2 or ET_DYN 3 */
	uint64_t entry;         /* as in the file (add the load bias for ET_DYN) */
	uint64_t phoff;
	uint16_t phnum, phentsize;
	uint64_t phdr_vaddr;    /* vaddr of the program headers: PT_PHDR, else the PT_LOAD that contains phoff; 0 if none */
	uint64_t span_start, span_end; /* page-aligned [min vaddr, max vaddr+memsz) over PT_LOADs */
	int nloads;
	struct elf_load loads[ELF_MAX_LOADS];
	bool exec_stack;        /* PT_GNU_STACK with PF_X */
	uint64_t interp_off, interp_len; /* the first PT_INTERP's bytes (ELF_INTERP) */
};

/* elf_check's answer for a dynamically linked program that passes every
 * check: a PT_INTERP of 2 to ELF_INTERP_MAX bytes (the path of the
 * interpreter, NUL included, as Linux's PATH_MAX bound) at
 * info->interp_off. An error return also leaves interp_off and interp_len
 * set when the program has one, for the interpreter's errors come first. */
#define ELF_INTERP      1
#define ELF_INTERP_MAX  4096

/*
 * Checks img[0..size): returns 0, ELF_INTERP (above), -ENOEXEC (not ELF64
 * little-endian version 1, e_machine != EM_AARCH64, type not EXEC/DYN,
 * phentsize != 56, program headers outside the file, a PT_INTERP shorter
 * than 2 or longer than ELF_INTERP_MAX bytes, no PT_LOAD,
 * a PT_LOAD with offset+filesz beyond the file,
 * vaddr % 4096 != offset % 4096, PT_LOADs not in ascending vaddr order or
 * overlapping (two loads may share one page at their boundary, but their
 * byte ranges must not overlap), entry outside the file-backed bytes of
 * every executable PT_LOAD or not 4-byte aligned), -EINVAL (a PT_LOAD with
 * filesz > memsz, Linux's code for it), or -ENOMEM (a segment or
 * the page-rounded span beyond the user address space limit `limit`, e.g.
 * 1UL << 39, or any vaddr+memsz overflow, or more than ELF_MAX_LOADS loads).
 * For ET_DYN the span is checked as if loaded at 0 (the caller adds a bias
 * and rechecks against limit). info is filled as far as the checks got.
 */
int elf_check(const void *img, uint64_t size, uint64_t limit, struct elf_info *info);
/* The same over the first head_len bytes of a file of size bytes: the
 * headers must lie in the head (-ENOEXEC else), loads in the file. */
int elf_check_head(const void *img, uint64_t head_len, uint64_t size, uint64_t limit,
		   struct elf_info *info);

#endif
