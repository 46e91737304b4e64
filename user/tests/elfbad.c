/*
 * elfbad: hostile ELF files, written into /tmp at run time and exec'd by a
 * child each; execve must fail with the errno below (the child exits with
 * it) and the system go on. A well-formed twin must run (exit 42), so the
 * files are what they claim to be.
 *
 * The errnos are those of Linux's fs/binfmt_elf.c load_elf_binary, where
 * it returns one: ENOEXEC for the headers and the program header table
 * (phentsize, phnum 0 or past 4096 bytes of table, outside the file), and
 * for PT_INTERP ENOEXEC (shorter than 2 or longer than PATH_MAX, no NUL at
 * its end), EIO (past the end of the file), or open_exec's error (ENOENT,
 * EACCES). Bramble validates the whole file before the point of no return,
 * so what Linux finds only after it (and kills the process for, SIGSEGV)
 * is an errno here, the one Linux's code computes: EINVAL for filesz >
 * memsz, ENOMEM for a segment past the address space. Stricter than Linux,
 * which would map them and let the program fault: overlapping or
 * descending loads, a load past the end of the file, an entry outside
 * every executable load (all ENOEXEC). A PT_INTERP naming an executable
 * that exists loads it and starts there: here the good twin, an ET_EXEC
 * at the program's own address, which it replaces as Linux's MAP_FIXED
 * load of an ET_EXEC interpreter does (exit 42).
 *
 * usage: elfbad [DIR]   (DIR: write the files there and exit, to try them
 *                        elsewhere, e.g. under qemu-aarch64-static)
 */
#define _GNU_SOURCE
#define PROG "elfbad"
#include "check.h"
#include <elf.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>

#define BASE   0x400000UL
#define CODE   0x200UL          /* the code's file offset */

struct image {
	uint8_t b[8192];
	size_t len;
};

static Elf64_Ehdr *eh(struct image *im) { return (Elf64_Ehdr *)im->b; }
static Elf64_Phdr *ph(struct image *im, int i) { return (Elf64_Phdr *)(im->b + 64) + i; }

/* exit(42): mov x0, #42; mov x8, #93 (exit); svc #0 */
static const uint32_t exit42[] = { 0xd2800540, 0xd2800ba8, 0xd4000001 };

/* The well-formed program: one R+X load of the whole file, entry at CODE. */
static void good(struct image *im)
{
	memset(im, 0, sizeof(*im));
	memcpy(im->b, ELFMAG, SELFMAG);
	im->b[EI_CLASS] = ELFCLASS64;
	im->b[EI_DATA] = ELFDATA2LSB;
	im->b[EI_VERSION] = EV_CURRENT;
	eh(im)->e_type = ET_EXEC;
	eh(im)->e_machine = EM_AARCH64;
	eh(im)->e_version = EV_CURRENT;
	eh(im)->e_entry = BASE + CODE;
	eh(im)->e_phoff = 64;
	eh(im)->e_ehsize = 64;
	eh(im)->e_phentsize = sizeof(Elf64_Phdr);
	eh(im)->e_phnum = 1;
	memcpy(im->b + CODE, exit42, sizeof(exit42));
	im->len = CODE + sizeof(exit42);
	*ph(im, 0) = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0,
				   .p_vaddr = BASE, .p_paddr = BASE, .p_filesz = im->len,
				   .p_memsz = im->len, .p_align = 4096 };
}

/* Another load, as a data segment (its offset congruent to its address). */
static void add_load(struct image *im, uint64_t vaddr, uint64_t filesz, uint64_t memsz)
{
	int i = eh(im)->e_phnum++;

	*ph(im, i) = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W,
				   .p_offset = vaddr % 4096, .p_vaddr = vaddr, .p_filesz = filesz, .p_memsz = memsz,
				   .p_align = 4096 };
}

/* A PT_INTERP of len bytes at file offset off, holding path (not
 * necessarily with its NUL), placed first as a linker places it. */
