/*
 * Bramble's entry: the arm64 Linux Image header, then the boot CPU goes
 * EL3/EL2 -> EL1, builds the early page tables, turns the MMU on and jumps to
 * the kernel's link address in the high half. Everything before the jump is
 * position-independent (adr/adrp only): the image may be loaded at any
 * 2 MiB-aligned base + TEXT_OFFSET (the Pi loads at 0x80000, QEMU virt at
 * 0x40080000).
 *
 * Registers kept across the early code:
 *   x19  DTB physical address (x0 at entry)
 *   x20  exception level at entry
 *   x21  physical base of the image (load address - TEXT_OFFSET)
 */
#include "arch/arm64/memory.h"
#include "arch/arm64/pgtable-prot.h"
#include "arch/arm64/pstate.h"
#include "arch/arm64/sysreg.h"
#include "asm-offsets.h"		// SECONDARY_*

#define SPSR_EL1H_MASKED (PSR_MODE_EL1h | PSR_DAIF_MASK)
#define SPSR_EL2H_MASKED (PSR_MODE_EL2h | PSR_DAIF_MASK)

/* TCR_EL1: 39-bit VAs both halves, 4 KiB granules, WBWA inner shareable
 * walks, 16-bit ASIDs; IPS is filled in from the CPU. */
#define TCR_VALUE       (TCR_T0SZ(VA_BITS) | TCR_T1SZ(VA_BITS) | \
			 TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER | \
			 TCR_IRGN1_WBWA | TCR_ORGN1_WBWA | TCR_SH1_INNER | \
			 TCR_TG1_4K | TCR_ASID16)

/* Block descriptors (level 2, 2 MiB). */
#define BLOCK_NORMAL     (PTE_BLOCK | PROT_NORMAL)
#define BLOCK_DEVICE     (PTE_BLOCK | PROT_DEVICE_nGnRE)

	.section .head.text, "ax"
	.global _head
_head:
	b	primary_entry			// code0
	.long	0				// code1
	.quad	TEXT_OFFSET			// text_offset
	.quad	_kernel_size			// image_size, BSS included
	.quad	0xa				// flags: LE, 4 KiB pages, anywhere
	.quad	0				// res2
	.quad	0				// res3
	.quad	0				// res4
	.ascii	"ARM\x64"			// magic
	.long	0				// res5

	.text
primary_entry:
	mov	x19, x0
	mrs	x0, mpidr_el1
	ldr	x1, =MPIDR_HWID_MASK		// Aff3..Aff0
	and	x0, x0, x1
	cbnz	x0, secondary_park

	mrs	x20, CurrentEL
	lsr	x20, x20, #2
	bl	drop_to_el1
	bl	el1_setup

	adrp	x21, _head
	sub	x21, x21, #TEXT_OFFSET		// image physical base
	tst	x21, #(L2_SIZE - 1)
	b.ne	bad_load_address

	bl	clear_early_tables
	bl	map_identity
	bl	map_kernel_image
	bl	map_fixmap
	bl	invalidate_early_tables
	adrp	x23, swapper_l1
	bl	enable_mmu

	ldr	x0, =high_entry
	br	x0

/* The loader broke the text_offset contract: nothing sane to do. */
bad_load_address:
	wfe
	b	bad_load_address

/*
 * Leaves EL3 or EL2 for EL1, as every CPU must (the boot CPU, and each
 * secondary on its way up), and returns there (x30). Clobbers x0, x1.
 */
drop_to_el1:
	mrs	x0, CurrentEL
	lsr	x0, x0, #2
	cmp	x0, #3
	b.eq	1f
	cmp	x0, #2
	b.eq	2f
	ret
/* EL3 (a bare Pi without an armstub): to EL2 non-secure, AArch64. */
1:	mov	x0, #SCR_EL3_VALUE
	msr	scr_el3, x0
	mov	x0, #CPTR_ELx_NO_FP_TRAP	// no FP/SIMD traps at EL3
	msr	cptr_el3, x0
	mov	x0, #SPSR_EL2H_MASKED
	msr	spsr_el3, x0
	adr	x0, 2f
	msr	elr_el3, x0
	eret
