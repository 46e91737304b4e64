/*
 * Every system call Bramble implements, once: its Linux AArch64
 * (asm-generic) number, its name and its typed arguments. No include guard:
 * each includer defines the SCn macros for what it generates and includes
 * this file, which undefines them at its end.
 *
 *   SCn(nr, name, type1, arg1, ..., typen, argn)
 *       long sys_name(type1 arg1, ..., typen argn), arguments from x0..x(n-1)
 *   SCFn(...)  the same, with the caller's struct trap_frame * first (only
 *       for the calls that need the registers themselves: clone, rt_sigreturn)
 *   SCU0(nr, name)  an SC0 that needs no kernel lock (see below)
 *   SCR3(...)  an SC3 that replaces every register of its caller (execve)
 *
 * syscall/syscall.h declares the handlers from it, syscall/table.c builds
 * the dispatcher from it, tests/host/test_abi.c checks every number against
 * the toolchain's asm-generic/unistd.h. User addresses are uaddr_t.
 * Argument types are single words (int, long, uint32_t, uint64_t, size_t,
 * uaddr_t): the dispatcher converts each register with REG_<type>.
 */

/* An includer that needs only numbers and names defines SYSCALL_ENTRY(nr,
 * name) instead of the SCn macros. */
#ifdef SYSCALL_ENTRY
#define SC0(nr, name) SYSCALL_ENTRY(nr, name)
#define SC1(nr, name, ...) SYSCALL_ENTRY(nr, name)
#define SC2(nr, name, ...) SYSCALL_ENTRY(nr, name)
#define SC3(nr, name, ...) SYSCALL_ENTRY(nr, name)
#define SC4(nr, name, ...) SYSCALL_ENTRY(nr, name)
#define SC5(nr, name, ...) SYSCALL_ENTRY(nr, name)
#define SC6(nr, name, ...) SYSCALL_ENTRY(nr, name)
#define SCF0(nr, name) SYSCALL_ENTRY(nr, name)
#define SCF2(nr, name, ...) SYSCALL_ENTRY(nr, name)
#define SCF5(nr, name, ...) SYSCALL_ENTRY(nr, name)
#endif

/* SCU0(nr, name): a call that reads only what never changes for the
 * calling task, so it runs without the kernel lock (kernel/spinlock.h).
 * An includer that does not tell it apart sees an SC0. */
#ifndef SCU0
#define SCU0(nr, name) SC0(nr, name)
#endif

/* SCR3(nr, name, ...): an SC3 after which the caller's registers are all
 * new (execve), so the return to EL0 loads every one from the frame (a
 * frame call, kernel/traps.c). An includer that does not tell it apart
 * sees an SC3. */
#ifndef SCR3
#define SCR3(nr, name, ...) SC3(nr, name, __VA_ARGS__)
#endif

/* fs.c: I/O on open files */
SC3(29,  ioctl,           int, fd, uint32_t, cmd, uint64_t, arg)
SC0(81,  sync)
SC1(82,  fsync,           int, fd)
SC1(83,  fdatasync,       int, fd)
SC4(223, fadvise64,       int, fd, long, offset, long, len, int, advice)
SC3(62,  lseek,           int, fd, long, offset, uint32_t, whence)
SC3(63,  read,            int, fd, uaddr_t, buf, size_t, count)
SC3(64,  write,           int, fd, uaddr_t, buf, size_t, count)
SC3(65,  readv,           int, fd, uaddr_t, iov, uint64_t, iovcnt)
SC3(66,  writev,          int, fd, uaddr_t, iov, uint64_t, iovcnt)
SC4(67,  pread64,         int, fd, uaddr_t, buf, size_t, count, long, pos)
SC4(68,  pwrite64,        int, fd, uaddr_t, buf, size_t, count, long, pos)
SC4(69,  preadv,          int, fd, uaddr_t, iov, uint64_t, iovcnt, long, pos)
SC4(70,  pwritev,         int, fd, uaddr_t, iov, uint64_t, iovcnt, long, pos)
SC4(71,  sendfile,        int, out_fd, int, in_fd, uaddr_t, offset, size_t, count)
SC1(267, syncfs,          int, fd)
SC6(285, copy_file_range, int, fd_in, uaddr_t, off_in, int, fd_out, uaddr_t, off_out,
			  size_t, len, uint32_t, flags)

