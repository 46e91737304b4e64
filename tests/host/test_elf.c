/*
 * Host tests for kernel/elf.c. Real binaries are built at test time from a
 * tiny C file with aarch64-linux-gnu-gcc: -static (ET_EXEC), -static-pie
 * (ET_DYN), -static -z execstack, and a dynamic one; the host's /bin/true
 * stands for a foreign, dynamic binary. What elf_check reports is compared
 * with aarch64-linux-gnu-readelf. Mutated copies cover every rejection,
 * hand-built images cover the corner cases real linkers do not produce, and
 * a fixed-seed random mutation loop checks that whatever elf_check accepts
 * really is safe to load. Images sit in exact-size malloc'd buffers, so
 * under -fsanitize=address a read past the end crashes the test.
 *
 * usage: test_elf [ignored]
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kernel/elf.h"
#include "lib/uapi/errno.h"
#include "tests/host/check.h"

#define LIMIT (1ULL << 39)
#define PAGE 4096ULL

static char tmpdir[] = "/tmp/bramble-elf-XXXXXX";
static bool made_tmpdir;

struct image {
	unsigned char *buf;
	size_t size;
	char path[256];
};

/* ---- helpers ------------------------------------------------------------- */

static uint64_t rd(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void wr(unsigned char *p, int n, uint64_t v)
{
	for (int i = 0; i < n; i++, v >>= 8)
		p[i] = (unsigned char)v;
}

/* Offsets of the fields the mutations touch. */
#define E_TYPE      16
#define E_MACHINE   18
#define E_VERSION   20
#define E_ENTRY     24
#define E_PHOFF     32
#define E_PHENTSIZE 54
#define E_PHNUM     56
#define P_TYPE      0
#define P_FLAGS     4
#define P_OFFSET    8
#define P_VADDR     16
#define P_FILESZ    32
#define P_MEMSZ     40

static unsigned char *phdr(const struct image *im, int i)
{
	return im->buf + rd(im->buf + E_PHOFF, 8) + (size_t)i * 56;
}

static int phnum(const struct image *im)
{
	return (int)rd(im->buf + E_PHNUM, 2);
}

/* Index of the k-th program header of the given type, or -1. */
static int find_phdr(const struct image *im, uint32_t type, int k)
{
	for (int i = 0; i < phnum(im); i++)
		if (rd(phdr(im, i) + P_TYPE, 4) == type && k-- == 0)
			return i;
	return -1;
}

static bool load_image(const char *path, struct image *im)
{
	FILE *f = fopen(path, "rb");
	long n;

	memset(im, 0, sizeof(*im));
	snprintf(im->path, sizeof(im->path), "%s", path);
	if (!f)
		return false;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	im->size = (size_t)n;
	im->buf = malloc(im->size);
	if (!im->buf || fread(im->buf, 1, im->size, f) != im->size) {
		fclose(f);
		free(im->buf);
		im->buf = NULL;
		return false;
	}
	fclose(f);
	return true;
}

/* elf_check on an exact-size copy of im's first n bytes. */
static int check_prefix(const struct image *im, size_t n, uint64_t limit, struct elf_info *info)
{
	unsigned char *copy = malloc(n ? n : 1);
	int r;

	memcpy(copy, im->buf, n);
	r = elf_check(copy, n, limit, info);
	free(copy);
	return r;
}

/* A full copy, for a mutation. */
static struct image dup_image(const struct image *im)
{
	struct image c = *im;

	c.buf = malloc(im->size);
	memcpy(c.buf, im->buf, im->size);
	return c;
}

/* Everything an accepted image promises the loader; NULL if it holds. */
static const char *promises(const struct elf_info *in, uint64_t size, uint64_t limit)
{
	bool entry_ok = false;

	if (in->nloads < 1 || in->nloads > ELF_MAX_LOADS)
		return "nloads";
	if (in->type != ET_EXEC && in->type != ET_DYN)
		return "type";
	for (int i = 0; i < in->nloads; i++) {
		const struct elf_load *l = &in->loads[i];

		if (l->filesz > l->memsz || l->offset > size || l->filesz > size - l->offset)
			return "load outside file";
		if (l->vaddr % PAGE != l->offset % PAGE)
			return "load alignment";
		if (l->memsz > UINT64_MAX - l->vaddr || l->vaddr + l->memsz > limit)
			return "load beyond limit";
		if (i && l->vaddr < in->loads[i - 1].vaddr + in->loads[i - 1].memsz)
			return "loads overlap";
		if (l->vaddr < in->span_start || l->vaddr + l->memsz > in->span_end)
			return "load outside span";
		if ((l->prot & PROT_X) && in->entry >= l->vaddr && in->entry - l->vaddr < l->filesz)
			entry_ok = true;
	}
	if (in->span_start % PAGE || in->span_end % PAGE || in->span_end > limit ||
	    in->span_start > in->span_end)
		return "span";
	return entry_ok && in->entry % 4 == 0 ? NULL : "entry";
}

/* ---- building the binaries ------------------------------------------------- */

static const char build_script[] =
	"set -e; cd '%s'\n"
	"printf 'int main(void) { return 0; }\\n' > t.c\n"
	"aarch64-linux-gnu-gcc -O2 -static -o static t.c\n"
	"aarch64-linux-gnu-gcc -O2 -static-pie -o static-pie t.c\n"
	"aarch64-linux-gnu-gcc -O2 -static -z execstack -o execstack t.c\n"
	"aarch64-linux-gnu-gcc -O2 -o dynamic t.c\n";

static bool build_binaries(void)
{
	char cmd[sizeof(build_script) + 64];

	if (!mkdtemp(tmpdir))
		return false;
	made_tmpdir = true;
	snprintf(cmd, sizeof(cmd), build_script, tmpdir);
	return system(cmd) == 0;
}

static bool load_built(const char *name, struct image *im)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	return load_image(path, im);
}

