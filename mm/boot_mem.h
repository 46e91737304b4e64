#ifndef BRAMBLE_BOOT_MEM_H
#define BRAMBLE_BOOT_MEM_H
#include "boot/boot_info.h"
#include "boot/bootargs.h"
/*
 * Brings up the kernel's memory: the final page tables, the page allocator
 * over DT memory minus every reservation, and the bounded kernel heap.
 */
void boot_mem_init(const struct boot_info *bi, const struct bootargs *ba);
/* The initrd's pages join the page allocator (and the commit limit) as
 * allocated pages, the kernel's, before its files are unpacked: then a
 * page of file data can become the file's page (claimed) with no copy.
 * Without the memory to track them they stay out until released. */
void boot_mem_hold_initrd(void);
/* Claims the longest run of held initrd pages no one has claimed, from pa
 * on, of at most n: how many. They are now the claimer's (a file's), and
 * release leaves them. */
uint64_t boot_mem_claim_initrd_pages(phys_addr_t pa, uint64_t n);
/* Undoes the claim of n pages from pa that could not be used: release
 * frees them again. */
void boot_mem_unclaim_initrd_pages(phys_addr_t pa, uint64_t n);
/* Frees the initrd's pages that were not claimed (gives them all to the
 * allocator and the commit limit if they were not held) once nothing
 * reads the archive: the bytes freed. */
uint64_t boot_mem_release_initrd(void);
#endif
