/* Terminal ioctls and struct termios (asm-generic/ioctls.h, termbits.h,
 * termios.h). */
#ifndef BRAMBLE_UAPI_TERMIOS_H
#define BRAMBLE_UAPI_TERMIOS_H
#include <stdint.h>

#define TCGETS     0x5401
#define TCSETS     0x5402
#define TCSETSW    0x5403
#define TCSETSF    0x5404
#define TIOCGPGRP  0x540F
#define TIOCSPGRP  0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414

/* c_cc indices */
#define VINTR  0
#define VQUIT  1
#define VERASE 2
#define VKILL  3
#define VEOF   4
#define VTIME  5
#define VMIN   6
#define NCCS  19

/* c_iflag, c_oflag, c_cflag, c_lflag bits */
#define ICRNL   0000400
#define IXON    0002000
#define OPOST   0000001
#define ONLCR   0000004
#define CS8     0000060
#define CREAD   0000200
#define B115200 0010002
#define ISIG    0000001
#define ICANON  0000002
#define ECHO    0000010
#define ECHOE   0000020
#define ECHOK   0000040
#define ECHOCTL 0001000
#define ECHOKE  0004000
#define IEXTEN  0100000

struct linux_termios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line, c_cc[NCCS];
};

struct linux_winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};
#endif
