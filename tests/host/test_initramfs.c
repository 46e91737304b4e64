/*
 * Host tests for fs/initramfs.c. Real archives are built at test time with
 * the host's `cpio -o -H newc` (and -H crc) from a temporary tree holding
 * nested directories, files of odd and zero size, a hard link, absolute and
 * relative symlinks, chains and a loop; every node is checked against what
 * `find -printf` says about the tree. Crafted archives (a small newc writer
 * below) cover name normalisation, duplicates and conflicts; corrupt ones
 * cover every header field, and every truncation of a small archive. Every
 * archive is handed over in a malloc'd buffer of its exact size, so under
 * -fsanitize=address a read past the end crashes the test.
 *
 * usage: test_initramfs [ignored]
 */
#define _GNU_SOURCE   /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fs/initramfs.h"
#include "lib/uapi/errno.h"
#include "tests/host/check.h"

static char tmpdir[] = "/tmp/bramble-initramfs-XXXXXX";
static bool made_tmpdir;

/* ---- helpers ---------------------------------------------------------- */

/* Reads a whole file into an exact-size malloc'd buffer (size 0 gets 1). */
static unsigned char *load_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n ? (size_t)n : 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = (size_t)n;
	return buf;
}

/* An exact-size copy of buf[0..n): the sanitizer then sees any overread. */
static unsigned char *dup_exact(const void *buf, size_t n)
{
	unsigned char *p = malloc(n ? n : 1);

	memcpy(p, buf, n);
	return p;
}

/* Lookup returning the index or the error, for compact checks. */
static int lk(const struct initramfs *fs, int cwd, const char *path, bool follow)
{
	int out = -12345, err = fs_lookup(fs, cwd, path, follow, &out);

	return err ? err : out;
}

/* The node's contents equal the given string. */
static bool data_is(const struct initramfs *fs, int i, const char *s)
{
	size_t n = strlen(s);

	if (i < 0 || i >= fs->count || fs->nodes[i].size != n)
		return false;
	return n == 0 || memcmp(fs->nodes[i].data, s, n) == 0;
}

static bool name_is(const struct initramfs *fs, int i, const char *s)
{
	return i >= 0 && i < fs->count && fs->nodes[i].name_len == strlen(s) &&
	       memcmp(fs->nodes[i].name, s, strlen(s)) == 0;
}

/* Structural invariants every parse result must satisfy: parents earlier
 * and directories, names non-empty and slash-free, data inside the archive,
 * fs_path round-trips through fs_lookup. Returns a description or NULL. */
static const char *consistent(const struct initramfs *fs, const unsigned char *buf, size_t size)
{
	static char why[128];
	char path[FS_PATH_MAX];

	if (fs->count < 1 || fs->nodes[0].parent != 0 || !inode_is_dir(&fs->nodes[0]))
		return "bad root";
	for (int i = 1; i < fs->count; i++) {
		const struct inode *n = &fs->nodes[i];
		int back;

		if (n->parent < 0 || n->parent >= i || !inode_is_dir(&fs->nodes[n->parent]))
			return snprintf(why, sizeof(why), "node %d parent %d", i, n->parent), why;
		if (n->name_len == 0 || memchr(n->name, '/', n->name_len) ||
		    (const unsigned char *)n->name < buf ||
		    (const unsigned char *)n->name + n->name_len > buf + size)
			return snprintf(why, sizeof(why), "node %d name", i), why;
		if (n->size && (n->data < buf || n->size > (size_t)(buf + size - n->data)))
			return snprintf(why, sizeof(why), "node %d data", i), why;
		if (fs_path(fs, i, path, sizeof(path)) < 0)
			continue;   /* deeper than PATH_MAX: allowed in an archive */
		back = lk(fs, 0, path, false);
		if (back != i)
			return snprintf(why, sizeof(why), "node %d path %.60s -> %d", i, path, back), why;
	}
	return NULL;
}

/* cpio_count, then cpio_parse with exactly that many nodes. */
static int parse_counted(const unsigned char *buf, size_t size, struct initramfs *fs, struct inode **nodes)
{
	int n = cpio_count(buf, size);

	*nodes = NULL;
	fs->count = 0;
	if (n < 0)
		return n;
	*nodes = calloc((size_t)n, sizeof(**nodes));
	return cpio_parse(buf, size, fs, *nodes, n);
}

/* ---- a tiny newc writer for crafted archives --------------------------- */

struct ar {
	unsigned char buf[1 << 16];
	size_t len;
	unsigned ino;
};

static void ar_pad(struct ar *a)
{
	while (a->len % 4)
		a->buf[a->len++] = 0;
}

