/*
 * cat [FILE...]: copies each FILE (or standard input, for none or "-") to
 * standard output through a 4 KiB buffer. On an error it prints
 * "cat: FILE: <strerror>", goes on with the next file and exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[4096];

static void complain(const char *name, int err)
{
	fprintf(stderr, "cat: %s: %s\n", name, strerror(err));
	fflush(stderr);
}

/* Returns 0, or -1 after printing the error. */
static int copy(int fd, const char *name)
{
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			complain(name, errno);
			return -1;
		}
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(STDOUT_FILENO, buf + done, (size_t)(n - done));
			if (w < 0) {
				if (errno == EINTR)
					continue;
				complain("write error", errno);
				return -1;
			}
			done += w;
		}
	}
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2)
		return copy(STDIN_FILENO, "-") ? 1 : 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			if (copy(STDIN_FILENO, "-"))
				status = 1;
			continue;
		}
		int fd = open(argv[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			complain(argv[i], errno);
			status = 1;
			continue;
		}
		if (copy(fd, argv[i]))
			status = 1;
		close(fd);
	}
	return status;
}
