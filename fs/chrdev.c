/* The character device table and the opening of device nodes (fs/special.h). */
#include "fs/special.h"
#include "lib/uapi/errno.h"

static const struct chrdev devices[] = {
	{ "null",    MKDEV(1, 3), 0666, &null_ops },
	{ "zero",    MKDEV(1, 5), 0666, &zero_ops },
	{ "full",    MKDEV(1, 7), 0666, &full_ops },
	{ "random",  MKDEV(1, 8), 0666, &random_ops },
	{ "urandom", MKDEV(1, 9), 0666, &random_ops },
	{ "tty",     MKDEV(5, 0), 0666, &tty_ops },
	{ "console", MKDEV(5, 1), 0600, &console_ops },
};

void chrdev_for_each(void (*fn)(const struct chrdev *c, void *arg), void *arg)
{
	for (size_t k = 0; k < sizeof(devices) / sizeof(devices[0]); k++)
		fn(&devices[k], arg);
}

/* The device's operations replace the node's, then its open runs. */
static int chrdev_open(struct inode *i, struct file *f)
{
	for (size_t k = 0; k < sizeof(devices) / sizeof(devices[0]); k++)
		if (devices[k].dev == i->rdev) {
			f->ops = devices[k].ops;
			return f->ops->open ? f->ops->open(i, f) : 0;
		}
	return -ENXIO;
}

static int no_device_open(struct inode *i, struct file *f)
{
	(void)i, (void)f;
	return -ENXIO;
}

static const struct file_ops chrdev_ops = { .open = chrdev_open };
static const struct file_ops nodev_ops = { .open = no_device_open };

const struct file_ops *special_file_ops(uint32_t mode, uint32_t rdev)
{
	(void)rdev;
	switch (mode & S_IFMT) {
	case S_IFCHR:  return &chrdev_ops;
	case S_IFIFO:  return &fifo_ops;
	default:       return &nodev_ops;    /* block devices, sockets */
	}
}