static void add_interp(struct image *im, const char *path, uint64_t off, uint64_t len)
{
	int n = eh(im)->e_phnum++;

	memmove(ph(im, 1), ph(im, 0), (size_t)n * sizeof(Elf64_Phdr));
	*ph(im, 0) = (Elf64_Phdr){ .p_type = PT_INTERP, .p_flags = PF_R, .p_offset = off,
				   .p_filesz = len, .p_memsz = len, .p_align = 1 };
	if (off + strlen(path) <= sizeof(im->b))
		memcpy(im->b + off, path, strlen(path));
}

#define INTERP_AT 0x180UL       /* between the program headers and the code */

static void m_none(struct image *im) { (void)im; }
static void m_overlap(struct image *im) { add_load(im, BASE + 0x100, 0x10, 0x1000); }
static void m_descending(struct image *im) { add_load(im, BASE - 0x10000, 0, 0x1000); }
static void m_huge_memsz(struct image *im) { add_load(im, BASE + 0x10000, 0, 1UL << 62); }
static void m_memsz_wraps(struct image *im) { add_load(im, BASE + 0x10000, 0, ~0UL - 0x1000); }
static void m_filesz_gt_memsz(struct image *im) { ph(im, 0)->p_memsz = ph(im, 0)->p_filesz - 1; }
static void m_past_file(struct image *im) { ph(im, 0)->p_filesz = im->len + 4096; ph(im, 0)->p_memsz = im->len + 4096; }
static void m_offset_past_file(struct image *im) { add_load(im, BASE + 0x10000, 0x10, 0x10); ph(im, 1)->p_offset = 0x100000; }
static void m_entry_outside(struct image *im) { eh(im)->e_entry = BASE + 0x10000; }
static void m_entry_in_data(struct image *im)
{
	add_load(im, BASE + 0x10000, 0, 0x1000);
	eh(im)->e_entry = BASE + 0x10000;
}
static void m_entry_kernel(struct image *im) { eh(im)->e_entry = 0xffffff8000000000UL; }
static void m_phentsize(struct image *im) { eh(im)->e_phentsize = 32; }
static void m_phnum_0(struct image *im) { eh(im)->e_phnum = 0; }
static void m_phnum_many(struct image *im)
{
	/* 100 headers, 5600 bytes: Linux reads at most 4096 bytes of them. */
	for (int i = 1; i < 100; i++)
		*ph(im, i) = (Elf64_Phdr){ .p_type = PT_NULL };
	eh(im)->e_phnum = 100;
	eh(im)->e_phoff = 64;
	memmove(im->b + 0x1800, im->b + CODE, sizeof(exit42));
	eh(im)->e_entry = BASE + 0x1800;
	im->len = 0x1800 + sizeof(exit42);
	ph(im, 0)->p_filesz = ph(im, 0)->p_memsz = im->len;
}
static void m_phoff_past_file(struct image *im) { eh(im)->e_phoff = im->len + 64; }
static void m_truncated(struct image *im) { im->len = 30; }
static void m_not_elf(struct image *im) { memcpy(im->b, "\177ELG", 4); }
static void m_machine(struct image *im) { eh(im)->e_machine = EM_X86_64; }
static void m_type_rel(struct image *im) { eh(im)->e_type = ET_REL; }
static void m_class32(struct image *im) { im->b[EI_CLASS] = ELFCLASS32; }
static void m_interp_missing(struct image *im)
{
	add_interp(im, "/nonexistent/ld.so", INTERP_AT, sizeof("/nonexistent/ld.so"));
}
static void m_interp_unterminated(struct image *im)
{
	add_interp(im, "/bin/cat", INTERP_AT, strlen("/bin/cat"));   /* no NUL inside */
	im->b[INTERP_AT + strlen("/bin/cat")] = 'x';
}
static void m_interp_past_file(struct image *im) { add_interp(im, "", im->len - 4, 64); }
static void m_interp_empty(struct image *im) { add_interp(im, "", INTERP_AT, 1); }
static void m_interp_too_long(struct image *im) { add_interp(im, "/x", INTERP_AT, 4097); }
static void m_interp_not_exec(struct image *im) { add_interp(im, HELLO_PATH, INTERP_AT, sizeof(HELLO_PATH)); }
static void m_interp_dir(struct image *im) { add_interp(im, "/bin", INTERP_AT, sizeof("/bin")); }
static void m_interp_exists(struct image *im)
{
	add_interp(im, "/tmp/elfbad-good", INTERP_AT, sizeof("/tmp/elfbad-good"));
}

