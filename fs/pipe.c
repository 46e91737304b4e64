/* Pipes (see fs/pipe.h). */
#include "fs/pipe.h"
#include "fs/file.h"
#include "kernel/proc.h"
#include "kernel/wait.h"
#include "lib/uapi/errno.h"
#include "mm/kalloc.h"
#include "mm/commit.h"
#include "mm/uaccess.h"
#include "mm/page_alloc.h"
#include "mm/mmu.h"
#include "fs/poll.h"
#include "lib/uapi/stat.h"
#include <string.h>

#define PIPE_SIZE PAGE_SIZE

/*
 * Readers sleep on readable until there is data or no writer is left;
 * writers on writable until there is room or no reader is left. Whoever
 * changes head, tail or the counts wakes the other side's queue. Both queues
 * are protected by the kernel lock (kernel/spinlock.h, kernel/wait.h): no
 * interrupt handler touches a pipe.
 */
struct pipe {
	char *buf;            /* one page */
	uint64_t head, tail;  /* bytes written and read, ever: head - tail are waiting */
	int readers, writers; /* open files on each end */
	uint64_t reader_opens, writer_opens;   /* ever: a FIFO's open waits for a change */
	struct inode *fifo;   /* the FIFO it serves (not held: the FIFO's files hold it) */
	uint64_t ino;         /* st_ino of a pipe(2) pipe, as pipefs numbers them */
	struct wait_queue readable, writable;
};

static const struct file_ops pipe_read_ops, pipe_write_ops, pipe_rdwr_ops;

static bool is_reader(uint32_t flags)
{
	return (flags & O_ACCMODE) != O_WRONLY;
}

static bool is_writer(uint32_t flags)
{
	return (flags & O_ACCMODE) != O_RDONLY;
}

static const struct file_ops *end_ops(uint32_t flags)
{
	if ((flags & O_ACCMODE) == O_RDWR)
		return &pipe_rdwr_ops;
	return is_reader(flags) ? &pipe_read_ops : &pipe_write_ops;
}

struct file *file_open_pipe(struct pipe *p, uint32_t flags)
{
	struct file *f = file_new(end_ops(flags), flags);

	if (f)
		f->pipe = p;
	return f;
}

/* A pipe with no ends yet, its page charged; NULL when out of memory.
 * The page itself comes with the first write (as Linux's pipe buffers):
 * the charge guarantees it. */
static struct pipe *pipe_alloc(void)
{
	static uint64_t next_ino = 1;
	struct pipe *p = kalloc(sizeof(*p));

	if (!p)
		return NULL;
	p->ino = next_ino++;
	if (commit_charge(1) < 0) {
		kfree(p);
		return NULL;
	}
	return p;
}

static void pipe_free(struct pipe *p)
{
	if (p->fifo)
		p->fifo->fifo = NULL;
	if (p->buf)
		free_pages(virt_to_phys(p->buf), 0);
	commit_uncharge(1);
	kfree(p);
}

int pipe_create(uint32_t flags, struct file **rd, struct file **wr)
{
	struct pipe *p = pipe_alloc();

	if (!p)
		return -ENOMEM;
	p->readers = p->writers = 1;
	*rd = file_open_pipe(p, (flags & O_NONBLOCK) | O_RDONLY);
	*wr = *rd ? file_open_pipe(p, (flags & O_NONBLOCK) | O_WRONLY) : NULL;
	if (!*wr) {
		if (*rd)
			kfree(*rd);
		pipe_free(p);
		return -ENOMEM;
	}
	return 0;
}

static void pipe_release(struct file *f)
{
	struct pipe *p = f->pipe;

	if (!p)
		return;
	if (is_reader(f->flags)) {
		p->readers--;
		wake_up(&p->writable);   /* writers see EPIPE */
	}
	if (is_writer(f->flags)) {
		p->writers--;
		wake_up(&p->readable);   /* readers see end of file */
	}
	if (!p->readers && !p->writers)
		pipe_free(p);
}

