/*
 * Host tests of the VFS: the real fs/inode.c, namei.c, mount.c, tmpfs.c,
 * vfs_ops.c, file.c, fdtable.c and mm/page_store.c over the stub kernel of
 * tests/host/vfs_stubs.c (a calloc heap with fault injection, a commit
 * limit, a fake current process).
 *
 *  - paths: ".", "..", slashes, symlinks (relative, absolute, in the middle,
 *    at the end, 40 and 41 in a chain, a loop, an empty target), name and
 *    path limits, ENOTDIR, mounts crossed both ways, dentry_path;
 *  - tmpfs names: create, mkdir, unlink, rmdir, rename (replace,
 *    NOREPLACE, EXCHANGE, loops, EXDEV), hard links, readdir that resumes;
 *  - tmpfs data: holes, offsets, truncation, the size= quota and the
 *    commit limit (ENOSPC, short counts), an unlinked open file, and
 *    every page and charge given back at the end;
 *  - page_store: a tree grown to index 1<<40 and cut back;
 *  - fault injection: the N-th allocation fails for N = 1.. in mkdir,
 *    create, write, rename, symlink, link, mount: -ENOMEM / -ENOSPC, the
 *    tree as before (or the documented short count), nothing leaked;
 *  - fdtable: lowest fd, a minimum, growth past 64, EMFILE, dup2's close,
 *    close-on-exec bits, fork's copy.
 *
 * usage: test_vfs [ignored]
 */
#include "fs/vfs.h"
#include "fs/vfs_ops.h"
#include "fs/file.h"
#include "fs/fdtable.h"
#include "fs/mount.h"
#include "fs/tmpfs.h"
#include "fs/fs_proc.h"
#include "kernel/proc.h"
#include "mm/kalloc.h"
#include "mm/page_store.h"
#include "lib/uapi/errno.h"
#include "lib/uapi/fcntl.h"
#include "tests/host/check.h"
#include "tests/host/vfs_stubs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PG 4096u

static struct dentry *R;        /* fs_root */

/* ---- helpers ---------------------------------------------------------------- */

/* namei from R: the dentry (the tree holds it) as a number, or -errno. */
static long lkf(struct dentry *start, const char *path, uint32_t flags)
{
	struct dentry *d;
	int err = namei(start ? start : R, path, flags, &d, NULL);

	if (err)
		return err;
	dentry_put(d);
	return (long)(uintptr_t)d;
}

static long lk(const char *path)    { return lkf(NULL, path, LOOKUP_FOLLOW); }
static long lkn(const char *path)   { return lkf(NULL, path, 0); }
static long L(struct dentry *d)     { return (long)(uintptr_t)d; }
static struct dentry *D(long d)     { return d > 0 ? (struct dentry *)(uintptr_t)d : NULL; }
static struct inode *I(long d)      { return D(d) ? D(d)->inode : NULL; }

static int mkd(const char *path)    { return vfs_mkdir(R, path, 0755); }
static int mkf(const char *path)    { return vfs_mknod(R, path, S_IFREG | 0644, 0); }
static int sym(const char *t, const char *path) { return vfs_symlink(t, R, path); }

/* Creates path with text s. */
static int put(const char *path, const char *s)
{
	int err = mkf(path);

	if (err && err != -EEXIST)
		return err;
	long w = tmpfs_kernel_write(I(lk(path)), s, strlen(s), 0);
	return w == (long)strlen(s) ? 0 : -EIO;
}

/* The file's text equals s. */
static bool text_is(const char *path, const char *s)
{
	struct inode *i = I(lk(path));
	char buf[256];
	size_t n = strlen(s);

	return i && i->size == n && tmpfs_kernel_read(i, buf, sizeof(buf), 0) == (long)n &&
	       memcmp(buf, s, n) == 0;
}

static uint32_t nlink(const char *path)
{
	struct inode *i = I(lkn(path));

	return i ? i->nlink : 0;
}

static uint32_t modeof(const char *path)
{
	struct inode *i = I(lkn(path));

	return i ? i->mode : 0;
}

static const char *path_of(struct dentry *d)
{
	static char buf[FS_PATH_MAX];

	if (!d)
		return "(none)";
	if (dentry_path(d, buf, sizeof(buf)) < 0)
		strcpy(buf, "(error)");
	return buf;
}

/* The counters of everything that must come back. */
struct snap {
	uint64_t heap, pages, commit, tmpfs;
};

static struct snap snap(void)
{
	return (struct snap){ stub_live_heap, stub_live_pages, stub_commit_used, tmpfs_pages_used() };
}

static bool same(struct snap a)
{
	struct snap b = snap();

	return a.heap == b.heap && a.pages == b.pages && a.commit == b.commit && a.tmpfs == b.tmpfs;
}

static const char *snap_diff(struct snap a)
{
	static char buf[160];
	struct snap b = snap();

	snprintf(buf, sizeof(buf), "heap %+ld pages %+ld commit %+ld tmpfs %+ld",
		 (long)(b.heap - a.heap), (long)(b.pages - a.pages), (long)(b.commit - a.commit),
		 (long)(b.tmpfs - a.tmpfs));
	return buf;
}

/* readdir into a list of names, with room for `room` entries a call. */
struct names {
	struct dir_context ctx;
	int n, room, in_call;
	char name[512][FS_NAME_MAX + 1];
};

static bool collect(struct dir_context *ctx, const char *name, size_t len, uint64_t ino, unsigned type)
{
	struct names *c = (struct names *)ctx;

	(void)ino;
	(void)type;
	if (c->in_call >= c->room || c->n >= 512)
		return false;
	memcpy(c->name[c->n], name, len);
	c->name[c->n][len] = 0;
	c->n++;
	c->in_call++;
	return true;
}

static int times_listed(const struct names *c, const char *name)
{
	int k = 0;

	for (int i = 0; i < c->n; i++)
		k += strcmp(c->name[i], name) == 0;
	return k;
}

/* One readdir call on f: the names it gave. */
static int readdir_call(struct file *f, struct names *c)
{
	c->ctx.emit = collect;
	c->in_call = 0;
	int err = file_readdir(f, &c->ctx);
	return err ? err : c->in_call;
}

static struct file *open_path(const char *path, uint32_t flags)
{
	struct file *f = NULL;

	return vfs_open(R, path, flags, 0644, &f) ? NULL : f;
}

/* ---- path resolution ---------------------------------------------------------- */

