#ifndef BRAMBLE_BOOT_MEM_H
#define BRAMBLE_BOOT_MEM_H
#include "boot/boot_info.h"
#include "boot/bootargs.h"
/*
 * Brings up the kernel's memory: the final page tables, the page allocator
 * over DT memory minus every reservation, and the bounded kernel heap.
 */
void boot_mem_init(const struct boot_info *bi, const struct bootargs *ba);
/* Gives the initrd's pages to the page allocator (and the commit limit)
 * once nothing reads it: the bytes released. */
uint64_t boot_mem_release_initrd(void);
#endif
