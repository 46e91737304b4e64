/* Credentials (kernel/cred.c): the set*id state transitions of Linux's
 * kernel/sys.c, the groups, generic_permission's matrix and kill_ok_by_cred. */
#include "kernel/cred.h"
#include "lib/uapi/errno.h"
#include "check.h"
#include <string.h>

#define NONE CRED_ID_NONE
#define DIR_MODE(perm) (0040000u | (perm))
#define REG_MODE(perm) (0100000u | (perm))

static struct cred root(void)
{
	struct cred c;

	cred_init_root(&c);
	return c;
}

/* A process of uid/gid 1000 everywhere (root after setresuid/setresgid). */
static struct cred user(uint32_t uid, uint32_t gid)
{
	struct cred c = { .uid = uid, .euid = uid, .suid = uid, .fsuid = uid,
			  .gid = gid, .egid = gid, .sgid = gid, .fsgid = gid };
	return c;
}

static bool uids_are(const struct cred *c, uint32_t r, uint32_t e, uint32_t s, uint32_t fs)
{
	return c->uid == r && c->euid == e && c->suid == s && c->fsuid == fs;
}

static bool gids_are(const struct cred *c, uint32_t r, uint32_t e, uint32_t s, uint32_t fs)
{
	return c->gid == r && c->egid == e && c->sgid == s && c->fsgid == fs;
}

#define CHECK_UIDS(name, c, r, e, s, fs) \
	check(uids_are(&(c), r, e, s, fs), name, "uids %u %u %u fs %u", (c).uid, (c).euid, \
	      (c).suid, (c).fsuid)
#define CHECK_GIDS(name, c, r, e, s, fs) \
	check(gids_are(&(c), r, e, s, fs), name, "gids %u %u %u fs %u", (c).gid, (c).egid, \
	      (c).sgid, (c).fsgid)

static void test_setuid(void)
{
	struct cred c = root();
	int r = cred_setuid(&c, 1000);
	check(r == 0, "setuid.root-ok", "%d", r);
	CHECK_UIDS("setuid.root-sets-all", c, 1000, 1000, 1000, 1000);
	r = cred_setuid(&c, 0);
	check(r == -EPERM, "setuid.dropped-cannot-return", "%d", r);
	CHECK_UIDS("setuid.eperm-unchanged", c, 1000, 1000, 1000, 1000);
	check(cred_setuid(&c, 1000) == 0, "setuid.same-ok", "");
	check(cred_setuid(&c, NONE) == -EINVAL, "setuid.minus-one-einval", "");

	/* Unprivileged with saved 0: setuid(0) sets euid only. */
	c = root();
	cred_setresuid(&c, 1000, 1000, 0);
	r = cred_setuid(&c, 0);
	check(r == 0, "setuid.to-saved-ok", "%d", r);
	CHECK_UIDS("setuid.to-saved-euid-only", c, 1000, 0, 0, 0);
	/* Now privileged again: setuid sets all three. */
	cred_setuid(&c, 2000);
	CHECK_UIDS("setuid.privileged-again-sets-all", c, 2000, 2000, 2000, 2000);

	c = root();
	cred_setresuid(&c, 1000, 2000, 3000);
	check(cred_setuid(&c, 2000) == -EPERM, "setuid.unpriv-effective-eperm", "");
	check(cred_setuid(&c, 3000) == 0, "setuid.unpriv-saved-ok", "");
	CHECK_UIDS("setuid.unpriv-saved-state", c, 1000, 3000, 3000, 3000);
	check(cred_setuid(&c, 1000) == 0, "setuid.unpriv-real-ok", "");
	CHECK_UIDS("setuid.unpriv-real-state", c, 1000, 1000, 3000, 1000);
}

