/*
 * Credentials: a process's user and group ids and supplementary groups, as
 * Linux's struct cred (kernel/sys.c, kernel/groups.c), and the checks made
 * from them. Pure functions over struct cred, no process or file system
 * state, so the host tests compile this file alone (tests/host/test_cred.c).
 *
 * Capabilities are not stored: Bramble has no file capabilities, no
 * setuid executables and no keepcaps, and then Linux's rules
 * (security/commoncap.c cap_emulate_setxuid, cap_task_fix_setuid) give a
 * process that started as root exactly this: the non-file capabilities
 * (CAP_SETUID, CAP_SETGID, CAP_KILL, ...) are effective iff euid == 0, the
 * file-system ones (CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH,
 * CAP_FOWNER, ...) iff fsuid == 0 (setfsuid drops and raises them).
 */
#ifndef BRAMBLE_CRED_H
#define BRAMBLE_CRED_H
#include "lib/types.h"

/* The most supplementary groups a process may have. Linux allows
 * NGROUPS_MAX (65536) and answers EINVAL past it; Bramble keeps them in
 * struct proc, so it bounds them lower, with the same EINVAL. */
#define NGROUPS_MAX_BRAMBLE 32

/* (uid_t)-1: "unchanged" for the set*id calls, invalid as an id. */
#define CRED_ID_NONE 0xffffffffu

/* Access masks of cred_permission, Linux's MAY_EXEC, MAY_WRITE, MAY_READ. */
#define MAY_EXEC  1
#define MAY_WRITE 2
#define MAY_READ  4

struct cred {
	uint32_t uid, gid;       /* real */
	uint32_t euid, egid;     /* effective: what privilege checks use */
	uint32_t suid, sgid;     /* saved: what an unprivileged process may return to */
	uint32_t fsuid, fsgid;   /* file-system checks; follow euid/egid but setfs[ug]id */
	int ngroups;
	uint32_t groups[NGROUPS_MAX_BRAMBLE];   /* sorted, as Linux's groups_sort */
};

/* Root with no supplementary groups: the first process's. */
void cred_init_root(struct cred *c);

/* CAP_SETUID / CAP_SETGID / CAP_KILL: euid == 0. */
bool cred_capable_setid(const struct cred *c);
/* The file-system capabilities (CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_CHOWN...): fsuid == 0. */
bool cred_capable_fs(const struct cred *c);
/* Linux's in_group_p: gid is the fsgid or a supplementary group. */
bool cred_in_group(const struct cred *c, uint32_t gid);
/* Whether c may open or search a file of mode (st_mode, type bits included),
 * owner uid and group gid for mask (MAY_READ|MAY_WRITE|MAY_EXEC): 0 or
 * -EACCES, as Linux's generic_permission without ACLs. */
int cred_permission(const struct cred *c, uint32_t mode, uint32_t uid, uint32_t gid, int mask);
/* Linux's inode_owner_or_capable (chmod, utimes, chown checks): the fsuid
 * owns the file or has CAP_FOWNER. */
bool cred_owner_or_capable(const struct cred *c, uint32_t uid);
/* Linux's kill_ok_by_cred: the sender's real or effective uid is the
 * target's real or saved uid, or the sender has CAP_KILL. */
bool cred_may_kill(const struct cred *sender, const struct cred *target);
/* CAP_SYS_NICE (raising priority, real-time policies): euid == 0. */
bool cred_capable_nice(const struct cred *c);
/* CAP_SYS_TIME (setting the clock, the time zone): euid == 0. */
bool cred_capable_time(const struct cred *c);
/* CAP_SYS_ADMIN and CAP_SYSLOG (the kernel log's console and clearing, the
 * host and domain names): euid == 0. */
bool cred_capable_admin(const struct cred *c);
/* Whether c may change target's scheduling (setpriority, sched_setscheduler,
 * sched_setaffinity): Linux's check_same_owner (c's euid is target's real
 * or effective uid) or CAP_SYS_NICE. */
bool cred_may_sched(const struct cred *c, const struct cred *target);

/*
 * The set*id family (kernel/sys.c): each changes *c as Linux does and
 * returns 0, or returns -EPERM / -EINVAL and leaves *c unchanged.
 * CRED_ID_NONE means "leave it" where Linux's -1 does.
 */
int cred_setuid(struct cred *c, uint32_t uid);
int cred_setgid(struct cred *c, uint32_t gid);
int cred_setreuid(struct cred *c, uint32_t ruid, uint32_t euid);
int cred_setregid(struct cred *c, uint32_t rgid, uint32_t egid);
int cred_setresuid(struct cred *c, uint32_t ruid, uint32_t euid, uint32_t suid);
int cred_setresgid(struct cred *c, uint32_t rgid, uint32_t egid, uint32_t sgid);
/* setfsuid/setfsgid never fail: they return the old fsuid/fsgid, changed or not. */
uint32_t cred_setfsuid(struct cred *c, uint32_t fsuid);
uint32_t cred_setfsgid(struct cred *c, uint32_t fsgid);
/* setgroups(2) with the list already copied in: -EPERM without CAP_SETGID,
 * -EINVAL past NGROUPS_MAX_BRAMBLE or for an invalid gid; sorts it. */
int cred_setgroups(struct cred *c, const uint32_t *groups, int n);
#endif