static const struct hostile {
	const char *name;
	void (*make)(struct image *);
	int want;                /* errno, or 0: runs and exits 42 */
} cases[] = {
	{ "good", m_none, 0 },
	{ "overlapping-loads", m_overlap, ENOEXEC },
	{ "descending-loads", m_descending, ENOEXEC },
	{ "huge-memsz", m_huge_memsz, ENOMEM },
	{ "memsz-wraps", m_memsz_wraps, ENOMEM },
	{ "filesz-gt-memsz", m_filesz_gt_memsz, EINVAL },
	{ "load-past-file", m_past_file, ENOEXEC },
	{ "offset-past-file", m_offset_past_file, ENOEXEC },
	{ "entry-outside-loads", m_entry_outside, ENOEXEC },
	{ "entry-in-data", m_entry_in_data, ENOEXEC },
	{ "entry-kernel-address", m_entry_kernel, ENOEXEC },
	{ "phentsize-32", m_phentsize, ENOEXEC },
	{ "phnum-0", m_phnum_0, ENOEXEC },
	{ "phnum-100", m_phnum_many, ENOEXEC },
	{ "phoff-past-file", m_phoff_past_file, ENOEXEC },
	{ "truncated-header", m_truncated, ENOEXEC },
	{ "bad-magic", m_not_elf, ENOEXEC },
	{ "machine-x86_64", m_machine, ENOEXEC },
	{ "type-rel", m_type_rel, ENOEXEC },
	{ "class-32", m_class32, ENOEXEC },
	{ "interp-missing", m_interp_missing, ENOENT },
	{ "interp-unterminated", m_interp_unterminated, ENOEXEC },
	{ "interp-past-file", m_interp_past_file, EIO },
	{ "interp-1-byte", m_interp_empty, ENOEXEC },
	{ "interp-past-path-max", m_interp_too_long, ENOEXEC },
	{ "interp-not-executable", m_interp_not_exec, EACCES },
	{ "interp-directory", m_interp_dir, EACCES },
	{ "interp-exists", m_interp_exists, 0 },
};

static int write_image(const char *path, const struct image *im)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);

	if (fd < 0)
		return -1;
	ssize_t n = write(fd, im->b, im->len);
	return close(fd) == 0 && n == (ssize_t)im->len ? 0 : -1;
}

static void exec_it(void *path)
{
	char *argv[] = { path, NULL }, *envp[] = { NULL };

	execve(path, argv, envp);
	_exit(errno);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	static struct image im;
	char path[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct hostile *c = &cases[i];

		good(&im);
		c->make(&im);
		snprintf(path, sizeof(path), "%s/elfbad-%s", dir, c->name);
		if (write_image(path, &im) < 0) {
			fail(c->name, "cannot write %s: %s", path, ename(errno));
			continue;
		}
		if (argc > 1)
			continue;
		int st = in_child(exec_it, path);
		int want = c->want ? c->want : 42;
		if (exited_with(st, want))
			pass(c->name);
		else if (st != -1 && WIFEXITED(st))
			fail(c->name, "exit status %d (%s), expected %s", WEXITSTATUS(st),
			     ename(WEXITSTATUS(st)), c->want ? ename(c->want) : "42: a run");
		else
			fail(c->name, "%s, expected %s", describe(st),
			     c->want ? ename(c->want) : "exit 42");
	}
	if (argc == 1)
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			snprintf(path, sizeof(path), "%s/elfbad-%s", dir, cases[i].name);
			unlink(path);
		}
	return failures ? 1 : 0;
}