/* What readelf says: entry, PT_LOADs, PT_GNU_STACK's flags. */
struct reference {
	uint64_t entry;
	int nloads;
	struct elf_load loads[16];
	bool exec_stack, ok;
};

static uint32_t prot_from_text(const char *s)
{
	uint32_t prot = 0;

	for (; *s && !(s[0] == '0' && s[1] == 'x'); s++)
		prot |= *s == 'R' ? PROT_R : *s == 'W' ? PROT_W : *s == 'E' ? PROT_X : 0;
	return prot;
}

static struct reference readelf(const char *path)
{
	struct reference ref;
	char cmd[512], line[512];
	FILE *p;

	memset(&ref, 0, sizeof(ref));
	snprintf(cmd, sizeof(cmd), "aarch64-linux-gnu-readelf -hlW '%s'", path);
	p = popen(cmd, "r");
	if (!p)
		return ref;
	while (fgets(line, sizeof(line), p)) {
		unsigned long long off, va, pa, fs, ms;
		int used = 0;

		if (sscanf(line, " Entry point address: %llx", &va) == 1) {
			ref.entry = va;
			ref.ok = true;
		} else if (sscanf(line, " LOAD %llx %llx %llx %llx %llx %n", &off, &va, &pa, &fs, &ms, &used) == 5 &&
			   ref.nloads < 16) {
			ref.loads[ref.nloads++] = (struct elf_load){ va, ms, off, fs, prot_from_text(line + used) };
		} else if (sscanf(line, " GNU_STACK %llx %llx %llx %llx %llx %n", &off, &va, &pa, &fs, &ms, &used) == 5) {
			ref.exec_stack = prot_from_text(line + used) & PROT_X;
		}
	}
	pclose(p);
	return ref;
}

/* elf_check's view of a real binary equals readelf's. */
static void check_against_readelf(const char *tag, const struct image *im, uint16_t type)
{
	struct reference ref = readelf(im->path);
	struct elf_info in;
	char name[96];
	int r = check_prefix(im, im->size, LIMIT, &in);
	bool same = ref.ok && in.nloads == ref.nloads && in.entry == ref.entry &&
		    in.exec_stack == ref.exec_stack && in.type == type;

	for (int i = 0; same && i < in.nloads; i++)
		same = memcmp(&in.loads[i], &ref.loads[i], sizeof(in.loads[i])) == 0;
	snprintf(name, sizeof(name), "elf.%s.accepted", tag);
	check(r == 0, name, "%d", r);
	snprintf(name, sizeof(name), "elf.%s.matches-readelf", tag);
	check(same, name, "nloads %d/%d entry %#llx/%#llx", in.nloads, ref.nloads,
	      (unsigned long long)in.entry, (unsigned long long)ref.entry);
	snprintf(name, sizeof(name), "elf.%s.span-and-phdr", tag);
	check(r == 0 && in.span_start == (in.loads[0].vaddr & ~(PAGE - 1)) &&
	      in.span_end == ((in.loads[in.nloads - 1].vaddr + in.loads[in.nloads - 1].memsz + PAGE - 1) & ~(PAGE - 1)) &&
	      in.phoff == 64 && in.phentsize == 56 && in.phnum == phnum(im) &&
	      in.phdr_vaddr == in.loads[0].vaddr + 64 && !promises(&in, im->size, LIMIT),
	      name, "span %#llx-%#llx phdr %#llx", (unsigned long long)in.span_start,
	      (unsigned long long)in.span_end, (unsigned long long)in.phdr_vaddr);
}