static void test_paths(void)
{
	char name[300], big[FS_PATH_MAX + 16];
	int err;

	check(!mkd("/a") && !mkd("/a/b") && !mkd("/a/b/c") && !put("/a/f", "hello") &&
	      !sym("b/c", "/a/rel") && !sym("/a/b", "/abs") && !sym("b", "/a/mid") &&
	      !sym("a/f", "/end") && !sym("self", "/self") && !sym("f/", "/a/fslash") &&
	      !sym("../..", "/a/b/up"), "vfs.path.setup", "");
	long a = lk("/a"), b = lk("/a/b"), c = lk("/a/b/c"), f = lk("/a/f");
	check(a > 0 && b > 0 && c > 0 && f > 0 && D(b)->parent == D(a), "vfs.path.basic", "");
	check(lk("/a/./b/../b/c") == c && lk("a/b/c/../..") == a && lk("/a/b/c/.") == c &&
	      lkf(D(c), "../../f", 0) == f && lkf(D(c), ".", 0) == c,
	      "vfs.path.dot-and-dotdot", "%ld", lk("/a/./b/../b/c"));
	check(lk("//a///b//c") == c && lk("/a/b/") == b && lk("/a/b//") == b && lk("///") == L(R),
	      "vfs.path.repeated-and-trailing-slashes", "");
	check(lk("/a/f/") == -ENOTDIR && lk("/a/f//") == -ENOTDIR && lk("/a/f/.") == -ENOTDIR &&
	      lk("/a/f/x") == -ENOTDIR && lk("/a/f/..") == -ENOTDIR && lkf(D(f), "x", 0) == -ENOTDIR,
	      "vfs.path.enotdir-through-file", "%ld", lk("/a/f/"));
	check(lk("/..") == L(R) && lk("/../../..") == L(R) && lk("/../a") == a && lkf(D(a), "../..", 0) == L(R),
	      "vfs.path.dotdot-at-root-stays", "");
	check(lk("/nope") == -ENOENT && lk("/a/nope/x") == -ENOENT && lk("") == -ENOENT,
	      "vfs.path.enoent", "");
	/* symlinks */
	check(lk("/a/rel") == c && inode_is_symlink(I(lkn("/a/rel"))) && lkf(NULL, "/a/rel/", 0) == c,
	      "vfs.symlink.relative", "%ld", lk("/a/rel"));
	check(lk("/abs") == b && lkn("/abs/c") == c && lk("/abs/c/..") == b,
	      "vfs.symlink.absolute", "");
	check(lkn("/a/mid/c") == c && lkn("/a/mid/../f") == f && lk("/a/b/up") == L(R) &&
	      lkn("/a/b/up/a/f") == f, "vfs.symlink.in-the-middle", "%ld", lkn("/a/mid/../f"));
	check(lk("/end") == f && inode_is_symlink(I(lkn("/end"))) && lk("/end/") == -ENOTDIR,
	      "vfs.symlink.at-the-end", "%ld", lk("/end/"));
	check(lk("/a/fslash") == -ENOTDIR && lkn("/a/fslash") > 0, "vfs.symlink.target-trailing-slash-enotdir",
	      "%ld", lk("/a/fslash"));
	check(lk("/self") == -ELOOP && lk("/self/x") == -ELOOP && lkn("/self/") == -ELOOP && lkn("/self") > 0,
	      "vfs.symlink.self-loop-eloop", "%ld", lk("/self"));
	/* chains: l1 -> l2 -> ... -> l40 -> /a/f (40 links), m1 .. m41 (41) */
	err = mkd("/ch");
	for (int k = 1; k <= 41 && !err; k++) {
		char t[32], p[32];
		snprintf(p, sizeof(p), "/ch/l%d", k);
		snprintf(t, sizeof(t), k < 40 ? "l%d" : "/a/f", k + 1);
		if (k <= 40)
			err = sym(t, p);
		snprintf(p, sizeof(p), "/ch/m%d", k);
		snprintf(t, sizeof(t), k < 41 ? "m%d" : "/a/f", k + 1);
		if (!err)
			err = sym(t, p);
	}
	check(!err && lk("/ch/l1") == f && lk("/ch/m2") == f, "vfs.symlink.chain-of-40-ok", "%d %ld",
	      err, lk("/ch/l1"));
	check(lk("/ch/m1") == -ELOOP && lkn("/ch/m1") > 0, "vfs.symlink.chain-of-41-eloop", "%ld",
	      lk("/ch/m1"));
	/* 20 links to a directory and 21 more to a file: 41 in one walk */
	check(lk("/ch/l21") == f && lkn("/ch/m1/") == -ELOOP, "vfs.symlink.count-is-per-walk", "");
	/* an empty target: symlink(2) refuses it; one made anyway is ENOENT */
	struct dentry *e = dentry_new(R, "empty", 5);
	int made = e ? R->inode->iops->symlink(R->inode, e, "") : -ENOMEM;
	dentry_put(e);
	check(sym("", "/empty2") == -ENOENT && lk("/empty2") == -ENOENT && !made &&
	      lk("/empty") == -ENOENT && lkn("/empty") > 0, "vfs.symlink.empty-target-enoent", "%ld",
	      lk("/empty"));
	/* limits */
	memset(name, 'n', 255);
	name[255] = 0;
	snprintf(big, sizeof(big), "/a/%s", name);
	check(!mkd(big) && lk(big) > 0 && D(lk(big))->len == 255, "vfs.name.255-ok", "%ld", lk(big));
	strcat(big, "n");
	check(mkd(big) == -ENAMETOOLONG && lk(big) == -ENAMETOOLONG && mkf(big) == -ENAMETOOLONG,
	      "vfs.name.256-enametoolong", "%d", mkd(big));
	strcat(big, "/x");
	check(lk(big) == -ENAMETOOLONG && mkd(big) == -ENAMETOOLONG, "vfs.name.256-in-the-middle", "");
	memset(big, '/', FS_PATH_MAX);
	memcpy(big + FS_PATH_MAX - 3, "/a", 3);      /* 4095 characters */
	check(lk(big) == a, "vfs.path.4095-ok", "%ld", lk(big));
	memset(big, '/', FS_PATH_MAX);
	memcpy(big + FS_PATH_MAX - 2, "/a", 3);      /* 4096 */
	check(lk(big) == -ENAMETOOLONG, "vfs.path.4096-enametoolong", "%ld", lk(big));
	/* a link whose target and the rest of the path pass PATH_MAX */
	memset(big, 'x', 3000);
	big[3000] = 0;
	err = sym(big, "/long");
	memset(big, '/', 2000);
	strcpy(big + 2000, "long/y");
	check(!err && lk(big) == -ENAMETOOLONG, "vfs.symlink.expansion-enametoolong", "%d %ld", err, lk(big));
	/* dentry_path */
	check(!strcmp(path_of(D(c)), "/a/b/c") && !strcmp(path_of(R), "/"), "vfs.dentry_path.plain",
	      "%s", path_of(D(c)));
	/* every buffer size: the path exactly, or -ENAMETOOLONG; never past the end */
	struct dentry *g2;
	int sizes_bad = -1;
	if (!mkd("/a/b/c/gone2") && !namei(R, "/a/b/c/gone2", 0, &g2, NULL)) {
		sizes_bad = 0;
		for (int pass = 0; pass < 2; pass++) {
			const char *want = pass ? "/a/b/c/gone2 (deleted)" : "/a/b/c/gone2";
			size_t wl = strlen(want);
			for (size_t size = 0; size <= wl + 2; size++) {
				char *buf = malloc(size ? size : 1);
				long r = dentry_path(g2, buf, size);
				if (size <= wl ? r != -ENAMETOOLONG : (r != (long)wl || strcmp(buf, want)))
					sizes_bad++;
				free(buf);
			}
			if (!pass)
				vfs_unlink(R, "/a/b/c/gone2", true);
		}
		dentry_put(g2);
	}
	check(sizes_bad == 0, "vfs.dentry_path.every-size", "%d", sizes_bad);
	struct dentry *gone;
	err = mkd("/gone") || namei(R, "/gone", 0, &gone, NULL);
	check(!err && !vfs_unlink(R, "/gone", true) && !strcmp(path_of(gone), "/gone (deleted)") &&
	      gone->inode->nlink == 0 && lk("/gone") == -ENOENT, "vfs.dentry_path.deleted", "%s",
	      err ? "" : path_of(gone));
	if (!err)
		dentry_put(gone);
}

/* ---- mounts ----------------------------------------------------------------------- */

static void test_mounts(void)
{
	struct dentry *mnt, *sub;
	int err;

	err = mkd("/mnt") || mkd("/mnt/under") || namei(R, "/mnt", LOOKUP_FOLLOW, &mnt, NULL);
	check(!err && vfs_mount("none", mnt, "tmpfs", 0, "size=64k") == 0 && mnt->mounted,
	      "vfs.mount.tmpfs", "%d", err);
	if (err)
		return;
	sub = mnt->mounted->root;
	check(lk("/mnt") == L(sub) && lk("/mnt/") == L(sub) && lk("/mnt/under") == -ENOENT &&
	      sub->sb != R->sb, "vfs.mount.lookup-crosses-in", "%ld", lk("/mnt"));
	check(!mkd("/mnt/x") && !mkd("/mnt/x/y") && D(lk("/mnt/x/y"))->sb == sub->sb &&
	      lk("/mnt/..") == L(R) && lk("/mnt/x/y/../../..") == L(R) && lk("/mnt/x/../../a") == lk("/a") &&
	      lkf(sub, "..", 0) == L(R), "vfs.mount.dotdot-crosses-out", "%ld", lk("/mnt/.."));
	check(!strcmp(path_of(D(lk("/mnt/x/y"))), "/mnt/x/y") && !strcmp(path_of(sub), "/mnt"),
	      "vfs.mount.dentry_path-across", "%s", path_of(D(lk("/mnt/x/y"))));
	/* a link in the mount pointing out, and one outside pointing in */
	check(!sym("../a", "/mnt/out") && lk("/mnt/out/f") == lk("/a/f") && !sym("/mnt/x", "/in") &&
	      lk("/in/y") == lk("/mnt/x/y"), "vfs.mount.symlinks-across", "");
	/* readdir's ".." of the mounted root is the covered directory's parent */
	struct file *f = NULL;
	static struct names ns;
	ns.n = 0;
	ns.room = 100;
	if (file_open_dentry(sub, 0, &f) == 0) {
		readdir_call(f, &ns);
		file_put(f);
	}
	check(ns.n == 4 && !strcmp(ns.name[1], "..") && times_listed(&ns, "x") == 1 &&
	      times_listed(&ns, "out") == 1, "vfs.mount.readdir-root", "%d", ns.n);
	/* across filesystems: EXDEV */
	check(!put("/mnt/file", "m") && vfs_rename(R, "/a/f", R, "/mnt/f", 0) == -EXDEV &&
	      vfs_rename(R, "/mnt/file", R, "/a/g", 0) == -EXDEV &&
	      vfs_link(R, "/a/f", false, R, "/mnt/f") == -EXDEV && text_is("/a/f", "hello"),
	      "vfs.mount.exdev", "");
	/* the mount point itself cannot go */
	check(vfs_unlink(R, "/mnt", true) == -EBUSY && vfs_rename(R, "/mnt", R, "/mnt2", 0) == -EBUSY,
	      "vfs.mount.mountpoint-ebusy", "%d", vfs_unlink(R, "/mnt", true));
	/* umount: busy while a file is open inside; afterwards the covered
	 * directory is back and the caller's reference on the old root is safe
	 * to drop */
	struct snap before = snap();
	f = open_path("/mnt/file", O_RDONLY);
	struct dentry *root_ref;
	namei(R, "/mnt", LOOKUP_FOLLOW, &root_ref, NULL);
	check(f && vfs_umount(root_ref, false) == -EBUSY && vfs_umount(R, false) == -EINVAL,
	      "vfs.umount.busy", "");
	file_put(f);
	err = vfs_umount(root_ref, false);
	dentry_put(root_ref);       /* after umount, as sys_umount2 does */
	check(!err && lk("/mnt") == L(mnt) && lk("/mnt/under") > 0 && !mnt->mounted &&
	      lk("/a/f") > 0, "vfs.umount.uncovers", "%d", err);
	check(stub_live_heap < before.heap && stub_commit_used < before.commit, "vfs.umount.frees",
	      "%s", snap_diff(before));
	dentry_put(mnt);
	vfs_unlink(R, "/in", false);
}

