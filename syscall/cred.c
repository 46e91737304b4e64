/* User and group ids (kernel/cred.c has the rules): copying arguments in
 * and answers out. Ids are uid_t, 32 bits: the dispatcher truncates. */
#include "syscall/syscall.h"
#include "kernel/cred.h"
#include "mm/uaccess.h"

long sys_getuid(void)
{
	return current->cred.uid;
}

long sys_geteuid(void)
{
	return current->cred.euid;
}

long sys_getgid(void)
{
	return current->cred.gid;
}

long sys_getegid(void)
{
	return current->cred.egid;
}

long sys_setuid(uint32_t uid)
{
	return cred_setuid(&current->cred, uid);
}

long sys_setgid(uint32_t gid)
{
	return cred_setgid(&current->cred, gid);
}

long sys_setreuid(uint32_t ruid, uint32_t euid)
{
	return cred_setreuid(&current->cred, ruid, euid);
}

long sys_setregid(uint32_t rgid, uint32_t egid)
{
	return cred_setregid(&current->cred, rgid, egid);
}

long sys_setresuid(uint32_t ruid, uint32_t euid, uint32_t suid)
{
	return cred_setresuid(&current->cred, ruid, euid, suid);
}

long sys_setresgid(uint32_t rgid, uint32_t egid, uint32_t sgid)
{
	return cred_setresgid(&current->cred, rgid, egid, sgid);
}

/* getresuid/getresgid: the three ids to three user addresses, in order,
 * stopping at the first that faults (Linux's put_user chain). */
static long put_three_ids(uaddr_t a, uaddr_t b, uaddr_t c, uint32_t x, uint32_t y, uint32_t z)
{
	struct mm *mm = current->mm;

	if (copy_to_user(mm, a, &x, sizeof(x)) < 0 || copy_to_user(mm, b, &y, sizeof(y)) < 0 ||
	    copy_to_user(mm, c, &z, sizeof(z)) < 0)
		return -EFAULT;
	return 0;
}

long sys_getresuid(uaddr_t ruid, uaddr_t euid, uaddr_t suid)
{
	const struct cred *c = &current->cred;

	return put_three_ids(ruid, euid, suid, c->uid, c->euid, c->suid);
}

long sys_getresgid(uaddr_t rgid, uaddr_t egid, uaddr_t sgid)
{
	const struct cred *c = &current->cred;

	return put_three_ids(rgid, egid, sgid, c->gid, c->egid, c->sgid);
}

long sys_setfsuid(uint32_t fsuid)
{
	return cred_setfsuid(&current->cred, fsuid);
}

long sys_setfsgid(uint32_t fsgid)
{
	return cred_setfsgid(&current->cred, fsgid);
}

/* The count; with a size, also the list (EINVAL if it does not fit). */
long sys_getgroups(int size, uaddr_t list)
{
	const struct cred *c = &current->cred;

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return c->ngroups;
	if (c->ngroups > size)
		return -EINVAL;
	if (c->ngroups &&
	    copy_to_user(current->mm, list, c->groups, sizeof(c->groups[0]) * c->ngroups) < 0)
		return -EFAULT;
	return c->ngroups;
}

long sys_setgroups(int size, uaddr_t list)
{
	uint32_t groups[NGROUPS_MAX_BRAMBLE];

	/* Linux's order: the privilege, the size, then the list. */
	if (!cred_capable_setid(&current->cred))
		return -EPERM;
	if (size < 0 || size > NGROUPS_MAX_BRAMBLE)
		return -EINVAL;
	if (size && copy_from_user(current->mm, groups, list, sizeof(groups[0]) * size) < 0)
		return -EFAULT;
	return cred_setgroups(&current->cred, groups, size);
}
