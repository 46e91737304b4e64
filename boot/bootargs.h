/*
 * The kernel command line (/chosen bootargs), Linux-style:
 *   console=ttyAMA0|ttyS1   the console UART (overrides stdout-path)
 *   exit=semihosting        end QEMU through semihosting when done or on panic
 *   kheap=SIZE              kernel heap size (K, M, G suffixes)
 *   mem=SIZE                use at most SIZE bytes of RAM
 *   test=NAME               run a built-in kernel test (see kernel/ktest.c)
 *   fail_alloc=N            make the N-th fallible kernel allocation fail
 *   vm_check=on|off         check every address space's invariants after
 *                           each system call and fault (mm/vm.h vm_check)
 *   maxcpus=N               bring up at most N CPUs, the boot CPU included
 *                           (0: the boot CPU alone, as Linux)
 *   nosmp                   the boot CPU alone
 *   init=PATH               the first user program
 *   -- ARGS...              arguments passed on to init (/bin/init: none, the
 *                           shell; "tests", every program of /bin/tests)
 */
#ifndef BRAMBLE_BOOTARGS_H
#define BRAMBLE_BOOTARGS_H
#include "lib/types.h"

#define BOOTARGS_MAX_INIT_ARGS 16
#define BOOTARGS_ARG_LEN 256     /* one argument for init, with its NUL */
#define KHEAP_DEFAULT_SIZE (1024 * 1024)
#define BOOTARGS_ALL_CPUS 1024

struct bootargs {
	char console[16];
	bool exit_semihosting;
	uint64_t kheap_size;
	uint64_t mem_limit;          /* 0: no limit */
	char test[32];
	uint64_t fail_alloc;         /* 0: off */
	bool vm_check;
	int max_cpus;                /* BOOTARGS_ALL_CPUS unless maxcpus= or nosmp */
	char init[64];
	int init_argc;
	char init_argv[BOOTARGS_MAX_INIT_ARGS][BOOTARGS_ARG_LEN];
	char bad[64];                /* the first value we could not use, or "" */
};

/* Fills *ba from a command line; never fails (bad values are noted in ba->bad
 * and their defaults kept). */
void bootargs_parse(const char *cmdline, struct bootargs *ba);

/* "64K" -> 65536. Returns 0 on success, -1 on junk or overflow. */
int parse_size(const char *s, uint64_t *out);
#endif
