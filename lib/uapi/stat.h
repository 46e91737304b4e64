/* File types and struct stat (arm64 uses asm-generic/stat.h; linux/stat.h). */
#ifndef BRAMBLE_UAPI_STAT_H
#define BRAMBLE_UAPI_STAT_H
#include <stdint.h>

#ifndef S_IFMT          /* a host test may have <sys/stat.h> already */
#define S_IFMT   0170000
#define S_IFSOCK 0140000
#define S_IFLNK  0120000
#define S_IFREG  0100000
#define S_IFBLK  0060000
#define S_IFDIR  0040000
#define S_IFCHR  0020000
#define S_IFIFO  0010000
#endif

struct linux_stat {
	uint64_t st_dev, st_ino;
	uint32_t st_mode, st_nlink, st_uid, st_gid;
	uint64_t st_rdev, __pad1;
	int64_t st_size;
	int32_t st_blksize, __pad2;
	int64_t st_blocks;
	int64_t st_atime;
	uint64_t st_atime_nsec;
	int64_t st_mtime;
	uint64_t st_mtime_nsec;
	int64_t st_ctime;
	uint64_t st_ctime_nsec;
	uint32_t __unused4, __unused5;
};
#endif
