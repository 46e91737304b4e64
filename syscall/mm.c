/* Memory system calls: thin wrappers over mm/vm.c with the caller's limits. */
#include "syscall/syscall.h"
#include "mm/vm.h"
#include "fs/file.h"

#define MAP_ANONYMOUS 0x20

static struct rlimits_view limits(void)
{
	return (struct rlimits_view){ current->rlim[RLIMIT_AS].cur,
				      current->rlim[RLIMIT_DATA].cur };
}

/* On failure brk returns the unchanged break, never -ENOMEM (man 2 brk). */
SYSCALL(brk)
{
	struct rlimits_view lim = limits();
	return (long)vm_brk(current->mm, ARG(0), &lim);
}

SYSCALL(mmap)
{
	struct rlimits_view lim = limits();
	uint32_t flags = (uint32_t)ARG(3);
	const uint8_t *data = NULL;
	uint64_t size = 0;

	if (!(flags & MAP_ANONYMOUS)) {
		struct file *f = fd_get(current, (long)(int)ARG(4));
		if (!f)
			return -EBADF;
		if (f->type != FILE_REGULAR)
			return -ENODEV;
		const struct inode *n = &rootfs.nodes[f->node];
		data = n->data;
		size = n->size;
		if ((f->flags & 3) == 1 /* O_WRONLY */)
			return -EACCES;
	}
	return vm_mmap(current->mm, ARG(0), ARG(1), (uint32_t)ARG(2), flags, data, size,
		       ARG(5), &lim);
}

SYSCALL(munmap)
{
	return vm_munmap(current->mm, ARG(0), ARG(1));
}

SYSCALL(mprotect)
{
	return vm_mprotect(current->mm, ARG(0), ARG(1), (uint32_t)ARG(2));
}

SYSCALL(mremap)
{
	struct rlimits_view lim = limits();
	return vm_mremap(current->mm, ARG(0), ARG(1), ARG(2), (uint32_t)ARG(3), ARG(4), &lim);
}

SYSCALL(madvise)
{
	return vm_madvise(current->mm, ARG(0), ARG(1), (int)ARG(2));
}
