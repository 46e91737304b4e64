/*
 * The virtual file system: inodes, dentries and mounted filesystems, as
 * Linux lays them out (include/linux/fs.h, dcache.h), cut to what Bramble's
 * filesystems need.
 *
 *  - An inode is a file: its attributes and its filesystem's operations
 *    (struct inode_ops for names, struct file_ops for open files).
 *  - A dentry is a name of an inode in a directory. Every dentry holds a
 *    reference on its parent and on its inode, so a path stays valid as
 *    long as its last dentry is held. tmpfs keeps all its names in the
 *    dentry tree (the tree *is* the directory, as Linux's ramfs); procfs
 *    makes dentries on lookup and lets them go when unused.
 *  - A super_block is one mounted filesystem. Mounts are not shared or
 *    bound: each super_block is mounted once, on the dentry `covered`, and
 *    that dentry's `mounted` points back. Path walks cross from a covered
 *    dentry to the root of what is mounted on it, and ".." from a root to
 *    the covered dentry's parent.
 *
 * Lifetimes: inode_put and dentry_put drop references; an inode is
 * evicted (its filesystem frees its data) when its last reference is gone:
 * each of its names is a dentry holding one, so then nothing names it and
 * nothing has it open.
 *
 * Locking: the kernel lock (kernel/spinlock.h): the trees change only
 * inside one system call at a time, whatever CPU it runs on.
 */
#ifndef BRAMBLE_VFS_H
#define BRAMBLE_VFS_H
#include "lib/types.h"
#include "lib/uapi/stat.h"
#include "lib/uapi/time.h"

#define FS_PATH_MAX     4096    /* including the NUL, as Linux's PATH_MAX */
#define FS_NAME_MAX     255
#define FS_MAXSYMLINKS  40      /* Linux's MAXSYMLINKS: ELOOP after 40 links in one walk */

/* Permission masks (Linux's MAY_*). */
#define MAY_EXEC  1
#define MAY_WRITE 2
#define MAY_READ  4

/* Device numbers inside the kernel: Linux's MKDEV (12-bit major, 20-bit minor). */
#define MKDEV(ma, mi) (((uint32_t)(ma) << 20) | (uint32_t)(mi))
#define MAJOR(dev)    ((uint32_t)(dev) >> 20)
#define MINOR(dev)    ((uint32_t)(dev) & 0xfffff)

struct inode;
struct dentry;
struct super_block;
struct file;
struct file_ops;
struct linux_statfs;

/* What setattr changes: the ATTR_* bits say which fields are valid. */
#define ATTR_MODE  (1u << 0)
#define ATTR_UID   (1u << 1)
#define ATTR_GID   (1u << 2)
#define ATTR_SIZE  (1u << 3)
#define ATTR_ATIME (1u << 4)
#define ATTR_MTIME (1u << 5)
#define ATTR_CTIME (1u << 6)
struct iattr {
	uint32_t valid;
	uint32_t mode, uid, gid;
	uint64_t size;
	struct linux_timespec atime, mtime, ctime;
};

/*
 * Name operations of a directory (and symlinks, and setattr for all).
 * The VFS has resolved the parent, checked the name's length, that the
 * target does (or does not) exist, the caller's permission and the
 * filesystem's read-only flag. `d` is a new dentry (not yet in the tree)
 * for create, mkdir, symlink and link; on success the filesystem has
 * attached an inode to it (dentry_attach) and linked it (dentry_add).
 * NULL entries: -EPERM (the filesystem does not do that), except lookup.
 */
struct inode_ops {
	/* For a filesystem that makes names on demand: attach the inode
	 * named d->name in dir to d, or -ENOENT. NULL: the dentry tree holds
	 * every name (tmpfs). */
	int (*lookup)(struct inode *dir, struct dentry *d);
	/* Regular files, FIFOs, devices and sockets (mknod, O_CREAT). */
	int (*create)(struct inode *dir, struct dentry *d, uint32_t mode, uint32_t rdev);
	int (*mkdir)(struct inode *dir, struct dentry *d, uint32_t mode);
	int (*symlink)(struct inode *dir, struct dentry *d, const char *target);
	int (*link)(struct dentry *old, struct inode *dir, struct dentry *d);
	int (*unlink)(struct inode *dir, struct dentry *d);
	int (*rmdir)(struct inode *dir, struct dentry *d);
	/* Both dentries exist (nd may be negative: inode NULL); flags as
	 * renameat2, checked. */
	int (*rename)(struct inode *odir, struct dentry *od, struct inode *ndir,
		      struct dentry *nd, uint32_t flags);
	/* Changes what a->valid names; ATTR_SIZE may fail with -ENOSPC /
	 * -EFBIG. NULL: attributes are fixed (-EPERM). */
	int (*setattr)(struct dentry *d, const struct iattr *a);
	/* A symlink's target into buf (no NUL); its length or -errno. */
	long (*readlink)(struct dentry *d, char *buf, size_t size);
	/* procfs's "magic" links (/proc/PID/cwd, exe, fd/N): the dentry they
	 * stand for, held, or NULL to follow the target text (ordinary
	 * symlinks: NULL entry). *file is set instead for an fd whose file
	 * has no name (a pipe): opening the link opens that file. */
	struct dentry *(*magic_link)(struct dentry *d, struct file **file);
};

