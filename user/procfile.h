/*
 * procfile.h: reading a /proc file whole into a caller's buffer (no malloc:
 * a program measuring the commit charge must not move it), and finding a
 * "Key: value" figure in its text. For user programs and tests alike.
 */
#ifndef BRAMBLE_USER_PROCFILE_H
#define BRAMBLE_USER_PROCFILE_H
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* path's text, NUL-terminated, into buf: its length, or -1. */
static __attribute__((unused)) long proc_read(const char *path, char *buf, size_t size)
{
	long n = 0, r = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || size == 0)
		return -1;
	while ((size_t)n < size - 1 && (r = read(fd, buf + n, size - 1 - (size_t)n)) > 0)
		n += r;
	close(fd);
	buf[n] = 0;
	return r < 0 ? -1 : n;
}

/* The number after "key:" at the start of a line of text, or -1. */
static __attribute__((unused)) long proc_figure(const char *text, const char *key)
{
	size_t n = strlen(key);

	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, key, n) && l[n] == ':')
			return strtol(l + n + 1, NULL, 10);
	return -1;
}
#endif