/* ---- mutations of the static binary ------------------------------------------ */

typedef void (*mutator)(struct image *im);

/* Applies m to a copy of im; elf_check must answer want. */
static void expect(const char *name, const struct image *im, mutator m, uint64_t limit, int want)
{
	struct image c = dup_image(im);
	struct elf_info in;
	int r;

	m(&c);
	r = elf_check(c.buf, c.size, limit, &in);
	check(r == want, name, "got %d, want %d", r, want);
	free(c.buf);
}

static int load_ix(const struct image *im, int k) { return find_phdr(im, PT_LOAD, k); }
static uint64_t ld(const struct image *im, int k, int field) { return rd(phdr(im, load_ix(im, k)) + field, 8); }
static void set_ld(struct image *im, int k, int field, uint64_t v) { wr(phdr(im, load_ix(im, k)) + field, 8, v); }

static void m_none(struct image *im) { (void)im; }
static void m_magic(struct image *im) { im->buf[1] = 'e'; }
static void m_class32(struct image *im) { im->buf[4] = 1; }
static void m_big_endian(struct image *im) { im->buf[5] = 2; }
static void m_ident_version(struct image *im) { im->buf[6] = 0; }
static void m_version(struct image *im) { wr(im->buf + E_VERSION, 4, 2); }
static void m_machine_x86(struct image *im) { wr(im->buf + E_MACHINE, 2, 62); }
static void m_type_rel(struct image *im) { wr(im->buf + E_TYPE, 2, 1); }
static void m_type_core(struct image *im) { wr(im->buf + E_TYPE, 2, 4); }
static void m_phentsize_0(struct image *im) { wr(im->buf + E_PHENTSIZE, 2, 0); }
static void m_phentsize_1000(struct image *im) { wr(im->buf + E_PHENTSIZE, 2, 1000); }
static void m_phnum_huge(struct image *im) { wr(im->buf + E_PHNUM, 2, 0xfffe); }
static void m_phnum_xnum(struct image *im) { wr(im->buf + E_PHNUM, 2, 0xffff); }
static void m_phnum_0(struct image *im) { wr(im->buf + E_PHNUM, 2, 0); }
static void m_phoff_end(struct image *im) { wr(im->buf + E_PHOFF, 8, im->size); }
static void m_phoff_past(struct image *im) { wr(im->buf + E_PHOFF, 8, im->size + 4096); }
static void m_phoff_tail(struct image *im) { wr(im->buf + E_PHOFF, 8, im->size - 100); }
static void m_phoff_wrap(struct image *im) { wr(im->buf + E_PHOFF, 8, UINT64_MAX - 56); }
static void m_phoff_wrap2(struct image *im) { wr(im->buf + E_PHOFF, 8, (uint64_t)0 - 3 * 56); }
static void m_filesz_gt_memsz(struct image *im) { set_ld(im, 1, P_FILESZ, ld(im, 1, P_MEMSZ) + 1); }
static void m_filesz_past_file(struct image *im)
{
	set_ld(im, 1, P_FILESZ, im->size - ld(im, 1, P_OFFSET) + 1);
	set_ld(im, 1, P_MEMSZ, im->size);
}
static void m_offset_past_file(struct image *im) { set_ld(im, 1, P_OFFSET, ld(im, 1, P_OFFSET) + (1ULL << 40)); }
static void m_offset_wrap(struct image *im) { set_ld(im, 1, P_OFFSET, UINT64_MAX - 4095 + ld(im, 1, P_OFFSET) % PAGE); }
/* offset + filesz wraps to a small number (memsz too, so filesz <= memsz) */
static void m_filesz_wrap(struct image *im)
{
	uint64_t big = UINT64_MAX - ld(im, 1, P_OFFSET) + 0x100;

	set_ld(im, 1, P_FILESZ, big);
	set_ld(im, 1, P_MEMSZ, big);
}
static void m_misaligned_offset(struct image *im) { set_ld(im, 1, P_OFFSET, ld(im, 1, P_OFFSET) + 8); }
static void m_misaligned_vaddr(struct image *im) { set_ld(im, 1, P_VADDR, ld(im, 1, P_VADDR) + 8); }
/* Highest page with the segment's page offset: vaddr + memsz wraps. */
static void m_vaddr_wrap(struct image *im) { set_ld(im, 1, P_VADDR, UINT64_MAX - 4095 + ld(im, 1, P_OFFSET) % PAGE); }
static void m_vaddr_beyond_limit(struct image *im) { set_ld(im, 1, P_VADDR, ld(im, 1, P_VADDR) + LIMIT); }
/* vaddr + memsz just below 2^64: the sum fits, rounding up to a page wraps. */
static void m_span_wrap(struct image *im)
{
	uint64_t off = ld(im, 1, P_OFFSET) % PAGE, memsz = ld(im, 1, P_MEMSZ);
	uint64_t v = ((UINT64_MAX - memsz) & ~(PAGE - 1)) + off;

	if (v > UINT64_MAX - memsz)
		v -= PAGE;
	set_ld(im, 1, P_VADDR, v);
}
static void m_overlap(struct image *im) { set_ld(im, 1, P_VADDR, ld(im, 0, P_VADDR) + PAGE + ld(im, 1, P_OFFSET) % PAGE); }
static void m_overlap_by_one(struct image *im) { set_ld(im, 0, P_MEMSZ, ld(im, 1, P_VADDR) - ld(im, 0, P_VADDR) + 1); }
static void m_touching(struct image *im) { set_ld(im, 0, P_MEMSZ, ld(im, 1, P_VADDR) - ld(im, 0, P_VADDR)); }
static void m_descending(struct image *im)
{
	unsigned char tmp[56];

	memcpy(tmp, phdr(im, load_ix(im, 0)), 56);
	memcpy(phdr(im, load_ix(im, 0)), phdr(im, load_ix(im, 1)), 56);
	memcpy(phdr(im, load_ix(im, 1)), tmp, 56);
}
static void m_interp(struct image *im) { wr(phdr(im, find_phdr(im, PT_GNU_STACK, 0)) + P_TYPE, 4, PT_INTERP); }
static void m_interp_n(struct image *im, uint64_t n)
{
	m_interp(im);
	wr(phdr(im, find_phdr(im, PT_INTERP, 0)) + P_FILESZ, 8, n);
}
static void m_interp_2(struct image *im) { m_interp_n(im, 2); }
static void m_interp_4096(struct image *im) { m_interp_n(im, 4096); }
static void m_interp_4097(struct image *im) { m_interp_n(im, 4097); }
/* the interpreter decides before the loads are looked at, as in Linux */
static void m_interp_bad_load(struct image *im) { m_interp_n(im, 8); m_filesz_gt_memsz(im); }
static void m_entry_data(struct image *im) { wr(im->buf + E_ENTRY, 8, ld(im, 1, P_VADDR)); }
static void m_entry_zero(struct image *im) { wr(im->buf + E_ENTRY, 8, 0); }
static void m_entry_past_text(struct image *im) { wr(im->buf + E_ENTRY, 8, ld(im, 0, P_VADDR) + ld(im, 0, P_FILESZ)); }
static void m_entry_last_insn(struct image *im) { wr(im->buf + E_ENTRY, 8, ld(im, 0, P_VADDR) + ld(im, 0, P_FILESZ) - 4); }
static void m_entry_misaligned(struct image *im) { wr(im->buf + E_ENTRY, 8, rd(im->buf + E_ENTRY, 8) + 2); }
static void m_text_not_exec(struct image *im) { wr(phdr(im, load_ix(im, 0)) + P_FLAGS, 4, PF_R); }
static void m_entry_exec_data(struct image *im)
{
	wr(phdr(im, load_ix(im, 1)) + P_FLAGS, 4, PF_R | PF_W | PF_X);
	m_entry_data(im);
}
static void m_no_loads(struct image *im)
{
	for (int k = 1; k >= 0; k--)
		wr(phdr(im, load_ix(im, k)) + P_TYPE, 4, 0x70000000);
}

