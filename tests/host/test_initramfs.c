/*
 * Host tests for fs/initramfs.c's parser and for what fs/rootfs.c makes of
 * its result. Real archives are built at test time with
 * the host's `cpio -o -H newc` (and -H crc) from a temporary tree holding
 * nested directories, files of odd and zero size, a hard link, absolute and
 * relative symlinks, chains and a loop; every node is checked against what
 * `find -printf` says about the tree. Crafted archives (a small newc writer
 * below) cover name normalisation, duplicates and conflicts; corrupt ones
 * cover every header field, and every truncation of a small archive. Every
 * archive is handed over in a malloc'd buffer of its exact size, so under
 * -fsanitize=address a read past the end crashes the test.
 *
 * The parser's output is checked as a tree of nodes (parents, names, data
 * inside the archive, every node's path leading back to it); what a path
 * means (symlinks, "..", limits) is checked on the real VFS: each archive
 * is unpacked by rootfs_unpack into a fresh tmpfs made the root, and
 * namei, readdir and dentry_path answer (tests/host/vfs_stubs.c is the
 * kernel around them). Unpacking and dropping an archive must give back
 * every allocation and every page charged.
 *
 * usage: test_initramfs [ignored]
 */
#define _GNU_SOURCE   /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fs/initramfs.h"
#include "fs/rootfs.h"
#include "fs/tmpfs.h"
#include "fs/file.h"
#include "fs/vfs.h"
#include "lib/uapi/errno.h"
#include "tests/host/check.h"
#include "tests/host/vfs_stubs.h"
#include "kernel/proc.h"
#include "mm/kalloc.h"
#include "mm/mmu.h"
#include "mm/vm_object.h"

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

/* ---- the parser's tree ------------------------------------------------- */

/* Node i's path from the root ("/a/b"): its length, or -ENAMETOOLONG. */
static long tree_path(const struct cpio_tree *t, int i, char *buf, size_t size)
{
	size_t at = size;

	if (size < 2)
		return -ENAMETOOLONG;
	buf[--at] = 0;
	for (; i != 0; i = t->nodes[i].parent) {
		const struct cpio_node *n = &t->nodes[i];
		if (at < n->name_len + 1)
			return -ENAMETOOLONG;
		at -= n->name_len;
		memcpy(buf + at, n->name, n->name_len);
		buf[--at] = '/';
	}
	if (at == size - 1)
		buf[--at] = '/';
	memmove(buf, buf + at, size - at);
	return (long)(size - 1 - at);
}

/* The node an absolute path names by name alone (no ".", "..", links):
 * its index, or -ENOENT. */
static int tree_find(const struct cpio_tree *t, const char *path)
{
	int cur = 0;

	while (*path) {
		while (*path == '/')
			path++;
		size_t len = strcspn(path, "/");
		if (!len)
			break;
		int found = -ENOENT;
		for (int i = 1; i < t->count && found < 0; i++)
			if (t->nodes[i].parent == cur && t->nodes[i].name_len == len &&
			    memcmp(t->nodes[i].name, path, len) == 0)
				found = i;
		if (found < 0)
			return found;
		cur = found;
		path += len;
	}
	return cur;
}

static bool node_data_is(const struct cpio_tree *t, int i, const char *s)
{
	size_t n = strlen(s);

	if (i < 0 || i >= t->count || t->nodes[i].size != n)
		return false;
	return n == 0 || memcmp(t->nodes[i].data, s, n) == 0;
}

/* Structural invariants every parse result must satisfy: parents earlier
 * and directories, names non-empty and slash-free and unique in their
 * directory, data inside the archive, every path leading back to its node.
 * Returns a description or NULL. */
static const char *consistent(const struct cpio_tree *t, const unsigned char *buf, size_t size)
{
	static char why[128];
	char path[FS_PATH_MAX];

	if (t->count < 1 || t->nodes[0].parent != 0 || !cpio_is_dir(&t->nodes[0]))
		return "bad root";
	for (int i = 1; i < t->count; i++) {
		const struct cpio_node *n = &t->nodes[i];
		int back;

		if (n->parent < 0 || n->parent >= i || !cpio_is_dir(&t->nodes[n->parent]))
			return snprintf(why, sizeof(why), "node %d parent %d", i, n->parent), why;
		if (n->name_len == 0 || memchr(n->name, '/', n->name_len) ||
		    (const unsigned char *)n->name < buf ||
		    (const unsigned char *)n->name + n->name_len > buf + size)
			return snprintf(why, sizeof(why), "node %d name", i), why;
		if (n->size && (n->data < buf || n->size > (size_t)(buf + size - n->data)))
			return snprintf(why, sizeof(why), "node %d data", i), why;
		if (tree_path(t, i, path, sizeof(path)) < 0)
			continue;   /* deeper than PATH_MAX: allowed in an archive */
		back = tree_find(t, path);
		if (back != i)
			return snprintf(why, sizeof(why), "node %d path %.60s -> %d", i, path, back), why;
	}
	return NULL;
}