/* fd.c: descriptors */
SC1(23,  dup,             int, oldfd)
SC3(24,  dup3,            int, oldfd, int, newfd, int, flags)
SC3(25,  fcntl,           int, fd, uint32_t, cmd, uint64_t, arg)
SC1(57,  close,           int, fd)
SC3(436, close_range,     uint32_t, first, uint32_t, last, uint32_t, flags)
SC2(32,  flock,           int, fd, int, op)
SC2(59,  pipe2,           uaddr_t, fds, int, flags)

/* path.c: names and attributes */
SC2(17,  getcwd,          uaddr_t, buf, size_t, size)
SC4(33,  mknodat,         int, dirfd, uaddr_t, path, uint32_t, mode, uint32_t, dev)
SC3(34,  mkdirat,         int, dirfd, uaddr_t, path, uint32_t, mode)
SC3(35,  unlinkat,        int, dirfd, uaddr_t, path, int, flags)
SC3(36,  symlinkat,       uaddr_t, target, int, dirfd, uaddr_t, path)
SC5(37,  linkat,          int, olddirfd, uaddr_t, oldpath, int, newdirfd, uaddr_t, newpath,
			  int, flags)
SC2(45,  truncate,        uaddr_t, path, long, length)
SC2(46,  ftruncate,       int, fd, long, length)
SC3(48,  faccessat,       int, dirfd, uaddr_t, path, int, mode)
SC1(49,  chdir,           uaddr_t, path)
SC1(50,  fchdir,          int, fd)
SC2(52,  fchmod,          int, fd, uint32_t, mode)
SC3(53,  fchmodat,        int, dirfd, uaddr_t, path, uint32_t, mode)
SC5(54,  fchownat,        int, dirfd, uaddr_t, path, uint32_t, uid, uint32_t, gid, int, flags)
SC3(55,  fchown,          int, fd, uint32_t, uid, uint32_t, gid)
SC4(56,  openat,          int, dirfd, uaddr_t, path, int, flags, uint32_t, mode)
SC4(78,  readlinkat,      int, dirfd, uaddr_t, path, uaddr_t, buf, int, bufsiz)
SC4(88,  utimensat,       int, dirfd, uaddr_t, path, uaddr_t, times, int, flags)
SC1(166, umask,           int, mask)
SC4(38,  renameat,        int, olddirfd, uaddr_t, oldpath, int, newdirfd, uaddr_t, newpath)
SC5(276, renameat2,       int, olddirfd, uaddr_t, oldpath, int, newdirfd, uaddr_t, newpath,
			  uint32_t, flags)
SC4(439, faccessat2,      int, dirfd, uaddr_t, path, int, mode, int, flags)

/* xattr.c: extended attributes (none kept) */
SC5(5,   setxattr,        uaddr_t, path, uaddr_t, name, uaddr_t, value, size_t, size, int, flags)
SC5(6,   lsetxattr,       uaddr_t, path, uaddr_t, name, uaddr_t, value, size_t, size, int, flags)
SC5(7,   fsetxattr,       int, fd, uaddr_t, name, uaddr_t, value, size_t, size, int, flags)
SC4(8,   getxattr,        uaddr_t, path, uaddr_t, name, uaddr_t, value, size_t, size)
SC4(9,   lgetxattr,       uaddr_t, path, uaddr_t, name, uaddr_t, value, size_t, size)
SC4(10,  fgetxattr,       int, fd, uaddr_t, name, uaddr_t, value, size_t, size)
SC3(11,  listxattr,       uaddr_t, path, uaddr_t, list, size_t, size)
SC3(12,  llistxattr,      uaddr_t, path, uaddr_t, list, size_t, size)
SC3(13,  flistxattr,      int, fd, uaddr_t, list, size_t, size)
SC2(14,  removexattr,     uaddr_t, path, uaddr_t, name)
SC2(15,  lremovexattr,    uaddr_t, path, uaddr_t, name)
SC2(16,  fremovexattr,    int, fd, uaddr_t, name)

/* stat.c: describing files, mounting */
SC2(39,  umount2,         uaddr_t, target, int, flags)
SC5(40,  mount,           uaddr_t, source, uaddr_t, target, uaddr_t, type, uint64_t, flags,
			  uaddr_t, data)
SC2(43,  statfs,          uaddr_t, path, uaddr_t, buf)
SC2(44,  fstatfs,         int, fd, uaddr_t, buf)
SC3(61,  getdents64,      int, fd, uaddr_t, dirp, uint32_t, count)
SC4(79,  newfstatat,      int, dirfd, uaddr_t, path, uaddr_t, statbuf, int, flags)
SC2(80,  fstat,           int, fd, uaddr_t, statbuf)
SC5(291, statx,           int, dirfd, uaddr_t, path, int, flags, uint32_t, mask, uaddr_t, buf)

