/*
 * Extended attributes: Bramble's file systems keep none (as Linux's tmpfs
 * built without CONFIG_TMPFS_XATTR). Each call finds its file and reads
 * its name as Linux does (ENOENT, EBADF, EFAULT, ERANGE for an empty name
 * or one past XATTR_NAME_MAX), then: get, set and remove are EOPNOTSUPP,
 * and a list is empty (0 bytes: listxattr with no handler and no security
 * module), so ls, cp -a and tar see "not supported" and go on.
 */
#include "syscall/syscall.h"
#include "fs/file.h"
#include "fs/fdtable.h"
#include "kernel/proc.h"
#include "mm/uaccess.h"
#include "lib/uapi/errno.h"
#include "lib/uapi/fcntl.h"

#define XATTR_NAME_MAX 255

long resolve_at(int dirfd, uaddr_t upath, int flags, struct dentry **out);

/* The file a path names (following a last symlink or not): 0 or -errno. */
static long find_path(uaddr_t upath, bool follow)
{
	struct dentry *d;
	long r = resolve_at(AT_FDCWD, upath, follow ? 0 : AT_SYMLINK_NOFOLLOW, &d);

	if (!r)
		dentry_put(d);
	return r;
}

static long find_fd(int fd)
{
	return fd_get(current, fd) ? 0 : -EBADF;
}

/* setxattr's and getxattr's name: EFAULT, or ERANGE (empty or too long). */
static long check_name(uaddr_t uname)
{
	char name[XATTR_NAME_MAX + 1];
	long n = strncpy_from_user(current->mm, name, uname, sizeof(name));

	if (n == -ENAMETOOLONG || n == 0)
		return -ERANGE;
	return n < 0 ? n : 0;
}

static long no_attribute(long found, uaddr_t uname)
{
	long r = found ? found : check_name(uname);

	return r ? r : -EOPNOTSUPP;
}

static long empty_list(long found)
{
	return found ? found : 0;
}

long sys_setxattr(uaddr_t path, uaddr_t name, uaddr_t value, size_t size, int flags)
{
	(void)value, (void)size, (void)flags;
	return no_attribute(find_path(path, true), name);
}

long sys_lsetxattr(uaddr_t path, uaddr_t name, uaddr_t value, size_t size, int flags)
{
	(void)value, (void)size, (void)flags;
	return no_attribute(find_path(path, false), name);
}

long sys_fsetxattr(int fd, uaddr_t name, uaddr_t value, size_t size, int flags)
{
	(void)value, (void)size, (void)flags;
	return no_attribute(find_fd(fd), name);
}

long sys_getxattr(uaddr_t path, uaddr_t name, uaddr_t value, size_t size)
{
	(void)value, (void)size;
	return no_attribute(find_path(path, true), name);
}

long sys_lgetxattr(uaddr_t path, uaddr_t name, uaddr_t value, size_t size)
{
	(void)value, (void)size;
	return no_attribute(find_path(path, false), name);
}

long sys_fgetxattr(int fd, uaddr_t name, uaddr_t value, size_t size)
{
	(void)value, (void)size;
	return no_attribute(find_fd(fd), name);
}

long sys_listxattr(uaddr_t path, uaddr_t list, size_t size)
{
	(void)list, (void)size;
	return empty_list(find_path(path, true));
}

long sys_llistxattr(uaddr_t path, uaddr_t list, size_t size)
{
	(void)list, (void)size;
	return empty_list(find_path(path, false));
}

long sys_flistxattr(int fd, uaddr_t list, size_t size)
{
	(void)list, (void)size;
	return empty_list(find_fd(fd));
}

long sys_removexattr(uaddr_t path, uaddr_t name)
{
	return no_attribute(find_path(path, true), name);
}

long sys_lremovexattr(uaddr_t path, uaddr_t name)
{
	return no_attribute(find_path(path, false), name);
}

long sys_fremovexattr(int fd, uaddr_t name)
{
	return no_attribute(find_fd(fd), name);
}