/* Appends one entry; magic "070701" or "070702" (then the checksum). */
static void ar_add_magic(struct ar *a, const char *magic, const char *name, unsigned mode,
			 const void *data, size_t size)
{
	unsigned sum = 0;

	for (size_t i = 0; i < size; i++)
		sum += ((const unsigned char *)data)[i];
	if (strcmp(magic, "070702") != 0)
		sum = 0;
	a->len += (size_t)sprintf((char *)a->buf + a->len,
				  "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
				  magic, ++a->ino, mode, 0, 0, 1, 1000, (unsigned)size, 0, 0, 0, 0,
				  (unsigned)strlen(name) + 1, sum);
	memcpy(a->buf + a->len, name, strlen(name) + 1);
	a->len += strlen(name) + 1;
	ar_pad(a);
	memcpy(a->buf + a->len, data, size);
	a->len += size;
	ar_pad(a);
}

static void ar_add(struct ar *a, const char *name, unsigned mode, const char *data)
{
	ar_add_magic(a, "070701", name, mode, data, strlen(data));
}

static void ar_trailer(struct ar *a)
{
	ar_add(a, "TRAILER!!!", 0, "");
}

/* Parses an exact-size copy of a crafted archive with exactly cpio_count
 * nodes; returns the cpio_parse result. */
static int ar_parse(struct ar *a, struct initramfs *fs, struct inode **nodes, unsigned char **copy)
{
	*copy = dup_exact(a->buf, a->len);
	return parse_counted(*copy, a->len, fs, nodes);
}

/* ---- real archives ------------------------------------------------------- */

static const char tree_script[] =
	"set -e; cd '%s'; umask 022\n"
	"mkdir -p root/bin root/etc root/usr/lib/deep root/emptydir\n"
	"printf 'BUSYBOX-xyz' > root/bin/busybox; chmod 755 root/bin/busybox\n"
	"ln -s busybox root/bin/sh\n"
	": > root/etc/empty\n"
	"printf 'hi\\n' > root/etc/motd; touch -d @1234567890 root/etc/motd\n"
	"ln -s /etc/motd root/etc/abs\n"
	"printf 'deep\\n' > root/usr/lib/deep/file\n"
	"ln -s usr/lib root/lib\n"
	"ln -s ../../.. root/usr/lib/deep/toroot\n"
	"ln -s loop2 root/loop1; ln -s loop1 root/loop2\n"
	"ln -s nowhere root/dangling\n"
	"ln -s /usr root/dirlink\n"
	"printf 'hard\\n' > root/hard1; ln root/hard1 root/hard2\n"
	"for i in 1 2 3 4 5 6 7; do ln -s c$((i+1)) root/c$i; done; ln -s etc/motd root/c8\n"
	"for i in 1 2 3 4 5 6 7 8; do ln -s d$((i+1)) root/d$i; done; ln -s etc/motd root/d9\n"
	"touch root/etc/$(printf 'L%%.0s' $(seq 255))\n"
	"cd root\n"
	"find . | LC_ALL=C sort | cpio -o -H newc --quiet > ../full.cpio\n"
	"find . ! -type d | LC_ALL=C sort | cpio -o -H newc --quiet > ../nodirs.cpio\n"
	"find . | LC_ALL=C sort | cpio -o -H crc --quiet > ../crc.cpio\n"
	"find . -printf '%%y|%%s|%%m|%%p|%%l\\n' | LC_ALL=C sort > ../listing\n"
	"mkdir ../small; cd ../small; mkdir d; printf 'abcde' > d/f; ln -s f d/l\n"
	"find . | cpio -o -H newc --quiet > ../small.cpio\n";

static bool build_tree(void)
{
	char cmd[sizeof(tree_script) + 64];

	if (!mkdtemp(tmpdir))
		return false;
	made_tmpdir = true;
	snprintf(cmd, sizeof(cmd), tree_script, tmpdir);
	return system(cmd) == 0;
}

static unsigned char *load_tmp(const char *name, size_t *size)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	return load_file(path, size);
}

/* Every node find(1) lists: found without following, of the same type,
 * size, permissions and symlink target; directories list exactly the
 * children find saw. */
static void check_against_listing(const char *tag, const struct initramfs *fs, bool dirs_archived)
{
	char path[256], line[1024], name[64];
	FILE *f;
	int lines = 0, bad = 0, children = 0, absent = 0;

	snprintf(path, sizeof(path), "%s/listing", tmpdir);
	f = fopen(path, "r");
	if (!f) {
		check(0, tag, "no listing");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char type, *p, *target, *fields[5];
		unsigned long fsize, perm;
		int i, k = 0, c, cur = 0;

		line[strcspn(line, "\n")] = 0;
		for (p = strtok(line, "|"); p && k < 5; p = strtok(NULL, "|"))
			fields[k++] = p;
		if (k < 4)
			continue;
		target = k > 4 ? fields[4] : "";
		type = fields[0][0];
		fsize = strtoul(fields[1], NULL, 10);
		perm = strtoul(fields[2], NULL, 8);
		lines++;
		i = lk(fs, 0, strcmp(fields[3], ".") ? fields[3] + 1 : "/", false);   /* "./x" -> "/x" */
		if (i == -ENOENT && type == 'd' && !dirs_archived) {
			absent++;    /* an empty directory has no file to imply it */
			continue;
		}
		if (i < 0) {
			if (!bad++)
				printf("  %s: %s -> %d\n", tag, fields[3], i);
			continue;
		}
		const struct inode *n = &fs->nodes[i];
		bool ok = (type == 'd' && inode_is_dir(n)) ||
			  (type == 'f' && inode_is_reg(n) && n->size == fsize) ||
			  (type == 'l' && inode_is_symlink(n) && n->size == strlen(target) &&
			   memcmp(n->data, target, n->size) == 0);
		if (type != 'd' || dirs_archived)
			ok = ok && (n->mode & 07777) == perm;
		if (type == 'd') {
			while ((c = fs_readdir(fs, i, &cur)) >= 0) {
				children++;
				ok = ok && fs->nodes[c].parent == i;
			}
		}
		if (!ok && !bad++)
			printf("  %s: %s mismatch (mode %o size %lu)\n", tag, fields[3], n->mode,
			       (unsigned long)n->size);
	}
	fclose(f);
	snprintf(name, sizeof(name), "%s.matches-find", tag);
	check(lines > 30 && !bad, name, "%d of %d lines bad", bad, lines);
	snprintf(name, sizeof(name), "%s.readdir-covers-all", tag);
	check(children == fs->count - 1 && fs->count == lines - absent && absent <= 1, name,
	      "children %d count %d lines %d absent %d", children, fs->count, lines, absent);
}