/* cpio_count, then cpio_parse with exactly that many nodes. */
static int parse_counted(const unsigned char *buf, size_t size, struct cpio_tree *fs, struct cpio_node **nodes)
{
	int n = cpio_count(buf, size);

	*nodes = NULL;
	fs->count = 0;
	if (n < 0)
		return n;
	*nodes = calloc((size_t)n, sizeof(**nodes));
	return cpio_parse(buf, size, fs, *nodes, n);
}

/* ---- the archive unpacked into tmpfs ------------------------------------ */

static struct super_block *img_sb;
static int img_files;
static uint64_t base_heap, base_pages, base_commit;

/* Unpacks buf into a fresh tmpfs made the root: rootfs_unpack's result. */
static int img_load(const unsigned char *buf, size_t size)
{
	base_heap = stub_live_heap;
	base_pages = stub_live_pages;
	base_commit = stub_commit_used;
	if (tmpfs_fs_type.mount(NULL, &img_sb))
		return -ENOMEM;
	fs_root = img_sb->root;
	stub_proc_init(fs_root);
	img_files = 0;
	return rootfs_unpack(buf, size, fs_root, &img_files);
}

static void drop_children(struct dentry *d)
{
	while (d->first_child) {
		struct dentry *c = d->first_child;
		drop_children(c);
		dentry_remove(c);
	}
}

/* Frees the image (as umount would): true when every allocation, page
 * and charge came back. */
static bool img_drop(void)
{
	drop_children(img_sb->root);
	dentry_put(img_sb->root);
	img_sb->ops->kill(img_sb);
	kfree(img_sb);
	img_sb = NULL;
	fs_root = NULL;
	current = NULL;
	return stub_live_heap == base_heap && stub_live_pages == base_pages &&
	       stub_commit_used == base_commit;
}

/* namei from cwd (NULL: the root): the dentry (the tree holds it) as a
 * number, or -errno, for compact checks. */
static long lk(struct dentry *cwd, const char *path, bool follow)
{
	struct dentry *d;
	int err = namei(cwd ? cwd : fs_root, path, follow ? LOOKUP_FOLLOW : 0, &d, NULL);

	if (err)
		return err;
	dentry_put(d);
	return (long)(uintptr_t)d;
}

static struct dentry *D(long d)
{
	return d > 0 ? (struct dentry *)(uintptr_t)d : NULL;
}

/* The file's contents equal s (a regular file: through tmpfs's reads;
 * a symlink: its target). */
static bool data_is(long dl, const char *s)
{
	struct dentry *d = D(dl);
	size_t n = strlen(s);
	char buf[300];

	if (!d || d->inode->size != n || n >= sizeof(buf))
		return false;
	if (inode_is_symlink(d->inode))
		return d->inode->iops->readlink(d, buf, sizeof(buf)) == (long)n && memcmp(buf, s, n) == 0;
	return inode_is_reg(d->inode) && tmpfs_kernel_read(d->inode, buf, n + 1, 0) == (long)n &&
	       memcmp(buf, s, n) == 0;
}

static bool name_is(long dl, const char *s)
{
	struct dentry *d = D(dl);

	return d && d->len == strlen(s) && memcmp(d->name, s, d->len) == 0;
}

static uint32_t mode_of(long dl)
{
	return D(dl) ? D(dl)->inode->mode : 0;
}

/* readdir through the directory's file operations. */
struct names {
	struct dir_context ctx;
	int n;
	char name[128][FS_NAME_MAX + 1];
};

static bool collect(struct dir_context *ctx, const char *name, size_t len, uint64_t ino, unsigned type)
{
	struct names *c = (struct names *)ctx;

	(void)ino;
	(void)type;
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return true;
	if (c->n < 128) {
		memcpy(c->name[c->n], name, len);
		c->name[c->n][len] = 0;
	}
	c->n++;
	return true;
}

/* The number of names in directory d (without "." and ".."), or -errno;
 * *out (if not NULL) gets them. */
static int list_dir(long dl, struct names *out)
{
	static struct names scratch;
	struct names *c = out ? out : &scratch;
	struct file *f;
	int err;

	if (!D(dl))
		return -ENOENT;
	c->ctx.emit = collect;
	c->n = 0;
	if ((err = file_open_dentry(D(dl), 0, &f)))
		return err;
	err = file_readdir(f, &c->ctx);
	file_put(f);
	return err ? err : c->n;
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
static int ar_parse(struct ar *a, struct cpio_tree *fs, struct cpio_node **nodes, unsigned char **copy)
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
	"for i in $(seq 39); do ln -s c$((i+1)) root/c$i; done; ln -s etc/motd root/c40\n"
	"for i in $(seq 40); do ln -s d$((i+1)) root/d$i; done; ln -s etc/motd root/d41\n"
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
 * children find saw (the unpacked tree, through readdir). */
static void check_against_listing(const char *tag, bool dirs_archived)
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
		int k = 0;
		long i;

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
		i = lk(NULL, strcmp(fields[3], ".") ? fields[3] + 1 : "/", false);   /* "./x" -> "/x" */
		if (i == -ENOENT && type == 'd' && !dirs_archived) {
			absent++;    /* an empty directory has no file to imply it */
			continue;
		}
		if (i < 0) {
			if (!bad++)
				printf("  %s: %s -> %ld\n", tag, fields[3], i);
			continue;
		}
		const struct inode *n = D(i)->inode;
		bool ok = (type == 'd' && inode_is_dir(n)) ||
			  (type == 'f' && inode_is_reg(n) && n->size == fsize) ||
			  (type == 'l' && inode_is_symlink(n) && data_is(i, target));
		if ((type != 'd' || dirs_archived) && i != (long)(uintptr_t)fs_root)
			ok = ok && (n->mode & 07777) == perm;
		if (type == 'd') {
			int c = list_dir(i, NULL);
			ok = ok && c >= 0;
			children += c;
		}
		if (!ok && !bad++)
			printf("  %s: %s mismatch (mode %o size %lu)\n", tag, fields[3], n->mode,
			       (unsigned long)n->size);
	}
	fclose(f);
	snprintf(name, sizeof(name), "%s.matches-find", tag);
	check(lines > 30 && !bad, name, "%d of %d lines bad", bad, lines);
	snprintf(name, sizeof(name), "%s.readdir-covers-all", tag);
	check(children == img_files - 1 && img_files == lines - absent && absent <= 1, name,
	      "children %d count %d lines %d absent %d", children, img_files, lines, absent);
}

