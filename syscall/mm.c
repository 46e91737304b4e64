/* Memory system calls: thin wrappers over mm/vm.c with the caller's limits. */
#include "syscall/syscall.h"
#include "mm/vm.h"
#include "fs/file.h"
#include "lib/uapi/fcntl.h"
#include "lib/uapi/mman.h"

static struct rlimits_view limits(void)
{
	return (struct rlimits_view){ current->rlim[RLIMIT_AS].rlim_cur,
				      current->rlim[RLIMIT_DATA].rlim_cur };
}

/* On failure brk returns the unchanged break, never -ENOMEM (man 2 brk). */
long sys_brk(uaddr_t addr)
{
	struct rlimits_view lim = limits();

	proc_note_maxrss(current);   /* before it may shrink */
	return (long)vm_brk(current->mm, uaddr_val(addr), &lim);
}

long sys_mmap(uaddr_t addr, size_t len, unsigned long prot, unsigned long flags, int fd,
	      unsigned long offset)
{
	struct rlimits_view lim = limits();
	const uint8_t *data = NULL;
	uint64_t size = 0;

	if (!(flags & MAP_ANONYMOUS)) {
		struct file *f = fd_get(current, fd);
		if (!f)
			return -EBADF;
		if (f->type != FILE_REGULAR)
			return -ENODEV;
		const struct inode *n = &rootfs.nodes[f->node];
		data = n->data;
		size = n->size;
		if ((f->flags & O_ACCMODE) == O_WRONLY)
			return -EACCES;
	}
	return vm_mmap(current->mm, uaddr_val(addr), len, (uint32_t)prot, (uint32_t)flags, data, size,
		       offset, &lim);
}

long sys_munmap(uaddr_t addr, size_t len)
{
	proc_note_maxrss(current);
	return vm_munmap(current->mm, uaddr_val(addr), len);
}

long sys_mprotect(uaddr_t addr, size_t len, unsigned long prot)
{
	return vm_mprotect(current->mm, uaddr_val(addr), len, (uint32_t)prot);
}

long sys_mremap(uaddr_t addr, size_t old_len, size_t new_len, unsigned long flags,
		uaddr_t new_addr)
{
	struct rlimits_view lim = limits();

	proc_note_maxrss(current);
	return vm_mremap(current->mm, uaddr_val(addr), old_len, new_len, (uint32_t)flags, uaddr_val(new_addr), &lim);
}

long sys_madvise(uaddr_t addr, size_t len, int advice)
{
	return vm_madvise(current->mm, uaddr_val(addr), len, advice);
}
