/* Host tests of the command-line parser (boot/bootargs.c). */
#include "boot/bootargs.h"
#include "tests/host/check.h"
#include <string.h>
#include <stdint.h>

static void test_defaults(void)
{
	struct bootargs ba;

	bootargs_parse("", &ba);
	check(ba.kheap_size == KHEAP_DEFAULT_SIZE, "bootargs.default-kheap", "%lu", (unsigned long)ba.kheap_size);
	check(!ba.exit_semihosting, "bootargs.default-no-semihosting", "set");
	check(strcmp(ba.init, "/bin/init") == 0, "bootargs.default-init", "%s", ba.init);
	check(ba.init_argc == 0 && !ba.bad[0], "bootargs.default-empty", "argc %d bad '%s'", ba.init_argc, ba.bad);
	bootargs_parse(NULL, &ba);
	check(ba.kheap_size == KHEAP_DEFAULT_SIZE, "bootargs.null-cmdline", "not defaulted");
}

static void test_all_keys(void)
{
	struct bootargs ba;

	bootargs_parse("  console=ttyAMA0,115200 exit=semihosting kheap=64K mem=128M test=kheap-exhaust "
		       "fail_alloc=17 init=/bin/oom unknown=1 -- /bin/a -x  b ", &ba);
	check(strcmp(ba.console, "ttyAMA0") == 0, "bootargs.console-strips-options", "'%s'", ba.console);
	check(ba.exit_semihosting, "bootargs.exit-semihosting", "not set");
	check(ba.kheap_size == 65536, "bootargs.kheap-64K", "%lu", (unsigned long)ba.kheap_size);
	check(ba.mem_limit == 128ULL << 20, "bootargs.mem-128M", "%lu", (unsigned long)ba.mem_limit);
	check(strcmp(ba.test, "kheap-exhaust") == 0, "bootargs.test", "'%s'", ba.test);
	check(ba.fail_alloc == 17, "bootargs.fail-alloc", "%lu", (unsigned long)ba.fail_alloc);
	check(strcmp(ba.init, "/bin/oom") == 0, "bootargs.init", "'%s'", ba.init);
	check(ba.init_argc == 3 && strcmp(ba.init_argv[0], "/bin/a") == 0 &&
	      strcmp(ba.init_argv[1], "-x") == 0 && strcmp(ba.init_argv[2], "b") == 0,
	      "bootargs.init-args-after-dashes", "argc %d", ba.init_argc);
	check(!ba.bad[0], "bootargs.no-bad", "'%s'", ba.bad);
}

static void test_bad_values(void)
{
	struct bootargs ba;

	bootargs_parse("kheap=lots", &ba);
	check(ba.kheap_size == KHEAP_DEFAULT_SIZE && strcmp(ba.bad, "kheap=lots") == 0,
	      "bootargs.bad-kheap-kept-default", "%lu '%s'", (unsigned long)ba.kheap_size, ba.bad);
	bootargs_parse("kheap=0", &ba);
	check(ba.kheap_size == KHEAP_DEFAULT_SIZE && ba.bad[0], "bootargs.zero-kheap-rejected", "%lu", (unsigned long)ba.kheap_size);
	bootargs_parse("mem=99999999999999999999G", &ba);
	check(ba.mem_limit == 0 && ba.bad[0], "bootargs.mem-overflow-rejected", "%lu", (unsigned long)ba.mem_limit);
	bootargs_parse("fail_alloc=12x exit=maybe", &ba);
	check(ba.fail_alloc == 0 && strcmp(ba.bad, "fail_alloc=12x") == 0 && !ba.exit_semihosting,
	      "bootargs.bad-fail-alloc-and-exit", "'%s'", ba.bad);
	char longarg[400];
	memset(longarg, 'a', sizeof(longarg) - 1);
	memcpy(longarg, "init=", 5);
	longarg[sizeof(longarg) - 1] = 0;
	bootargs_parse(longarg, &ba);
	check(strlen(ba.init) == sizeof(ba.init) - 1, "bootargs.long-value-truncated", "%zu", strlen(ba.init));
}