/* The lookup semantics, on the full tree. */
static void check_lookups(const struct initramfs *fs)
{
	int bin = lk(fs, 0, "/bin", true), busybox = lk(fs, 0, "/bin/busybox", true);
	int motd = lk(fs, 0, "/etc/motd", true), usr = lk(fs, 0, "/usr", true);
	int ulib = lk(fs, 0, "/usr/lib", true), deepf = lk(fs, 0, "/usr/lib/deep/file", true);
	int sh = lk(fs, 0, "/bin/sh", false), lib = lk(fs, 0, "/lib", false);
	int loop1 = lk(fs, 0, "/loop1", false), etc = lk(fs, 0, "/etc", true);
	char longpath[FS_PATH_MAX + 8], comp[300];

	check(bin > 0 && busybox > 0 && motd > 0 && usr > 0 && ulib > 0 && deepf > 0 && sh > 0 &&
	      lib > 0 && loop1 > 0 && etc > 0, "initramfs.lookup.basic", "bin %d busybox %d motd %d",
	      bin, busybox, motd);
	check(lk(fs, 0, "/", true) == 0 && lk(fs, 5, "/", false) == 0 && lk(fs, 0, "///", true) == 0,
	      "initramfs.lookup.root", "%d", lk(fs, 0, "/", true));
	check(lk(fs, 0, "", true) == -EINVAL && fs_lookup(fs, 0, NULL, true, &(int){0}) == -EINVAL,
	      "initramfs.lookup.empty-einval", "%d", lk(fs, 0, "", true));
	check(data_is(fs, busybox, "BUSYBOX-xyz") && inode_is_reg(&fs->nodes[busybox]) &&
	      (fs->nodes[busybox].mode & 0777) == 0755, "initramfs.file.contents-odd-size",
	      "size %lu", (unsigned long)fs->nodes[busybox].size);
	check(data_is(fs, lk(fs, 0, "/etc/empty", true), ""), "initramfs.file.empty", "not empty");
	check(fs->nodes[motd].mtime == 1234567890 && data_is(fs, motd, "hi\n"),
	      "initramfs.file.mtime", "%u", fs->nodes[motd].mtime);
	check(data_is(fs, lk(fs, 0, "/hard1", true), "hard\n") && data_is(fs, lk(fs, 0, "/hard2", true), "hard\n") &&
	      fs->nodes[lk(fs, 0, "/hard1", true)].nlink == 2, "initramfs.file.hard-links-share-data", "");
	check(lk(fs, 0, "//bin///busybox", true) == busybox && lk(fs, 0, "/bin/./busybox", true) == busybox &&
	      lk(fs, 0, "/./bin/../bin/busybox", true) == busybox && lk(fs, 0, "/../../bin/busybox", true) == busybox,
	      "initramfs.lookup.dots-and-slashes", "");
	check(lk(fs, 0, "/..", true) == 0 && lk(fs, 0, "..", true) == 0 && lk(fs, 0, ".", true) == 0,
	      "initramfs.lookup.dotdot-at-root", "");
	check(lk(fs, 0, "/bin/", true) == bin && lk(fs, 0, "/bin//", false) == bin && lk(fs, 0, "/bin/.", false) == bin,
	      "initramfs.lookup.trailing-slash-dir", "");
	check(lk(fs, 0, "/bin/busybox/", true) == -ENOTDIR && lk(fs, 0, "/bin/busybox/.", true) == -ENOTDIR &&
	      lk(fs, 0, "/bin/busybox/x", true) == -ENOTDIR && lk(fs, 0, "/bin/busybox/..", true) == -ENOTDIR,
	      "initramfs.lookup.file-as-dir-enotdir", "%d", lk(fs, 0, "/bin/busybox/", true));
	check(lk(fs, bin, "busybox", true) == busybox && lk(fs, bin, "../etc/motd", true) == motd &&
	      lk(fs, bin, ".", true) == bin && lk(fs, bin, "..", true) == 0 && lk(fs, bin, "/etc/motd", true) == motd,
	      "initramfs.lookup.relative-to-cwd", "");
	check(lk(fs, busybox, "x", true) == -ENOTDIR && lk(fs, -1, "x", true) == -EINVAL &&
	      lk(fs, fs->count, "x", true) == -EINVAL && lk(fs, busybox, "/bin", true) == bin,
	      "initramfs.lookup.bad-cwd", "%d", lk(fs, busybox, "x", true));
	check(lk(fs, 0, "/nope", true) == -ENOENT && lk(fs, 0, "/bin/nope", true) == -ENOENT &&
	      lk(fs, 0, "/nope/x", true) == -ENOENT && lk(fs, 0, "/bin/busyboxx", true) == -ENOENT &&
	      lk(fs, 0, "/bin/busybo", true) == -ENOENT, "initramfs.lookup.enoent", "");
	/* symlinks */
	check(lk(fs, 0, "/bin/sh", true) == busybox && inode_is_symlink(&fs->nodes[sh]) && data_is(fs, sh, "busybox"),
	      "initramfs.symlink.relative-from-link-dir", "%d", lk(fs, 0, "/bin/sh", true));
	check(lk(fs, 0, "/etc/abs", true) == motd && lk(fs, bin, "../etc/abs", true) == motd,
	      "initramfs.symlink.absolute-from-root", "");
	check(lk(fs, 0, "/lib/deep/file", false) == deepf && lk(fs, 0, "/dirlink/lib/deep/file", false) == deepf,
	      "initramfs.symlink.intermediate-always-followed", "");
	check(inode_is_symlink(&fs->nodes[lib]) && lk(fs, 0, "/lib", true) == ulib &&
	      lk(fs, 0, "/lib/", false) == ulib && lk(fs, 0, "/lib/.", false) == ulib,
	      "initramfs.symlink.last-only-if-follow-or-slash", "%d", lk(fs, 0, "/lib/", false));
	check(lk(fs, 0, "/lib/..", true) == usr, "initramfs.symlink.dotdot-is-physical", "%d",
	      lk(fs, 0, "/lib/..", true));
	check(lk(fs, 0, "/usr/lib/deep/toroot/bin/busybox", true) == busybox &&
	      lk(fs, 0, "/lib/deep/toroot/etc/abs", true) == motd && lk(fs, 0, "/lib/deep/toroot", true) == 0,
	      "initramfs.symlink.relative-up-to-root", "");
	check(lk(fs, 0, "/etc/abs/", true) == -ENOTDIR && lk(fs, 0, "/etc/abs/", false) == -ENOTDIR &&
	      lk(fs, 0, "/bin/sh/x", false) == -ENOTDIR, "initramfs.symlink.to-file-as-dir", "%d",
	      lk(fs, 0, "/etc/abs/", false));
	check(lk(fs, 0, "/loop1", true) == -ELOOP && lk(fs, 0, "/loop1/x", false) == -ELOOP &&
	      lk(fs, 0, "/loop1/", false) == -ELOOP && lk(fs, 0, "/loop1", false) == loop1,
	      "initramfs.symlink.loop-eloop", "%d", lk(fs, 0, "/loop1", true));
	check(lk(fs, 0, "/c1", true) == motd, "initramfs.symlink.chain-of-8-ok", "%d", lk(fs, 0, "/c1", true));
	check(lk(fs, 0, "/d1", true) == -ELOOP && lk(fs, 0, "/d2", true) == motd,
	      "initramfs.symlink.chain-of-9-eloop", "%d", lk(fs, 0, "/d1", true));
	check(lk(fs, 0, "/dangling", true) == -ENOENT && lk(fs, 0, "/dangling", false) > 0,
	      "initramfs.symlink.dangling", "%d", lk(fs, 0, "/dangling", true));
	/* length limits */
	memset(comp, 'L', 255);
	comp[255] = 0;
	snprintf(longpath, sizeof(longpath), "/etc/%s", comp);
	check(lk(fs, 0, longpath, true) > 0, "initramfs.name.255-ok", "%d", lk(fs, 0, longpath, true));
	strcat(longpath, "L");
	check(lk(fs, 0, longpath, true) == -ENAMETOOLONG, "initramfs.name.256-enametoolong", "%d",
	      lk(fs, 0, longpath, true));
	memset(longpath, '/', FS_PATH_MAX - 1);
	memcpy(longpath + FS_PATH_MAX - 5, "/bin", 5);    /* 4095 characters */
	check(lk(fs, 0, longpath, true) == bin, "initramfs.path.4095-ok", "%d", lk(fs, 0, longpath, true));
	memset(longpath, '/', FS_PATH_MAX);
	memcpy(longpath + FS_PATH_MAX - 4, "/bin", 5);    /* 4096 characters */
	check(lk(fs, 0, longpath, true) == -ENAMETOOLONG, "initramfs.path.4096-enametoolong", "%d",
	      lk(fs, 0, longpath, true));
}