/* Two filesystems mounted on one directory: the later hides the earlier,
 * ".." leaves both, and they come off in order. */
static void test_stacked_mounts(void)
{
	struct dentry *st, *top, *low;
	struct snap s0 = snap();
	int err = mkd("/st") || namei(R, "/st", 0, &st, NULL);

	err = err || vfs_mount("one", st, "tmpfs", 0, NULL) || mkd("/st/in-one") ||
	      vfs_mount("two", st, "tmpfs", 0, NULL) || mkd("/st/in-two");
	if (!check(!err, "vfs.mount.stacked-setup", "%d", err))
		return;
	low = st->mounted->root;
	top = low->mounted->root;
	check(lk("/st") == L(top) && lk("/st/in-one") == -ENOENT && lk("/st/in-two") > 0 &&
	      lk("/st/in-two/../..") == L(R) && lk("/st/..") == L(R) && !strcmp(path_of(D(lk("/st/in-two"))), "/st/in-two"),
	      "vfs.mount.stacked-lookup", "%ld", lk("/st/.."));
	check(vfs_umount(low, false) == -EBUSY, "vfs.mount.stacked-lower-busy", "");
	struct dentry *t;
	namei(R, "/st", 0, &t, NULL);
	int u1 = vfs_umount(t, false);
	dentry_put(t);
	check(!u1 && lk("/st") == L(low) && lk("/st/in-one") > 0, "vfs.mount.stacked-umount-top", "%d", u1);
	namei(R, "/st", 0, &t, NULL);
	int u2 = vfs_umount(t, false);
	dentry_put(t);
	dentry_put(st);
	check(!u2 && lk("/st") == L(st) && !vfs_unlink(R, "/st", true) && same(s0), "vfs.mount.stacked-umount-all",
	      "%d %s", u2, snap_diff(s0));
}

/* A file shrinking under a shared mapping asks the mappings to let go of
 * the pages past the new end. */
static void test_shrink_mapped(void)
{
	static uint8_t pat[3 * PG];
	int err = mkf("/mapped");
	struct inode *i = I(lk("/mapped"));
	long w = err ? err : tmpfs_kernel_write(i, pat, sizeof(pat), 0);
	struct vm_object o = tmpfs_vm_object(i, NULL);
	phys_addr_t pa = 0;

	o.ops->get(o.obj);
	o.ops->mapped(o.obj, 1);
	int calls = stub_unmap_calls;
	int pg = o.ops->page(o.obj, 1, false, &pa);
	int past = o.ops->page(o.obj, 3, true, &pa);
	int e = vfs_truncate(D(lk("/mapped")), PG + 10);
	check(w == (long)sizeof(pat) && !pg && past == -EFAULT && !e && stub_unmap_calls == calls + 1 &&
	      stub_unmap_obj == i && stub_unmap_first == 2 && o.ops->size(o.obj) == PG + 10,
	      "vfs.mapping.shrink-unmaps-past-end", "%d first %lu", stub_unmap_calls - calls,
	      (unsigned long)stub_unmap_first);
	o.ops->mapped(o.obj, -1);
	e = vfs_truncate(D(lk("/mapped")), 0);
	check(!e && stub_unmap_calls == calls + 1, "vfs.mapping.unmapped-shrink-no-call", "");
	o.ops->put(o.obj);
	vfs_unlink(R, "/mapped", false);
}

/* What holds a file's inode without an open file must keep its filesystem
 * mounted too (as Linux's vma->vm_file and mm->exe_file hold the mount):
 * a shared mapping's object, and a process's executable. */
static void test_umount_busy_holders(void)
{
	static const char *const what[] = { "mapping", "exe" };

	for (int k = 0; k < 2; k++) {
		char tag[64];
		struct dentry *mp, *root, *d;
		struct snap s0 = snap();
		int err = mkd("/hold") || namei(R, "/hold", 0, &mp, NULL);
		err = err || vfs_mount("none", mp, "tmpfs", 0, NULL) || put("/hold/prog", "#!") ||
		      namei(R, "/hold/prog", 0, &d, NULL) || namei(R, "/hold", LOOKUP_FOLLOW, &root, NULL);
		snprintf(tag, sizeof(tag), "vfs.umount.busy-while-%s-held", what[k]);
		if (!check(!err, tag, "setup %d", err))
			return;
		struct vm_object o = tmpfs_vm_object(d->inode, NULL);
		static struct proc p2;           /* a process running it */
		memset(&p2, 0, sizeof(p2));
		p2.files = fdtable_new();
		p2.root = dentry_get(R);
		fs_proc_chdir(&p2, R);
		if (k == 0)
			o.ops->get(o.obj);           /* mmap of the file */
		else
			fs_proc_set_exe(&p2, d);     /* execve of it */
		dentry_put(d);
		int busy = vfs_umount(root, false);
		if (busy == 0) {
			/* the mount is gone: dropping the holder now touches freed memory */
			check(0, tag, "umount succeeded with the file still held");
			p2.exe = NULL;
			dentry_put(root);
			dentry_put(mp);
			return;
		}
		if (k == 0)
			o.ops->put(o.obj);           /* munmap */
		fs_proc_exit(&p2);               /* exit */
		int done = vfs_umount(root, false);
		dentry_put(root);
		dentry_put(mp);
		vfs_unlink(R, "/hold", true);
		check(busy == -EBUSY && done == 0 && same(s0), tag, "%d %d %s", busy, done, snap_diff(s0));
	}
}

/* A removed directory takes no new names (Linux's IS_DEADDIR: ENOENT);
 * a name made there would hold the dead directory, and itself, forever. */
static void test_dead_dir(void)
{
	struct dentry *dead;
	struct snap s0 = snap();
	int err = mkd("/dead") || put("/dfile", "x") || namei(R, "/dead", 0, &dead, NULL);

	if (!check(!err && !vfs_unlink(R, "/dead", true), "vfs.dead-dir.setup", "%d", err))
		return;
	struct file *f = NULL;
	int e1 = vfs_mkdir(dead, "d", 0755), e2 = vfs_mknod(dead, "f", S_IFREG | 0644, 0);
	int e3 = vfs_symlink("/x", dead, "l"), e4 = vfs_link(R, "/dfile", false, dead, "h");
	int e5 = vfs_rename(R, "/dfile", dead, "r", 0), e6 = vfs_open(dead, "o", O_CREAT | O_RDWR, 0644, &f);
	check(e1 == -ENOENT && e2 == -ENOENT && e3 == -ENOENT && e4 == -ENOENT && e5 == -ENOENT &&
	      e6 == -ENOENT && !dead->first_child && lkf(dead, "..", 0) == L(R) && lkf(dead, ".", 0) == L(dead),
	      "vfs.dead-dir.no-new-names", "%d %d %d %d %d %d", e1, e2, e3, e4, e5, e6);
	if (!e6)
		file_put(f);
	dentry_put(dead);
	vfs_unlink(R, "/dfile", false);
	check(same(s0), "vfs.dead-dir.freed", "%s", snap_diff(s0));
}

static void be(uint32_t uid)
{
	struct cred *c = &current->cred;

	c->uid = c->euid = c->suid = c->fsuid = uid;
	c->gid = c->egid = c->sgid = c->fsgid = uid;
}

