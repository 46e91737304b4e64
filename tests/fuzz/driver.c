/*
 * The plain main for the fuzz harnesses (tests/fuzz/fuzz_*.c) when built
 * without libFuzzer: make test runs each harness once over every file of
 * its seed corpus and of its crash regressions, with the same
 * LLVMFuzzerTestOneInput the fuzzer calls. A harness reports a broken
 * invariant by aborting, so a crash, a sanitizer report or an abort fails
 * the run; otherwise it prints one PASS line per directory.
 *
 * usage: fuzz_NAME [ignored]   (the directories are compiled in:
 *        FUZZ_NAME, and tests/fuzz/{seeds,regressions}/FUZZ_NAME)
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/host/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads path whole into an exact-size malloc'd buffer (so ASan sees any
 * read past its end); NULL if it cannot. */
static uint8_t *read_whole(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc(n ? (size_t)n : 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
		*size = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* Feeds every regular file of dir to the harness; the count, or -1. */
static int run_dir(const char *dir, int *bad)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char path[4096];
		size_t size;
		uint8_t *buf;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (!(buf = read_whole(path, &size))) {
			fprintf(stderr, "cannot read %s\n", path);
			(*bad)++;
			continue;
		}
		LLVMFuzzerTestOneInput(buf, size);
		free(buf);
		n++;
	}
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	static const char *const kinds[] = { "seeds", "regressions" };

	(void)argc;
	(void)argv;
	for (int k = 0; k < 2; k++) {
		char dir[256], name[128];
		int bad = 0, n;

		snprintf(dir, sizeof(dir), "tests/fuzz/%s/%s", kinds[k], FUZZ_NAME);
		snprintf(name, sizeof(name), "host.fuzz_%s.%s", FUZZ_NAME, kinds[k]);
		n = run_dir(dir, &bad);
		if (n < 0 && k == 1)
			n = 0;          /* no regressions yet: git keeps no empty folder */
		/* Seeds must exist; a target may have no regressions yet. */
		check(n >= (k == 0) && !bad, name, "%s: %d inputs, %d unreadable", dir, n, bad);
	}
	return check_exit_status();
}
