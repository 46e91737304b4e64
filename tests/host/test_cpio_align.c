/*
 * Host tests for scripts/cpio-align (mkinitramfs's page aligner of file
 * data), run on crafted newc archives: what it writes must parse (with
 * fs/initramfs.c's parser) into the same files, names and attributes, with
 * the data of every regular file of a page or more on a page boundary of
 * the archive, and no name field longer than Linux's PATH_MAX. A file whose
 * padding would pass PATH_MAX gets a "." directory entry first.
 *
 * usage: test_cpio_align [ignored]   (the tool is found next to this program)
 */
#define _POSIX_C_SOURCE 200809L   /* popen, mkstemp, fdopen */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include "fs/initramfs.h"
#include "tests/host/check.h"

#define PAGE 4096

struct ar {
	unsigned char buf[1 << 20];
	size_t len;
};

static void pad4(struct ar *a)
{
	while (a->len % 4)
		a->buf[a->len++] = 0;
}

static void add(struct ar *a, const char *name, unsigned mode, const unsigned char *data, size_t size)
{
	a->len += (size_t)sprintf((char *)a->buf + a->len,
				  "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
				  (unsigned)a->len + 1, mode, 0, 0, 1, 7, (unsigned)size, 0, 0, 0, 0,
				  (unsigned)strlen(name) + 1, 0);
	memcpy(a->buf + a->len, name, strlen(name) + 1);
	a->len += strlen(name) + 1;
	pad4(a);
	if (size)
		memcpy(a->buf + a->len, data, size);
	a->len += size;
	pad4(a);
}

static char tool[4096];

/* The archive through the tool: its output (malloc'd), or NULL. */
static unsigned char *aligned(const struct ar *a, size_t *size)
{
	char in[] = "/tmp/bramble-cpio-align-XXXXXX", cmd[8192 + 64];
	int fd = mkstemp(in);
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	unsigned char *out = malloc(4u << 20);

	if (!f || !out || fwrite(a->buf, 1, a->len, f) != a->len || fclose(f)) {
		free(out);
		return NULL;
	}
	snprintf(cmd, sizeof(cmd), "'%s' 0 < '%s'", tool, in);
	FILE *p = popen(cmd, "r");
	*size = p ? fread(out, 1, 4u << 20, p) : 0;
	if (!p || pclose(p) != 0)
		*size = 0;
	remove(in);
	if (!*size) {
		free(out);
		return NULL;
	}
	return out;
}

/* Every name field at most PATH_MAX, every big file's data page-aligned:
 * walks the headers itself (the parser does not say where data lies). */
static const char *layout_ok(const unsigned char *b, size_t size, int *dots)
{
	size_t off = 0;

	*dots = 0;
	for (;;) {
		unsigned long f[13];
		char field[9] = { 0 };
		if (off + 110 > size)
			return "runs past the end";
		for (int i = 0; i < 13; i++) {
			memcpy(field, b + off + 6 + 8 * i, 8);
			f[i] = strtoul(field, NULL, 16);
		}
		size_t namesize = f[11], filesize = f[6], data = (off + 110 + namesize + 3) & ~(size_t)3;
		const char *name = (const char *)b + off + 110;
		if (namesize > 4096)
			return "a name field longer than PATH_MAX";
		if (strcmp(name, "TRAILER!!!") == 0)
			return size % 512 ? "not padded to 512 bytes" : NULL;
		if (strcmp(name, ".") == 0)
			(*dots)++;
		if ((f[1] & 0170000) == 0100000 && filesize >= PAGE && data % PAGE)
			return "a big file's data off a page boundary";
		off = (data + filesize + 3) & ~(size_t)3;
	}
}

/* Both archives parse, to the same nodes (the "." the tool may add is the
 * root's, which the parser folds into node 0). */
static bool same_files(const unsigned char *x, size_t xn, const unsigned char *y, size_t yn)
{
	int cx = cpio_count(x, xn), cy = cpio_count(y, yn);
	struct cpio_node *nx = calloc((size_t)(cx > 0 ? cx : 1), sizeof(*nx));
	struct cpio_node *ny = calloc((size_t)(cy > 0 ? cy : 1), sizeof(*ny));
	struct cpio_tree tx, ty;
	bool ok = cx > 0 && cy > 0 && cpio_parse(x, xn, &tx, nx, cx) == 0 &&
		  cpio_parse(y, yn, &ty, ny, cy) == 0 && tx.count == ty.count;

	for (int i = 1; ok && i < tx.count; i++) {
		const struct cpio_node *a = &tx.nodes[i], *b = &ty.nodes[i];
		ok = a->name_len == b->name_len && !memcmp(a->name, b->name, a->name_len) &&
		     a->parent == b->parent && a->mode == b->mode && a->size == b->size &&
		     a->mtime == b->mtime && (!a->size || !memcmp(a->data, b->data, a->size));
	}
	free(nx);
	free(ny);
	return ok;
}

static void try(const char *tag, const struct ar *a)
{
	char name[64];
	size_t n;
	unsigned char *out = aligned(a, &n);
	int dots = 0;
	const char *why = out ? layout_ok(out, n, &dots) : "the tool failed";

	snprintf(name, sizeof(name), "%s.layout", tag);
	check(!why, name, "%s", why ? why : "");
	snprintf(name, sizeof(name), "%s.same-files", tag);
	check(out && same_files(a->buf, a->len, out, n), name, "files differ");
	free(out);
}

int main(int argc, char **argv)
{
	static struct ar a;
	static unsigned char data[3 * PAGE + 123];
	const char *slash = strrchr(argv[0], '/');

	(void)argc;
	snprintf(tool, sizeof(tool), "%.*scpio-align", slash ? (int)(slash - argv[0] + 1) : 0, argv[0]);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 31 + 7);

	/* Directories, a symlink, small and big files, an empty one. */
	memset(&a, 0, sizeof(a));
	add(&a, "bin", 040755, NULL, 0);
	add(&a, "bin/big", 0100755, data, sizeof(data));
	add(&a, "bin/link", 0120777, (const unsigned char *)"big", 3);
	add(&a, "bin/small", 0100644, data, 100);
	add(&a, "bin/page", 0100644, data, PAGE);
	add(&a, "empty", 0100644, NULL, 0);
	add(&a, "TRAILER!!!", 0, NULL, 0);
	try("cpio-align.mixed", &a);

	/* A long-named big file's header at every offset of a page: where its
	 * padding would pass PATH_MAX a "." entry pads first; all come out
	 * aligned and within PATH_MAX. */
	static char longname[200];
	memset(longname, 'n', sizeof(longname) - 1);
	int with_dot = 0, bad = 0;
	for (size_t lead = 0; lead < PAGE; lead += 16) {
		size_t n;
		int dots;
		memset(&a, 0, sizeof(a));
		add(&a, "lead", 0100644, data, lead);
		add(&a, longname, 0100644, data, PAGE + 1);
		add(&a, "TRAILER!!!", 0, NULL, 0);
		unsigned char *out = aligned(&a, &n);
		if (!out || layout_ok(out, n, &dots) || !same_files(a.buf, a.len, out, n))
			bad++;
		else
			with_dot += dots > 0;
		free(out);
	}
	check(!bad && with_dot > 0, "cpio-align.every-offset", "%d bad, %d with a \".\"", bad, with_dot);
	return check_exit_status();
}
