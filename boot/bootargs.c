/* Command-line parsing. Pure code: host-tested in tests/host/test_bootargs.c. */
#include "boot/bootargs.h"
#include <string.h>
#include <stdlib.h>

/* Bounded copy of n bytes of src; always terminated. */
static void copy_str(char *dst, size_t size, const char *src, size_t n)
{
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int parse_size(const char *s, uint64_t *out)
{
	char *end;
	uint64_t v, mul = 1;

	if (!s || *s < '0' || *s > '9')
		return -1;
	v = strtoul(s, &end, 0);
	if (v == ~0UL)
		return -1;
	switch (*end) {
	case 'k': case 'K': mul = 1ULL << 10; end++; break;
	case 'm': case 'M': mul = 1ULL << 20; end++; break;
	case 'g': case 'G': mul = 1ULL << 30; end++; break;
	default: break;
	}
	if (*end != '\0')
		return -1;
	if (v > UINT64_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

static void note_bad(struct bootargs *ba, const char *tok, size_t n)
{
	if (!ba->bad[0])
		copy_str(ba->bad, sizeof(ba->bad), tok, n);
}

/* One key=value token; unknown keys are left for init, as Linux does. */
static void parse_token(struct bootargs *ba, const char *tok, size_t n)
{
	char val[64];
	const char *eq = memchr(tok, '=', n);
	size_t klen;

	if (!eq) {
		if (n == 5 && memcmp(tok, "nosmp", 5) == 0)
			ba->max_cpus = 1;   /* Linux: the boot CPU alone */
		return;
	}
	klen = eq - tok;
	copy_str(val, sizeof(val), eq + 1, n - klen - 1);
#define KEY(k) (klen == sizeof(k) - 1 && memcmp(tok, k, klen) == 0)
	if (KEY("console")) {
		char *comma = strchr(val, ',');   /* console=ttyAMA0,115200 */
		if (comma)
			*comma = '\0';
		copy_str(ba->console, sizeof(ba->console), val, strlen(val));
	} else if (KEY("exit")) {
		if (strcmp(val, "semihosting") == 0)
			ba->exit_semihosting = true;
		else
			note_bad(ba, tok, n);
	} else if (KEY("kheap")) {
		if (parse_size(val, &ba->kheap_size) < 0 || ba->kheap_size == 0) {
			ba->kheap_size = KHEAP_DEFAULT_SIZE;
			note_bad(ba, tok, n);
		}
	} else if (KEY("mem")) {
		if (parse_size(val, &ba->mem_limit) < 0)
			note_bad(ba, tok, n);
	} else if (KEY("test")) {
		copy_str(ba->test, sizeof(ba->test), val, strlen(val));
	} else if (KEY("fail_alloc")) {
		char *end;
		ba->fail_alloc = strtoul(val, &end, 10);
		if (*end || end == val) {
			ba->fail_alloc = 0;
			note_bad(ba, tok, n);
		}
	} else if (KEY("vm_check")) {
		if (strcmp(val, "on") == 0 || strcmp(val, "off") == 0)
			ba->vm_check = val[1] == 'n';
		else
			note_bad(ba, tok, n);
	} else if (KEY("maxcpus")) {
		/* Linux: at most N CPUs in all; 0 also means the boot CPU alone. */
		char *end;
		unsigned long v = strtoul(val, &end, 10);
		if (*end || end == val || v > 1024)
			note_bad(ba, tok, n);
		else
			ba->max_cpus = v ? (int)v : 1;
	} else if (KEY("init")) {
		copy_str(ba->init, sizeof(ba->init), val, strlen(val));
	}
#undef KEY
}

/* The length of the token at p: spaces inside double quotes do not end it. */
static size_t token_length(const char *p)
{
	size_t n = 0;
	bool quoted = false;

	for (; p[n] && (quoted || (p[n] != ' ' && p[n] != '\t' && p[n] != '\n')); n++)
		if (p[n] == '"')
			quoted = !quoted;
	return n;
}

/* Copies a token without its quote characters, as Linux's next_arg does.
 * Returns the full unquoted length, which may exceed what fitted. */
static size_t unquote(char *dst, size_t size, const char *src, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (src[i] == '"')
			continue;
		if (k + 1 < size)
			dst[k] = src[i];
		k++;
	}
	dst[k < size ? k : size - 1] = '\0';
	return k;
}

void bootargs_parse(const char *cmdline, struct bootargs *ba)
{
	const char *p = cmdline ? cmdline : "";
	bool after_dashes = false;
	char tok[BOOTARGS_ARG_LEN];

	memset(ba, 0, sizeof(*ba));
	ba->kheap_size = KHEAP_DEFAULT_SIZE;
	ba->max_cpus = BOOTARGS_ALL_CPUS;
	copy_str(ba->init, sizeof(ba->init), "/bin/init", 9);

	while (*p) {
		size_t n;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		n = token_length(p);
		if (!n)
			break;
		size_t len = unquote(tok, sizeof(tok), p, n);
		if (len >= sizeof(tok)) {
			note_bad(ba, p, n);        /* cut short: say so */
			len = sizeof(tok) - 1;
		}
		if (after_dashes) {
			if (ba->init_argc < BOOTARGS_MAX_INIT_ARGS)
				copy_str(ba->init_argv[ba->init_argc++],
					 sizeof(ba->init_argv[0]), tok, len);
		} else if (n == 2 && p[0] == '-' && p[1] == '-') {
			after_dashes = true;
		} else {
			parse_token(ba, tok, len);
		}
		p += n;
	}
}