/* The lookup semantics, on the full tree. */
static void check_lookups(void)
{
	long R = (long)(uintptr_t)fs_root;
	long bin = lk(NULL, "/bin", true), busybox = lk(NULL, "/bin/busybox", true);
	long motd = lk(NULL, "/etc/motd", true), usr = lk(NULL, "/usr", true);
	long ulib = lk(NULL, "/usr/lib", true), deepf = lk(NULL, "/usr/lib/deep/file", true);
	long sh = lk(NULL, "/bin/sh", false), lib = lk(NULL, "/lib", false);
	long loop1 = lk(NULL, "/loop1", false), etc = lk(NULL, "/etc", true);
	char longpath[FS_PATH_MAX + 8], comp[300];

	check(bin > 0 && busybox > 0 && motd > 0 && usr > 0 && ulib > 0 && deepf > 0 && sh > 0 &&
	      lib > 0 && loop1 > 0 && etc > 0, "initramfs.lookup.basic", "bin %ld busybox %ld motd %ld",
	      bin, busybox, motd);
	check(lk(NULL, "/", true) == R && lk(D(usr), "/", false) == R && lk(NULL, "///", true) == R,
	      "initramfs.lookup.root", "%ld", lk(NULL, "/", true));
	/* Linux's rule, not the old parser's -EINVAL: "" is ENOENT, or the
	 * start directory with AT_EMPTY_PATH. */
	struct dentry *e = NULL;
	check(lk(NULL, "", true) == -ENOENT && namei(D(bin), "", LOOKUP_EMPTY, &e, NULL) == 0 &&
	      e == D(bin), "initramfs.lookup.empty-enoent", "%ld", lk(NULL, "", true));
	dentry_put(e);
	check(data_is(busybox, "BUSYBOX-xyz") && inode_is_reg(D(busybox)->inode) &&
	      (mode_of(busybox) & 0777) == 0755, "initramfs.file.contents-odd-size",
	      "size %lu", (unsigned long)D(busybox)->inode->size);
	check(data_is(lk(NULL, "/etc/empty", true), ""), "initramfs.file.empty", "not empty");
	check(D(motd)->inode->mtime.tv_sec == 1234567890 && data_is(motd, "hi\n"),
	      "initramfs.file.mtime", "%ld", (long)D(motd)->inode->mtime.tv_sec);
	check(data_is(lk(NULL, "/hard1", true), "hard\n") && data_is(lk(NULL, "/hard2", true), "hard\n") &&
	      D(lk(NULL, "/hard1", true))->inode == D(lk(NULL, "/hard2", true))->inode &&
	      D(lk(NULL, "/hard1", true))->inode->nlink == 2, "initramfs.file.hard-links-share-data", "");
	check(lk(NULL, "//bin///busybox", true) == busybox && lk(NULL, "/bin/./busybox", true) == busybox &&
	      lk(NULL, "/./bin/../bin/busybox", true) == busybox && lk(NULL, "/../../bin/busybox", true) == busybox,
	      "initramfs.lookup.dots-and-slashes", "");
	check(lk(NULL, "/..", true) == R && lk(NULL, "..", true) == R && lk(NULL, ".", true) == R,
	      "initramfs.lookup.dotdot-at-root", "");
	check(lk(NULL, "/bin/", true) == bin && lk(NULL, "/bin//", false) == bin && lk(NULL, "/bin/.", false) == bin,
	      "initramfs.lookup.trailing-slash-dir", "");
	check(lk(NULL, "/bin/busybox/", true) == -ENOTDIR && lk(NULL, "/bin/busybox/.", true) == -ENOTDIR &&
	      lk(NULL, "/bin/busybox/x", true) == -ENOTDIR && lk(NULL, "/bin/busybox/..", true) == -ENOTDIR,
	      "initramfs.lookup.file-as-dir-enotdir", "%ld", lk(NULL, "/bin/busybox/", true));
	check(lk(D(bin), "busybox", true) == busybox && lk(D(bin), "../etc/motd", true) == motd &&
	      lk(D(bin), ".", true) == bin && lk(D(bin), "..", true) == R && lk(D(bin), "/etc/motd", true) == motd,
	      "initramfs.lookup.relative-to-cwd", "");
	check(lk(D(busybox), "x", true) == -ENOTDIR && lk(D(busybox), ".", true) == -ENOTDIR &&
	      lk(D(busybox), "/bin", true) == bin,
	      "initramfs.lookup.cwd-not-a-dir", "%ld", lk(D(busybox), "x", true));
	check(lk(NULL, "/nope", true) == -ENOENT && lk(NULL, "/bin/nope", true) == -ENOENT &&
	      lk(NULL, "/nope/x", true) == -ENOENT && lk(NULL, "/bin/busyboxx", true) == -ENOENT &&
	      lk(NULL, "/bin/busybo", true) == -ENOENT, "initramfs.lookup.enoent", "");
	/* symlinks */
	check(lk(NULL, "/bin/sh", true) == busybox && inode_is_symlink(D(sh)->inode) && data_is(sh, "busybox"),
	      "initramfs.symlink.relative-from-link-dir", "%ld", lk(NULL, "/bin/sh", true));
	check(lk(NULL, "/etc/abs", true) == motd && lk(D(bin), "../etc/abs", true) == motd,
	      "initramfs.symlink.absolute-from-root", "");
	check(lk(NULL, "/lib/deep/file", false) == deepf && lk(NULL, "/dirlink/lib/deep/file", false) == deepf,
	      "initramfs.symlink.intermediate-always-followed", "");
	check(inode_is_symlink(D(lib)->inode) && lk(NULL, "/lib", true) == ulib &&
	      lk(NULL, "/lib/", false) == ulib && lk(NULL, "/lib/.", false) == ulib,
	      "initramfs.symlink.last-only-if-follow-or-slash", "%ld", lk(NULL, "/lib/", false));
	check(lk(NULL, "/lib/..", true) == usr, "initramfs.symlink.dotdot-is-physical", "%ld",
	      lk(NULL, "/lib/..", true));
	check(lk(NULL, "/usr/lib/deep/toroot/bin/busybox", true) == busybox &&
	      lk(NULL, "/lib/deep/toroot/etc/abs", true) == motd && lk(NULL, "/lib/deep/toroot", true) == R,
	      "initramfs.symlink.relative-up-to-root", "");
	check(lk(NULL, "/etc/abs/", true) == -ENOTDIR && lk(NULL, "/etc/abs/", false) == -ENOTDIR &&
	      lk(NULL, "/bin/sh/x", false) == -ENOTDIR, "initramfs.symlink.to-file-as-dir", "%ld",
	      lk(NULL, "/etc/abs/", false));
	check(lk(NULL, "/loop1", true) == -ELOOP && lk(NULL, "/loop1/x", false) == -ELOOP &&
	      lk(NULL, "/loop1/", false) == -ELOOP && lk(NULL, "/loop1", false) == loop1,
	      "initramfs.symlink.loop-eloop", "%ld", lk(NULL, "/loop1", true));
	/* Linux's MAXSYMLINKS: 40 links in one walk, the 41st is ELOOP */
	check(lk(NULL, "/c1", true) == motd && lk(NULL, "/c40", true) == motd,
	      "initramfs.symlink.chain-of-40-ok", "%ld", lk(NULL, "/c1", true));
	check(lk(NULL, "/d1", true) == -ELOOP && lk(NULL, "/d2", true) == motd,
	      "initramfs.symlink.chain-of-41-eloop", "%ld", lk(NULL, "/d1", true));
	check(lk(NULL, "/dangling", true) == -ENOENT && lk(NULL, "/dangling", false) > 0,
	      "initramfs.symlink.dangling", "%ld", lk(NULL, "/dangling", true));
	/* length limits */
	memset(comp, 'L', 255);
	comp[255] = 0;
	snprintf(longpath, sizeof(longpath), "/etc/%s", comp);
	check(lk(NULL, longpath, true) > 0, "initramfs.name.255-ok", "%ld", lk(NULL, longpath, true));
	strcat(longpath, "L");
	check(lk(NULL, longpath, true) == -ENAMETOOLONG, "initramfs.name.256-enametoolong", "%ld",
	      lk(NULL, longpath, true));
	memset(longpath, '/', FS_PATH_MAX - 1);
	memcpy(longpath + FS_PATH_MAX - 5, "/bin", 5);    /* 4095 characters */
	check(lk(NULL, longpath, true) == bin, "initramfs.path.4095-ok", "%ld", lk(NULL, longpath, true));
	memset(longpath, '/', FS_PATH_MAX);
	memcpy(longpath + FS_PATH_MAX - 4, "/bin", 5);    /* 4096 characters */
	check(lk(NULL, longpath, true) == -ENAMETOOLONG, "initramfs.path.4096-enametoolong", "%ld",
	      lk(NULL, longpath, true));
}

