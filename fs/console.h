/*
 * The console as a terminal (Linux's tty with the n_tty line discipline):
 * the UART's input goes through fs/tty_ldisc.c into a queue as it arrives
 * (from the receive interrupt, or the tick's poll where the DT gives no
 * interrupt), so typing is never lost and a signal character reaches the
 * foreground process group even while it never reads. The console is the
 * controlling terminal of at most one session, with a foreground group.
 *
 * Entry points (plain functions, for a file-operations table to call):
 *   tty_read, tty_write, tty_ioctl, tty_input_ready, tty_open.
 *
 * Locking: the kernel lock (kernel/spinlock.h), which the receive interrupt
 * (routed to CPU 0) holds too; the UART's output is polled under the
 * console lock of kernel/printk.c for kernel messages.
 */
#ifndef BRAMBLE_FS_CONSOLE_H
#define BRAMBLE_FS_CONSOLE_H
#include "lib/types.h"

struct proc;

/* Sets up the terminal (default termios); kernel/main.c, before init. */
void tty_init(void);
/* One byte from the UART (interrupt or poll context): line discipline,
 * echo, signal characters, readers woken. */
void tty_receive(uint8_t c);
/* Whether a reader sleeps for input (the tick then polls, without an interrupt). */
bool tty_reader_waiting(void);

/* read(2) into a kernel buffer: canonical or VMIN/VTIME rules, job
 * control (SIGTTIN / -EIO), O_NONBLOCK (-EAGAIN) from fflags. */
long tty_read(char *buf, size_t n, uint32_t fflags);
/* Before a write(2): the TOSTOP check (SIGTTOU, -EIO); 0 to go on. */
long tty_write_check(void);
/* Output through OPOST processing to the UART; returns n. */
long tty_write(const char *buf, size_t n);
/* Readiness, for poll: input a read would return now, or an end of file
 * pending (canonical ^D). Writes never block. */
bool tty_input_ready(void);
/* The terminal ioctls (TCGETS ... TIOCGSID); -ENOTTY for others.
 * freadable: the file was opened for reading (TIOCSCTTY needs it). */
long tty_ioctl(uint32_t cmd, uint64_t arg, bool freadable);
/* An open of /dev/console (dev_tty false) or /dev/tty: 0, or -ENXIO for
 * /dev/tty without a controlling terminal. A session leader without one
 * opening the console without O_NOCTTY acquires it. */
long tty_open(uint32_t flags, bool dev_tty);

/* Process hooks (kernel/proc.c): p left its session (setsid), or p, a
 * session leader, exits (its terminal is hung up: SIGHUP, SIGCONT). */
void tty_session_left(struct proc *p);
void tty_session_leader_exit(struct proc *p);

/* Whether the console is p's controlling terminal; if so *fg_pgrp is its
 * foreground process group (0 if none). For /proc/PID/stat's tty_nr. */
bool tty_is_controlling(const struct proc *p, int *fg_pgrp);

struct wait_queue;
/* The queue readers and pollers sleep on (woken by every byte received
 * and every mode change). */
struct wait_queue *tty_input_queue(void);

/* Older names, kept: a read of the console, and poll's readiness hook
 * (tty_input_ready). */
long console_read_line(char *buf, size_t n);
bool console_input_ready(void);
#endif