struct super_ops {
	/* The last reference to inode is gone and nothing names it: free the
	 * filesystem's part (not the inode itself). */
	void (*evict)(struct inode *inode);
	/* Fills st (zeroed; f_type, f_bsize, f_namelen preset from sb). */
	void (*statfs)(struct super_block *sb, struct linux_statfs *st);
	/* Mount options for /proc/mounts, e.g. ",size=1024k,mode=1777" (may be
	 * empty); the length written. */
	int (*show_options)(struct super_block *sb, char *buf, size_t size);
	/* The super block is being unmounted, its dentries are gone: free sb->priv. */
	void (*kill)(struct super_block *sb);
};

struct fs_type {
	const char *name;          /* as mount(2) and /proc/filesystems name it */
	bool nodev;                /* "nodev" in /proc/filesystems */
	/* A new instance from mount(2)'s data string (may be NULL): 0 with
	 * *out filled (root dentry made), or -errno (-EINVAL bad option,
	 * -ENOMEM). */
	int (*mount)(const char *options, struct super_block **out);
};

struct super_block {
	const struct fs_type *type;
	const struct super_ops *ops;
	struct dentry *root;
	struct dentry *covered;    /* the dentry it is mounted on; NULL for "/" */
	struct super_block *next_mount; /* the mount list, in mount order */
	uint32_t dev;              /* st_dev (an anonymous device, MKDEV(0, n)) */
	int mnt_id;                /* /proc/PID/mountinfo's mount ID: unique, never reused */
	uint32_t magic;            /* statfs f_type */
	uint32_t flags;            /* MS_RDONLY, MS_NOSUID, ... as mounted */
	bool make_inodes_on_demand;/* procfs: dentries are not kept in a tree */
	int users;                 /* open files and cwds inside it (umount's EBUSY) */
	uint64_t next_ino;
	char source[32];           /* mount(2)'s source, for /proc/mounts */
	void *priv;                /* the filesystem's own */
};

struct inode {
	int refs;
	uint32_t mode;             /* S_IF* | permission bits */
	uint32_t uid, gid;
	uint32_t nlink;            /* directory entries naming it ("." and ".." count for directories) */
	uint32_t rdev;             /* devices: MKDEV */
	uint64_t ino;
	uint64_t size;             /* bytes (symlinks: target length) */
	uint64_t blocks;           /* 512-byte units allocated (st_blocks) */
	struct linux_timespec atime, mtime, ctime;
	struct super_block *sb;
	const struct inode_ops *iops;
	const struct file_ops *fops;    /* what opening it gives */
	void *priv;                /* the filesystem's data (tmpfs pages, symlink text, procfs entry) */
	long priv_id;              /* the filesystem's number (procfs: the pid) */
	struct pipe *fifo;         /* a FIFO's pipe while it is open */
	void *locks;               /* advisory locks (fs/locks.c) */
};

struct dentry {
	int refs;
	struct dentry *parent;     /* a root is its own parent */
	struct inode *inode;       /* NULL while negative (being created) */
	struct super_block *sb;
	struct super_block *mounted;   /* a filesystem mounted on it */
	struct dentry *first_child, *last_child;   /* creation order */
	struct dentry *prev, *next;                /* siblings */
	uint64_t order;            /* position among its siblings, rising (readdir's cursor) */
	bool in_tree;              /* linked in its parent (holds a reference) */
	uint32_t hash;
	uint16_t len, cap;         /* name's length; room in iname[] */
	char *name;                /* NUL-terminated: iname, or kalloc'd after a rename to a longer name */
	char iname[];
};

static inline bool inode_is_dir(const struct inode *i)     { return S_IFMT_IS(i->mode, S_IFDIR); }
static inline bool inode_is_reg(const struct inode *i)     { return S_IFMT_IS(i->mode, S_IFREG); }
static inline bool inode_is_symlink(const struct inode *i) { return S_IFMT_IS(i->mode, S_IFLNK); }

/* ---- inodes ---------------------------------------------------------------- */

