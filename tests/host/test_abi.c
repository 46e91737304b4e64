/*
 * Bramble's ABI against the toolchain's Linux headers: every system call
 * number of syscall/syscalls.h against asm-generic/unistd.h, every constant
 * of lib/uapi/ against the value the kernel headers give it, and the
 * layouts of the structures user programs share with the kernel. The
 * toolchain's side is generated (scripts/gen-linux-syscalls,
 * scripts/gen-linux-abi) for AArch64; ours is compiled here.
 */
#include "lib/types.h"
#include "lib/uapi/auxvec.h"
#include "lib/uapi/errno.h"
#include "lib/uapi/fcntl.h"
#include "lib/uapi/futex.h"
#include "lib/uapi/mman.h"
#include "lib/uapi/poll.h"
#include "lib/uapi/prctl.h"
#include "lib/uapi/resource.h"
#include "lib/uapi/sched.h"
#include "lib/uapi/signal.h"
#include "lib/uapi/stat.h"
#include "lib/uapi/sysinfo.h"
#include "lib/uapi/termios.h"
#include "lib/uapi/time.h"
#include "lib/uapi/utsname.h"
#include "lib/uapi/wait.h"
#include "tests/host/check.h"
#include <string.h>

struct nr {
	const char *name;
	long nr;
};

static const struct nr linux_nrs[] = {
#define LINUX_NR(nr, name) { #name, nr },
#include "linux_syscalls.h"
#undef LINUX_NR
};

#define SYSCALL_ENTRY(nr, name) { #name, nr },
static const struct nr ours[] = {
#include "syscall/syscalls.h"
};

static void check_syscalls(void)
{
	char name[96];

	check(ARRAY_SIZE(linux_nrs) > 250, "abi.nr.linux-list",
	      "only %zu names from asm-generic/unistd.h", ARRAY_SIZE(linux_nrs));
	for (size_t i = 0; i < ARRAY_SIZE(ours); i++) {
		long want = -1;
		for (size_t k = 0; k < ARRAY_SIZE(linux_nrs); k++)
			if (strcmp(linux_nrs[k].name, ours[i].name) == 0)
				want = linux_nrs[k].nr;
		snprintf(name, sizeof(name), "abi.nr.%s", ours[i].name);
		if (want < 0)
			check(0, name, "no __NR_%s in asm-generic/unistd.h", ours[i].name);
		else
			check(ours[i].nr == want, name, "ours is %ld, __NR_%s is %ld", ours[i].nr,
			      ours[i].name, want);
	}
}

static void check_const(const char *what, unsigned long long ours_v, unsigned long long linux_v)
{
	char name[96];

	snprintf(name, sizeof(name), "abi.const.%s", what);
	check(ours_v == linux_v, name, "ours is %lld (%#llx), Linux's is %lld (%#llx)",
	      (long long)ours_v, ours_v, (long long)linux_v, linux_v);
}

static __attribute__((unused)) void check_missing(const char *what)
{
	char name[96];

	snprintf(name, sizeof(name), "abi.const.%s", what);
	check(0, name, "the toolchain's kernel headers do not define it");
}

static void check_struct(const char *ours_s, const char *field, size_t o_off, size_t o_size,
			 size_t l_off, size_t l_size)
{
	char name[128];

	snprintf(name, sizeof(name), "abi.struct.%s.%s", ours_s, field);
	check(o_off == l_off && o_size == l_size, name,
	      "ours at %zu, %zu bytes; Linux's at %zu, %zu bytes", o_off, o_size, l_off, l_size);
}

#define LINUX_CONST(n, v) check_const(#n, (unsigned long long)(n), (unsigned long long)(v##LL));
#define LINUX_MISSING(n) check_missing(#n);
#define LINUX_STRUCT(o, l, size) check_struct(#o, "size", 0, sizeof(struct o), 0, size);
#define LINUX_FIELD(o, l, f, off, size) \
	check_struct(#o, #f, offsetof(struct o, f), sizeof(((struct o *)0)->f), off, size);

int main(void)
{
	check_syscalls();
#include "linux_abi.h"
	return check_exit_status();
}
