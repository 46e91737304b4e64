/* The host and domain names (see kernel/uts.h). */
#include "kernel/uts.h"
#include <string.h>

_Static_assert(sizeof(UTS_VERSION) <= __NEW_UTS_LEN + 1, "uname version fits");

static char hostname[__NEW_UTS_LEN + 1] = "bramble";
static char domainname[__NEW_UTS_LEN + 1] = "(none)";

const char *uts_hostname(void)
{
	return hostname;
}

const char *uts_domainname(void)
{
	return domainname;
}

static void set_name(char *dst, const char *name, size_t len)
{
	if (len > __NEW_UTS_LEN)
		len = __NEW_UTS_LEN;
	memcpy(dst, name, len);
	memset(dst + len, 0, __NEW_UTS_LEN + 1 - len);
}

void uts_set_hostname(const char *name, size_t len)
{
	set_name(hostname, name, len);
}

void uts_set_domainname(const char *name, size_t len)
{
	set_name(domainname, name, len);
}