/* ---- FIFOs (named pipes) ------------------------------------------------------ */

static bool no_writer_since(const struct pipe *p, uint64_t opens)
{
	return p->writer_opens == opens;
}

/*
 * As Linux's fifo_open: a reader waits for a writer and a writer for a
 * reader (unless O_NONBLOCK: a reader goes on, a writer gets ENXIO);
 * O_RDWR never waits. The pipe is made at the first open and lives
 * while some end is open.
 */
static int open_end(struct pipe *p, struct file *f, bool fifo);

static int fifo_open(struct inode *i, struct file *f)
{
	struct pipe *p = i->fifo;
	bool nonblock = f->flags & O_NONBLOCK;

	if (!p && (f->flags & O_ACCMODE) == O_WRONLY && nonblock)
		return -ENXIO;
	if (!p) {
		if (!(p = pipe_alloc()))
			return -ENOMEM;
		p->fifo = i;
		i->fifo = p;
	}
	return open_end(p, f, true);
}

/* A new end f of p, as Linux's fifo_open makes one: a FIFO's waits for
 * the other end (or ENXIO), a pipe(2) pipe's none (is_pipe). */
static int open_end(struct pipe *p, struct file *f, bool fifo)
{
	bool nonblock = f->flags & O_NONBLOCK;

	if (fifo && (f->flags & O_ACCMODE) == O_WRONLY && nonblock && !p->readers)
		return -ENXIO;   /* p has a reader-less open end: it stays */
	f->ops = end_ops(f->flags);
	f->pipe = p;
	if (is_reader(f->flags)) {
		p->readers++;
		p->reader_opens++;
		wake_up(&p->writable);
	}
	if (is_writer(f->flags)) {
		p->writers++;
		p->writer_opens++;
		wake_up(&p->readable);
	}
	long err = 0;
	if (fifo && (f->flags & O_ACCMODE) == O_RDONLY && !nonblock && !p->writers) {
		uint64_t seen = p->writer_opens;
		err = wait_event(&p->readable, !no_writer_since(p, seen));
	} else if (fifo && (f->flags & O_ACCMODE) == O_WRONLY && !p->readers) {
		uint64_t seen = p->reader_opens;
		err = wait_event(&p->writable, p->reader_opens != seen);
	}
	if (err) {
		pipe_release(f);
		f->pipe = NULL;
		return (int)err;
	}
	return 0;
}

const struct file_ops fifo_ops = { .open = fifo_open };

static bool is_pipe_end(const struct file *f)
{
	return f->ops == &pipe_read_ops || f->ops == &pipe_write_ops || f->ops == &pipe_rdwr_ops;
}

uint64_t pipe_ino(const struct file *f)
{
	return !f->inode && is_pipe_end(f) ? f->pipe->ino : 0;
}

int pipe_reopen(struct file *end, uint32_t flags, struct file **out)
{
	struct file *f = file_new(NULL, flags);

	if (!f)
		return -ENOMEM;
	int err = open_end(end->pipe, f, false);
	if (err) {
		kfree(f);
		return err;
	}
	*out = f;
	return 0;
}

/* Sleeps on wq while the pipe cannot serve; -EAGAIN or -EINTR, or 0. */
static long wait_while(struct file *f, struct wait_queue *wq,
		       bool (*blocked)(const struct pipe *))
{
	if (!blocked(f->pipe))
		return 0;
	if (f->flags & O_NONBLOCK)
		return -EAGAIN;
	return wait_event(wq, !blocked(f->pipe));
}

static bool empty_with_writers(const struct pipe *p)
{
	return p->head == p->tail && p->writers;
}

static bool full_with_readers(const struct pipe *p)
{
	return p->head - p->tail == PIPE_SIZE && p->readers;
}