/* Permission checks as an ordinary user (uid 1000) against root's files. */
static void test_permissions(void)
{
	struct snap s0 = snap();
	int setup = mkd("/perm") || mkd("/perm/priv") || put("/perm/secret", "s") ||
		    mkd("/perm/tmp") || put("/perm/tmp/roots", "r") ||
		    vfs_chmod(D(lk("/perm/priv")), 0700) || vfs_chmod(D(lk("/perm/secret")), 0600) ||
		    vfs_chmod(D(lk("/perm/tmp")), 01777);
	check(!setup && (modeof("/perm/tmp") & 07777) == 01777, "vfs.perm.setup", "%d", setup);
	be(1000);
	struct file *f = NULL;
	check(mkd("/perm/x") == -EACCES && mkf("/perm/x") == -EACCES && vfs_unlink(R, "/perm/secret", false) == -EACCES &&
	      vfs_rename(R, "/perm/secret", R, "/perm/s2", 0) == -EACCES, "vfs.perm.no-write-in-dir", "%d", mkd("/perm/x"));
	check(lk("/perm/priv/x") == -EACCES && lk("/perm/priv") > 0 && mkd("/perm/priv/x") == -EACCES,
	      "vfs.perm.no-search", "%ld", lk("/perm/priv/x"));
	check(vfs_open(R, "/perm/secret", O_RDONLY, 0, &f) == -EACCES && vfs_access(D(lk("/perm/secret")), MAY_READ) == -EACCES &&
	      vfs_access(D(lk("/perm/secret")), 0) == 0, "vfs.perm.open-eacces", "");
	check(vfs_chmod(D(lk("/perm/secret")), 0777) == -EPERM && vfs_chown(D(lk("/perm/secret")), 1000, UINT32_MAX) == -EPERM,
	      "vfs.perm.chmod-chown-eperm", "");
	/* the sticky bit: others' names stay, one's own go */
	check(!mkf("/perm/tmp/mine") && I(lk("/perm/tmp/mine"))->uid == 1000 &&
	      vfs_unlink(R, "/perm/tmp/roots", false) == -EPERM &&
	      vfs_rename(R, "/perm/tmp/roots", R, "/perm/tmp/took", 0) == -EPERM &&
	      vfs_rename(R, "/perm/tmp/mine", R, "/perm/tmp/roots", 0) == -EPERM &&
	      !vfs_rename(R, "/perm/tmp/mine", R, "/perm/tmp/mine2", 0) && !vfs_unlink(R, "/perm/tmp/mine2", false),
	      "vfs.perm.sticky", "%d", vfs_unlink(R, "/perm/tmp/roots", false));
	struct linux_timespec t = { 5, 0 };
	check(vfs_utimes(D(lk("/perm/secret")), &t, &t, true) == -EPERM && vfs_utimes(D(lk("/perm/tmp/roots")), NULL, NULL, false) == -EACCES,
	      "vfs.perm.utimes", "");
	be(0);
	static const char *const rm[] = { "/perm/tmp/roots", "/perm/tmp", "/perm/secret", "/perm/priv", "/perm" };
	int rmerr = 0;
	for (size_t k = 0; k < ARRAY_SIZE(rm); k++)
		rmerr |= vfs_unlink(R, rm[k], inode_is_dir(I(lkn(rm[k]))));
	check(!rmerr && same(s0), "vfs.perm.freed", "%d %s", rmerr, snap_diff(s0));
}

/* ---- tmpfs names ------------------------------------------------------------------ */

static void test_names(void)
{
	uint32_t root_links = R->inode->nlink;
	struct snap s0 = snap();

	check(!mkd("/t") && nlink("/t") == 2 && R->inode->nlink == root_links + 1 && !mkd("/t/d") &&
	      nlink("/t") == 3 && mkd("/t/d") == -EEXIST && mkf("/t/d") == -EEXIST,
	      "vfs.tmpfs.mkdir-nlink", "%u", nlink("/t"));
	check(!mkf("/t/x") && inode_is_reg(I(lk("/t/x"))) && nlink("/t/x") == 1 &&
	      (modeof("/t/x") & 0777) == 0644 && mkf("/t/nodir/x") == -ENOENT &&
	      mkf("/t/y/") == -ENOENT && !mkd("/t/e/") && lk("/t/e") > 0,
	      "vfs.tmpfs.create", "");
	current->umask = 077;
	int um = mkf("/t/um");
	check(!um && (modeof("/t/um") & 0777) == 0600, "vfs.tmpfs.umask", "%d %o", um, modeof("/t/um"));
	current->umask = 022;
	check(vfs_unlink(R, "/t", true) == -ENOTEMPTY && vfs_unlink(R, "/t/d", false) == -EISDIR &&
	      vfs_unlink(R, "/t/x", true) == -ENOTDIR && vfs_unlink(R, "/t/x/", false) == -ENOTDIR &&
	      vfs_unlink(R, "/t/none", false) == -ENOENT && vfs_unlink(R, "/t/.", true) == -EINVAL &&
	      vfs_unlink(R, "/", true) == -EBUSY, "vfs.tmpfs.remove-errors", "");
	check(!vfs_unlink(R, "/t/d", true) && nlink("/t") == 3 && !vfs_unlink(R, "/t/e", true) &&
	      nlink("/t") == 2 && !vfs_unlink(R, "/t/um", false) && lk("/t/um") == -ENOENT,
	      "vfs.tmpfs.rmdir-unlink", "%u", nlink("/t"));
	/* rename over a file: the old target's data goes */
	check(!put("/t/x", "X") && !put("/t/y", "YYYY") && !vfs_rename(R, "/t/x", R, "/t/y", 0) &&
	      text_is("/t/y", "X") && lk("/t/x") == -ENOENT, "vfs.rename.replace-file", "");
	check(!put("/t/x", "X2") && vfs_rename(R, "/t/x", R, "/t/y", RENAME_NOREPLACE) == -EEXIST &&
	      text_is("/t/x", "X2") && text_is("/t/y", "X"), "vfs.rename.noreplace-eexist", "");
	check(!vfs_rename(R, "/t/y", R, "/t/y", 0) && text_is("/t/y", "X") &&
	      vfs_rename(R, "/t/zz", R, "/t/q", 0) == -ENOENT, "vfs.rename.same-and-missing", "");
	/* EXCHANGE of a file and a directory in different parents */
	check(!mkd("/p1") && !mkd("/p2") && !put("/p1/file", "F") && !mkd("/p2/dir") && !mkd("/p2/dir/sub") &&
	      nlink("/p1") == 2 && nlink("/p2") == 3, "vfs.rename.exchange-setup", "");
	long dir = lk("/p2/dir"), file = lk("/p1/file");
	int err = vfs_rename(R, "/p1/file", R, "/p2/dir", RENAME_EXCHANGE);
	check(!err && lk("/p1/file") == dir && lk("/p2/dir") == file && nlink("/p1") == 3 &&
	      nlink("/p2") == 2 && lk("/p1/file/sub/../..") == lk("/p1") && nlink("/p1/file") == 3 &&
	      text_is("/p2/dir", "F"), "vfs.rename.exchange-file-and-dir", "%d p1 %u p2 %u", err,
	      nlink("/p1"), nlink("/p2"));
	check(vfs_rename(R, "/p1/file", R, "/p2/none", RENAME_EXCHANGE) == -ENOENT &&
	      vfs_rename(R, "/p1/file", R, "/p2/dir", RENAME_EXCHANGE | RENAME_NOREPLACE) == -EINVAL,
	      "vfs.rename.exchange-errors", "");
	/* a directory into itself */
	check(vfs_rename(R, "/p1/file", R, "/p1/file/sub/into", 0) == -EINVAL &&
	      vfs_rename(R, "/p1", R, "/p1/file/p1", 0) == -EINVAL &&
	      vfs_rename(R, "/p1", R, "/p1/file/sub", RENAME_EXCHANGE) == -EINVAL &&
	      lk("/p1/file/sub") > 0, "vfs.rename.dir-into-own-subdir-einval", "");
	/* a directory over a directory: only an empty one */
	check(!mkd("/p2/emptyd") && !mkd("/p2/full") && !mkf("/p2/full/x") &&
	      vfs_rename(R, "/p1/file", R, "/p2/full", 0) == -ENOTEMPTY &&
	      vfs_rename(R, "/p1/file", R, "/p2/dir", 0) == -ENOTDIR &&
	      vfs_rename(R, "/p2/dir", R, "/p2/emptyd", 0) == -EISDIR &&
	      !vfs_rename(R, "/p1/file", R, "/p2/emptyd", 0) && nlink("/p1") == 2 && nlink("/p2") == 4 &&
	      lk("/p2/emptyd/sub/../..") == lk("/p2"), "vfs.rename.dir-over-dir", "p1 %u p2 %u",
	      nlink("/p1"), nlink("/p2"));
	/* a directory to a new name in another parent: both parents' links */
	check(!mkd("/p1/mv") && !mkd("/p1/mv/in") && nlink("/p1") == 3 && !vfs_rename(R, "/p1/mv", R, "/p2/mv", 0) &&
	      nlink("/p1") == 2 && nlink("/p2") == 5 && lk("/p2/mv/in/../..") == lk("/p2") &&
	      !vfs_rename(R, "/p2/mv", R, "/p2/mv2", RENAME_NOREPLACE) && nlink("/p2") == 5 &&
	      vfs_rename(R, "/p2/mv2/", R, "/p2/mv3/", 0) == 0 && vfs_rename(R, "/p2/dir", R, "/p2/f2/", 0) == -ENOTDIR,
	      "vfs.rename.dir-to-new-name", "p1 %u p2 %u", nlink("/p1"), nlink("/p2"));
	vfs_unlink(R, "/p2/mv3/in", true);
	vfs_unlink(R, "/p2/mv3", true);
	/* a rename to a longer name than the dentry had */
	check(!put("/t/s", "short") && !vfs_rename(R, "/t/s", R, "/t/a-much-longer-name-than-before-0123456789", 0) &&
	      text_is("/t/a-much-longer-name-than-before-0123456789", "short") &&
	      !vfs_rename(R, "/t/a-much-longer-name-than-before-0123456789", R, "/t/s2", 0) && text_is("/t/s2", "short"),
	      "vfs.rename.longer-name", "");
	/* hard links */
	check(!vfs_link(R, "/t/y", false, R, "/t/hl") && nlink("/t/y") == 2 && I(lk("/t/hl")) == I(lk("/t/y")) &&
	      vfs_link(R, "/t/y", false, R, "/t/hl") == -EEXIST && vfs_link(R, "/t", false, R, "/t/dl") == -EPERM &&
	      !vfs_unlink(R, "/t/y", false) && nlink("/t/hl") == 1 && text_is("/t/hl", "X"),
	      "vfs.link.nlink", "%u", nlink("/t/hl"));
	vfs_unlink(R, "/t/hl", false);
	vfs_unlink(R, "/t/x", false);
	vfs_unlink(R, "/t/s2", false);
	static const char *const rm[] = { "/p2/dir", "/p2/full/x", "/p2/full", "/p2/emptyd/sub", "/p2/emptyd", "/p2", "/p1", "/t" };
	int rmerr = 0;
	for (size_t k = 0; k < ARRAY_SIZE(rm); k++)
		rmerr |= vfs_unlink(R, rm[k], inode_is_dir(I(lkn(rm[k]))));
	check(!rmerr && same(s0), "vfs.tmpfs.names-freed", "%d %s", rmerr, snap_diff(s0));
}