static void check_readdir_and_path(const struct initramfs *fs)
{
	int bin = lk(fs, 0, "/bin", true), busybox = lk(fs, 0, "/bin/busybox", true);
	int deep = lk(fs, 0, "/usr/lib/deep", true), cur = 0, c, n = 0, names = 0;
	char buf[64];

	while ((c = fs_readdir(fs, bin, &cur)) >= 0) {
		n++;
		names += name_is(fs, c, "busybox") + name_is(fs, c, "sh");
	}
	check(n == 2 && names == 2 && fs_readdir(fs, bin, &cur) == -1, "initramfs.readdir.bin",
	      "%d children", n);
	cur = 0;
	check(fs_readdir(fs, lk(fs, 0, "/emptydir", true), &cur) == -1, "initramfs.readdir.empty-dir", "");
	cur = 0;
	check(fs_readdir(fs, busybox, &cur) == -1 && fs_readdir(fs, -1, &cur) == -1 &&
	      fs_readdir(fs, fs->count, &cur) == -1, "initramfs.readdir.not-a-dir", "");
	cur = 0;
	n = 0;
	while (fs_readdir(fs, 0, &cur) >= 0)
		n++;
	check(n == 28, "initramfs.readdir.root", "%d children", n);   /* 28: see tree_script */
	check(fs_path(fs, 0, buf, sizeof(buf)) == 1 && strcmp(buf, "/") == 0, "initramfs.path.root", "%s", buf);
	check(fs_path(fs, busybox, buf, sizeof(buf)) == 12 && strcmp(buf, "/bin/busybox") == 0,
	      "initramfs.path.file", "%s", buf);
	check(fs_path(fs, deep, buf, 14) == 13 && strcmp(buf, "/usr/lib/deep") == 0 &&
	      fs_path(fs, deep, buf, 13) == -ENAMETOOLONG && fs_path(fs, 0, buf, 1) == -ENAMETOOLONG &&
	      fs_path(fs, 0, buf, 0) == -ENAMETOOLONG, "initramfs.path.exact-buffer", "%s", buf);
	check(fs_path(fs, -1, buf, sizeof(buf)) == -EINVAL && fs_path(fs, fs->count, buf, sizeof(buf)) == -EINVAL,
	      "initramfs.path.bad-node", "");
}