/* Copies up to n bytes out of (to_user) or into the ring at offset pos. */
static int ring_copy(struct pipe *p, uint64_t pos, uaddr_t ubuf, uint64_t n, bool to_user)
{
	uint64_t off = pos % PIPE_SIZE, first = PIPE_SIZE - off < n ? PIPE_SIZE - off : n;
	int err = to_user ? copy_to_user(current->mm, ubuf, p->buf + off, first)
			  : copy_from_user(current->mm, p->buf + off, ubuf, first);

	if (!err && n > first)
		err = to_user ? copy_to_user(current->mm, uaddr_add(ubuf, first), p->buf, n - first)
			      : copy_from_user(current->mm, p->buf, uaddr_add(ubuf, first), n - first);
	return err;
}

static long pipe_read(struct file *f, uaddr_t ubuf, uint64_t n, uint64_t *pos)
{
	struct pipe *p = f->pipe;
	long err = wait_while(f, &p->readable, empty_with_writers);

	(void)pos;

	if (err)
		return err;
	uint64_t k = p->head - p->tail < n ? p->head - p->tail : n;
	if (k && ring_copy(p, p->tail, ubuf, k, true) < 0)
		return -EFAULT;
	p->tail += k;
	if (k)
		wake_up(&p->writable);
	return (long)k;
}

static long pipe_write(struct file *f, uaddr_t ubuf, uint64_t n, uint64_t *pos)
{
	struct pipe *p = f->pipe;
	uint64_t done = 0;

	(void)pos;

	while (done < n) {
		long err = wait_while(f, &p->writable, full_with_readers);
		if (err)
			return done ? (long)done : err;
		if (!p->readers) {
			/* Nobody will read: SIGPIPE ends the writer unless ignored. */
			proc_kill(current->pid, SIGPIPE);
			return done ? (long)done : -EPIPE;
		}
		if (!p->buf)
			p->buf = phys_to_virt(alloc_charged_page());
		uint64_t room = PIPE_SIZE - (p->head - p->tail);
		uint64_t k = n - done < room ? n - done : room;
		if (ring_copy(p, p->head, uaddr_add(ubuf, done), k, false) < 0)
			return done ? (long)done : -EFAULT;
		p->head += k;
		done += k;
		wake_up(&p->readable);
	}
	return (long)done;
}

/* As Linux's pipe_poll: the read end is readable with data, hung up with no
 * writer left; the write end writable with room, in error with no reader. */
static uint32_t pipe_poll_read(struct file *f, struct poll_table *pt)
{
	struct pipe *p = f->pipe;
	uint32_t mask = 0;

	poll_wait(pt, &p->readable);
	if (p->head != p->tail)
		mask |= POLLIN | POLLRDNORM;
	if (!p->writers)
		mask |= POLLHUP;
	return mask;
}

static uint32_t pipe_poll_write(struct file *f, struct poll_table *pt)
{
	struct pipe *p = f->pipe;
	uint32_t mask = 0;

	poll_wait(pt, &p->writable);
	if (p->head - p->tail < PIPE_SIZE)
		mask |= POLLOUT | POLLWRNORM;
	if (!p->readers)
		mask |= POLLERR;
	return mask;
}

static uint32_t pipe_poll_rdwr(struct file *f, struct poll_table *pt)
{
	return pipe_poll_read(f, pt) | (pipe_poll_write(f, pt) & ~(uint32_t)POLLERR);
}

static void pipe_stat(struct file *f, struct linux_stat *st)
{
	st->st_ino = f->pipe->ino;
	st->st_dev = 6;
	st->st_mode = S_IFIFO | 0600;
	st->st_nlink = 1;
	st->st_blksize = 4096;
}

/* No llseek: lseek and pread64 are -ESPIPE. */
static const struct file_ops pipe_read_ops = {
	.read = pipe_read,
	.poll = pipe_poll_read,
	.stat = pipe_stat,
	.release = pipe_release,
};

static const struct file_ops pipe_write_ops = {
	.write = pipe_write,
	.poll = pipe_poll_write,
	.stat = pipe_stat,
	.release = pipe_release,
};

static const struct file_ops pipe_rdwr_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.poll = pipe_poll_rdwr,
	.stat = pipe_stat,
	.release = pipe_release,
};