static void test_mutations(const struct image *st)
{
	struct elf_info in;
	uint64_t end1 = ld(st, 1, P_VADDR) + ld(st, 1, P_MEMSZ);
	uint64_t text_end = ld(st, 0, P_OFFSET) + ld(st, 0, P_FILESZ);
	uint64_t file_end = ld(st, 1, P_OFFSET) + ld(st, 1, P_FILESZ);
	size_t table_end = 64 + 56 * (size_t)phnum(st);
	int bad = -1, r;

	/* truncations */
	for (size_t n = 0; n <= 256 && bad < 0; n++)
		if (check_prefix(st, n, LIMIT, &in) != -ENOEXEC)
			bad = (int)n;
	check(bad < 0, "elf.truncated.0-to-256", "length %d accepted or odd error", bad);
	static const struct { const char *name; long delta; int base; int want; } cuts[] = {
		{ "elf.truncated.inside-phdrs", -1, 0, -ENOEXEC },
		{ "elf.truncated.at-phdr-end", 0, 0, -ENOEXEC },
		{ "elf.truncated.inside-text", -1, 1, -ENOEXEC },
		{ "elf.truncated.inside-data", -1, 2, -ENOEXEC },
		{ "elf.truncated.at-last-file-byte", 0, 2, 0 },
	};
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		size_t n = (cuts[i].base == 0 ? table_end : cuts[i].base == 1 ? text_end : file_end) + cuts[i].delta;

		r = check_prefix(st, n, LIMIT, &in);
		check(r == cuts[i].want, cuts[i].name, "length %zu: %d", n, r);
	}
	/* header fields */
	expect("elf.mut.control", st, m_none, LIMIT, 0);
	expect("elf.mut.bad-magic", st, m_magic, LIMIT, -ENOEXEC);
	expect("elf.mut.class32", st, m_class32, LIMIT, -ENOEXEC);
	expect("elf.mut.big-endian", st, m_big_endian, LIMIT, -ENOEXEC);
	expect("elf.mut.ident-version-0", st, m_ident_version, LIMIT, -ENOEXEC);
	expect("elf.mut.e_version-2", st, m_version, LIMIT, -ENOEXEC);
	expect("elf.mut.machine-x86_64", st, m_machine_x86, LIMIT, -ENOEXEC);
	expect("elf.mut.type-rel", st, m_type_rel, LIMIT, -ENOEXEC);
	expect("elf.mut.type-core", st, m_type_core, LIMIT, -ENOEXEC);
	expect("elf.mut.phentsize-0", st, m_phentsize_0, LIMIT, -ENOEXEC);
	expect("elf.mut.phentsize-1000", st, m_phentsize_1000, LIMIT, -ENOEXEC);
	expect("elf.mut.phnum-huge", st, m_phnum_huge, LIMIT, -ENOEXEC);
	expect("elf.mut.phnum-pn_xnum", st, m_phnum_xnum, LIMIT, -ENOEXEC);
	expect("elf.mut.phnum-0", st, m_phnum_0, LIMIT, -ENOEXEC);
	expect("elf.mut.phoff-at-end", st, m_phoff_end, LIMIT, -ENOEXEC);
	expect("elf.mut.phoff-past-end", st, m_phoff_past, LIMIT, -ENOEXEC);
	expect("elf.mut.phoff-table-runs-past-end", st, m_phoff_tail, LIMIT, -ENOEXEC);
	expect("elf.mut.phoff-plus-table-overflows", st, m_phoff_wrap, LIMIT, -ENOEXEC);
	expect("elf.mut.phoff-plus-table-wraps-to-0", st, m_phoff_wrap2, LIMIT, -ENOEXEC);
	/* segments */
	expect("elf.mut.filesz-gt-memsz", st, m_filesz_gt_memsz, LIMIT, -EINVAL);
	expect("elf.mut.filesz-past-file", st, m_filesz_past_file, LIMIT, -ENOEXEC);
	expect("elf.mut.offset-past-file", st, m_offset_past_file, LIMIT, -ENOEXEC);
	expect("elf.mut.offset-plus-filesz-overflows", st, m_offset_wrap, LIMIT, -ENOEXEC);
	expect("elf.mut.offset-plus-huge-filesz-wraps", st, m_filesz_wrap, UINT64_MAX, -ENOEXEC);
	expect("elf.mut.misaligned-offset", st, m_misaligned_offset, LIMIT, -ENOEXEC);
	expect("elf.mut.misaligned-vaddr", st, m_misaligned_vaddr, LIMIT, -ENOEXEC);
	expect("elf.mut.vaddr-near-2^64-overflow", st, m_vaddr_wrap, UINT64_MAX, -ENOMEM);
	expect("elf.mut.span-round-up-overflow", st, m_span_wrap, UINT64_MAX, -ENOMEM);
	expect("elf.mut.vaddr-beyond-limit", st, m_vaddr_beyond_limit, LIMIT, -ENOMEM);
	expect("elf.mut.limit-below-span", st, m_none, 1ULL << 20, -ENOMEM);
	expect("elf.mut.limit-at-span-end", st, m_none, (end1 + PAGE - 1) & ~(PAGE - 1), 0);
	expect("elf.mut.limit-inside-last-page", st, m_none, end1 % PAGE ? end1 : end1 - 1, -ENOMEM);
	expect("elf.mut.overlapping-loads", st, m_overlap, LIMIT, -ENOEXEC);
	expect("elf.mut.overlapping-by-one-byte", st, m_overlap_by_one, LIMIT, -ENOEXEC);
	expect("elf.mut.touching-loads-ok", st, m_touching, LIMIT, 0);
	expect("elf.mut.descending-loads", st, m_descending, LIMIT, -ENOEXEC);
	/* GNU_STACK turned PT_INTERP: 0 bytes, shorter than a path can be */
	expect("elf.mut.pt_interp-added-empty", st, m_interp, LIMIT, -ENOEXEC);
	expect("elf.mut.pt_interp-2-bytes", st, m_interp_2, LIMIT, ELF_INTERP);
	expect("elf.mut.pt_interp-4096-bytes", st, m_interp_4096, LIMIT, ELF_INTERP);
	expect("elf.mut.pt_interp-4097-bytes", st, m_interp_4097, LIMIT, -ENOEXEC);
	/* The loads are still checked; exec gives the interpreter's errors first. */
	expect("elf.mut.pt_interp-before-bad-load", st, m_interp_bad_load, LIMIT, -EINVAL);
	expect("elf.mut.no-loads", st, m_no_loads, LIMIT, -ENOEXEC);
	/* entry point */
	expect("elf.mut.entry-in-data", st, m_entry_data, LIMIT, -ENOEXEC);
	expect("elf.mut.entry-zero", st, m_entry_zero, LIMIT, -ENOEXEC);
	expect("elf.mut.entry-past-text", st, m_entry_past_text, LIMIT, -ENOEXEC);
	expect("elf.mut.entry-last-insn-ok", st, m_entry_last_insn, LIMIT, 0);
	expect("elf.mut.entry-misaligned", st, m_entry_misaligned, LIMIT, -ENOEXEC);
	expect("elf.mut.text-not-executable", st, m_text_not_exec, LIMIT, -ENOEXEC);
	expect("elf.mut.entry-in-executable-data-ok", st, m_entry_exec_data, LIMIT, 0);
	{
		/* an unaligned image pointer: headers are read with memcpy */
		unsigned char *odd = malloc(st->size + 1);
		memcpy(odd + 1, st->buf, st->size);
		r = elf_check(odd + 1, st->size, LIMIT, &in);
		check(r == 0, "elf.unaligned-image", "%d", r);
		free(odd);
	}
	check(elf_check(NULL, 0, LIMIT, &in) == -ENOEXEC, "elf.null-image", "");
}

