/* Open flags (arm64's values, asm-generic/fcntl.h and arm64's asm/fcntl.h),
 * the *at() conventions (linux/fcntl.h), fcntl commands, advisory locks,
 * and lseek's whence (linux/fs.h). */
#ifndef BRAMBLE_UAPI_FCNTL_H
#define BRAMBLE_UAPI_FCNTL_H
#include <stdint.h>

#define O_ACCMODE   00000003
#define O_RDONLY    00000000
#define O_WRONLY    00000001
#define O_RDWR      00000002
#define O_CREAT     00000100
#define O_EXCL      00000200
#define O_NOCTTY    00000400
#define O_TRUNC     00001000
#define O_APPEND    00002000
#define O_NONBLOCK  00004000
#define O_DIRECTORY 00040000      /* arm64 */
#define O_NOFOLLOW  00100000      /* arm64 */
#define O_CLOEXEC   02000000
/* close_range(2)'s flags (linux/close_range.h). */
#define CLOSE_RANGE_UNSHARE (1U << 1)
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#define O_PATH      010000000
#define O_TMPFILE   (020000000 | O_DIRECTORY)

#define AT_FDCWD            -100
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EACCESS          0x200
#define AT_NO_AUTOMOUNT     0x800
#define AT_EMPTY_PATH       0x1000
#define AT_REMOVEDIR        0x200
#define AT_SYMLINK_FOLLOW   0x400
#define AT_STATX_SYNC_TYPE  0x6000

#define RENAME_NOREPLACE (1 << 0)
#define RENAME_EXCHANGE  (1 << 1)
#define RENAME_WHITEOUT  (1 << 2)

#define F_DUPFD         0
#define F_GETFD         1
#define F_SETFD         2
#define F_GETFL         3
#define F_SETFL         4
#define F_GETLK         5
#define F_SETLK         6
#define F_SETLKW        7
#define F_DUPFD_CLOEXEC 1030
#define F_OFD_GETLK     36
#define F_OFD_SETLK     37
#define F_OFD_SETLKW    38
#define F_GETPIPE_SZ    1032
#define FD_CLOEXEC      1

#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define SEEK_DATA 3
#define SEEK_HOLE 4

/* struct flock (asm-generic/fcntl.h, 64-bit off_t). */
struct linux_flock {
	int16_t l_type;
	int16_t l_whence;
	int64_t l_start;
	int64_t l_len;
	int32_t l_pid;
};
#endif
