/*
 * Pipes: one page of buffer between a read end and a write end. Reads
 * block until data arrives or every writer has gone (end of file); writes
 * block until there is room, and fail with EPIPE (and SIGPIPE) once every
 * reader has gone. Blocking sleeps on the pipe's wait queues (kernel/wait.h).
 * The buffer page is charged to the commit limit like any other memory a
 * system call promises.
 *
 * Locking: the kernel lock (kernel/spinlock.h) covers a pipe, its buffer
 * and its queues: a reader and a writer on two CPUs take turns in it.
 */
#ifndef BRAMBLE_PIPE_H
#define BRAMBLE_PIPE_H
#include "lib/types.h"

#include "lib/uapi/fcntl.h"

struct pipe;
struct file;

/* Makes a pipe and its two open files: 0 or -ENOMEM (nothing left behind).
 * Reads, writes, poll and close go through the ends' file_ops. */
int pipe_create(uint32_t flags, struct file **rd, struct file **wr);
/* The pipefs inode number of a pipe(2) end (both ends share it), or 0 for
 * any other file: /proc/PID/fd/N says pipe:[ino]. */
uint64_t pipe_ino(const struct file *f);
/* Opening /proc/PID/fd/N of a pipe(2) end: a new end of that pipe, flags
 * choosing which, as Linux opens the pipe's pipefs inode (without a FIFO's
 * waits): 0 with *out, or -ENOMEM. */
int pipe_reopen(struct file *end, uint32_t flags, struct file **out);
#endif