/* ---- hand-built images ----------------------------------------------------------- */

struct seg { uint32_t type, flags; uint64_t offset, vaddr, filesz, memsz; };

/* An image of size bytes: ELF header, program headers at 64, zeros. */
static unsigned char *make_elf(size_t size, uint16_t type, uint64_t entry, const struct seg *s, int n)
{
	unsigned char *b = calloc(1, size);

	memcpy(b, "\177ELF\2\1\1", 7);
	wr(b + E_TYPE, 2, type);
	wr(b + E_MACHINE, 2, EM_AARCH64);
	wr(b + E_VERSION, 4, 1);
	wr(b + E_ENTRY, 8, entry);
	wr(b + E_PHOFF, 8, 64);
	wr(b + 52, 2, 64);
	wr(b + E_PHENTSIZE, 2, 56);
	wr(b + E_PHNUM, 2, (uint64_t)n);
	for (int i = 0; i < n; i++) {
		unsigned char *p = b + 64 + 56 * i;
		wr(p + P_TYPE, 4, s[i].type);
		wr(p + P_FLAGS, 4, s[i].flags);
		wr(p + P_OFFSET, 8, s[i].offset);
		wr(p + P_VADDR, 8, s[i].vaddr);
		wr(p + 24, 8, s[i].vaddr);
		wr(p + P_FILESZ, 8, s[i].filesz);
		wr(p + P_MEMSZ, 8, s[i].memsz);
		wr(p + 48, 8, PAGE);
	}
	return b;
}