static void test_quotes(void)
{
	struct bootargs ba;

	bootargs_parse("init=\"/bin/init\" -- \"/bin/cat /hello.txt\" /bin/oom \"a\"b", &ba);
	check(strcmp(ba.init, "/bin/init") == 0, "bootargs.quoted-value", "'%s'", ba.init);
	check(ba.init_argc == 3 && strcmp(ba.init_argv[0], "/bin/cat /hello.txt") == 0 &&
	      strcmp(ba.init_argv[1], "/bin/oom") == 0 && strcmp(ba.init_argv[2], "ab") == 0,
	      "bootargs.quoted-init-arg-keeps-spaces", "argc %d '%s'", ba.init_argc, ba.init_argv[0]);
	char cmd[600] = "-- \"";
	memset(cmd + 4, 'x', 300);
	strcat(cmd, "\" short");
	bootargs_parse(cmd, &ba);
	check(ba.init_argc == 2 && strlen(ba.init_argv[0]) == BOOTARGS_ARG_LEN - 1 && ba.bad[0] &&
	      strcmp(ba.init_argv[1], "short") == 0, "bootargs.long-init-arg-noted",
	      "argc %d len %zu bad '%.10s'", ba.init_argc, strlen(ba.init_argv[0]), ba.bad);
	bootargs_parse("-- \"a long script that is longer than sixty-four characters, surely; exit 5\"", &ba);
	check(ba.init_argc == 1 && strstr(ba.init_argv[0], "exit 5") && !ba.bad[0],
	      "bootargs.init-arg-over-64-chars", "'%s'", ba.init_argv[0]);
	bootargs_parse("console=\"ttyAMA0", &ba);
	check(strcmp(ba.console, "ttyAMA0") == 0, "bootargs.unterminated-quote", "'%s'", ba.console);
}

static void test_cpus(void)
{
	struct bootargs ba;

	bootargs_parse("", &ba);
	check(ba.max_cpus == BOOTARGS_ALL_CPUS, "bootargs.cpus-default-all", "%d", ba.max_cpus);
	bootargs_parse("maxcpus=2", &ba);
	check(ba.max_cpus == 2 && !ba.bad[0], "bootargs.maxcpus-2", "%d", ba.max_cpus);
	bootargs_parse("maxcpus=0", &ba);
	check(ba.max_cpus == 1, "bootargs.maxcpus-0-boot-cpu-only", "%d", ba.max_cpus);
	bootargs_parse("nosmp", &ba);
	check(ba.max_cpus == 1, "bootargs.nosmp", "%d", ba.max_cpus);
	bootargs_parse("maxcpus=two", &ba);
	check(ba.max_cpus == BOOTARGS_ALL_CPUS && strcmp(ba.bad, "maxcpus=two") == 0,
	      "bootargs.maxcpus-junk", "%d bad '%s'", ba.max_cpus, ba.bad);
	bootargs_parse("nosmp kheap=0", &ba);
	check(ba.max_cpus == 1, "bootargs.nosmp-survives-bad-kheap", "%d", ba.max_cpus);
	bootargs_parse("-- nosmp", &ba);
	check(ba.max_cpus == BOOTARGS_ALL_CPUS, "bootargs.nosmp-after-dashes-is-init's", "%d", ba.max_cpus);
}

static void test_parse_size(void)
{
	uint64_t v = 0;

	check(parse_size("4096", &v) == 0 && v == 4096, "size.plain", "%lu", (unsigned long)v);
	check(parse_size("8M", &v) == 0 && v == 8 << 20, "size.M", "%lu", (unsigned long)v);
	check(parse_size("2g", &v) == 0 && v == 2ULL << 30, "size.g", "%lu", (unsigned long)v);
	check(parse_size("0x1000", &v) == 0 && v == 4096, "size.hex", "%lu", (unsigned long)v);
	check(parse_size("17179869184G", &v) == -1, "size.overflow", "accepted");
	check(parse_size("", &v) == -1 && parse_size("K", &v) == -1 && parse_size("12Q", &v) == -1 &&
	      parse_size("-1", &v) == -1, "size.junk", "accepted");
}

int main(void)
{
	test_defaults();
	test_all_keys();
	test_bad_values();
	test_parse_size();
	test_quotes();
	test_cpus();
	return check_exit_status();
}