static void check_readdir_and_path(void)
{
	long bin = lk(NULL, "/bin", true), busybox = lk(NULL, "/bin/busybox", true);
	long deep = lk(NULL, "/usr/lib/deep", true);
	static struct names ns;
	int n, names = 0;
	char buf[64];

	n = list_dir(bin, &ns);
	for (int k = 0; k < n && k < 128; k++)
		names += !strcmp(ns.name[k], "busybox") + !strcmp(ns.name[k], "sh");
	check(n == 2 && names == 2, "initramfs.readdir.bin", "%d children", n);
	check(list_dir(lk(NULL, "/emptydir", true), NULL) == 0, "initramfs.readdir.empty-dir", "");
	check(list_dir(busybox, NULL) == -ENOTDIR, "initramfs.readdir.not-a-dir", "%d",
	      list_dir(busybox, NULL));
	n = list_dir((long)(uintptr_t)fs_root, NULL);
	check(n == 92, "initramfs.readdir.root", "%d children", n);   /* 92: see tree_script */
	check(dentry_path(fs_root, buf, sizeof(buf)) == 1 && strcmp(buf, "/") == 0, "initramfs.path.root", "%s", buf);
	check(dentry_path(D(busybox), buf, sizeof(buf)) == 12 && strcmp(buf, "/bin/busybox") == 0,
	      "initramfs.path.file", "%s", buf);
	check(dentry_path(D(deep), buf, 14) == 13 && strcmp(buf, "/usr/lib/deep") == 0 &&
	      dentry_path(D(deep), buf, 13) == -ENAMETOOLONG && dentry_path(fs_root, buf, 1) == -ENAMETOOLONG &&
	      dentry_path(fs_root, buf, 0) == -ENAMETOOLONG, "initramfs.path.exact-buffer", "%s", buf);
	/* a name removed while held: Linux's d_path says " (deleted)" */
	struct dentry *d;
	int err = namei(fs_root, "/etc/empty", 0, &d, NULL);
	if (!err) {
		D(lk(NULL, "/etc", true))->inode->iops->unlink(D(lk(NULL, "/etc", true))->inode, d);
		err = dentry_path(d, buf, sizeof(buf)) == 20 && !strcmp(buf, "/etc/empty (deleted)") ? 0 : -1;
		dentry_put(d);
	}
	check(!err && lk(NULL, "/etc/empty", false) == -ENOENT, "initramfs.path.deleted", "%s", buf);
}

