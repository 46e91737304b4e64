/* uname's structure (linux/utsname.h). */
#ifndef BRAMBLE_UAPI_UTSNAME_H
#define BRAMBLE_UAPI_UTSNAME_H
#define __NEW_UTS_LEN 64

struct linux_utsname {           /* struct new_utsname */
	char sysname[__NEW_UTS_LEN + 1];
	char nodename[__NEW_UTS_LEN + 1];
	char release[__NEW_UTS_LEN + 1];
	char version[__NEW_UTS_LEN + 1];
	char machine[__NEW_UTS_LEN + 1];
	char domainname[__NEW_UTS_LEN + 1];
};
#endif
