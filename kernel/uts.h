/*
 * The system's names, as uname(2) reports them: one definition for the
 * system call, /proc/version and /proc/sys/kernel (ostype, osrelease,
 * hostname, domainname). Bramble answers as the Linux whose system calls it
 * implements (6.1) and names itself in release and version.
 */
#ifndef BRAMBLE_UTS_H
#define BRAMBLE_UTS_H
#include "lib/types.h"
#include "lib/uapi/utsname.h"
#include "kernel/version.h"

#define UTS_SYSNAME "Linux"
#define UTS_RELEASE "6.1.0-bramble"
#define UTS_VERSION "#1 Bramble " BRAMBLE_VERSION " (" BRAMBLE_GIT_SHA ")"
#define UTS_MACHINE "aarch64"

/* The host and NIS domain names (NUL-terminated, at most __NEW_UTS_LEN). */
const char *uts_hostname(void);
const char *uts_domainname(void);
/* sethostname/setdomainname: len bytes (not NUL-terminated), len checked
 * by the caller to be at most __NEW_UTS_LEN. */
void uts_set_hostname(const char *name, size_t len);
void uts_set_domainname(const char *name, size_t len);
#endif