static void test_real_archives(void)
{
	unsigned char *buf;
	struct cpio_node *nodes;
	struct cpio_tree fs;
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
		err = img_load(buf, size);
		check(err == 0 && img_files == n, "initramfs.full.unpack", "err %d files %d of %d",
		      err, img_files, n);
		check_against_listing("initramfs.full", true);
		check_lookups();
		check_readdir_and_path();
		check(img_drop(), "initramfs.full.unpack-freed", "heap %lu pages %lu commit %lu",
		      (unsigned long)stub_live_heap, (unsigned long)stub_live_pages,
		      (unsigned long)stub_commit_used);
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
		check(fs.nodes[tree_find(&fs, "/usr/lib")].mode == (S_IFDIR | 0755),
		      "initramfs.nodirs.implied-dirs-mode", "");
		err = img_load(buf, size);
		check(err == 0 && img_files == fs.count, "initramfs.nodirs.unpack", "%d", err);
		check_against_listing("initramfs.nodirs", false);
		check(lk(NULL, "/lib/deep/toroot/usr/lib/deep/file", true) > 0 &&
		      mode_of(lk(NULL, "/usr/lib", true)) == (S_IFDIR | 0755),
		      "initramfs.nodirs.implied-dirs", "");
		check(img_drop(), "initramfs.nodirs.unpack-freed", "");
	}
	free(nodes);
	free(buf);
	/* 070702 with checksums */
	buf = load_tmp("crc.cpio", &size);
	err = parse_counted(buf, size, &fs, &nodes);
	check(err == 0 && node_data_is(&fs, tree_find(&fs, "/bin/busybox"), "BUSYBOX-xyz"),
	      "initramfs.crc.parse", "%d", err);
	if (err == 0) {
		why = consistent(&fs, buf, size);
		check(!why, "initramfs.crc.consistent", "%s", why);
		err = img_load(buf, size);
		check(err == 0 && data_is(lk(NULL, "/bin/sh", true), "BUSYBOX-xyz"),
		      "initramfs.crc.unpack", "%d", err);
		check(img_drop(), "initramfs.crc.unpack-freed", "");
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

/* ---- page-aligned file data: the archive's pages become the files' ------- */

/* Appends a file whose data starts on a page boundary of a->buf (page
 * aligned), its name padded with NULs, as scripts/cpio-align does. */
static void ar_add_aligned(struct ar *a, const char *name, unsigned mode, const void *data, size_t size)
{
	size_t namesize = strlen(name) + 1, end = a->len + 110 + namesize;
	size_t padded = namesize + (PAGE_SIZE - end % PAGE_SIZE) % PAGE_SIZE;

	a->len += (size_t)sprintf((char *)a->buf + a->len,
				  "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
				  ++a->ino, mode, 0, 0, 1, 1000, (unsigned)size, 0, 0, 0, 0,
				  (unsigned)padded, 0);
	memset(a->buf + a->len, 0, padded);
	memcpy(a->buf + a->len, name, namesize - 1);
	a->len += padded;
	memcpy(a->buf + a->len, data, size);
	a->len += size;
	ar_pad(a);
}

static bool file_holds(long dl, const unsigned char *want, size_t n)
{
	struct dentry *d = D(dl);
	unsigned char *got = malloc(n + 1);
	bool ok = d && got && d->inode->size == n &&
		  tmpfs_kernel_read(d->inode, got, n + 1, 0) == (long)n && memcmp(got, want, n) == 0;

	free(got);
	return ok;
}

/* The physical page of the file's page idx (0: a hole). */
static phys_addr_t file_page(long dl, uint64_t idx)
{
	struct vm_object o = tmpfs_vm_object(D(dl)->inode, D(dl));
	phys_addr_t pa = 0;

	return o.ops->page(o.obj, idx, false, &pa) ? 0 : pa;
}

static uint64_t quota_used(void)
{
	struct linux_statfs st;

	memset(&st, 0, sizeof(st));
	img_sb->ops->statfs(img_sb, &st);
	return st.f_blocks - st.f_bfree;
}

static void test_zero_copy(void)
{
	static struct ar a __attribute__((aligned(PAGE_SIZE)));
	static unsigned char big[10000], exact[2 * PAGE_SIZE], odd[9000];
	uint64_t commit_copied, quota_copied;
	int err;

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (unsigned char)(i * 7 + 1);
	for (size_t i = 0; i < sizeof(exact); i++)
		exact[i] = (unsigned char)(i * 13 + 5);
	for (size_t i = 0; i < sizeof(odd); i++)
		odd[i] = (unsigned char)(i * 3 + 2);
	memset(&a, 0, sizeof(a));
	ar_add(&a, "d", S_IFDIR | 0755, "");
	ar_add_aligned(&a, "d/big", S_IFREG | 0755, big, sizeof(big));
	ar_add(&a, "small", S_IFREG | 0644, "tiny");
	ar_add_aligned(&a, "exact", S_IFREG | 0644, exact, sizeof(exact));
	ar_add_magic(&a, "070701", "odd", S_IFREG | 0644, odd, sizeof(odd));   /* unaligned */
	ar_trailer(&a);

	/* Not the boot's initrd: everything is copied. */
	stub_initrd_set(NULL, 0);
	err = img_load(a.buf, a.len);
	check(err == 0 && file_holds(lk(NULL, "/d/big", true), big, sizeof(big)) &&
	      file_holds(lk(NULL, "/exact", true), exact, sizeof(exact)) &&
	      file_holds(lk(NULL, "/odd", true), odd, sizeof(odd)) && data_is(lk(NULL, "/small", true), "tiny"),
	      "initramfs.zero-copy.padded-names-copied", "err %d", err);
	commit_copied = stub_commit_used - base_commit;
	quota_copied = quota_used();
	check(img_drop(), "initramfs.zero-copy.copied-freed", "");

	/* The boot's: the aligned whole pages are kept, the rest copied, and
	 * the charges are those of the copies. */
	stub_initrd_set(a.buf, a.len);
	err = img_load(a.buf, a.len);
	long b = lk(NULL, "/d/big", true), e = lk(NULL, "/exact", true), o = lk(NULL, "/odd", true);
	const unsigned char *bd = memmem(a.buf, a.len, big, 64), *ed = memmem(a.buf, a.len, exact, 64);
	check(err == 0 && file_holds(b, big, sizeof(big)) && file_holds(e, exact, sizeof(exact)) &&
	      file_holds(o, odd, sizeof(odd)) && data_is(lk(NULL, "/small", true), "tiny"),
	      "initramfs.zero-copy.contents", "err %d", err);
	check(err == 0 && stub_initrd_claimed == 4 && file_page(b, 0) == virt_to_phys(bd) &&
	      file_page(b, 1) == virt_to_phys(bd + PAGE_SIZE) && file_page(b, 2) &&
	      file_page(b, 2) != virt_to_phys(bd + 2 * PAGE_SIZE) &&
	      file_page(e, 0) == virt_to_phys(ed) && file_page(e, 1) == virt_to_phys(ed + PAGE_SIZE),
	      "initramfs.zero-copy.pages-kept", "claimed %lu", (unsigned long)stub_initrd_claimed);
	check(err == 0 && stub_commit_used - base_commit == commit_copied && quota_used() == quota_copied &&
	      D(b)->inode->blocks == 3 * (PAGE_SIZE / 512),
	      "initramfs.zero-copy.charged-as-copies", "commit %lu (%lu copied), quota %lu (%lu)",
	      (unsigned long)(stub_commit_used - base_commit), (unsigned long)commit_copied,
	      (unsigned long)quota_used(), (unsigned long)quota_copied);
	/* A kept page written is the file's own: the archive's copy changes. */
	unsigned char x = 0x5a;
	check(err == 0 && tmpfs_kernel_write(D(b)->inode, &x, 1, 1) == 1 && bd[1] == 0x5a,
	      "initramfs.zero-copy.page-is-the-files", "");
	check(img_drop() && stub_initrd_freed == 4, "initramfs.zero-copy.kept-pages-freed",
	      "freed %lu", (unsigned long)stub_initrd_freed);

	/* The commit limit reached: the pages not kept are unclaimed (the
	 * unpacking fails). */
	memcpy(a.buf + (bd - a.buf) + 1, big + 1, 1);
	stub_initrd_set(a.buf, a.len);
	uint64_t limit = stub_commit_limit;
	stub_commit_limit = stub_commit_used + 1;   /* /d/big's tree node, not its pages */
	err = img_load(a.buf, a.len);
	check(err == -ENOSPC && stub_initrd_claimed == 0, "initramfs.zero-copy.enospc-unclaims",
	      "err %d claimed %lu", err, (unsigned long)stub_initrd_claimed);
	stub_commit_limit = limit;
	check(img_drop() && stub_initrd_freed == 0, "initramfs.zero-copy.enospc-freed", "");
	/* Room for /d/big whole (node, two kept pages, the tail's copy), not
	 * for /small: /d/big keeps its pages, and gives them back. */
	stub_initrd_set(a.buf, a.len);
	stub_commit_limit = stub_commit_used + 4;
	err = img_load(a.buf, a.len);
	check(err == -ENOSPC && stub_initrd_claimed == 2 && file_holds(lk(NULL, "/d/big", true), big, sizeof(big)),
	      "initramfs.zero-copy.enospc-later-keeps", "err %d claimed %lu", err,
	      (unsigned long)stub_initrd_claimed);
	stub_commit_limit = limit;
	check(img_drop() && stub_initrd_freed == 2, "initramfs.zero-copy.enospc-later-freed", "");
	stub_initrd_set(NULL, 0);
}

/* An archive unpacked over a root that has some of its directories: they
 * are kept, and what the archive puts in them joins what they hold. */
static void test_over_existing(void)
{
	static struct ar a;
	int err, files;

	memset(&a, 0, sizeof(a));
	ar_add(&a, "bin", S_IFDIR | 0755, "");
	ar_add(&a, "bin/x", S_IFREG | 0644, "X");
	ar_add(&a, "bin/sub", S_IFDIR | 0755, "");
	ar_add(&a, "bin/sub/y", S_IFREG | 0644, "Y");
	ar_add(&a, "etc/z", S_IFREG | 0644, "Z");
	ar_trailer(&a);
	stub_initrd_set(NULL, 0);
	err = img_load(a.buf, a.len);        /* /bin, /bin/x, /bin/sub/y, /etc/z */
	struct dentry *bin = D(lk(NULL, "/bin", true));
	memset(&a, 0, sizeof(a));
	ar_add(&a, "bin", S_IFDIR | 0700, "");
	ar_add(&a, "bin/w", S_IFREG | 0644, "W");
	ar_add(&a, "bin/sub/v", S_IFREG | 0644, "V");
	ar_add(&a, "new/u", S_IFREG | 0644, "U");
	ar_trailer(&a);
	int err2 = rootfs_unpack(a.buf, a.len, fs_root, &files);
	check(err == 0 && err2 == 0 && D(lk(NULL, "/bin", true)) == bin &&
	      data_is(lk(NULL, "/bin/x", true), "X") && data_is(lk(NULL, "/bin/w", true), "W") &&
	      data_is(lk(NULL, "/bin/sub/y", true), "Y") && data_is(lk(NULL, "/bin/sub/v", true), "V") &&
	      data_is(lk(NULL, "/etc/z", true), "Z") && data_is(lk(NULL, "/new/u", true), "U"),
	      "initramfs.over-existing.joined", "err %d %d", err, err2);
	check(img_drop(), "initramfs.over-existing.freed", "");
}

/* ---- crafted archives ------------------------------------------------------ */

static void test_crafted(void)
{
	static struct ar a;
	struct cpio_tree fs;
	struct cpio_node *nodes;
	unsigned char *copy;
	int err, uerr;

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
	      node_data_is(&fs, tree_find(&fs, "/abs"), "A") && cpio_is_dir(&fs.nodes[tree_find(&fs, "/a/c")]),
	      "initramfs.crafted.name-forms-parsed", "err %d count %d", err, fs.count);
	uerr = img_load(copy, a.len);
	check(uerr == 0 && img_files == 9 &&
	      data_is(lk(NULL, "/abs", true), "A") && data_is(lk(NULL, "dot", true), "D") &&
	      data_is(lk(NULL, "/a/b", true), "AB") && inode_is_dir(D(lk(NULL, "/a/c", true))->inode) &&
	      data_is(lk(NULL, "/x/y/z", true), "XYZ") && name_is(lk(NULL, "/x/y", true), "y"),
	      "initramfs.crafted.name-forms", "err %d files %d", uerr, img_files);
	check(img_drop(), "initramfs.crafted.name-forms-freed", "");
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
	uerr = img_load(copy, a.len);
	check(err == 0 && fs.count == 5 && uerr == 0 && data_is(lk(NULL, "/d/f", true), "second") &&
	      (mode_of(lk(NULL, "/d", true)) & 0777) == 0711 &&
	      data_is(lk(NULL, "/e", true), "now a file") &&
	      lk(NULL, "/g", true) == lk(NULL, "/d/f", true),
	      "initramfs.crafted.duplicates-later-wins", "err %d count %d", err, fs.count);
	check(img_drop(), "initramfs.crafted.duplicates-freed", "");
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
	uerr = img_load(copy, a.len);
	check(err == 0 && fs.count == 12 && cpio_count(copy, a.len) == 13 && uerr == 0 &&
	      (mode_of(lk(NULL, "/q/r", true)) & 0777) == 0750 &&
	      (mode_of(lk(NULL, "/a", true)) & 0777) == 0700 && data_is(lk(NULL, "/x/y/f1", true), "one"),
	      "initramfs.crafted.out-of-order-count", "err %d count %d of %d", err, fs.count, cpio_count(copy, a.len));
	check(img_drop(), "initramfs.crafted.out-of-order-freed", "");
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
		struct cpio_node few[12];
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
	uerr = err ? err : img_load(copy, a.len);
	check(uerr == 0 && lk(NULL, "/empty", true) == -ENOENT && lk(NULL, "/empty", false) > 0,
	      "initramfs.crafted.empty-symlink-enoent", "%ld", lk(NULL, "/empty", true));
	check(uerr == 0 && lk(NULL, "/toslash", true) == -ENOTDIR && lk(NULL, "/todir", true) == lk(NULL, "/d", true) &&
	      lk(NULL, "/self", true) == -ELOOP, "initramfs.crafted.symlink-target-slash", "%ld",
	      lk(NULL, "/toslash", true));
	if (!err)
		check(img_drop(), "initramfs.crafted.symlinks-freed", "");
	free(nodes);
	free(copy);

	/* max 0, NULL arguments */
	memset(&a, 0, sizeof(a));
	ar_add(&a, "f", S_IFREG | 0644, "x");
	ar_trailer(&a);
	copy = dup_exact(a.buf, a.len);
	{
		struct cpio_node one[1];
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
	struct cpio_node nodes[64];
	struct cpio_tree fs;
	const char *why = NULL;
	int c = cpio_count(buf, n), err = cpio_parse(buf, n, &fs, nodes, 64);

	*result = err;
	if (c < 0 && err != c)
		why = "count failed, parse did not";
	else if (err == 0 && (c < fs.count || (why = consistent(&fs, buf, n))))
		why = why ? why : "count too small";
	else if (err != 0 && err != -EINVAL && err != -ENOMEM)
		why = "unexpected error";
	/* what parses unpacks (a symlink target over PATH_MAX aside), and
	 * dropping it gives every allocation back */
	if (!why && err == 0) {
		int u = img_load(buf, n);
		if (u != 0 && u != -ENAMETOOLONG)
			why = "unpack failed";
		if (!img_drop() && !why)
			why = "unpack leaked";
	}
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
	/* an allocation failing at every point of the unpacking: -ENOMEM or
	 * -ENOSPC, and dropping what was made gives everything back */
	{
		int n, bad = 0, leaked = 0, u = -1;
		for (n = 1; n < 100; n++) {
			base_heap = stub_live_heap;      /* img_load, failing after its mount */
			base_pages = stub_live_pages;
			base_commit = stub_commit_used;
			if (tmpfs_fs_type.mount(NULL, &img_sb))
				break;
			fs_root = img_sb->root;
			stub_proc_init(fs_root);
			stub_fail_nth((uint64_t)n);
			u = rootfs_unpack(small, complete, fs_root, &img_files);
			bool failed = stub_failed();
			stub_fail_nth(0);
			bad += failed ? (u != -ENOMEM && u != -ENOSPC) : u != 0;
			leaked += !img_drop();
			if (!failed)
				break;
		}
		check(n > 5 && n < 100 && !bad && !leaked && u == 0, "initramfs.unpack.fail-alloc-no-leak",
		      "%d allocations, %d bad results, %d leaks", n - 1, bad, leaked);
	}
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
	/* hex digits of either case; the characters next to them are not */
	check(with_field(0, "aBcDeF09") == 0 && with_field(0, "AbCdEf19") == 0,
	      "initramfs.corrupt.hex-either-case", "");
	static const char *const near_hex[] = { "0000000/", "0000000:", "0000000@", "0000000G",
						"0000000`", "0000000g", "0000000 ", "\xb0" "0000000", "0000000\xe6" };
	int accepted = -1;
	for (size_t i = 0; i < sizeof(near_hex) / sizeof(near_hex[0]); i++)
		if (with_field(0, near_hex[i]) != -EINVAL && accepted < 0)
			accepted = (int)i;
	check(accepted < 0, "initramfs.corrupt.near-hex-refused", "%d", accepted);
}

int main(int argc, char **argv)
{
	char cmd[128];

	(void)argc;
	(void)argv;
	test_real_archives();
	test_crafted();
	test_zero_copy();
	test_over_existing();
	test_corrupt();
	if (made_tmpdir) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmpdir);
	}
	return check_exit_status();
}
