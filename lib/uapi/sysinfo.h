/* sysinfo's structure (linux/sysinfo.h, 64-bit). */
#ifndef BRAMBLE_UAPI_SYSINFO_H
#define BRAMBLE_UAPI_SYSINFO_H
#include <stdint.h>
#define SI_LOAD_SHIFT 16

struct linux_sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	char _f[4];
};
#endif