static void test_real_archives(void)
{
	unsigned char *buf;
	struct inode *nodes;
	struct initramfs fs;
	const char *why;
	size_t size;
	int n, err;

	if (!check(build_tree(), "initramfs.build-tree-with-cpio", "cpio or shell failed"))
		return;
	/* newc, with directories */
	buf = load_tmp("full.cpio", &size);
	n = cpio_count(buf, size);
	nodes = calloc((size_t)(n > 0 ? n : 1), sizeof(*nodes));
	check(n > 30 && cpio_parse(buf, size, &fs, nodes, n - 1) == -ENOMEM && fs.count == 0,
	      "initramfs.full.enomem-one-short", "count %d", n);
	err = cpio_parse(buf, size, &fs, nodes, n);
	check(err == 0 && fs.count == n, "initramfs.full.parse", "err %d count %d of %d", err, fs.count, n);
	if (err == 0) {
		why = consistent(&fs, buf, size);
		check(!why, "initramfs.full.consistent", "%s", why);
		check_against_listing("initramfs.full", &fs, true);
		check_lookups(&fs);
		check_readdir_and_path(&fs);
	}
	free(nodes);
	free(buf);
	/* no directory entries: all implied */
	buf = load_tmp("nodirs.cpio", &size);
	err = parse_counted(buf, size, &fs, &nodes);
	check(err == 0 && fs.count == cpio_count(buf, size), "initramfs.nodirs.parse-count-exact", "%d", err);
	if (err == 0) {
		why = consistent(&fs, buf, size);
		check(!why, "initramfs.nodirs.consistent", "%s", why);
		check_against_listing("initramfs.nodirs", &fs, false);
		check(lk(&fs, 0, "/lib/deep/toroot/usr/lib/deep/file", true) > 0 &&
		      fs.nodes[lk(&fs, 0, "/usr/lib", true)].mode == (S_IFDIR | 0755),
		      "initramfs.nodirs.implied-dirs", "");
	}
	free(nodes);
	free(buf);
	/* 070702 with checksums */
	buf = load_tmp("crc.cpio", &size);
	err = parse_counted(buf, size, &fs, &nodes);
	check(err == 0 && data_is(&fs, lk(&fs, 0, "/bin/sh", true), "BUSYBOX-xyz"),
	      "initramfs.crc.parse", "%d", err);
	if (err == 0) {
		why = consistent(&fs, buf, size);
		check(!why, "initramfs.crc.consistent", "%s", why);
	}
	free(nodes);
	/* a flipped data byte breaks the checksum */
	{
		unsigned char *p = memmem(buf, size, "BUSYBOX-xyz", 11);
		if (p)
			p[0] = 'b';
		check(p && cpio_count(buf, size) == -EINVAL, "initramfs.crc.bad-checksum", "");
	}
	free(buf);
}