static void test_setreuid(void)
{
	struct cred c = root();
	check(cred_setreuid(&c, 1000, 0) == 0, "setreuid.root-ok", "");
	/* The effective id is the old real one: saved follows it anyway (ruid set). */
	CHECK_UIDS("setreuid.real-set-saved-follows", c, 1000, 0, 0, 0);
	check(cred_setreuid(&c, 0, 1000) == 0, "setreuid.swap", "");
	CHECK_UIDS("setreuid.swap-state", c, 0, 1000, 1000, 1000);
	/* Unprivileged: euid may become the real id 0; ruid unchanged (-1) and
	 * the new euid equals the old real: saved stays. */
	check(cred_setreuid(&c, NONE, 0) == 0, "setreuid.back-to-real", "");
	CHECK_UIDS("setreuid.back-to-real-state", c, 0, 0, 1000, 0);

	c = root();
	cred_setresuid(&c, 1000, 2000, 3000);
	check(cred_setreuid(&c, 3000, NONE) == -EPERM, "setreuid.real-to-saved-eperm", "");
	check(cred_setreuid(&c, 2000, NONE) == 0, "setreuid.real-to-effective", "");
	CHECK_UIDS("setreuid.real-to-effective-state", c, 2000, 2000, 2000, 2000);

	c = root();
	cred_setresuid(&c, 1000, 2000, 3000);
	check(cred_setreuid(&c, NONE, 3000) == 0, "setreuid.effective-to-saved", "");
	CHECK_UIDS("setreuid.effective-not-old-real-saved-follows", c, 1000, 3000, 3000, 3000);
	check(cred_setreuid(&c, NONE, 4000) == -EPERM, "setreuid.effective-other-eperm", "");
	check(cred_setreuid(&c, NONE, 1000) == 0, "setreuid.effective-to-real", "");
	CHECK_UIDS("setreuid.effective-to-old-real-saved-stays", c, 1000, 1000, 3000, 1000);
	check(cred_setreuid(&c, NONE, NONE) == 0, "setreuid.none-none", "");
	CHECK_UIDS("setreuid.none-none-state", c, 1000, 1000, 3000, 1000);
}

static void test_setresuid(void)
{
	struct cred c = root();
	check(cred_setresuid(&c, 1, 2, 3) == 0, "setresuid.root", "");
	CHECK_UIDS("setresuid.root-state", c, 1, 2, 3, 2);
	check(cred_setresuid(&c, 3, 1, 2) == 0, "setresuid.permute", "");
	CHECK_UIDS("setresuid.permute-state", c, 3, 1, 2, 1);
	check(cred_setresuid(&c, 4, NONE, NONE) == -EPERM, "setresuid.other-eperm", "");
	check(cred_setresuid(&c, NONE, NONE, 4) == -EPERM, "setresuid.saved-other-eperm", "");
	CHECK_UIDS("setresuid.eperm-unchanged", c, 3, 1, 2, 1);
	check(cred_setresuid(&c, NONE, NONE, NONE) == 0, "setresuid.all-none", "");
	cred_setfsuid(&c, 3);
	cred_setresuid(&c, NONE, NONE, NONE);
	/* Linux 6.1 has no no-op shortcut: fsuid is reset to euid. */
	CHECK_UIDS("setresuid.fsuid-follows-euid", c, 3, 1, 2, 1);
}

static void test_setfsuid(void)
{
	struct cred c = root();
	check(cred_setfsuid(&c, 1000) == 0, "setfsuid.returns-old", "");
	CHECK_UIDS("setfsuid.root-any", c, 0, 0, 0, 1000);
	check(!cred_capable_fs(&c) && cred_capable_setid(&c), "setfsuid.drops-fs-caps-only", "");
	check(cred_setfsuid(&c, NONE) == 1000, "setfsuid.minus-one-asks", "");
	CHECK_UIDS("setfsuid.minus-one-unchanged", c, 0, 0, 0, 1000);

	c = root();
	cred_setresuid(&c, 1000, 2000, 0);
	check(cred_setfsuid(&c, 5) == 2000, "setfsuid.unpriv-returns-old", "");
	CHECK_UIDS("setfsuid.unpriv-other-refused", c, 1000, 2000, 0, 2000);
	check(cred_setfsuid(&c, 0) == 2000, "setfsuid.unpriv-to-saved", "");
	CHECK_UIDS("setfsuid.unpriv-to-saved-state", c, 1000, 2000, 0, 0);
	check(cred_capable_fs(&c) && !cred_capable_setid(&c), "setfsuid.raises-fs-caps", "");
	check(cred_setfsuid(&c, 1000) == 0, "setfsuid.to-real", "");
	check(c.fsuid == 1000, "setfsuid.to-real-state", "%u", c.fsuid);

	c = root();
	check(cred_setfsgid(&c, 7) == 0 && c.fsgid == 7, "setfsgid.root", "");
	cred_setresgid(&c, 1, 2, 3);
	cred_setresuid(&c, 1000, 1000, 1000);
	check(cred_setfsgid(&c, 9) == 2 && c.fsgid == 2, "setfsgid.unpriv-other-refused", "");
	check(cred_setfsgid(&c, 3) == 2 && c.fsgid == 3, "setfsgid.unpriv-to-saved", "");
}