static int run_elf(size_t size, uint16_t type, uint64_t entry, const struct seg *s, int n,
		   uint64_t limit, struct elf_info *in)
{
	unsigned char *b = make_elf(size, type, entry, s, n);
	int r = elf_check(b, size, limit, in);

	free(b);
	return r;
}

static void test_handmade(void)
{
	struct seg s[10];
	struct elf_info in;
	int r;

	/* two loads sharing the page at their boundary */
	s[0] = (struct seg){ PT_LOAD, PF_R | PF_X, 0, 0x10000, 0x1800, 0x1800 };
	s[1] = (struct seg){ PT_LOAD, PF_R | PF_W, 0x1800, 0x11800, 0x100, 0x2000 };
	r = run_elf(0x2000, ET_EXEC, 0x10100, s, 2, LIMIT, &in);
	check(r == 0 && in.nloads == 2 && in.span_start == 0x10000 && in.span_end == 0x14000 &&
	      in.loads[1].prot == (PROT_R | PROT_W) && in.loads[0].prot == (PROT_R | PROT_X) &&
	      in.phdr_vaddr == 0x10040 && !in.exec_stack, "elf.hand.shared-boundary-page",
	      "%d span %#llx-%#llx", r, (unsigned long long)in.span_start, (unsigned long long)in.span_end);
	s[1].vaddr = 0x117ff;
	s[1].offset = 0x17ff;
	r = run_elf(0x2000, ET_EXEC, 0x10100, s, 2, LIMIT, &in);
	check(r == -ENOEXEC, "elf.hand.one-byte-overlap", "%d", r);
	/* PT_PHDR wins; phdrs outside any load give 0 */
	s[1] = (struct seg){ PT_PHDR, PF_R, 64, 0x10040, 112, 112 };
	r = run_elf(0x2000, ET_EXEC, 0x10100, s, 2, LIMIT, &in);
	check(r == 0 && in.phdr_vaddr == 0x10040 && in.nloads == 1, "elf.hand.pt_phdr", "%d", r);
	s[1].vaddr = 0x12345;
	r = run_elf(0x2000, ET_EXEC, 0x10100, s, 2, LIMIT, &in);
	check(r == 0 && in.phdr_vaddr == 0x12345, "elf.hand.pt_phdr-taken-as-is", "%d", r);
	s[0] = (struct seg){ PT_LOAD, PF_R | PF_X, 0x1000, 0x11000, 0x800, 0x800 };
	r = run_elf(0x2000, ET_EXEC, 0x11000, s, 1, LIMIT, &in);
	check(r == 0 && in.phdr_vaddr == 0, "elf.hand.phdrs-not-loaded", "%d", r);
	/* the entry in the bss part of an executable load */
	s[0] = (struct seg){ PT_LOAD, PF_R | PF_X, 0, 0x10000, 0x1000, 0x3000 };
	r = run_elf(0x2000, ET_EXEC, 0x11000, s, 1, LIMIT, &in);
	check(r == -ENOEXEC, "elf.hand.entry-in-bss", "%d", r);
	/* executable stack, PIE at 0 */
	s[0] = (struct seg){ PT_LOAD, PF_R | PF_X, 0, 0, 0x1000, 0x1000 };
	s[1] = (struct seg){ PT_GNU_STACK, PF_R | PF_W | PF_X, 0, 0, 0, 0 };
	r = run_elf(0x2000, ET_DYN, 0x100, s, 2, LIMIT, &in);
	check(r == 0 && in.exec_stack && in.type == ET_DYN && in.span_start == 0 && in.span_end == 0x1000,
	      "elf.hand.pie-at-0-exec-stack", "%d", r);
	/* 8 loads fit, 9 do not */
	for (int i = 0; i < 9; i++)
		s[i] = (struct seg){ PT_LOAD, PF_R | (i ? 0 : PF_X), 0, 0x10000 + PAGE * i, 0x100, 0x100 };
	r = run_elf(0x2000, ET_EXEC, 0x10000, s, 8, LIMIT, &in);
	check(r == 0 && in.nloads == 8 && in.span_end == 0x18000, "elf.hand.8-loads", "%d", r);
	r = run_elf(0x2000, ET_EXEC, 0x10000, s, 9, LIMIT, &in);
	check(r == -ENOMEM, "elf.hand.9-loads-enomem", "%d", r);
	/* a huge memsz overflowing from a low vaddr */
	s[0] = (struct seg){ PT_LOAD, PF_R | PF_X, 0, 0x10000, 0x100, UINT64_MAX - 0x100 };
	r = run_elf(0x2000, ET_EXEC, 0x10000, s, 1, UINT64_MAX, &in);
	check(r == -ENOMEM, "elf.hand.memsz-overflow", "%d", r);
	/* only a GNU_STACK */
	s[0] = (struct seg){ PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0 };
	r = run_elf(0x2000, ET_EXEC, 0x10000, s, 1, LIMIT, &in);
	check(r == -ENOEXEC, "elf.hand.no-pt_load", "%d", r);
}