/* readdir through the directory's operations */
static void test_readdir(void)
{
	static struct names all, part;
	char p[FS_NAME_MAX + 16];
	int err = mkd("/rd");

	for (int k = 0; k < 100 && !err; k++) {
		snprintf(p, sizeof(p), "/rd/n%03d", k);
		err = mkf(p);
	}
	struct file *f = open_path("/rd", O_RDONLY | O_DIRECTORY);
	all.n = 0;
	all.room = 1000;
	int n = f ? readdir_call(f, &all) : -1;
	int once = 1;
	for (int k = 0; k < 100; k++) {
		snprintf(p, sizeof(p), "n%03d", k);
		once &= times_listed(&all, p) == 1;
	}
	check(!err && n == 102 && once && !strcmp(all.name[0], ".") && !strcmp(all.name[1], "..") &&
	      readdir_call(f, &all) == 0, "vfs.readdir.every-name-once", "%d", n);
	file_put(f);
	/* 7 at a time; between calls, remove the last name given and one not
	 * given yet: every other name comes exactly once */
	f = open_path("/rd", O_RDONLY);
	part.n = 0;
	part.room = 7;
	int calls = 0, removed_unseen = 0, bad = 0;
	char last[FS_NAME_MAX + 1];
	while (f && (n = readdir_call(f, &part)) > 0 && calls < 100) {
		calls++;
		strcpy(last, part.name[part.n - 1]);
		if (last[0] == 'n') {
			snprintf(p, sizeof(p), "/rd/%s", last);
			bad += vfs_unlink(R, p, false) != 0;
			int k = atoi(last + 1) + 3;
			if (k < 100) {
				snprintf(p, sizeof(p), "/rd/n%03d", k);
				if (!vfs_unlink(R, p, false))
					removed_unseen++;
			}
		}
	}
	int missing = 0, twice = 0;
	for (int k = 0; k < 100; k++) {
		snprintf(p, sizeof(p), "n%03d", k);
		int t = times_listed(&part, p);
		twice += t > 1;
		snprintf(p, sizeof(p), "/rd/n%03d", k);
		missing += t == 0 && lk(p) > 0;     /* still there, never given */
	}
	check(f && calls > 10 && !bad && removed_unseen > 5 && !missing && !twice &&
	      part.n == 102 - removed_unseen, "vfs.readdir.resume-with-removals",
	      "calls %d n %d removed %d missing %d twice %d", calls, part.n, removed_unseen, missing, twice);
	file_put(f);
	/* a name created after the listing ends comes on the next call */
	f = open_path("/rd", O_RDONLY);
	all.n = 0;
	all.room = 1000;
	readdir_call(f, &all);
	int made = mkf("/rd/late");
	all.n = 0;
	check(!made && readdir_call(f, &all) == 1 && !strcmp(all.name[0], "late"), "vfs.readdir.new-name-after-end",
	      "%d", all.n);
	file_put(f);
	f = open_path("/rd/late", O_RDONLY);
	check(f && file_readdir(f, &all.ctx) == -ENOTDIR, "vfs.readdir.not-a-dir", "");
	file_put(f);
}

/* ---- tmpfs data ---------------------------------------------------------------------- */

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (p[k])
			return false;
	return true;
}

static void test_data(void)
{
	static uint8_t buf[8 * PG], pat[8 * PG];
	struct snap s0 = snap();

	for (size_t k = 0; k < sizeof(pat); k++)
		pat[k] = (uint8_t)(k * 7 + 1);
	check(!mkd("/data") && !mkf("/data/h"), "vfs.data.setup", "");
	struct inode *i = I(lk("/data/h"));
	/* a hole: bytes never written read as zeros */
	long w = tmpfs_kernel_write(i, "abc", 3, 3 * PG + 5);
	memset(buf, 0xee, sizeof(buf));
	long r = tmpfs_kernel_read(i, buf, sizeof(buf), 0);
	check(w == 3 && r == 3 * PG + 8 && i->size == 3 * PG + 8 && all_zero(buf, 3 * PG + 5) &&
	      !memcmp(buf + 3 * PG + 5, "abc", 3) && i->blocks == PG / 512,
	      "vfs.data.hole-reads-zeros", "w %ld r %ld blocks %lu", w, r, (unsigned long)i->blocks);
	check(tmpfs_kernel_read(i, buf, 10, i->size) == 0 && tmpfs_kernel_read(i, buf, 10, i->size - 2) == 2 &&
	      tmpfs_kernel_read(i, buf, 10, 1u << 30) == 0, "vfs.data.read-at-eof", "");
	/* writes across page boundaries at odd offsets */
	w = tmpfs_kernel_write(i, pat, 2 * PG + 100, PG - 50);
	r = tmpfs_kernel_read(i, buf, 2 * PG + 100, PG - 50);
	check(w == 2 * PG + 100 && r == w && !memcmp(buf, pat, (size_t)r), "vfs.data.write-read-offsets",
	      "w %ld r %ld", w, r);
	/* shrink, then grow: the tail reads zeros */
	struct dentry *hd = D(lk("/data/h"));
	w = tmpfs_kernel_write(i, pat, 4 * PG, 0);
	int e1 = vfs_truncate(hd, 100), e2 = vfs_truncate(hd, 3 * PG);
	r = tmpfs_kernel_read(i, buf, sizeof(buf), 0);
	check(w == 4 * PG && !e1 && !e2 && r == 3 * PG && !memcmp(buf, pat, 100) && all_zero(buf + 100, 3 * PG - 100) &&
	      i->blocks == PG / 512, "vfs.data.truncate-zeroes-tail", "r %ld blocks %lu", r,
	      (unsigned long)i->blocks);
	check(!vfs_truncate(hd, 0) && i->blocks == 0 && i->size == 0 && vfs_truncate(D(lk("/data")), 0) == -EISDIR,
	      "vfs.data.truncate-to-zero", "");
	/* through open files: O_APPEND, O_TRUNC, positions */
	struct file *f = open_path("/data/h", O_RDWR | O_APPEND);
	uint64_t pos = 0;
	w = f ? file_write(f, uptr("12345"), 5, &pos) : -1;
	long w2 = f ? file_write(f, uptr("678"), 3, &pos) : -1;
	pos = 2;
	r = f ? file_read(f, uptr(buf), 100, &pos) : -1;
	check(w == 5 && w2 == 3 && r == 6 && !memcmp(buf, "345678", 6) && pos == 8, "vfs.data.file-append-read",
	      "%ld %ld %ld", w, w2, r);
	file_put(f);
	f = open_path("/data/h", O_WRONLY | O_TRUNC);
	check(f && i->size == 0 && file_read(f, uptr(buf), 1, &pos) == -EBADF, "vfs.data.o_trunc", "");
	file_put(f);
	vfs_unlink(R, "/data/h", false);
	vfs_unlink(R, "/data", true);
	check(same(s0), "vfs.data.freed", "%s", snap_diff(s0));
}

