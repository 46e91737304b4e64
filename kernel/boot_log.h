#ifndef BRAMBLE_BOOT_LOG_H
#define BRAMBLE_BOOT_LOG_H
#include "boot/boot_info.h"
/* The Linux-like boot log of what the device tree told us. */
void log_boot_info(const struct boot_info *bi, unsigned entry_el);
#endif
