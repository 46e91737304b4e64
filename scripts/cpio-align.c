/*
 * cpio-align: copies a newc cpio archive (stdin to stdout) with the data of
 * every regular file of a page or more starting on a page boundary of the
 * archive, so the kernel can keep the initramfs's own pages as the files'
 * pages instead of copying them (fs/rootfs.c). Only the name fields change:
 * a name is padded with NULs up to the size its field needs. The archive
 * stays a newc archive that Linux (and cpio -i) unpacks as before: they read
 * a name up to its first NUL and accept fields of up to PATH_MAX bytes.
 * Where the padding would pass PATH_MAX, a "." directory entry (what `find .`
 * archives hold; attributes those of a root of mode 0755 owned by 0:0) pads
 * first. The trailer is padded to 512 bytes, as cpio does.
 *
 *   cpio-align [MTIME] < in.cpio > out.cpio     (MTIME: the "." entry's, default 0)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HDR 110
#define ALIGN 4096u
#define PATH_MAX_FIELD 4096u   /* Linux's PATH_MAX: a longer name field is skipped */

static unsigned char *in;
static size_t in_size, out_off;

static void die(const char *why)
{
	fprintf(stderr, "cpio-align: %s\n", why);
	exit(1);
}

static unsigned long field(const unsigned char *h, int i)
{
	char s[9];
	char *end;

	memcpy(s, h + 6 + 8 * i, 8);
	s[8] = 0;
	unsigned long v = strtoul(s, &end, 16);
	if (*end)
		die("a header field is not hex");
	return v;
}

static void put(const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, stdout) != n)
		die("write failed");
	out_off += n;
}

static void put_zeros(size_t n)
{
	static const unsigned char z[ALIGN];

	while (n) {
		size_t k = n < sizeof(z) ? n : sizeof(z);
		put(z, k);
		n -= k;
	}
}

static size_t align4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

/* The header h with its name field namesize bytes long. */
static void put_header(const unsigned char *h, size_t namesize)
{
	unsigned char out[HDR];
	char f[9];

	memcpy(out, h, HDR);
	snprintf(f, sizeof(f), "%08lX", (unsigned long)namesize);
	memcpy(out + 6 + 8 * 11, f, 8);
	put(out, HDR);
}

/* Name-field padding that puts data right after a header at out_off on a
 * page boundary; its field then holds namesize + pad bytes. */
static size_t pad_for(size_t namesize)
{
	size_t end = out_off + HDR + namesize;
	return (end + ALIGN - 1) / ALIGN * ALIGN - end;
}

/* A "." directory entry whose name field brings out_off to want. */
static void put_dot(size_t want, unsigned long mtime)
{
	char h[HDR + 1];
	size_t namesize = want - out_off - HDR;

	snprintf(h, sizeof(h), "070701%08X%08X%08X%08X%08X%08lX%08X%08X%08X%08X%08X%08lX%08X",
		 0u, 040755u, 0u, 0u, 2u, mtime, 0u, 0u, 0u, 0u, 0u, (unsigned long)namesize, 0u);
	put(h, HDR);
	put(".", 1);
	put_zeros(namesize - 1);
}

int main(int argc, char **argv)
{
	unsigned long mtime = argc > 1 ? strtoul(argv[1], NULL, 10) : 0;
	size_t cap = 1 << 20, off = 0;

	in = malloc(cap);
	for (size_t n; in && (n = fread(in + in_size, 1, cap - in_size, stdin)) > 0;)
		if ((in_size += n) == cap && !(in = realloc(in, cap *= 2)))
			die("out of memory");
	if (!in)
		die("out of memory");
	for (;;) {
		const unsigned char *h = in + off;
		if (off + HDR > in_size || memcmp(h, "07070", 5) || (h[5] != '1' && h[5] != '2'))
			die("not a newc cpio archive");
		unsigned long mode = field(h, 1), filesize = field(h, 6), namesize = field(h, 11);
		if (namesize < 2 || off + HDR + namesize > in_size)
			die("a name runs past the end");
		const unsigned char *name = h + HDR;
		size_t data = align4(off + HDR + namesize);
		if (filesize > in_size || data > in_size - filesize)
			die("a file runs past the end");
		int trailer = namesize == 11 && !memcmp(name, "TRAILER!!!", 11);
		size_t pad = 0;
		if ((mode & 0170000) == 0100000 && filesize >= ALIGN) {
			pad = pad_for(namesize);
			if (namesize + pad > PATH_MAX_FIELD) {
				/* A "." entry up to the next page, then the usual pad. */
				size_t next = (out_off + ALIGN - 1) / ALIGN * ALIGN;
				if (next - out_off < HDR + 2)
					next += ALIGN;
				put_dot(next, mtime);
				pad = pad_for(namesize);
			}
		}
		put_header(h, namesize + pad);
		put(name, namesize);
		put_zeros(align4(out_off + pad) - out_off);
		put(in + data, filesize);
		put_zeros(align4(out_off) - out_off);
		off = align4(data + filesize);
		if (trailer)
			break;
	}
	put_zeros((out_off + 511) / 512 * 512 - out_off);
	return fflush(stdout) ? 1 : 0;
}