/* size= and the commit limit */
static void test_quota(void)
{
	static uint8_t pat[8 * PG], buf[8 * PG];
	struct dentry *q;
	struct snap s0 = snap();
	int err = mkd("/q") || namei(R, "/q", 0, &q, NULL);

	for (size_t k = 0; k < sizeof(pat); k++)
		pat[k] = (uint8_t)(k * 13 + 5);
	check(!err && !vfs_mount("none", q, "tmpfs", 0, "size=16k") && !mkf("/q/f") && !mkf("/q/g"),
	      "vfs.quota.mount-size-16k", "");
	if (err)
		return;
	struct inode *i = I(lk("/q/f")), *g = I(lk("/q/g"));
	long w = tmpfs_kernel_write(i, pat, 3 * PG, 0);
	long w2 = tmpfs_kernel_write(i, pat + 3 * PG, 2 * PG, 3 * PG);      /* spans the limit */
	long w3 = tmpfs_kernel_write(i, pat, 1, 4 * PG);
	long w4 = tmpfs_kernel_write(g, pat, 1, 0);
	long w5 = tmpfs_kernel_write(i, pat + 1, 10, 1);                    /* inside a page held */
	long r = tmpfs_kernel_read(i, buf, sizeof(buf), 0);
	check(w == 3 * PG && w2 == PG && w3 == -ENOSPC && w4 == -ENOSPC && w5 == 10 && i->size == 4 * PG &&
	      r == 4 * PG && !memcmp(buf, pat, 4 * PG), "vfs.quota.exactly-n-pages-then-enospc",
	      "w %ld w2 %ld w3 %ld w4 %ld r %ld", w, w2, w3, w4, r);
	struct linux_statfs st;
	vfs_statfs(D(lk("/q/f")), &st);
	check(st.f_blocks == 4 && st.f_bfree == 0, "vfs.quota.statfs", "%lu %lu", (unsigned long)st.f_blocks,
	      (unsigned long)st.f_bfree);
	/* a file of the mount shrinking gives its pages to another */
	check(!vfs_truncate(D(lk("/q/f")), PG) && tmpfs_kernel_write(g, pat, 3 * PG, 0) == 3 * PG &&
	      tmpfs_kernel_write(g, pat, 1, 3 * PG) == -ENOSPC, "vfs.quota.pages-come-back", "");
	/* the commit limit: ENOSPC too, and what was written stays */
	vfs_truncate(D(lk("/q/g")), 0);
	vfs_truncate(D(lk("/q/f")), 0);
	uint64_t limit = stub_commit_limit;
	stub_commit_limit = stub_commit_used + 2;
	w = tmpfs_kernel_write(g, pat, 3 * PG, 0);
	w2 = tmpfs_kernel_write(g, pat, 1, 3 * PG);
	stub_commit_limit = limit;
	r = tmpfs_kernel_read(g, buf, sizeof(buf), 0);
	check(w > 0 && w < 3 * PG && w % PG == 0 && w2 == -ENOSPC && r == w && !memcmp(buf, pat, (size_t)r),
	      "vfs.quota.commit-limit-enospc", "w %ld w2 %ld", w, w2);
	struct dentry *root;
	namei(R, "/q", LOOKUP_FOLLOW, &root, NULL);
	err = vfs_umount(root, false);
	dentry_put(root);
	/* nr_inodes= counts the root; hard links take none */
	int n1 = vfs_mount("none", q, "tmpfs", 0, "nr_inodes=3");
	int c1 = mkf("/q/a"), c2 = mkd("/q/b"), c3 = mkf("/q/c"), c4 = sym("a", "/q/l");
	int l1 = vfs_link(R, "/q/a", false, R, "/q/a2");
	int u1 = vfs_unlink(R, "/q/a", false), c5 = mkf("/q/c"), u2 = vfs_unlink(R, "/q/a2", false), c6 = mkf("/q/d");
	check(!n1 && !c1 && !c2 && c3 == -ENOSPC && c4 == -ENOSPC && !l1 && !u1 && c5 == -ENOSPC && !u2 && !c6,
	      "vfs.quota.nr_inodes", "%d %d %d %d %d %d %d %d %d %d", n1, c1, c2, c3, c4, l1, u1, c5, u2, c6);
	check(vfs_mount("none", q, "tmpfs", 0, "size=1x") == -EINVAL && vfs_mount("none", q, "tmpfs", 0, "mode=8") == -EINVAL &&
	      vfs_mount("none", q, "tmpfs", 0, "bogus=1") == -EINVAL && vfs_mount("none", q, "nofs", 0, NULL) == -ENODEV,
	      "vfs.mount.bad-options", "");
	namei(R, "/q", LOOKUP_FOLLOW, &root, NULL);
	err = err || vfs_umount(root, false);
	dentry_put(root);
	dentry_put(q);
	vfs_unlink(R, "/q", true);
	check(!err && same(s0), "vfs.quota.umount-frees-all", "%d %s", err, snap_diff(s0));
}

/* an unlinked file stays readable while open */
static void test_unlink_open(void)
{
	static uint8_t pat[3 * PG], buf[3 * PG];
	struct snap s0 = snap();

	for (size_t k = 0; k < sizeof(pat); k++)
		pat[k] = (uint8_t)(k ^ 0x5a);
	int err = mkf("/open");
	long w = err ? err : tmpfs_kernel_write(I(lk("/open")), pat, sizeof(pat), 0);
	struct file *f = open_path("/open", O_RDWR);
	struct file *f2 = f ? file_dup(f) : NULL;
	int u = vfs_unlink(R, "/open", false);
	uint64_t pos = 0;
	long r = f ? file_read_kernel(f, buf, sizeof(buf), &pos) : -1;
	check(w == (long)sizeof(pat) && f && !u && lk("/open") == -ENOENT && r == (long)sizeof(pat) &&
	      !memcmp(buf, pat, sizeof(pat)) && f->inode->nlink == 0 && !strcmp(path_of(f->dentry), "/open (deleted)"),
	      "vfs.unlink-open.readable", "w %ld r %ld", w, r);
	pos = 3 * PG;
	check(f && file_write_kernel(f, "more", 4, &pos) == 4 && f->inode->size == 3 * PG + 4,
	      "vfs.unlink-open.writable", "");
	file_put(f);
	check(stub_live_pages > s0.pages && tmpfs_pages_used() == s0.tmpfs + 4, "vfs.unlink-open.held-by-last-ref",
	      "%s", snap_diff(s0));
	file_put(f2);
	check(same(s0), "vfs.unlink-open.last-ref-frees-all", "%s", snap_diff(s0));
}

