/* Memory system calls: thin wrappers over mm/vm.c with the caller's limits. */
#include "syscall/syscall.h"
#include "mm/vm.h"
#include "fs/file.h"
#include "fs/fdtable.h"
#include "fs/tmpfs.h"
#include "mm/uaccess.h"
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
	/* The high-water mark before the heap may shrink: only a shrink
	 * lowers the charge it is taken from. */
	if (uaddr_val(addr) < current->mm->brk)
		proc_note_maxrss(current);
	return (long)vm_brk(current->mm, uaddr_val(addr), limits());
}

#define MFD_CLOEXEC       1u
#define MFD_ALLOW_SEALING 2u

/* mmap's work past the early check below: the file, the limits, vm_mmap. */
static long __attribute__((noinline)) mmap_file_or_anon(uaddr_t addr, size_t len, unsigned long prot,
							unsigned long flags, int fd, unsigned long offset)
{
	struct rlimits_view lim = limits();
	struct vm_object obj;
	bool writable = false;

	if (!(flags & MAP_ANONYMOUS)) {
		struct file *f = fd_get(current, fd);
		if (!f)
			return -EBADF;
		if (f->flags & O_PATH)
			return -EBADF;
		/* /dev/zero mapped is anonymous memory (Linux's
		 * shmem_zero_setup for MAP_SHARED). */
		if (f->inode && S_IFMT_IS(f->inode->mode, S_IFCHR) && f->inode->rdev == MKDEV(1, 5))
			return vm_mmap(current->mm, uaddr_val(addr), len, (uint32_t)prot,
				       (uint32_t)flags | MAP_ANONYMOUS, NULL, false, 0, &lim);
		if (!f->inode || !tmpfs_is_file(f->inode))
			return -ENODEV;
		if ((f->flags & O_ACCMODE) == O_WRONLY)
			return -EACCES;
		obj = tmpfs_vm_object(f->inode, f->dentry);
		writable = (f->flags & O_ACCMODE) == O_RDWR;
	}
	return vm_mmap(current->mm, uaddr_val(addr), len, (uint32_t)prot, (uint32_t)flags,
		       (flags & MAP_ANONYMOUS) ? NULL : &obj, writable, offset, &lim);
}

/* An anonymous mapping longer than the address space fails before anything
 * is looked at, as Linux's get_unmapped_area (vm_mmap would say the same:
 * mm/mmap.c checks the offset, then the length), and here, apart, with no
 * frame of its own (like the dispatcher's thunks, it only tail-calls). */
__attribute__((optimize("omit-frame-pointer")))
long sys_mmap(uaddr_t addr, size_t len, unsigned long prot, unsigned long flags, int fd,
	      unsigned long offset)
{
	if ((flags & MAP_ANONYMOUS) && !(offset & (PAGE_SIZE - 1)) && len > USER_TOP)
		return -ENOMEM;
	return mmap_file_or_anon(addr, len, prot, flags, fd, offset);
}

long sys_msync(uaddr_t addr, size_t len, int flags)
{
	return vm_msync(current->mm, uaddr_val(addr), len, flags);
}

long sys_mincore(uaddr_t addr, size_t len, uaddr_t vec)
{
	return vm_mincore(current->mm, uaddr_val(addr), len, vec);
}

/* memfd_create: an unnamed tmpfs file (on /dev/shm's mount), as an fd. */
long sys_memfd_create(uaddr_t uname, uint32_t flags)
{
	char name[250];
	struct file *f;
	long r;

	if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING))
		return -EINVAL;
	r = strncpy_from_user(current->mm, name, uname, sizeof(name));
	if (r < 0)
		return r == -ENAMETOOLONG ? -EINVAL : r;
	if ((r = memfd_open(&f)))
		return r;
	long fd = fd_install(current, f, flags & MFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
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
