/* The console line discipline, Linux's canonical mode in miniature. */
#include "fs/console.h"
#include "kernel/console.h"
#include "kernel/proc.h"
#include "lib/uapi/errno.h"
#include <string.h>

#define LINE_MAX 256

static char line[LINE_MAX];
static size_t line_len, line_ready, line_pos;
static int eof_pending;

static void erase_char(void)
{
	if (line_len) {
		line_len--;
		console_write("\b \b", 3);
	}
}

/* Takes one byte from the UART into the line; true when a line is ready. */
static int take_byte(int c)
{
	if (c == '\r' || c == '\n') {
		line[line_len++] = '\n';
		console_putc('\n');
		return 1;
	}
	if (c == 0x7f || c == '\b') {
		erase_char();
		return 0;
	}
	if (c == 0x04) {          /* Ctrl-D: end of file on an empty line */
		if (!line_len)
			eof_pending = 1;
		return 1;
	}
	if (line_len < LINE_MAX - 1 && c >= ' ') {
		line[line_len++] = (char)c;
		console_putc((char)c);
	}
	return 0;
}

bool console_input_ready(void)
{
	int c;

	while (!line_ready && !eof_pending && (c = console_getc()) >= 0)
		if (take_byte(c)) {
			line_ready = line_len;
			line_pos = 0;
		}
	return line_ready || eof_pending;
}

long console_read_line(char *buf, size_t n)
{
	while (!line_ready && !eof_pending) {
		int c = console_getc();
		if (c < 0) {
			long err = console_wait_input();
			if (err)
				return err;
			continue;
		}
		if (take_byte(c)) {
			line_ready = line_len;
			line_pos = 0;
		}
	}
	if (eof_pending && !line_ready) {
		eof_pending = 0;
		return 0;
	}
	size_t k = line_ready - line_pos < n ? line_ready - line_pos : n;
	memcpy(buf, line + line_pos, k);
	line_pos += k;
	if (line_pos == line_ready)
		line_ready = line_len = 0;
	return (long)k;
}
