/*
 * The vDSO's ELF image, stripped, inside the kernel's read-only data: its
 * own whole pages (kernel/vdso.c maps them into every process).
 */
	.section .rodata.vdso, "a"
	.balign	4096
	.globl	vdso_image_start, vdso_image_end
vdso_image_start:
	.incbin	"vdso.so"
	.balign	4096
vdso_image_end:

	.section .note.GNU-stack, "", %progbits
