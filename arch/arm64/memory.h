/*
 * The kernel's virtual address map (39-bit VAs, 4 KiB granule, 3 levels).
 * Shared by boot/start.S and C.
 *
 *   0x0000000000000000 .. 0x0000007fffffffff  user (TTBR0)
 *   0xffffff8000000000 .. 0xffffffbfffffffff  linear map of RAM: VA = PAGE_OFFSET + PA
 *   0xffffffc000000000 .. 0xffffffc03fffffff  MMIO (ioremap), page-granular
 *   0xffffffc040000000 .. 0xffffffc0403fffff  kernel stacks (kernel/kstack.c), each
 *                                             with an unmapped guard below it
 *   0xffffffffc0000000 .. 0xffffffffffffffff  kernel image (+TEXT_OFFSET) and fixmap
 */
#ifndef BRAMBLE_LAYOUT_H
#define BRAMBLE_LAYOUT_H

#define VA_BITS          39
#define PAGE_OFFSET      0xffffff8000000000
#define LINEAR_MAP_SIZE  0x0000004000000000      /* 256 GiB of physical space */
#define IOREMAP_BASE     0xffffffc000000000
#define IOREMAP_SIZE     0x0000000040000000      /* 1 GiB is plenty for a few devices */
#define KSTACK_AREA_BASE 0xffffffc040000000
#define KSTACK_AREA_SIZE 0x0000000000400000      /* 128 slots of stack + guard */
#define KIMAGE_VADDR     0xffffffffc0000000      /* 1 GiB aligned: the last L1 slot */
#define TEXT_OFFSET      0x80000                 /* arm64 Image header text_offset */

/* Fixmap: 2 MiB slots at the top of the kernel image's GiB, made by start.S. */
#define FIXMAP_EARLYCON_SLOT 508
#define FIXMAP_FDT_SLOT      510                 /* two slots: a DTB is at most 2 MiB */
#define FIXMAP_EARLYCON_VA   (KIMAGE_VADDR + FIXMAP_EARLYCON_SLOT * 0x200000)
#define FIXMAP_FDT_VA        (KIMAGE_VADDR + FIXMAP_FDT_SLOT * 0x200000)
#define FDT_MAX_SIZE         0x200000

/*
 * The console before the device tree is read (and when it cannot be):
 * a build-time default for QEMU raspi3b and the Pi 3, the mini UART.
 */
#ifndef EARLYCON_PHYS
#define EARLYCON_PHYS    0x3f215040
#endif
#ifndef EARLYCON_KIND
#define EARLYCON_KIND    UART_MINI
#endif

/* MAIR_EL1 attribute indexes. */
#define MT_DEVICE_nGnRnE 0
#define MT_DEVICE_nGnRE  1
#define MT_NORMAL        2
#define MT_NORMAL_NC     3
#define MAIR_VALUE       0x44ff0400

/*
 * Every kernel stack is 2^KSTACK_SHIFT bytes, its top aligned to twice that,
 * with the 2^KSTACK_SHIFT bytes below it unmapped: SP's bit KSTACK_SHIFT is
 * 1 on a stack and 0 in its guard, the one-instruction overflow test of the
 * EL1 exception entry (arch/arm64/vectors.S). The boot stack too.
 */
#define KSTACK_SHIFT     14
#define BOOT_STACK_SIZE  (1 << KSTACK_SHIFT)
/* Each CPU's stack for the report of an overflow (kernel/stack_overflow.c). */
#define OVERFLOW_STACK_SHIFT 13

#endif
