/* /dev/null, zero, full, random and urandom (Linux's drivers/char/mem.c). */
#include "fs/special.h"
#include "kernel/proc.h"
#include "kernel/random.h"
#include "mm/uaccess.h"
#include "mm/uvm.h"
#include "mm/mmu.h"
#include "lib/uapi/errno.h"

#define CHUNK 256

static long read_nothing(struct file *f, uaddr_t ubuf, uint64_t n, uint64_t *pos)
{
	(void)f, (void)ubuf, (void)n, (void)pos;
	return 0;
}

static long write_all(struct file *f, uaddr_t ubuf, uint64_t n, uint64_t *pos)
{
	(void)f, (void)ubuf, (void)pos;
	return (long)n;
}

static long write_full(struct file *f, uaddr_t ubuf, uint64_t n, uint64_t *pos)
{
	(void)f, (void)ubuf, (void)n, (void)pos;
	return -ENOSPC;
}

/* Zeros, a page at a time (a bad pointer after some bytes: the count). */
static long read_zeros(struct file *f, uaddr_t ubuf, uint64_t n, uint64_t *pos)
{
	const void *zeros = phys_to_virt(zero_page());
	uint64_t done = 0;

	(void)f, (void)pos;
	while (done < n) {
		uint64_t k = n - done < PAGE_SIZE ? n - done : PAGE_SIZE;
		if (copy_to_user(current->mm, uaddr_add(ubuf, done), zeros, k) < 0)
			return done ? (long)done : -EFAULT;
		done += k;
	}
	return (long)done;
}

static long read_random(struct file *f, uaddr_t ubuf, uint64_t n, uint64_t *pos)
{
	uint8_t buf[CHUNK];
	uint64_t done = 0;

	(void)f, (void)pos;
	while (done < n) {
		uint64_t k = n - done < CHUNK ? n - done : CHUNK;
		random_bytes(buf, k);
		if (copy_to_user(current->mm, uaddr_add(ubuf, done), buf, k) < 0)
			return done ? (long)done : -EFAULT;
		done += k;
	}
	return (long)done;
}

/* Seeking these succeeds and means nothing (Linux's null_lseek). */
static long seek_nowhere(struct file *f, long off, uint32_t whence)
{
	(void)off, (void)whence;
	return (long)(f->pos = 0);
}

const struct file_ops null_ops = { .read = read_nothing, .write = write_all, .llseek = seek_nowhere };
const struct file_ops zero_ops = { .read = read_zeros, .write = write_all, .llseek = seek_nowhere };
const struct file_ops full_ops = { .read = read_zeros, .write = write_full, .llseek = seek_nowhere };
const struct file_ops random_ops = { .read = read_random, .write = write_all, .llseek = seek_nowhere };