/* ---- crafted archives ------------------------------------------------------ */

static void test_crafted(void)
{
	static struct ar a;
	struct initramfs fs;
	struct inode *nodes;
	unsigned char *copy;
	int err;

	/* name forms: "/x", "./x", "a//b", "./a/./b", "." */
	memset(&a, 0, sizeof(a));
	ar_add(&a, ".", S_IFDIR | 0700, "");
	ar_add(&a, "/abs", S_IFREG | 0644, "A");
	ar_add(&a, "./dot", S_IFREG | 0644, "D");
	ar_add(&a, "a//b", S_IFREG | 0644, "AB");
	ar_add(&a, "./a/./c/", S_IFDIR | 0755, "");
	ar_add(&a, "//./x/y/z", S_IFREG | 0600, "XYZ");
	ar_trailer(&a);
	err = ar_parse(&a, &fs, &nodes, &copy);
	check(err == 0 && fs.count == 9 && (fs.nodes[0].mode & 0777) == 0700 &&
	      data_is(&fs, lk(&fs, 0, "/abs", true), "A") && data_is(&fs, lk(&fs, 0, "dot", true), "D") &&
	      data_is(&fs, lk(&fs, 0, "/a/b", true), "AB") && inode_is_dir(&fs.nodes[lk(&fs, 0, "/a/c", true)]) &&
	      data_is(&fs, lk(&fs, 0, "/x/y/z", true), "XYZ") && name_is(&fs, lk(&fs, 0, "/x/y", true), "y"),
	      "initramfs.crafted.name-forms", "err %d count %d", err, fs.count);
	free(nodes);
	free(copy);

	/* duplicates: the later entry wins, in place */
	memset(&a, 0, sizeof(a));
	ar_add(&a, "d/f", S_IFREG | 0644, "one");
	ar_add(&a, "d", S_IFDIR | 0711, "");
	ar_add(&a, "./d/f", S_IFREG | 0600, "second");
	ar_add(&a, "e", S_IFDIR | 0755, "");
	ar_add(&a, "e", S_IFREG | 0644, "now a file");
	ar_add(&a, "g", S_IFREG | 0644, "file");
	ar_add(&a, "g", S_IFLNK | 0777, "d/f");
	ar_trailer(&a);
	err = ar_parse(&a, &fs, &nodes, &copy);
	check(cpio_count(copy, a.len) == 8, "initramfs.crafted.duplicates-counted", "%d", cpio_count(copy, a.len));
	check(err == 0 && fs.count == 5 && data_is(&fs, lk(&fs, 0, "/d/f", true), "second") &&
	      (fs.nodes[lk(&fs, 0, "/d", true)].mode & 0777) == 0711 &&
	      data_is(&fs, lk(&fs, 0, "/e", true), "now a file") &&
	      lk(&fs, 0, "/g", true) == lk(&fs, 0, "/d/f", true),
	      "initramfs.crafted.duplicates-later-wins", "err %d count %d", err, fs.count);
	free(nodes);
	free(copy);

	/* out of order, directories implied or listed late: the count is exact */
	memset(&a, 0, sizeof(a));
	ar_add(&a, "x/y/f1", S_IFREG | 0644, "1");
	ar_add(&a, "a/b", S_IFREG | 0644, "b");
	ar_add(&a, "x/y/f2", S_IFREG | 0644, "2");
	ar_add(&a, "x/z/f3", S_IFREG | 0644, "3");
	ar_add(&a, "a", S_IFDIR | 0700, "");
	ar_add(&a, "q/r/s", S_IFREG | 0644, "s");
	ar_add(&a, "q/r", S_IFDIR | 0750, "");
	ar_add(&a, "x/y/f1", S_IFREG | 0644, "one");
	ar_trailer(&a);
	err = ar_parse(&a, &fs, &nodes, &copy);
	check(err == 0 && fs.count == 12 && cpio_count(copy, a.len) == 13 &&
	      (fs.nodes[lk(&fs, 0, "/q/r", true)].mode & 0777) == 0750 &&
	      (fs.nodes[lk(&fs, 0, "/a", true)].mode & 0777) == 0700 && data_is(&fs, lk(&fs, 0, "/x/y/f1", true), "one"),
	      "initramfs.crafted.out-of-order-count", "err %d count %d of %d", err, fs.count, cpio_count(copy, a.len));
	free(nodes);
	free(copy);
	a.len = 0;
	a.ino = 0;
	ar_add(&a, "x/y/f1", S_IFREG | 0644, "1");
	ar_add(&a, "a/b", S_IFREG | 0644, "b");
	ar_add(&a, "x/y/f2", S_IFREG | 0644, "2");
	ar_add(&a, "x/z/f3", S_IFREG | 0644, "3");
	ar_add(&a, "a", S_IFDIR | 0700, "");
	ar_add(&a, "q/r/s", S_IFREG | 0644, "s");
	ar_add(&a, "q/r", S_IFDIR | 0750, "");
	ar_trailer(&a);
	copy = dup_exact(a.buf, a.len);
	{
		struct inode few[12];
		check(cpio_count(copy, a.len) == 12 && cpio_parse(copy, a.len, &fs, few, 11) == -ENOMEM &&
		      cpio_parse(copy, a.len, &fs, few, 12) == 0 && fs.count == 12,
		      "initramfs.crafted.out-of-order-count-exact", "%d", cpio_count(copy, a.len));
	}
	free(copy);

	/* ".." in a name, a path through a file, a file over a full directory */
	static const char *const bad_names[] = { "../x", "a/../b", "a/.." };
	for (int i = 0; i < 3; i++) {
		memset(&a, 0, sizeof(a));
		ar_add(&a, bad_names[i], S_IFREG | 0644, "x");
		ar_trailer(&a);
		copy = dup_exact(a.buf, a.len);
		check(cpio_count(copy, a.len) == -EINVAL, "initramfs.crafted.dotdot-einval", "%s", bad_names[i]);
		free(copy);
	}
	memset(&a, 0, sizeof(a));
	ar_add(&a, "f", S_IFREG | 0644, "x");
	ar_add(&a, "f/g", S_IFREG | 0644, "y");
	ar_trailer(&a);
	err = ar_parse(&a, &fs, &nodes, &copy);
	check(err == -EINVAL && fs.count == 0, "initramfs.crafted.path-through-file", "%d", err);
	free(nodes);
	free(copy);
	memset(&a, 0, sizeof(a));
	ar_add(&a, "d/f", S_IFREG | 0644, "x");
	ar_add(&a, "d", S_IFREG | 0644, "y");
	ar_trailer(&a);
	err = ar_parse(&a, &fs, &nodes, &copy);
	check(err == -EINVAL, "initramfs.crafted.file-over-full-dir", "%d", err);
	free(nodes);
	free(copy);
	memset(&a, 0, sizeof(a));
	ar_add(&a, ".", S_IFREG | 0644, "y");
	ar_trailer(&a);
	err = ar_parse(&a, &fs, &nodes, &copy);
	check(err == -EINVAL, "initramfs.crafted.root-not-dir", "%d", err);
	free(nodes);
	free(copy);

	/* symlink edge cases: empty target, target with a trailing slash */
	memset(&a, 0, sizeof(a));
	ar_add(&a, "empty", S_IFLNK | 0777, "");
	ar_add(&a, "f", S_IFREG | 0644, "x");
	ar_add(&a, "toslash", S_IFLNK | 0777, "f/");
	ar_add(&a, "d", S_IFDIR | 0755, "");
	ar_add(&a, "todir", S_IFLNK | 0777, "/d/");
	ar_add(&a, "self", S_IFLNK | 0777, "self/x");
	ar_trailer(&a);
	err = ar_parse(&a, &fs, &nodes, &copy);
	check(err == 0 && lk(&fs, 0, "/empty", true) == -ENOENT && lk(&fs, 0, "/empty", false) > 0,
	      "initramfs.crafted.empty-symlink-enoent", "%d", lk(&fs, 0, "/empty", true));
	check(err == 0 && lk(&fs, 0, "/toslash", true) == -ENOTDIR && lk(&fs, 0, "/todir", true) == lk(&fs, 0, "/d", true) &&
	      lk(&fs, 0, "/self", true) == -ELOOP, "initramfs.crafted.symlink-target-slash", "%d",
	      lk(&fs, 0, "/toslash", true));
	free(nodes);
	free(copy);

	/* max 0, NULL arguments */
	memset(&a, 0, sizeof(a));
	ar_add(&a, "f", S_IFREG | 0644, "x");
	ar_trailer(&a);
	copy = dup_exact(a.buf, a.len);
	{
		struct inode one[1];
		check(cpio_parse(copy, a.len, &fs, one, 0) == -ENOMEM && cpio_parse(copy, a.len, &fs, one, 1) == -ENOMEM &&
		      cpio_parse(copy, a.len, NULL, one, 1) == -EINVAL && cpio_count(NULL, 0) == -EINVAL &&
		      cpio_count(copy, 0) == -EINVAL, "initramfs.crafted.small-max-and-null", "");
	}
	free(copy);

	/* data after the trailer (padding, a second archive) is ignored */
	memset(&a, 0, sizeof(a));
	ar_add(&a, "f", S_IFREG | 0644, "x");
	ar_trailer(&a);
	memset(a.buf + a.len, 0, 512);
	memcpy(a.buf + a.len + 512, "garbage", 7);
	a.len += 519;
	err = ar_parse(&a, &fs, &nodes, &copy);
	check(err == 0 && fs.count == 2, "initramfs.crafted.after-trailer-ignored", "%d", err);
	free(nodes);
	free(copy);
}