/* the radix tree by itself */
static void test_page_store(void)
{
	struct page_store ps = { 0 };
	struct page_quota q = { 0, 100 };
	struct snap s0 = snap();
	phys_addr_t pa0, pa1, pa2, pa;

	int e0 = page_store_get(&ps, 0, &q, &pa0);
	uint64_t nodes0 = ps.nodes;
	int e1 = page_store_get(&ps, (uint64_t)1 << 40, &q, &pa1);
	int e2 = page_store_get(&ps, ((uint64_t)1 << 40) + 1, &q, &pa2);
	check(!e0 && !e1 && !e2 && pa0 && pa1 && pa2 && pa1 != pa2 && nodes0 == 1 && ps.height == 5 &&
	      ps.pages == 3 && q.used == 3 && ps.nodes == 9 && stub_commit_used == s0.commit + 12,
	      "vfs.page_store.grows-to-1<<40", "height %u nodes %lu", ps.height, (unsigned long)ps.nodes);
	check(!page_store_get(&ps, 0, &q, &pa) && pa == pa0 && !page_store_get(&ps, (uint64_t)1 << 40, NULL, &pa) &&
	      pa == pa1 && !page_store_get(&ps, 12345, NULL, &pa) && pa == 0 &&
	      !page_store_get(&ps, (uint64_t)1 << 50, NULL, &pa) && pa == 0 && ps.pages == 3,
	      "vfs.page_store.finds-and-holes", "");
	check(page_store_any(&ps, 1, (uint64_t)1 << 40) && !page_store_any(&ps, 1, ((uint64_t)1 << 40) - 1) &&
	      page_store_any(&ps, 0, 0) && !page_store_any(&ps, ((uint64_t)1 << 40) + 2, UINT64_MAX),
	      "vfs.page_store.any", "");
	/* Pages at 0, 2^40 and 2^40 + 1: the next page and the next hole. */
	uint64_t t = (uint64_t)1 << 40;
	check(page_store_seek(&ps, 0, true) == 0 && page_store_seek(&ps, 1, true) == t &&
	      page_store_seek(&ps, t + 1, true) == t + 1 && page_store_seek(&ps, t + 2, true) == UINT64_MAX &&
	      page_store_seek(&ps, 0, false) == 1 && page_store_seek(&ps, 5, false) == 5 &&
	      page_store_seek(&ps, t, false) == t + 2 && page_store_seek(&ps, UINT64_MAX, false) == UINT64_MAX,
	      "vfs.page_store.seek", "");
	page_store_truncate(&ps, ((uint64_t)1 << 40) + 1, &q);
	check(ps.pages == 2 && ps.nodes == 9 && q.used == 2, "vfs.page_store.truncate-keeps-shared-nodes",
	      "%lu", (unsigned long)ps.nodes);
	page_store_truncate(&ps, 1, &q);
	check(ps.pages == 1 && ps.nodes == 5 && q.used == 1 && stub_commit_used == s0.commit + 6 &&
	      !page_store_get(&ps, 0, NULL, &pa) && pa == pa0, "vfs.page_store.truncate-frees-nodes",
	      "nodes %lu", (unsigned long)ps.nodes);
	page_store_truncate(&ps, 0, &q);
	check(!ps.root && ps.pages == 0 && ps.nodes == 0 && q.used == 0 && same(s0), "vfs.page_store.truncate-all",
	      "%s", snap_diff(s0));
	/* the quota counts data pages; a full quota fills no hole */
	q.limit = 1;
	check(!page_store_get(&ps, 7, &q, &pa) && page_store_get(&ps, 8, &q, &pa) == -ENOSPC &&
	      !page_store_get(&ps, 7, &q, &pa) && pa, "vfs.page_store.quota", "");
	page_store_truncate(&ps, 0, &q);
	/* a file at a huge offset, through tmpfs */
	int err = mkf("/huge");
	struct inode *i = I(lk("/huge"));
	uint64_t off = ((uint64_t)1 << 40) * PG + 17;
	char buf[8] = { 0 };
	long w = err ? err : tmpfs_kernel_write(i, "far", 3, off);
	check(w == 3 && i->size == off + 3 && tmpfs_kernel_read(i, buf, 8, off - 2) == 5 &&
	      !memcmp(buf, "\0\0far", 5) && i->blocks == PG / 512, "vfs.page_store.file-at-2^52", "%ld", w);
	vfs_unlink(R, "/huge", false);
	check(same(s0), "vfs.page_store.freed", "%s", snap_diff(s0));
}

/* ---- fault injection --------------------------------------------------------------------- */

/* The N-th allocation fails, for N = 1, 2, ... until op succeeds: each
 * failure must be one of the errors allowed and leave the tree as
 * unchanged() says, with every allocation given back (undo() first
 * removes what a success made; it runs after every attempt). */
static void inject(const char *name, int (*op)(void), bool (*unchanged)(int err), void (*undo)(void),
		   int allowed1, int allowed2, bool exact_undo)
{
	char tag[96];
	int bad_err = 0, bad_tree = 0, leaks = 0, n;
	const char *why = "";

	for (n = 1; n < 200; n++) {
		struct snap s0 = snap();
		stub_fail_nth((uint64_t)n);
		int err = op();
		bool failed = stub_failed();
		stub_fail_nth(0);
		if (!failed) {
			snprintf(tag, sizeof(tag), "vfs.fail-alloc.%s.succeeds-after", name);
			check(err == 0 || err > 0, tag, "%d", err);
			undo();
			/* a rename's dentry keeps the longer name's room */
			if (exact_undo && !same(s0) && !leaks++)
				why = snap_diff(s0);
			break;
		}
		if (err != allowed1 && err != allowed2 && err <= 0 && !bad_err)
			bad_err = err ? err : 1;
		if (!unchanged(err) && !bad_tree)
			bad_tree = n;
		undo();
		if (!same(s0) && !leaks++)
			why = snap_diff(s0);
	}
	snprintf(tag, sizeof(tag), "vfs.fail-alloc.%s", name);
	check(n > 1 && n < 200 && !bad_err && !bad_tree && !leaks, tag,
	      "%d allocations; error %d; tree wrong at %d; leak %s", n - 1, bad_err, bad_tree, why);
}

static int op_mkdir(void)     { return mkd("/fi/newdir"); }
static bool gone_newdir(int e) { return e == 0 || (lk("/fi/newdir") == -ENOENT && nlink("/fi") == 4); }
static void undo_newdir(void) { vfs_unlink(R, "/fi/newdir", true); }

static int op_create(void)    { return mkf("/fi/newfile"); }
static bool gone_newfile(int e) { return e == 0 || lk("/fi/newfile") == -ENOENT; }
static void undo_newfile(void) { vfs_unlink(R, "/fi/newfile", false); }

/* open(O_CREAT) may fail after making the file (the open file itself
 * not allocated), as Linux's can: then the file is there, empty. */
static bool creat_ok(int e)
{
	struct inode *i = I(lk("/fi/newfile"));

	return e == 0 || !i || (e == -ENOMEM && inode_is_reg(i) && i->size == 0 && i->nlink == 1);
}

static int op_open_creat(void)
{
	struct file *f = NULL;
	int err = vfs_open(R, "/fi/newfile", O_CREAT | O_RDWR, 0600, &f);
	if (!err)
		file_put(f);
	return err;
}

static int op_symlink(void)   { return sym("/some/where/far/away", "/fi/newlink"); }
static bool gone_newlink(int e) { return e == 0 || lkn("/fi/newlink") == -ENOENT; }
static void undo_newlink(void) { vfs_unlink(R, "/fi/newlink", false); }

static int op_link(void)      { return vfs_link(R, "/fi/base", false, R, "/fi/newlink"); }
static bool link_unchanged(int e) { return e == 0 || (lkn("/fi/newlink") == -ENOENT && nlink("/fi/base") == 1); }

/* a 5-page write into /fi/base: a short count of whole pages is allowed */
static uint8_t wpat[5 * PG];
static long wresult;
static struct inode *wino;
static int op_write(void)
{
	wresult = tmpfs_kernel_write(wino, wpat, sizeof(wpat), 0);
	return wresult == (long)sizeof(wpat) ? 0 : wresult > 0 ? 1 : (int)wresult;
}
static bool write_partial_ok(int e)
{
	static uint8_t buf[5 * PG];
	struct inode *i = I(lk("/fi/base"));
	uint64_t size = wresult > 0 ? (uint64_t)wresult : 0;

	(void)e;
	return i->size == size && size % PG == 0 && tmpfs_kernel_read(i, buf, sizeof(buf), 0) == (long)size &&
	       !memcmp(buf, wpat, size) && i->blocks == size / 512;
}
/* A failed write may leave an empty tree node charged (freed with the
 * file): the file is made again, so that the counters must balance. */
static void undo_write(void)
{
	vfs_unlink(R, "/fi/base", false);
	mkf("/fi/base");
	wino = I(lk("/fi/base"));
}

/* a rename to a longer name (the dentry needs room) into another directory */
static const char *longname = "/fi/sub/renamed-to-a-name-longer-than-the-first-one";
static int op_rename(void)    { return vfs_rename(R, "/fi/base", R, longname, 0); }
static bool rename_unchanged(int e)
{
	return e == 0 || (lk("/fi/base") > 0 && lk(longname) == -ENOENT && D(lk("/fi/base"))->parent == D(lk("/fi")));
}
static void undo_rename(void)
{
	if (lk(longname) > 0)
		vfs_rename(R, longname, R, "/fi/base", 0);
}

/* EXCHANGE where the second move needs room: the first is undone */
static int op_exchange(void)  { return vfs_rename(R, "/fi/sub/a-long-file-name-x", R, "/fi/d", RENAME_EXCHANGE); }
static bool exchange_unchanged(int e)
{
	return e == 0 || (inode_is_reg(I(lk("/fi/sub/a-long-file-name-x"))) && inode_is_dir(I(lk("/fi/d"))) &&
			  nlink("/fi") == 4 && nlink("/fi/sub") == 2);
}
static void undo_exchange(void)
{
	if (inode_is_reg(I(lk("/fi/d"))))
		vfs_rename(R, "/fi/sub/a-long-file-name-x", R, "/fi/d", RENAME_EXCHANGE);
}

static int op_mount(void)
{
	struct dentry *d;
	int err = namei(R, "/fi/d", 0, &d, NULL);
	if (err)
		return err;
	err = vfs_mount("none", d, "tmpfs", 0, "size=8k");
	dentry_put(d);
	return err;
}
static bool mount_unchanged(int e) { return e == 0 || !D(lk("/fi/sub/..")) || !D(lkn("/fi/d"))->mounted; }
static void undo_mount(void)
{
	struct dentry *d;
	if (namei(R, "/fi/d", LOOKUP_FOLLOW, &d, NULL))
		return;
	if (d->sb != R->sb)
		vfs_umount(d, false);
	dentry_put(d);
}