static void test_gid_family(void)
{
	struct cred c = root();
	check(cred_setgid(&c, 100) == 0, "setgid.root", "");
	CHECK_GIDS("setgid.root-sets-all", c, 100, 100, 100, 100);
	check(cred_setgid(&c, NONE) == -EINVAL, "setgid.minus-one-einval", "");
	check(cred_setregid(&c, 200, 300) == 0, "setregid.root", "");
	CHECK_GIDS("setregid.root-state", c, 200, 300, 300, 300);
	check(cred_setresgid(&c, 1, 2, 3) == 0, "setresgid.root", "");
	CHECK_GIDS("setresgid.root-state", c, 1, 2, 3, 2);

	cred_setresuid(&c, 1000, 1000, 1000);
	check(cred_setgid(&c, 4) == -EPERM, "setgid.unpriv-other-eperm", "");
	check(cred_setgid(&c, 2) == -EPERM, "setgid.unpriv-effective-eperm", "");
	check(cred_setgid(&c, 3) == 0, "setgid.unpriv-saved", "");
	CHECK_GIDS("setgid.unpriv-saved-state", c, 1, 3, 3, 3);
	check(cred_setregid(&c, 3, NONE) == 0, "setregid.unpriv-real-to-effective", "");
	CHECK_GIDS("setregid.unpriv-real-state", c, 3, 3, 3, 3);
	check(cred_setresgid(&c, 1, NONE, NONE) == -EPERM, "setresgid.unpriv-other-eperm", "");
	check(cred_setregid(&c, 1, NONE) == -EPERM, "setregid.unpriv-other-eperm", "");
}

static void test_groups(void)
{
	struct cred c = root();
	const uint32_t g[] = { 30, 10, 20, 10 };
	check(cred_setgroups(&c, g, 4) == 0, "setgroups.root", "");
	check(c.ngroups == 4 && c.groups[0] == 10 && c.groups[1] == 10 && c.groups[2] == 20 &&
	      c.groups[3] == 30, "setgroups.sorted-duplicates-kept", "%u %u %u %u", c.groups[0],
	      c.groups[1], c.groups[2], c.groups[3]);
	check(cred_in_group(&c, 20) && !cred_in_group(&c, 40), "groups.in-group", "");
	check(cred_in_group(&c, 0), "groups.fsgid-counts", "");
	uint32_t many[NGROUPS_MAX_BRAMBLE + 1] = { 0 };
	check(cred_setgroups(&c, many, NGROUPS_MAX_BRAMBLE + 1) == -EINVAL, "setgroups.too-many",
	      "");
	check(cred_setgroups(&c, many, NGROUPS_MAX_BRAMBLE) == 0, "setgroups.at-bound", "");
	check(cred_setgroups(&c, many, -1) == -EINVAL, "setgroups.negative", "");
	const uint32_t bad[] = { 5, NONE };
	check(cred_setgroups(&c, bad, 2) == -EINVAL && c.ngroups == NGROUPS_MAX_BRAMBLE,
	      "setgroups.invalid-gid-unchanged", "");
	check(cred_setgroups(&c, NULL, 0) == 0 && c.ngroups == 0, "setgroups.empty", "");
	cred_setresuid(&c, 0, 1000, 0);
	check(cred_setgroups(&c, g, 1) == -EPERM, "setgroups.unpriv-eperm", "");
	check(cred_setgroups(&c, many, NGROUPS_MAX_BRAMBLE + 1) == -EPERM,
	      "setgroups.eperm-before-einval", "");
}

struct perm_case {
	const char *name;
	uint32_t mode, uid, gid;
	int mask, want;
};