/* ---- random mutations -------------------------------------------------------- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Values likely to hit an edge of some check. */
static uint64_t edge_value(const struct image *im)
{
	static const uint64_t edges[] = { 0, 1, 56, 64, 4095, 4096, 0xffff, 1ULL << 39, (1ULL << 39) - 1,
					  1ULL << 63, UINT64_MAX, UINT64_MAX - 4095, UINT64_MAX - 55 };
	uint64_t k = next_rand() % 16;

	if (k < sizeof(edges) / sizeof(edges[0]))
		return edges[k];
	return k == 13 ? im->size : k == 14 ? im->size - 1 - next_rand() % 64 : next_rand();
}

/* 5000 rounds: a few random bytes or fields of the headers changed (or the
 * image cut short); whatever is accepted must keep every promise. */
static void test_random(const struct image *st, const struct image *pie)
{
	struct elf_info in;
	const char *why = NULL;
	int accepted = 0, round_bad = -1;

	for (int round = 0; round < 5000; round++) {
		const struct image *src = round & 1 ? pie : st;
		size_t hdr = 64 + 56 * (size_t)phnum(src), n = src->size;
		unsigned char saved[64 + 56 * 16];
		struct image c = *src;
		uint64_t limit = next_rand() % 4 ? LIMIT : edge_value(src);
		int r;

		if (hdr > sizeof(saved))
			hdr = sizeof(saved);
		memcpy(saved, src->buf, hdr);
		for (int k = 1 + next_rand() % 4; k > 0; k--) {
			size_t at = next_rand() % hdr;

			if (next_rand() % 2)
				c.buf[at] = (unsigned char)next_rand();
			else if ((at & ~(size_t)7) + 8 <= hdr)
				wr(c.buf + (at & ~(size_t)7), 8, edge_value(src));   /* a whole field */
			else
				c.buf[at] = (unsigned char)edge_value(src);
		}
		if (next_rand() % 8 == 0) {
			n = next_rand() % 2048;
			r = check_prefix(&c, n, limit, &in);
		} else {
			r = elf_check(c.buf, n, limit, &in);
		}
		if (r == 0) {
			const char *w = promises(&in, n, limit);
			accepted++;
			if (w && !why) {
				why = w;
				round_bad = round;
			}
		} else if (r != -ENOEXEC && r != -ENOMEM && r != -EINVAL && r != ELF_INTERP && !why) {
			why = "unexpected error";
			round_bad = round;
		}
		memcpy(src->buf, saved, hdr);    /* c shares src's buffer */
	}
	check(!why, "elf.random.5000-mutations-keep-promises", "round %d: %s", round_bad, why);
	check(accepted > 0 && accepted < 5000, "elf.random.mix", "%d accepted", accepted);
}

