/*
 * /dev/console as an open file: its file_ops over the line discipline's
 * entry points (fs/console.h) and the UART (kernel/console.h). The tty
 * replaces the entries' bodies, not the table's shape.
 */
#include "fs/file.h"
#include "fs/console.h"
#include "fs/poll.h"
#include "kernel/console.h"
#include "kernel/proc.h"
#include "mm/uaccess.h"
#include "lib/uapi/errno.h"
#include "lib/uapi/stat.h"
#include "lib/uapi/termios.h"

#define CHUNK 256

static long con_read(struct file *f, uaddr_t ubuf, uint64_t n, uint64_t *pos)
{
	char buf[CHUNK];
	long got = console_read_line(buf, n < CHUNK ? n : CHUNK);

	(void)f, (void)pos;
	if (got > 0 && copy_to_user(current->mm, ubuf, buf, got) < 0)
		return -EFAULT;
	return got;
}

/* Output in chunks; a bad pointer after some output returns the count. */
static long con_write(struct file *f, uaddr_t ubuf, uint64_t n)
{
	char buf[CHUNK];
	uint64_t done = 0;

	(void)f;
	while (done < n) {
		uint64_t k = n - done < CHUNK ? n - done : CHUNK;
		if (copy_from_user(current->mm, buf, uaddr_add(ubuf, done), k) < 0)
			return done ? (long)done : -EFAULT;
		console_write(buf, k);
		done += k;
	}
	return (long)done;
}

/* Readable when a line (or end of file) is ready; always writable. */
static uint32_t con_poll(struct file *f, struct poll_table *pt)
{
	(void)f;
	poll_wait(pt, console_input_queue());
	return POLLOUT | POLLWRNORM | (console_input_ready() ? POLLIN | POLLRDNORM : 0);
}

static long con_ioctl(struct file *f, uint32_t cmd, uint64_t arg)
{
	(void)f;
	switch (cmd) {
	case TCGETS: {
		/* Canonical mode with echo, 115200 8N1: what the console does. */
		struct linux_termios t = {
			.c_iflag = ICRNL | IXON,
			.c_oflag = OPOST | ONLCR,
			.c_cflag = B115200 | CS8 | CREAD,
			.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
		};
		t.c_cc[VINTR] = 3; t.c_cc[VQUIT] = 28; t.c_cc[VERASE] = 127; t.c_cc[VKILL] = 21;
		t.c_cc[VEOF] = 4; t.c_cc[VMIN] = 1;
		return copy_to_user(current->mm, uaddr(arg), &t, sizeof(t)) < 0 ? -EFAULT : 0;
	}
	case TCSETS: case TCSETSW: case TCSETSF:
		return 0;
	case TIOCGWINSZ: {
		struct linux_winsize ws = { .ws_row = 24, .ws_col = 80 };
		return copy_to_user(current->mm, uaddr(arg), &ws, sizeof(ws)) < 0 ? -EFAULT : 0;
	}
	case TIOCGPGRP: {
		int32_t pg = current->pid;   /* each process is its own group, for now */
		return copy_to_user(current->mm, uaddr(arg), &pg, sizeof(pg)) < 0 ? -EFAULT : 0;
	}
	default:
		return -EINVAL;
	}
}

void console_stat(struct linux_stat *st)
{
	st->st_dev = 5;
	st->st_mode = S_IFCHR | 0620;
	st->st_nlink = 1;
	st->st_rdev = (5 << 8) | 1;
	st->st_blksize = 1024;
}

static void con_stat(struct file *f, struct linux_stat *st)
{
	(void)f;
	console_stat(st);
}

/* No llseek: lseek and pread64 are -ESPIPE. */
const struct file_ops console_ops = {
	.read = con_read,
	.write = con_write,
	.poll = con_poll,
	.ioctl = con_ioctl,
	.stat = con_stat,
};
