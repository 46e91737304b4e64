/*
 * Credentials (kernel/cred.h): the set*id rules of Linux's kernel/sys.c,
 * the groups of kernel/groups.c, generic_permission of fs/namei.c and
 * kill_ok_by_cred of kernel/signal.c, as pure functions. Linux 6.1's rules:
 * no RLIMIT_NPROC check on a uid change (Bramble has no per-user counts).
 */
#include "kernel/cred.h"
#include "lib/uapi/errno.h"

#define S_IFMT_BITS 0170000
#define S_IFDIR_BITS 0040000
#define S_IXUGO 0111

void cred_init_root(struct cred *c)
{
	*c = (struct cred){ 0 };
}

bool cred_capable_setid(const struct cred *c)
{
	return c->euid == 0;
}

bool cred_capable_fs(const struct cred *c)
{
	return c->fsuid == 0;
}

bool cred_in_group(const struct cred *c, uint32_t gid)
{
	if (gid == c->fsgid)
		return true;
	for (int i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

/* Linux's acl_permission_check without ACLs: the owner's bits, else the
 * group's if the caller is in the group (looked at only when they differ
 * from the others' in the bits asked for), else the others'. */
static int mode_bits_permit(const struct cred *c, uint32_t mode, uint32_t uid, uint32_t gid,
			    int mask)
{
	mask &= 7;
	if (c->fsuid == uid)
		mode >>= 6;
	else if ((mask & (mode ^ (mode >> 3))) && cred_in_group(c, gid))
		mode >>= 3;
	return (mask & ~mode & 7) ? -EACCES : 0;
}

int cred_permission(const struct cred *c, uint32_t mode, uint32_t uid, uint32_t gid, int mask)
{
	if (mode_bits_permit(c, mode, uid, gid, mask) == 0)
		return 0;
	if (!cred_capable_fs(c))
		return -EACCES;
	/* CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH: directories always; files
	 * for read and write, and for exec only if some x bit is set. */
	if ((mode & S_IFMT_BITS) == S_IFDIR_BITS)
		return 0;
	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if (!(mask & MAY_EXEC) || (mode & S_IXUGO))
		return 0;
	return -EACCES;
}

bool cred_owner_or_capable(const struct cred *c, uint32_t uid)
{
	return c->fsuid == uid || cred_capable_fs(c);
}

bool cred_may_kill(const struct cred *sender, const struct cred *target)
{
	return sender->euid == target->suid || sender->euid == target->uid ||
	       sender->uid == target->suid || sender->uid == target->uid ||
	       cred_capable_setid(sender);
}

bool cred_capable_nice(const struct cred *c)
{
	return c->euid == 0;
}

bool cred_capable_time(const struct cred *c)
{
	return c->euid == 0;
}

bool cred_capable_admin(const struct cred *c)
{
	return c->euid == 0;
}

bool cred_may_sched(const struct cred *c, const struct cred *target)
{
	return c->euid == target->euid || c->euid == target->uid || cred_capable_nice(c);
}

/* Whether id is one of a, b, c (the ids an unprivileged process may take). */
static bool id_is_one_of(uint32_t id, uint32_t a, uint32_t b, uint32_t c)
{
	return id == a || id == b || id == c;
}

/* setuid and setgid: with the capability all of real, effective and saved;
 * without it only the effective one, to the real or saved id. */
static int set_id(uint32_t *real, uint32_t *eff, uint32_t *saved, uint32_t *fs, uint32_t id,
		  bool capable)
{
	if (id == CRED_ID_NONE)
		return -EINVAL;
	if (capable)
		*real = *saved = id;
	else if (id != *real && id != *saved)
		return -EPERM;
	*eff = *fs = id;
	return 0;
}

int cred_setuid(struct cred *c, uint32_t uid)
{
	return set_id(&c->uid, &c->euid, &c->suid, &c->fsuid, uid, cred_capable_setid(c));
}

int cred_setgid(struct cred *c, uint32_t gid)
{
	return set_id(&c->gid, &c->egid, &c->sgid, &c->fsgid, gid, cred_capable_setid(c));
}

/*
 * setreuid and setregid share one rule: the real id may become the real or
 * effective one, the effective id any of the three; the saved id follows
 * the new effective one when the real id is set or the effective one is set
 * to something other than the old real id.
 */
static int set_re_ids(uint32_t *real, uint32_t *eff, uint32_t *saved, uint32_t *fs,
		      uint32_t new_real, uint32_t new_eff, bool capable)
{
	if (new_real != CRED_ID_NONE && !capable && new_real != *real && new_real != *eff)
		return -EPERM;
	if (new_eff != CRED_ID_NONE && !capable && !id_is_one_of(new_eff, *real, *eff, *saved))
		return -EPERM;
	uint32_t old_real = *real;
	if (new_real != CRED_ID_NONE)
		*real = new_real;
	if (new_eff != CRED_ID_NONE)
		*eff = new_eff;
	if (new_real != CRED_ID_NONE || (new_eff != CRED_ID_NONE && new_eff != old_real))
		*saved = *eff;
	*fs = *eff;
	return 0;
}

int cred_setreuid(struct cred *c, uint32_t ruid, uint32_t euid)
{
	return set_re_ids(&c->uid, &c->euid, &c->suid, &c->fsuid, ruid, euid,
			  cred_capable_setid(c));
}

int cred_setregid(struct cred *c, uint32_t rgid, uint32_t egid)
{
	return set_re_ids(&c->gid, &c->egid, &c->sgid, &c->fsgid, rgid, egid,
			  cred_capable_setid(c));
}

/* setresuid and setresgid: unprivileged, each new id must be one of the
 * three old ones; the file-system id follows the effective one. */
static int set_res_ids(uint32_t *real, uint32_t *eff, uint32_t *saved, uint32_t *fs,
		       uint32_t new_real, uint32_t new_eff, uint32_t new_saved, bool capable)
{
	if (!capable) {
		const uint32_t want[3] = { new_real, new_eff, new_saved };
		for (int i = 0; i < 3; i++)
			if (want[i] != CRED_ID_NONE && !id_is_one_of(want[i], *real, *eff, *saved))
				return -EPERM;
	}
	if (new_real != CRED_ID_NONE)
		*real = new_real;
	if (new_eff != CRED_ID_NONE)
		*eff = new_eff;
	if (new_saved != CRED_ID_NONE)
		*saved = new_saved;
	*fs = *eff;
	return 0;
}

int cred_setresuid(struct cred *c, uint32_t ruid, uint32_t euid, uint32_t suid)
{
	return set_res_ids(&c->uid, &c->euid, &c->suid, &c->fsuid, ruid, euid, suid,
			   cred_capable_setid(c));
}

int cred_setresgid(struct cred *c, uint32_t rgid, uint32_t egid, uint32_t sgid)
{
	return set_res_ids(&c->gid, &c->egid, &c->sgid, &c->fsgid, rgid, egid, sgid,
			   cred_capable_setid(c));
}

/* setfsuid and setfsgid: to one of the four ids, or any with the capability;
 * -1 (invalid) only asks. */
static uint32_t set_fs_id(uint32_t *fs, uint32_t real, uint32_t eff, uint32_t saved,
			  uint32_t new_fs, bool capable)
{
	uint32_t old = *fs;

	if (new_fs != CRED_ID_NONE &&
	    (capable || new_fs == old || id_is_one_of(new_fs, real, eff, saved)))
		*fs = new_fs;
	return old;
}

uint32_t cred_setfsuid(struct cred *c, uint32_t fsuid)
{
	return set_fs_id(&c->fsuid, c->uid, c->euid, c->suid, fsuid, cred_capable_setid(c));
}

uint32_t cred_setfsgid(struct cred *c, uint32_t fsgid)
{
	return set_fs_id(&c->fsgid, c->gid, c->egid, c->sgid, fsgid, cred_capable_setid(c));
}

int cred_setgroups(struct cred *c, const uint32_t *groups, int n)
{
	if (!cred_capable_setid(c))
		return -EPERM;
	if (n < 0 || n > NGROUPS_MAX_BRAMBLE)
		return -EINVAL;
	for (int i = 0; i < n; i++)
		if (groups[i] == CRED_ID_NONE)
			return -EINVAL;
	/* Sorted, as Linux's groups_sort: getgroups answers in this order. */
	for (int i = 0; i < n; i++) {
		uint32_t g = groups[i];
		int j = i;
		for (; j > 0 && c->groups[j - 1] > g; j--)
			c->groups[j] = c->groups[j - 1];
		c->groups[j] = g;
	}
	c->ngroups = n;
	return 0;
}