/* poll.c */
SC2(19,  eventfd2,        uint32_t, initval, int, flags)
SC6(72,  pselect6,        int, n, uaddr_t, inp, uaddr_t, outp, uaddr_t, exp,
			  uaddr_t, tsp, uaddr_t, sig)
SC5(73,  ppoll,           uaddr_t, fds, uint64_t, nfds, uaddr_t, tmo, uaddr_t, sigmask,
			  size_t, sigsetsize)

/* proc.c */
SC1(93,  exit,            int, status)
SC1(94,  exit_group,      int, status)
SC5(95,  waitid,          int, idtype, int, id, uaddr_t, infop, int, options,
			  uaddr_t, rusage)
SC1(96,  set_tid_address, uaddr_t, tidptr)
SC0(124, sched_yield)
SC1(153, times,           uaddr_t, buf)
SC2(154, setpgid,         int, pid, int, pgid)
SC1(155, getpgid,         int, pid)
SC1(156, getsid,          int, pid)
SC0(157, setsid)
SC2(163, getrlimit,       uint32_t, resource, uaddr_t, rlim)
SC2(164, setrlimit,       uint32_t, resource, uaddr_t, rlim)
SC2(165, getrusage,       int, who, uaddr_t, usage)
SC5(167, prctl,           int, option, uint64_t, arg2, uint64_t, arg3,
			  uint64_t, arg4, uint64_t, arg5)
SCU0(172, getpid)
SC0(173, getppid)
SCU0(178, gettid)
SC1(97,  unshare,         uint64_t, flags)
SCF2(435, clone3,         uaddr_t, args, size_t, size)
SCF5(220, clone,          uint64_t, flags, uaddr_t, newsp, uaddr_t, parent_tid,
			  uint64_t, tls, uaddr_t, child_tid)
SCR3(221, execve,         uaddr_t, path, uaddr_t, argv, uaddr_t, envp)
SC4(260, wait4,           int, pid, uaddr_t, status, int, options, uaddr_t, rusage)
SC4(261, prlimit64,       int, pid, uint32_t, resource, uaddr_t, new_rlim,
			  uaddr_t, old_rlim)

/* sched.c: policies, priorities, nice values, affinity, membarrier */
SC2(118, sched_setparam,  int, pid, uaddr_t, param)
SC3(119, sched_setscheduler, int, pid, int, policy, uaddr_t, param)
SC1(120, sched_getscheduler, int, pid)
SC2(121, sched_getparam,  int, pid, uaddr_t, param)
SC3(122, sched_setaffinity, int, pid, uint32_t, len, uaddr_t, mask)
SC3(123, sched_getaffinity, int, pid, uint32_t, len, uaddr_t, mask)
SC1(125, sched_get_priority_max, int, policy)
SC1(126, sched_get_priority_min, int, policy)
SC2(127, sched_rr_get_interval, int, pid, uaddr_t, interval)
SC3(140, setpriority,     int, which, int, who, int, niceval)
SC2(141, getpriority,     int, which, int, who)
SC3(168, getcpu,          uaddr_t, cpu, uaddr_t, node, uaddr_t, cache)
SC3(283, membarrier,      int, cmd, uint32_t, flags, int, cpu_id)

/* cred.c */
SC2(143, setregid,        uint32_t, rgid, uint32_t, egid)
SC1(144, setgid,          uint32_t, gid)
SC2(145, setreuid,        uint32_t, ruid, uint32_t, euid)
SC1(146, setuid,          uint32_t, uid)
SC3(147, setresuid,       uint32_t, ruid, uint32_t, euid, uint32_t, suid)
SC3(148, getresuid,       uaddr_t, ruid, uaddr_t, euid, uaddr_t, suid)
SC3(149, setresgid,       uint32_t, rgid, uint32_t, egid, uint32_t, sgid)
SC3(150, getresgid,       uaddr_t, rgid, uaddr_t, egid, uaddr_t, sgid)
SC1(151, setfsuid,        uint32_t, fsuid)
SC1(152, setfsgid,        uint32_t, fsgid)
SC2(158, getgroups,       int, size, uaddr_t, list)
SC2(159, setgroups,       int, size, uaddr_t, list)
SC0(174, getuid)
SC0(175, geteuid)
SC0(176, getgid)
SC0(177, getegid)