/* ---- corrupt archives ------------------------------------------------------- */

/* cpio_count and cpio_parse on an exact copy of buf[0..n): either both fail
 * with -EINVAL, or the result is consistent (and within the count: repeated
 * paths make the count an upper bound). Returns a description or NULL. */
static const char *survives(const unsigned char *src, size_t n, int *result)
{
	unsigned char *buf = dup_exact(src, n);
	struct inode nodes[64];
	struct initramfs fs;
	const char *why = NULL;
	int c = cpio_count(buf, n), err = cpio_parse(buf, n, &fs, nodes, 64);

	*result = err;
	if (c < 0 && err != c)
		why = "count failed, parse did not";
	else if (err == 0 && (c < fs.count || (why = consistent(&fs, buf, n))))
		why = why ? why : "count too small";
	else if (err != 0 && err != -EINVAL && err != -ENOMEM)
		why = "unexpected error";
	free(buf);
	return why;
}

/* A one-file archive with a header field replaced by text. */
static int with_field(int field, const char *text)
{
	static struct ar a;
	int r;

	memset(&a, 0, sizeof(a));
	ar_add(&a, "file", S_IFREG | 0644, "contents");
	ar_trailer(&a);
	memcpy(a.buf + 6 + 8 * field, text, strlen(text));
	survives(a.buf, a.len, &r);
	return r;
}