/* A new inode of sb (one reference, nlink 0, times now, owned by the
 * caller's fsuid/fsgid), or NULL. */
struct inode *inode_new(struct super_block *sb, uint32_t mode);
struct inode *inode_get(struct inode *i);
void inode_put(struct inode *i);
/* The current time, for timestamps (CLOCK_REALTIME). */
struct linux_timespec fs_now(void);
/* Marks i changed now: mtime and ctime (write, truncate, new entries). */
void inode_touch(struct inode *i);
/* Fills st from i (st zeroed first). */
void inode_stat(const struct inode *i, struct linux_stat *st);

/* ---- dentries -------------------------------------------------------------- */

/* A new negative dentry named name[0..len) under parent (holding it), not
 * in the tree; NULL when out of memory. */
struct dentry *dentry_new(struct dentry *parent, const char *name, size_t len);
struct dentry *dentry_get(struct dentry *d);
void dentry_put(struct dentry *d);
/* Gives d the inode i (consuming the caller's reference on i). */
void dentry_attach(struct dentry *d, struct inode *i);
/* Links d into its parent's children (the tree then holds a reference:
 * tmpfs names live until unlinked). */
void dentry_add(struct dentry *d);
/* Unlinks d from its parent's children and drops the tree's reference. */
void dentry_remove(struct dentry *d);
/* The child of dir named name in the tree, held, or NULL. */
struct dentry *dentry_find_child(struct dentry *dir, const char *name, size_t len);
/* Moves d (in the tree) under new_parent as name (rename, same
 * filesystem): 0 or -ENOMEM (a longer name than d had needs room). */
int dentry_move(struct dentry *d, struct dentry *new_parent, const char *name, size_t len);
/* d's path from the caller's root into buf (NUL-terminated): the length, or
 * -ENAMETOOLONG; a dentry no longer in the tree gets " (deleted)" appended,
 * as Linux's d_path. */
long dentry_path(struct dentry *d, char *buf, size_t size);
/* Mounted-on crossing: the top root mounted on d, or d itself. */
struct dentry *dentry_follow_mounts(struct dentry *d);

/* ---- the mount table (fs/mount.c) ---------------------------------------- */

extern struct super_block *mount_list;
/* The root of the whole tree ("/"), once mounted. */
extern struct dentry *fs_root;
/* A new super block for type, with a root directory inode of mode
 * S_IFDIR|mode: sb->dev allocated, fields zeroed; NULL when out of memory. */
struct super_block *sb_new(const struct fs_type *type, const struct super_ops *ops,
			   const struct inode_ops *dir_iops, const struct file_ops *dir_fops,
			   uint32_t magic, uint32_t mode);
/* Registers a filesystem type for mount(2) and /proc/filesystems. */
void fs_register(const struct fs_type *type);
const struct fs_type *fs_type_find(const char *name);
/* Calls fn(type, arg) for every registered type. */
void fs_for_each_type(void (*fn)(const struct fs_type *t, void *arg), void *arg);

/* ---- path resolution (fs/namei.c) ---------------------------------------- */

#define LOOKUP_FOLLOW    (1u << 0)   /* follow a symlink in the last component */
#define LOOKUP_DIRECTORY (1u << 1)   /* the result must be a directory */
#define LOOKUP_EMPTY     (1u << 2)   /* "" means the start directory (AT_EMPTY_PATH) */

/*
 * Resolves path from start (a held directory dentry: the cwd or a dirfd's;
 * absolute paths start at the caller's root): 0 with *out held, or -errno:
 * -ENOENT, -ENOTDIR, -ELOOP (more than 40 links), -ENAMETOOLONG (a
 * component over 255 bytes), -EACCES (a directory without search
 * permission). A magic link's file (see inode_ops) comes back in *file
 * when file is not NULL (then *out is NULL).
 */
int namei(struct dentry *start, const char *path, uint32_t flags, struct dentry **out,
	  struct file **file);
/* The parent directory of path's last component and that component:
 * 0 with *parent held and *name and *len pointing into path, or -errno. The
 * last component of "/" or "." or ".." is reported as is (callers refuse
 * them: EEXIST, EBUSY, EINVAL as Linux's *at calls do). */
int namei_parent(struct dentry *start, const char *path, struct dentry **parent,
		 const char **name, size_t *len);
/* dir's child named name: held dentry (negative if nothing has the name,
 * never in the tree then), or NULL when out of memory. */
struct dentry *lookup_child(struct dentry *dir, const char *name, size_t len, int *err);

/* The caller's credentials may access i with mask (MAY_*): 0 or -EACCES. */
int inode_permission(const struct inode *i, int mask);
#endif
