/*
 * /dev/console as an open file: its file_ops over the line discipline's
 * entry points (fs/console.h) and the UART (kernel/console.h). The tty
 * replaces the entries' bodies, not the table's shape.
 */
#include "fs/file.h"
#include "fs/console.h"
#include "fs/poll.h"
#include "fs/special.h"
#include "kernel/console.h"
#include "kernel/proc.h"
#include "mm/uaccess.h"
#include "lib/uapi/errno.h"
#include "lib/uapi/stat.h"
#include "lib/uapi/fcntl.h"

#define CHUNK 256

static long con_read(struct file *f, uaddr_t ubuf, uint64_t n, uint64_t *pos)
{
	char buf[CHUNK];
	long got = tty_read(buf, n < CHUNK ? n : CHUNK, f->flags);

	(void)pos;
	if (got > 0 && copy_to_user(current->mm, ubuf, buf, got) < 0)
		return -EFAULT;
	return got;
}

/* Output in chunks, after the TOSTOP check; a bad pointer after some
 * output returns the count. */
static long con_write(struct file *f, uaddr_t ubuf, uint64_t n, uint64_t *pos)
{
	char buf[CHUNK];
	uint64_t done = 0;
	long err = tty_write_check();

	(void)f, (void)pos;
	if (err)
		return err;
	while (done < n) {
		uint64_t k = n - done < CHUNK ? n - done : CHUNK;
		if (copy_from_user(current->mm, buf, uaddr_add(ubuf, done), k) < 0)
			return done ? (long)done : -EFAULT;
		tty_write(buf, k);
		done += k;
	}
	return (long)done;
}

/* Readable when a read would not block (a line, an end of file, or in
 * non-canonical mode any byte); always writable. */
static uint32_t con_poll(struct file *f, struct poll_table *pt)
{
	(void)f;
	poll_wait(pt, tty_input_queue());
	return POLLOUT | POLLWRNORM | (tty_input_ready() ? POLLIN | POLLRDNORM : 0);
}

static long con_ioctl(struct file *f, uint32_t cmd, uint64_t arg)
{
	return tty_ioctl(cmd, arg, (f->flags & O_ACCMODE) != O_WRONLY);
}

static long con_kwrite(struct file *f, const void *buf, uint64_t n, uint64_t *pos)
{
	long err = tty_write_check();

	(void)f, (void)pos;
	if (err)
		return err;
	tty_write(buf, n);
	return (long)n;
}

static int con_open(struct inode *i, struct file *f)
{
	(void)i;
	return (int)tty_open(f->flags, false);
}

static int tty_dev_open(struct inode *i, struct file *f)
{
	(void)i;
	f->ops = &console_ops;    /* /dev/tty is the console, the only terminal */
	return (int)tty_open(f->flags, true);
}

/* No llseek: lseek and pread64 are -ESPIPE. */
const struct file_ops console_ops = {
	.open = con_open,
	.read = con_read,
	.write = con_write,
	.kwrite = con_kwrite,
	.poll = con_poll,
	.ioctl = con_ioctl,
};

const struct file_ops tty_ops = { .open = tty_dev_open };
