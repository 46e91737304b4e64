/* Open files and file descriptors: the console, initramfs files and directories. */
#ifndef BRAMBLE_FILE_H
#define BRAMBLE_FILE_H
#include "lib/types.h"
#include "fs/initramfs.h"

enum file_type { FILE_CONSOLE = 1, FILE_REGULAR, FILE_DIR, FILE_PIPE };

struct pipe;

struct file {
	int refs;
	enum file_type type;
	int node;            /* initramfs node (regular files and directories) */
	uint64_t pos;        /* offset, or the readdir cursor */
	uint32_t flags;      /* open flags */
	struct pipe *pipe;   /* FILE_PIPE: the pipe; flags say which end */
};

struct proc;
extern struct initramfs rootfs;

/* The initramfs, from the DT's initrd range (kernel VA); 0 or -errno. */
int rootfs_mount(const void *cpio, size_t size);

struct file *file_open_console(void);
struct file *file_open_node(int node, uint32_t flags);
struct file *file_open_pipe(struct pipe *p, uint32_t flags);
struct file *file_dup(struct file *f);
void file_put(struct file *f);

/* fd table of a process. */
int fd_install(struct proc *p, struct file *f, bool cloexec);  /* fd or -EMFILE */
struct file *fd_get(struct proc *p, long fd);                   /* NULL if bad */
int fd_close(struct proc *p, long fd);
void fd_close_all(struct proc *p);
void fd_close_on_exec(struct proc *p);
int fd_copy_all(struct proc *to, struct proc *from);
#endif
