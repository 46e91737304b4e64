/*
 * The "#!" line, step for step as Linux 6.1's load_script: the buffer is
 * the file's first BINPRM_BUF_SIZE bytes, NUL-padded when the file is
 * shorter. Without a newline in it, a line is accepted only if a space,
 * tab or NUL follows the interpreter's name (the name is complete; the
 * argument may be cut: the interpreter rereads the script), and then the
 * buffer's last byte is dropped, as Linux's i_end = buf_end does.
 */
#include "kernel/binfmt_script.h"
#include "lib/uapi/errno.h"
#include <string.h>

static bool spacetab(char c)
{
	return c == ' ' || c == '\t';
}

/* The first byte of [first, last] that is not a space or tab, or NULL. */
static const char *next_non_spacetab(const char *first, const char *last)
{
	for (; first <= last; first++)
		if (!spacetab(*first))
			return first;
	return NULL;
}

/* The first space, tab or NUL of [first, last], or NULL. */
static const char *next_terminator(const char *first, const char *last)
{
	for (; first <= last; first++)
		if (spacetab(*first) || !*first)
			return first;
	return NULL;
}

/* Linux's strnchr: the first c in s before a NUL or n bytes, or NULL. */
static const char *find_newline(const char *s, size_t n)
{
	for (; n-- && *s; s++)
		if (*s == '\n')
			return s;
	return NULL;
}

/* Copies [from, to) into dst (BINPRM_BUF_SIZE bytes), up to a NUL, as
 * Linux's copy_string_kernel takes the C string. */
static void copy_until(char *dst, const char *from, const char *to)
{
	size_t n = 0;

	while (from + n < to && from[n] && n < BINPRM_BUF_SIZE - 1)
		n++;
	memcpy(dst, from, n);
	dst[n] = 0;
}

bool script_is_script(const char *buf, size_t len)
{
	return len >= 2 && buf[0] == '#' && buf[1] == '!';
}

/* Where the line ends (exclusive, trailing spaces and tabs trimmed), or NULL
 * if the interpreter's name may be cut off by the buffer's end. */
static const char *line_end(const char *buf)
{
	const char *buf_end = buf + (BINPRM_BUF_SIZE - 1);
	const char *end = find_newline(buf, BINPRM_BUF_SIZE);

	if (!end) {
		end = next_non_spacetab(buf + 2, buf_end);
		if (!end || !next_terminator(end, buf_end))
			return NULL;
		end = buf_end;
	}
	while (spacetab(end[-1]))   /* buf[1] is '!': this stops */
		end--;
	return end;
}

int script_parse(const char *file, size_t len, struct script_interp *out)
{
	char buf[BINPRM_BUF_SIZE] = { 0 };

	if (len > BINPRM_BUF_SIZE)
		len = BINPRM_BUF_SIZE;
	memcpy(buf, file, len);
	if (!script_is_script(buf, len))
		return -ENOEXEC;
	const char *end = line_end(buf);
	if (!end)
		return -ENOEXEC;
	const char *name = next_non_spacetab(buf + 2, end);
	if (!name || name == end)
		return -ENOEXEC;   /* no interpreter */
	const char *sep = next_terminator(name, end);
	const char *arg = sep && *sep ? next_non_spacetab(sep, end) : NULL;
	copy_until(out->interp, name, sep && sep < end ? sep : end);
	out->has_arg = arg != NULL && arg < end;
	copy_until(out->arg, out->has_arg ? arg : end, end);
	return 0;
}