/* EL2 (QEMU raspi3b and virt, the Pi firmware, U-Boot): hand the machine to EL1. */
2:	mov	x0, #HCR_EL2_RW
	msr	hcr_el2, x0
	mov	x0, #CPTR_ELx_NO_FP_TRAP	// CPTR_EL2: no FP/SIMD traps
	msr	cptr_el2, x0
	msr	hstr_el2, xzr
	mrs	x0, cnthctl_el2
	orr	x0, x0, #(CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN)
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	mrs	x0, midr_el1
	msr	vpidr_el2, x0
	mrs	x0, mpidr_el1
	msr	vmpidr_el2, x0
	ldr	x0, =SCTLR_EL1_RES1
	msr	sctlr_el1, x0
	mov	x0, #SPSR_EL1H_MASKED
	msr	spsr_el2, x0
	msr	elr_el2, x30
	eret

/* EL1 as the kernel wants it before the MMU: caches off, FP on, EL0's counter. */
el1_setup:
	ldr	x0, =SCTLR_EL1_RES1		// MMU and caches off while we build tables
	msr	sctlr_el1, x0
	isb
	mov	x0, #CPACR_EL1_FPEN		// FP/SIMD at EL0 and EL1
	msr	cpacr_el1, x0
	mov	x0, #CNTKCTL_EL1_VALUE		// EL0 reads CNTVCT, as on Linux; event stream
	msr	cntkctl_el1, x0
	isb
	ret

/* Zeroes the early page tables (they are in .pgdir, outside BSS). */
clear_early_tables:
	adrp	x0, __pgdir_start
	adrp	x1, __pgdir_end
1:	stp	xzr, xzr, [x0], #16
	cmp	x0, x1
	b.lo	1b
	ret

/*
 * Identity map of the image's 2 MiB blocks (TTBR0), only so the instructions
 * that turn the MMU on keep running. x21 = image base.
 */