/* futex.c */
SC6(98,  futex,           uaddr_t, uaddr, int, op, uint32_t, val, uaddr_t, utime,
			  uaddr_t, uaddr2, uint32_t, val3)
SC2(99,  set_robust_list, uaddr_t, head, size_t, len)
SC3(100, get_robust_list, int, pid, uaddr_t, head_ptr, uaddr_t, len_ptr)

/* signal.c */
SC2(102, getitimer,       int, which, uaddr_t, value)
SC3(103, setitimer,       int, which, uaddr_t, value, uaddr_t, ovalue)
SC3(107, timer_create,    int, clock, uaddr_t, sevp, uaddr_t, timerid)
SC2(108, timer_gettime,   int, timerid, uaddr_t, value)
SC1(109, timer_getoverrun, int, timerid)
SC4(110, timer_settime,   int, timerid, int, flags, uaddr_t, value, uaddr_t, ovalue)
SC1(111, timer_delete,    int, timerid)
SC0(128, restart_syscall)
SC2(129, kill,            int, pid, int, sig)
SC2(130, tkill,           int, tid, int, sig)
SC3(131, tgkill,          int, tgid, int, tid, int, sig)
SCF2(132, sigaltstack,    uaddr_t, ss, uaddr_t, oss)
SC2(133, rt_sigsuspend,   uaddr_t, mask, size_t, sigsetsize)
SC4(134, rt_sigaction,    int, sig, uaddr_t, act, uaddr_t, oact, size_t, sigsetsize)
SC4(135, rt_sigprocmask,  int, how, uaddr_t, set, uaddr_t, oset, size_t, sigsetsize)
SC2(136, rt_sigpending,   uaddr_t, set, size_t, sigsetsize)
SC4(137, rt_sigtimedwait, uaddr_t, set, uaddr_t, info, uaddr_t, timeout,
			  size_t, sigsetsize)
SC3(138, rt_sigqueueinfo, int, pid, int, sig, uaddr_t, info)
SCF0(139, rt_sigreturn)
SC4(240, rt_tgsigqueueinfo, int, tgid, int, tid, int, sig, uaddr_t, info)

/* misc.c */
SC2(101, nanosleep,       uaddr_t, req, uaddr_t, rem)
SC2(112, clock_settime,   int, clock, uaddr_t, tp)
SC2(113, clock_gettime,   int, clock, uaddr_t, tp)
SC2(114, clock_getres,    int, clock, uaddr_t, res)
SC4(115, clock_nanosleep, int, clock, int, flags, uaddr_t, req, uaddr_t, rem)
SC3(116, syslog,          int, type, uaddr_t, buf, int, len)
SC1(160, uname,           uaddr_t, buf)
SC2(161, sethostname,     uaddr_t, name, int, len)
SC2(162, setdomainname,   uaddr_t, name, int, len)
SC2(169, gettimeofday,    uaddr_t, tv, uaddr_t, tz)
SC2(170, settimeofday,    uaddr_t, tv, uaddr_t, tz)
SC1(179, sysinfo,         uaddr_t, info)
SC3(278, getrandom,       uaddr_t, buf, size_t, count, uint32_t, flags)
SC4(293, rseq,            uaddr_t, rseq, uint32_t, len, int, flags, uint32_t, sig)

/* mm.c */
SC1(214, brk,             uaddr_t, addr)
SC2(215, munmap,          uaddr_t, addr, size_t, len)
SC5(216, mremap,          uaddr_t, addr, size_t, old_len, size_t, new_len,
			  uint64_t, flags, uaddr_t, new_addr)
SC6(222, mmap,            uaddr_t, addr, size_t, len, uint64_t, prot,
			  uint64_t, flags, int, fd, uint64_t, offset)
SC3(226, mprotect,        uaddr_t, addr, size_t, len, uint64_t, prot)
SC3(227, msync,           uaddr_t, addr, size_t, len, int, flags)
SC3(232, mincore,         uaddr_t, addr, size_t, len, uaddr_t, vec)
SC3(233, madvise,         uaddr_t, addr, size_t, len, int, advice)
SC2(279, memfd_create,    uaddr_t, name, uint32_t, flags)

#undef SC0
#undef SC1
#undef SC2
#undef SC3
#undef SC4
#undef SC5
#undef SC6
#undef SCF0
#undef SCF2
#undef SCF5
#undef SCU0
#undef SCR3
#undef SYSCALL_ENTRY