static void test_fault_injection(void)
{
	for (size_t k = 0; k < sizeof(wpat); k++)
		wpat[k] = (uint8_t)(k * 3 + 1);
	check(!mkd("/fi") && !mkd("/fi/sub") && !mkf("/fi/base") && !mkd("/fi/d") &&
	      !mkf("/fi/sub/a-long-file-name-x"), "vfs.fail-alloc.setup", "");
	inject("mkdir", op_mkdir, gone_newdir, undo_newdir, -ENOMEM, -ENOSPC, true);
	inject("create", op_create, gone_newfile, undo_newfile, -ENOMEM, -ENOSPC, true);
	inject("open-creat", op_open_creat, creat_ok, undo_newfile, -ENOMEM, -ENOSPC, true);
	inject("symlink", op_symlink, gone_newlink, undo_newlink, -ENOMEM, -ENOSPC, true);
	inject("link", op_link, link_unchanged, undo_newlink, -ENOMEM, -ENOSPC, true);
	wino = I(lk("/fi/base"));
	inject("write", op_write, write_partial_ok, undo_write, -ENOMEM, -ENOSPC, true);
	inject("rename", op_rename, rename_unchanged, undo_rename, -ENOMEM, -ENOSPC, false);
	inject("exchange", op_exchange, exchange_unchanged, undo_exchange, -ENOMEM, -ENOSPC, false);
	inject("mount", op_mount, mount_unchanged, undo_mount, -ENOMEM, -ENOSPC, true);
}

/* ---- fdtable ----------------------------------------------------------------------------- */

static int releases;
static void count_release(struct file *f) { (void)f; releases++; }
static const struct file_ops counted_ops = { .release = count_release };

static struct file *nf(void)
{
	return file_new(&counted_ops, O_RDWR);
}

static void test_fdtable(void)
{
	struct snap s0 = snap();
	struct fdtable *t = fdtable_new();
	struct fdtable *saved = current->files;
	int fds[3], ok = 1;

	current->files = t;
	for (int k = 0; k < 3; k++)
		fds[k] = fd_install(current, nf(), false);
	check(t && t->size == FD_INITIAL && fds[0] == 0 && fds[1] == 1 && fds[2] == 2, "vfs.fd.install-lowest",
	      "%d %d %d", fds[0], fds[1], fds[2]);
	releases = 0;
	check(!fd_close(current, 1) && releases == 1 && fd_install(current, nf(), false) == 1 &&
	      fd_close(current, 1000) == -EBADF && fd_close(current, -1) == -EBADF && fd_get(current, 5000) == NULL,
	      "vfs.fd.close-reuses-lowest", "");
	struct file *f10 = nf();
	int m = fd_install_from(t, f10, false, 10, 1024);
	check(m == 10 && fd_install(current, nf(), false) == 3 && fd_get(current, 10) == f10,
	      "vfs.fd.install-from-minimum", "%d", m);
	struct file *big = nf();
	check(fd_install_from(t, big, false, 2000, 1024) == -EINVAL && fd_install_from(t, big, false, 0, 0) == -EINVAL,
	      "vfs.fd.minimum-past-limit-einval", "");
	file_put(big);
	/* close-on-exec bits survive growth */
	fd_set_cloexec(t, 3, true);
	fd_set_cloexec(t, 10, true);
	for (int k = 0; k < 100 && ok; k++)
		ok = fd_install(current, nf(), k % 2) >= 0;
	check(ok && t->size == 128 && fd_get(current, 104) && !fd_get(current, 105) && fd_cloexec(t, 3) &&
	      fd_cloexec(t, 10) && !fd_cloexec(t, 4) && fd_cloexec(t, 5) && !fd_cloexec(t, 11) && fd_cloexec(t, 12),
	      "vfs.fd.growth-past-64-keeps-cloexec", "size %u", t->size);
	int hi = fd_install_from(t, nf(), true, 700, 1024);
	check(hi == 700 && t->size == 1024 && fd_cloexec(t, 700) && fd_cloexec(t, 3) && !fd_cloexec(t, 699),
	      "vfs.fd.growth-to-1024", "%d size %u", hi, t->size);
	/* EMFILE at the limit */
	current->rlim[RLIMIT_NOFILE].rlim_cur = 105;
	struct file *x = nf();
	int full = fd_install(current, x, false);
	int from = fd_install_from(t, x, false, 50, 105);
	check(full == -EMFILE && from == -EMFILE && x->refs == 1 && !fd_get(current, 105),
	      "vfs.fd.emfile-at-limit", "%d %d", full, from);
	current->rlim[RLIMIT_NOFILE].rlim_cur = 1024;
	/* dup2: the old file is closed, the new one held twice */
	struct file *old = fd_get(current, 4);
	file_dup(old);
	releases = 0;
	int at = fd_install_at(t, 4, x, true, 1024);
	check(at == 4 && old->refs == 1 && fd_get(current, 4) == x && x->refs == 2 && fd_cloexec(t, 4) &&
	      fd_install_at(t, 1024, x, false, 1024) == -EBADF, "vfs.fd.install-at-closes-old", "%d", at);
	file_put(old);
	check(releases == 1, "vfs.fd.install-at-release", "%d", releases);
	at = fd_install_at(t, 2000, x, false, 4096);
	check(at == 2000 && t->size == 2048 && x->refs == 3, "vfs.fd.install-at-grows", "%d %u", at, t->size);
	/* fork: a copy sharing every file */
	struct fdtable *c = fdtable_copy(t);
	check(c && c->size == t->size && c->fd[4] == x && c->fd[2000] == x && x->refs == 5 && fd_cloexec(c, 700) && fd_cloexec(c, 4) &&
	      f10->refs == 2, "vfs.fd.copy-shares-files", "%d", x->refs);
	releases = 0;
	fd_close_on_exec(c);
	check(!c->fd[4] && !c->fd[700] && !c->fd[3] && c->fd[0] && c->fd[2000] && x->refs == 4 && releases == 0,
	      "vfs.fd.close-on-exec", "");
	fdtable_put(c);
	check(x->refs == 3 && f10->refs == 1, "vfs.fd.copy-put", "%d", x->refs);
	file_put(x);
	/* growth that cannot allocate: -ENOMEM, f not consumed, table as it was */
	struct file *y = nf();
	stub_fail_nth(1);
	int e = fd_install_from(t, y, false, 3000, 4096);
	stub_fail_nth(2);
	int e2 = fd_install_at(t, 3000, y, false, 4096);
	stub_fail_nth(0);
	check(e == -ENOMEM && e2 == -ENOMEM && y->refs == 1 && t->size == 2048 && fd_get(current, 2000) == x,
	      "vfs.fd.growth-enomem", "%d %d", e, e2);
	file_put(y);
	stub_fail_nth(1);
	struct fdtable *nc = fdtable_copy(t);
	stub_fail_nth(0);
	check(!nc && f10->refs == 1, "vfs.fd.copy-enomem", "");
	/* the table holds files of the VFS too */
	struct file *vf = open_path("/a/f", O_RDONLY);
	int vfd = vf ? fd_install(current, vf, false) : -1;
	check(vfd >= 0 && R->sb->users > 0, "vfs.fd.holds-vfs-file", "%d", vfd);
	fdtable_put(t);
	current->files = saved;
	check(same(s0), "vfs.fd.all-freed", "%s", snap_diff(s0));
}

static void drop_children(struct dentry *d)
{
	while (d->first_child) {
		struct dentry *c = d->first_child;
		drop_children(c);
		dentry_remove(c);
	}
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct snap s0 = snap();

	fs_register(&tmpfs_fs_type);
	fs_register(&devtmpfs_fs_type);
	stub_proc_init(NULL);
	check(vfs_mount_root(&tmpfs_fs_type, "mode=755") == 0 && fs_root, "vfs.mount-root", "");
	R = fs_root;
	stub_proc_init(R);
	test_paths();
	test_mounts();
	test_umount_busy_holders();
	test_stacked_mounts();
	test_shrink_mapped();
	test_dead_dir();
	test_permissions();
	test_names();
	test_readdir();
	test_data();
	test_quota();
	test_unlink_open();
	test_page_store();
	test_fault_injection();
	test_fdtable();
	/* everything made is freed with the tree (as an umount does) */
	struct super_block *sb = R->sb;
	drop_children(R);
	dentry_put(R);
	sb->ops->kill(sb);
	kfree(sb);
	check(same(s0) && stub_commit_used == 0, "vfs.teardown-frees-all", "%s", snap_diff(s0));
	return check_exit_status();
}
