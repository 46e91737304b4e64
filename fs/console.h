#ifndef BRAMBLE_FS_CONSOLE_H
#define BRAMBLE_FS_CONSOLE_H
#include <stddef.h>
#include <stdbool.h>
/* /dev/console: reads are line-buffered with echo and backspace editing;
 * a read blocks (yielding the CPU) until a line is complete. Ctrl-D on an
 * empty line is end of file. Returns bytes copied into buf. */
long console_read_line(char *buf, size_t n);
/* The poll hook: takes any bytes the UART holds into the line, without
 * blocking; true when a read would not block (a line or end of file is
 * ready). Pollers wait on console_input_queue() (kernel/console.h). */
bool console_input_ready(void);
/* Writes go straight to the UART: console_write() in kernel/console.h. */
#endif
