/*
 * A process's file-system state: its descriptor table, working directory,
 * root and umask; made for the first process, copied by fork, dropped at
 * exit. (Threads will share these as Linux's fs_struct and files_struct.)
 */
#ifndef BRAMBLE_FS_PROC_H
#define BRAMBLE_FS_PROC_H
#include "lib/types.h"

struct proc;
struct dentry;

/* The first process: root and cwd "/", fds 0-2 on /dev/console. Boot
 * cannot go on without them: a failure panics. */
void fs_proc_init(struct proc *p);
/* fork and clone: the descriptor table shared (CLONE_FILES) or copied, the
 * cwd, root and umask shared (CLONE_FS: one fs group) or copied: 0, or
 * -ENOMEM with nothing taken. */
int fs_proc_fork(struct proc *child, struct proc *parent, uint64_t flags);
/* umask(2) for p and every process of its fs group. */
void fs_proc_set_umask(struct proc *p, uint32_t mask);
/* unshare(2): CLONE_FS leaves the fs group; CLONE_FILES takes a copy of a
 * shared table (0 or -ENOMEM). */
void fs_proc_unshare_fs(struct proc *p);
int fs_proc_unshare_files(struct proc *p);
/* exit: closes every file, lets go of the directories. */
void fs_proc_exit(struct proc *p);
/* Makes d (held by the caller, who keeps its reference) the cwd of p and
 * of every process sharing its fs state. */
void fs_proc_chdir(struct proc *p, struct dentry *d);
/* Records the program p now runs (for /proc/PID/exe). */
void fs_proc_set_exe(struct proc *p, struct dentry *d);
#endif
