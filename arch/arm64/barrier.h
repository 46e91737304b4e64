/* Barriers. dsb(ishst), dsb(ish), dmb(ish): the option is the instruction's. */
#ifndef BRAMBLE_ARM64_BARRIER_H
#define BRAMBLE_ARM64_BARRIER_H

#define isb()      __asm__ volatile("isb" : : : "memory")
#define dsb(opt)   __asm__ volatile("dsb " #opt : : : "memory")
#define dmb(opt)   __asm__ volatile("dmb " #opt : : : "memory")

#endif