map_identity:
	adrp	x0, idmap_l1
	adrp	x1, idmap_l2
	lsr	x2, x21, #L1_SHIFT
	orr	x3, x1, #PTE_TABLE
	str	x3, [x0, x2, lsl #3]
	mov	x5, x21				// block physical address
	adrp	x6, _end
1:	lsr	x2, x5, #L2_SHIFT
	and	x2, x2, #(PTRS_PER_TABLE - 1)
	ldr	x3, =BLOCK_NORMAL
	orr	x3, x3, x5
	str	x3, [x1, x2, lsl #3]
	add	x5, x5, #L2_SIZE
	cmp	x5, x6
	b.lo	1b
	ret

/* KIMAGE_VADDR + n * 2 MiB -> x21 + n * 2 MiB, for the whole image (TTBR1). */
map_kernel_image:
	adrp	x0, swapper_l1
	adrp	x1, kimage_l2
	orr	x3, x1, #PTE_TABLE
	str	x3, [x0, #((PTRS_PER_TABLE - 1) * 8)]	// KIMAGE_VADDR's L1 slot
	mov	x5, x21
	adrp	x6, _end
	mov	x2, #0
1:	ldr	x3, =BLOCK_NORMAL
	orr	x3, x3, x5
	str	x3, [x1, x2, lsl #3]
	add	x2, x2, #1
	add	x5, x5, #L2_SIZE
	cmp	x5, x6
	b.lo	1b
	ret

/*
 * Fixmap slots in the same L2 table: the early console's 2 MiB (Device) and
 * the two 2 MiB blocks that hold the DTB (a DTB is at most 2 MiB).
 */
map_fixmap:
	adrp	x1, kimage_l2
	ldr	x5, =(EARLYCON_PHYS & ~(L2_SIZE - 1))
	ldr	x3, =(BLOCK_DEVICE | PTE_PXN | PTE_UXN)
	orr	x3, x3, x5
	str	x3, [x1, #(FIXMAP_EARLYCON_SLOT * 8)]
	lsr	x5, x19, #L2_SHIFT
	lsl	x5, x5, #L2_SHIFT
	ldr	x3, =(BLOCK_NORMAL | PTE_PXN | PTE_UXN)
	orr	x4, x3, x5
	str	x4, [x1, #(FIXMAP_FDT_SLOT * 8)]
	add	x5, x5, #L2_SIZE
	orr	x4, x3, x5
	str	x4, [x1, #((FIXMAP_FDT_SLOT + 1) * 8)]
	ret

/* The tables were written with the MMU off: drop any stale cached copies. */
invalidate_early_tables:
	adrp	x0, __pgdir_start
	adrp	x1, __pgdir_end
	dsb	sy
1:	dc	ivac, x0
	add	x0, x0, #64
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret

/* x23: the TTBR1 table (physical). */
enable_mmu:
	ldr	x0, =MAIR_VALUE
	msr	mair_el1, x0
	ldr	x0, =TCR_VALUE
	mrs	x1, id_aa64mmfr0_el1		// IPS = the CPU's physical address size
	bfi	x0, x1, #TCR_IPS_SHIFT, #3
	msr	tcr_el1, x0
	adrp	x0, idmap_l1
	msr	ttbr0_el1, x0
	msr	ttbr1_el1, x23
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	ldr	x0, =SCTLR_EL1_MMU_ON
	msr	sctlr_el1, x0
	isb
	ic	iallu
	dsb	nsh
	isb
	ret

/* At the link address: the kernel's vectors, and TTBR0 no longer the
 * identity map (nor any stale entry of it in this CPU's TLB). */
leave_idmap:
	adrp	x0, vectors
	add	x0, x0, :lo12:vectors
	msr	vbar_el1, x0
	isb
	msr	ttbr0_el1, xzr			// the identity map is no longer needed
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	ret

/* Now running at the link address. */
high_entry:
	adrp	x0, boot_stack_top
	add	x0, x0, :lo12:boot_stack_top
	mov	sp, x0
	bl	leave_idmap
	mov	x29, #0				// the backtrace ends here
	mov	x30, #0
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
1:	cmp	x0, x1
	b.hs	2f
	stp	xzr, xzr, [x0], #16
	b	1b
2:	mov	x0, x19				// DTB physical address
	mov	x1, x20				// EL at entry
	mov	x2, x21				// image physical base
	bl	kmain
3:	wfe
	b	3b

/*
 * A secondary CPU, released by kernel/smp.c (spin table or PSCI CPU_ON):
 * physical addresses, MMU off, perhaps caches off, at EL3, EL2 or EL1. It
 * takes the boot CPU's path to EL1 and the MMU: the identity map still
 * holds the image, and the kernel's tables are the ones secondary_data
 * names (its line was cleaned to the point of coherency for this read with
 * caches off). Then, through the caches, its stack and struct cpu.
 */
	.global secondary_entry
secondary_entry:
	bl	drop_to_el1
	bl	el1_setup
	adrp	x0, secondary_data
	add	x0, x0, :lo12:secondary_data
	ldr	x23, [x0, #SECONDARY_TTBR1]
	bl	enable_mmu
	ldr	x0, =secondary_high
	br	x0

secondary_high:
	adrp	x0, secondary_data
	add	x0, x0, :lo12:secondary_data
	ldr	x1, [x0, #SECONDARY_CPU]
	cbz	x1, 2f				// given up on: park
	ldr	x2, [x0, #SECONDARY_MPIDR]
	mrs	x3, mpidr_el1
	ldr	x4, =MPIDR_HWID_MASK
	and	x3, x3, x4
	cmp	x2, x3
	b.ne	2f				// late, and another CPU's turn: park
	ldr	x2, [x0, #SECONDARY_STACK]
	mov	sp, x2
	msr	tpidr_el1, x1
	bl	leave_idmap
	mov	x29, #0				// the backtrace ends here
	mov	x30, #0
	mov	x0, x1
	bl	secondary_start
2:	wfi
	b	2b

/*
 * A core that entered the image itself (not the boot CPU): the device tree
 * is the only way Bramble starts CPUs, so it stays here, in WFI (not WFE:
 * QEMU's TCG treats WFE as a yield, and a core looping on it would keep
 * -icount's virtual time from jumping to the next timer when the others
 * idle). Position-independent, MMU off.
 */
	.global secondary_park
secondary_park:
	wfi
	b	secondary_park

	.section .pgdir, "aw", %nobits
	.balign 4096
	.global swapper_l1, kimage_l2
idmap_l1:	.space 4096
idmap_l2:	.space 4096
swapper_l1:	.space 4096
kimage_l2:	.space 4096

/*
 * The boot stack (CPU 0's idle thread later) has the kernel stacks' shape
 * (arch/arm64/memory.h): its top aligned to twice its size, and the same
 * size below it as a guard, which mm/mmu.c leaves unmapped in the kernel's
 * tables. Until then (start.S's 2 MiB blocks) the guard is only the bit test.
 */
	.bss
	.balign (2 * BOOT_STACK_SIZE)
	.global boot_stack_guard
boot_stack_guard:	.space BOOT_STACK_SIZE
boot_stack:	.space BOOT_STACK_SIZE
	.global boot_stack_top
boot_stack_top:
