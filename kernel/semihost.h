/* Arm semihosting, used only to end a QEMU run with a status. */
#ifndef BRAMBLE_SEMIHOST_H
#define BRAMBLE_SEMIHOST_H
/* Never call this unless the user asked for it (exit=semihosting): without
 * -semihosting, QEMU treats HLT #0xf000 as a hang. */
void semihost_exit(int status) __attribute__((noreturn));
#endif