static void test_permission(void)
{
	struct cred u = user(1000, 100);
	const uint32_t extra = 200;
	u.ngroups = 1;
	u.groups[0] = extra;
	const struct perm_case cases[] = {
		{ "owner-read", REG_MODE(0400), 1000, 0, MAY_READ, 0 },
		{ "owner-write-denied", REG_MODE(0444), 1000, 0, MAY_WRITE, -EACCES },
		/* The owner's bits decide alone, even when others' allow. */
		{ "owner-bits-only", REG_MODE(0077), 1000, 100, MAY_READ, -EACCES },
		{ "group-read", REG_MODE(0040), 1, 100, MAY_READ, 0 },
		{ "group-supplementary", REG_MODE(0040), 1, extra, MAY_READ, 0 },
		{ "group-bits-only", REG_MODE(0007), 1, 100, MAY_READ, -EACCES },
		{ "other-read", REG_MODE(0004), 1, 1, MAY_READ, 0 },
		{ "other-denied", REG_MODE(0770), 1, 1, MAY_READ, -EACCES },
		{ "read-write-needs-both", REG_MODE(0004), 1, 1, MAY_READ | MAY_WRITE, -EACCES },
		{ "exec-other", REG_MODE(0001), 1, 1, MAY_EXEC, 0 },
		{ "dir-search", DIR_MODE(0711), 1, 1, MAY_EXEC, 0 },
		{ "dir-search-denied", DIR_MODE(0700), 1, 1, MAY_EXEC, -EACCES },
		{ "nothing-asked", REG_MODE(0000), 1, 1, 0, 0 },
	};
	char name[64];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct perm_case *t = &cases[i];
		int r = cred_permission(&u, t->mode, t->uid, t->gid, t->mask);
		snprintf(name, sizeof(name), "permission.%s", t->name);
		check(r == t->want, name, "got %d, want %d", r, t->want);
	}

	struct cred r = root();
	check(cred_permission(&r, REG_MODE(0000), 5, 5, MAY_READ | MAY_WRITE) == 0,
	      "permission.root-read-write", "");
	check(cred_permission(&r, REG_MODE(0000), 5, 5, MAY_EXEC) == -EACCES,
	      "permission.root-exec-needs-x", "");
	check(cred_permission(&r, REG_MODE(0010), 5, 5, MAY_EXEC) == 0,
	      "permission.root-exec-any-x", "");
	check(cred_permission(&r, DIR_MODE(0000), 5, 5, MAY_EXEC | MAY_WRITE | MAY_READ) == 0,
	      "permission.root-dir-always", "");
	cred_setfsuid(&r, 1000);
	check(cred_permission(&r, REG_MODE(0000), 5, 5, MAY_READ) == -EACCES,
	      "permission.root-with-fsuid-not-privileged", "");
	check(cred_permission(&r, REG_MODE(0400), 1000, 5, MAY_READ) == 0,
	      "permission.fsuid-is-owner", "");

	check(cred_owner_or_capable(&u, 1000) && !cred_owner_or_capable(&u, 1),
	      "owner-or-capable.owner", "");
	struct cred r2 = root();
	check(cred_owner_or_capable(&r2, 1), "owner-or-capable.root", "");
}

static void test_kill(void)
{
	struct cred r = root(), a = user(1000, 1), b = user(2000, 1);
	check(cred_may_kill(&r, &a), "kill.root-any", "");
	check(!cred_may_kill(&a, &b), "kill.other-user-denied", "");
	check(!cred_may_kill(&a, &r), "kill.user-to-root-denied", "");
	check(cred_may_sched(&r, &a), "sched.root-any", "");
	check(cred_may_sched(&a, &a), "sched.same-owner", "");
	check(!cred_may_sched(&a, &r), "sched.user-to-root-denied", "");
	check(!cred_may_sched(&a, &b), "sched.other-user-denied", "");
	check(cred_may_kill(&a, &a), "kill.same-user", "");
	/* Target's saved uid is the sender's real one. */
	struct cred t = root();
	cred_setresuid(&t, 3000, 3000, 1000);
	check(cred_may_kill(&a, &t), "kill.target-saved", "");
	/* Sender's effective uid matches; its real one does not. */
	struct cred s = root();
	cred_setresuid(&s, 5000, 2000, 5000);
	check(cred_may_kill(&s, &b), "kill.sender-effective", "");
	/* Target's effective uid alone does not count. */
	cred_setresuid(&t, 3000, 1000, 3000);
	check(!cred_may_kill(&a, &t), "kill.target-effective-ignored", "");
}

int main(void)
{
	test_setuid();
	test_setreuid();
	test_setresuid();
	test_setfsuid();
	test_gid_family();
	test_groups();
	test_permission();
	test_kill();
	return check_exit_status();
}