/* Once the binaries are in memory and readelf has seen them. */
static void remove_tmpdir(void)
{
	char cmd[128];

	if (!made_tmpdir)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

int main(int argc, char **argv)
{
	struct image st, pie, xs, dyn, host;
	struct elf_info in;
	int r;

	(void)argc;
	(void)argv;
	if (!check(build_binaries() && load_built("static", &st) && load_built("static-pie", &pie) &&
		   load_built("execstack", &xs) && load_built("dynamic", &dyn),
		   "elf.build-binaries", "aarch64-linux-gnu-gcc failed")) {
		remove_tmpdir();
		return check_exit_status();
	}
	check_against_readelf("static", &st, ET_EXEC);
	check_against_readelf("static-pie", &pie, ET_DYN);
	check_against_readelf("execstack", &xs, ET_EXEC);
	r = check_prefix(&xs, xs.size, LIMIT, &in);
	check(r == 0 && in.exec_stack, "elf.execstack.flag", "%d", r);
	r = check_prefix(&st, st.size, LIMIT, &in);
	check(r == 0 && !in.exec_stack && in.type == ET_EXEC, "elf.static.no-exec-stack", "%d", r);
	r = check_prefix(&dyn, dyn.size, LIMIT, &in);
	check(r == ELF_INTERP && in.interp_len == sizeof("/lib/ld-linux-aarch64.so.1") &&
	      memcmp(dyn.buf + in.interp_off, "/lib/ld-linux-aarch64.so.1", in.interp_len) == 0,
	      "elf.dynamic-aarch64-interp", "%d", r);
	if (check(load_image("/bin/true", &host), "elf.host-bin-true-readable", "cannot read /bin/true")) {
		r = check_prefix(&host, host.size, LIMIT, &in);
		check(r == -ENOEXEC, "elf.host-bin-true-rejected", "%d", r);
		wr(host.buf + E_MACHINE, 2, EM_AARCH64);   /* still dynamic: PT_INTERP */
		r = check_prefix(&host, host.size, LIMIT, &in);
		check(r == ELF_INTERP, "elf.host-bin-true-as-aarch64-still-dynamic", "%d", r);
		free(host.buf);
	}
	remove_tmpdir();
	test_mutations(&st);
	test_handmade();
	test_random(&st, &pie);
	free(st.buf);
	free(pie.buf);
	free(xs.buf);
	free(dyn.buf);
	return check_exit_status();
}