static void test_corrupt(void)
{
	static struct ar a;
	unsigned char *small;
	size_t size;
	unsigned char *trailer;
	size_t complete;
	int r, fails = 0, wrong = 0;
	const char *why = NULL;

	small = load_tmp("small.cpio", &size);
	if (!check(small != NULL, "initramfs.corrupt.small-archive", "missing")) {
		free(small);
		return;
	}
	trailer = memmem(small, size, "TRAILER!!!", 10);
	if (!check(trailer != NULL, "initramfs.corrupt.small-has-trailer", "none")) {
		free(small);
		return;
	}
	/* the archive is complete once the trailer's name is; GNU cpio pads
	 * the rest to 512 bytes */
	complete = (size_t)(trailer - small) + 11;
	for (size_t n = 0; n <= size; n++) {
		const char *w = survives(small, n, &r);
		if (w && !why)
			why = w, fails = (int)n;
		if ((r == 0) != (n >= complete) && !wrong)
			wrong = (int)n;
	}
	check(!why, "initramfs.corrupt.every-truncation-safe", "length %d: %s", fails, why);
	check(!wrong, "initramfs.corrupt.every-truncation-einval", "length %d (complete at %zu)", wrong, complete);
	/* the trailer header is cut off: no TRAILER!!! */
	survives(small, complete - 121, &r);
	check(r == -EINVAL, "initramfs.corrupt.missing-trailer", "%d", r);

	/* single-byte mutations of the small archive, fixed seed */
	srand(1);
	why = NULL;
	for (int i = 0; i < 3000; i++) {
		unsigned char *m = dup_exact(small, size);
		size_t at = (size_t)rand() % 400;
		m[at] = (unsigned char)(rand() % 4 ? "0123456789abcdefF/.\0 "[rand() % 21] : rand());
		const char *w = survives(m, size, &r);
		if (w && !why)
			why = w;
		free(m);
	}
	check(!why, "initramfs.corrupt.random-mutations", "%s", why);
	free(small);

	check(with_field(0, "0000ABCD") == 0, "initramfs.corrupt.control-ok", "%d", with_field(0, "0000ABCD"));
	memset(&a, 0, sizeof(a));
	ar_add(&a, "file", S_IFREG | 0644, "contents");
	ar_trailer(&a);
	memcpy(a.buf, "070707", 6);
	survives(a.buf, a.len, &r);
	check(r == -EINVAL, "initramfs.corrupt.bad-magic", "%d", r);
	for (int f = 0; f < 13; f++) {
		static const char *const junk[] = { "0000000g", " 0000001", "-0000001", "0x000001" };
		char name[64];
		int rf = with_field(f, junk[f % 4]);

		snprintf(name, sizeof(name), "initramfs.corrupt.non-hex-field-%d", f);
		check(rf == -EINVAL, name, "'%s': %d", junk[f % 4], rf);
	}
	check(with_field(11, "00000000") == -EINVAL, "initramfs.corrupt.namesize-0", "");
	check(with_field(11, "00000001") == -EINVAL, "initramfs.corrupt.namesize-1-empty-name", "");
	check(with_field(11, "FFFFFFFF") == -EINVAL && with_field(11, "00001000") == -EINVAL,
	      "initramfs.corrupt.namesize-huge", "");
	check(with_field(11, "00000004") == -EINVAL, "initramfs.corrupt.name-not-terminated", "");
	check(with_field(6, "FFFFFFFF") == -EINVAL && with_field(6, "00000100") == -EINVAL &&
	      with_field(6, "FFFFFFFD") == -EINVAL, "initramfs.corrupt.filesize-past-end", "");
	check(with_field(6, "00000000") == -EINVAL, "initramfs.corrupt.filesize-short-misaligns", "");
}

int main(int argc, char **argv)
{
	char cmd[128];

	(void)argc;
	(void)argv;
	test_real_archives();
	test_crafted();
	test_corrupt();
	if (made_tmpdir) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmpdir);
	}
	return check_exit_status();
}
