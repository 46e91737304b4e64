/*
 * Files that are not data: character devices (found by their device number,
 * as Linux's chrdev table) and FIFOs. A device or FIFO inode's file_ops is
 * one of these; opening it hands the file the device's own operations.
 */
#ifndef BRAMBLE_SPECIAL_H
#define BRAMBLE_SPECIAL_H
#include "fs/file.h"

/* What an inode of this mode (S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK) opens
 * as; opening a device number nothing drives is -ENXIO. */
const struct file_ops *special_file_ops(uint32_t mode, uint32_t rdev);

/* The character devices: name under /dev, number, mode. */
struct chrdev {
	const char *name;
	uint32_t dev;
	uint32_t mode;
	const struct file_ops *ops;
};
/* Calls fn for every device (devtmpfs fills /dev from them). */
void chrdev_for_each(void (*fn)(const struct chrdev *c, void *arg), void *arg);

extern const struct file_ops fifo_ops;       /* fs/pipe.c */
extern const struct file_ops console_ops;    /* fs/console_file.c */
extern const struct file_ops tty_ops;
extern const struct file_ops null_ops, zero_ops, full_ops, random_ops;  /* fs/memdev.c */
#endif
