/*
 * A read-only filesystem over a newc ("070701", or "070702" with checksums)
 * cpio archive held in memory. The caller provides a flat array of nodes
 * (size it with cpio_count); names and file data point into the archive,
 * nothing is copied, so the archive must outlive the filesystem.
 *
 * Invariant after cpio_parse: every node other than the root has a parent
 * with a smaller index, and the parent is a directory. Pure code: host-tested
 * in tests/host/test_initramfs.c.
 */
#ifndef BRAMBLE_INITRAMFS_H
#define BRAMBLE_INITRAMFS_H
#include "lib/types.h"

/* File type bits of a mode, as in Linux (no <sys/stat.h> in the kernel). */
#include "lib/uapi/stat.h"


struct cpio_node {
	const char *name;      /* last path component, points into the archive; "" for the root */
	size_t name_len;
	int parent;            /* index of the parent directory; the root (index 0) is its own parent */
	int max_child;         /* its child with the greatest name (byte order), or -1 */
	uint32_t mode;         /* S_IFREG/S_IFDIR/S_IFLNK bits | permissions, as in the cpio header */
	uint32_t ino, nlink, mtime, uid, gid;
	uint32_t dev_major, dev_minor;   /* of the archived filesystem: identifies hard links */
	uint32_t rdev_major, rdev_minor; /* device nodes */
	uint64_t size;
	const uint8_t *data;   /* file contents or symlink target, inside the archive */
};

struct cpio_tree {
	struct cpio_node *nodes;
	int count;
};

static inline bool cpio_is_dir(const struct cpio_node *n)
{
	return (n->mode & S_IFMT) == S_IFDIR;
}

static inline bool cpio_is_symlink(const struct cpio_node *n)
{
	return (n->mode & S_IFMT) == S_IFLNK;
}

static inline bool cpio_is_reg(const struct cpio_node *n)
{
	return (n->mode & S_IFMT) == S_IFREG;
}

/* Number of nodes cpio_parse will need (entries + root + any directories
 * implied by paths but absent), or a negative errno (-EINVAL for a corrupt
 * archive). Exact unless a path repeats: each repetition counts although the
 * later entry reuses the node. Linear for archives listing each directory
 * before its contents (as find does); a scan per out-of-order entry else. */
int cpio_count(const void *buf, size_t size);

/* Fills fs using nodes[0..max). Returns 0 or -EINVAL (corrupt: bad magic, a
 * field that is not hex, a name or file running past the end, no TRAILER!!!,
 * a ".." component, a path through a non-directory, a non-directory replacing
 * a directory that has entries) / -ENOMEM (max too small). Leading "./" and
 * "/" in names are stripped; "." entries map to the root; duplicate paths:
 * the later entry wins. Hard links (same ino and dev, data on the last link
 * only, as cpio writes them) share the data. On error fs->count is 0. */
int cpio_parse(const void *buf, size_t size, struct cpio_tree *fs, struct cpio_node *nodes, int max);

/* Where and why an archive is corrupt, for the boot's message. */
struct cpio_fault {
	size_t off;            /* the byte offset of the entry at fault */
	const char *why;       /* a short reason ("truncated header", ...); NULL: none */
};
/* The header and name checks of cpio_count, saying what failed: 0, or
 * -EINVAL / -ENOMEM with *f filled. (Entries that clash with earlier ones,
 * which cpio_parse refuses, pass here.) */
int cpio_check(const void *buf, size_t size, struct cpio_fault *f);

#endif
