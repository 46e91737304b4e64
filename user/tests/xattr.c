/*
 * xattr: the extended-attribute calls on file systems that keep none (as
 * Linux's tmpfs without CONFIG_TMPFS_XATTR): the file is found first
 * (ENOENT, EBADF), the name read (EFAULT, ERANGE), then get, set and
 * remove say EOPNOTSUPP and a list is empty.
 */
#define _GNU_SOURCE
#define PROG "xattr"
#include "check.h"
#include <fcntl.h>
#include <sys/xattr.h>

int main(void)
{
	const char *f = "/tmp/xattr-file";
	int fd = open(f, O_CREAT | O_RDWR, 0600);
	char buf[64], longname[300];

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	long r = getxattr(f, "user.x", buf, sizeof(buf));
	expect_error("get-not-supported", r, errno, EOPNOTSUPP);
	r = lgetxattr(f, "security.selinux", buf, sizeof(buf));
	expect_error("lget-not-supported", r, errno, EOPNOTSUPP);
	r = fgetxattr(fd, "user.x", buf, sizeof(buf));
	expect_error("fget-not-supported", r, errno, EOPNOTSUPP);
	r = setxattr(f, "user.x", "v", 1, 0);
	expect_error("set-not-supported", r, errno, EOPNOTSUPP);
	r = fsetxattr(fd, "user.x", "v", 1, 0);
	expect_error("fset-not-supported", r, errno, EOPNOTSUPP);
	r = removexattr(f, "user.x");
	expect_error("remove-not-supported", r, errno, EOPNOTSUPP);
	r = listxattr(f, buf, sizeof(buf));
	check(r == 0, "list-empty", "listxattr did not return 0");
	r = flistxattr(fd, NULL, 0);
	check(r == 0, "flist-empty", "flistxattr did not return 0");
	r = getxattr("/tmp/no-such-file", "user.x", buf, sizeof(buf));
	expect_error("get-missing-file", r, errno, ENOENT);
	r = listxattr("/tmp/no-such-file", buf, sizeof(buf));
	expect_error("list-missing-file", r, errno, ENOENT);
	r = fgetxattr(999, "user.x", buf, sizeof(buf));
	expect_error("get-bad-fd", r, errno, EBADF);
	r = getxattr(f, "", buf, sizeof(buf));
	expect_error("get-empty-name", r, errno, ERANGE);
	r = getxattr(f, longname, buf, sizeof(buf));
	expect_error("get-long-name", r, errno, ERANGE);
	r = getxattr(f, (const char *)8, buf, sizeof(buf));
	expect_error("get-bad-name", r, errno, EFAULT);
	close(fd);
	unlink(f);
	return failures ? 1 : 0;
}
