/*
 * The signal return trampoline: a handler returns here (the kernel sets
 * x30 to it, kernel/signal.c), and rt_sigreturn restores the interrupted
 * context from the frame at sp.
 *
 * No unwind table entry, on purpose, as on Linux today: CFI describing
 * only the frame record (x29, x30 of the interrupted code, which the
 * kernel pushes and points x29 at) cannot say where the interrupted sp
 * is, and libgcc's unwinder, given it, walks off into garbage (Linux
 * commented its directives out for that). Without one, unwinders (libgcc,
 * libunwind, gdb) recognise these two instructions and read every
 * register from the signal frame's sigcontext. So the sequence must stay
 * exactly this, with no BTI landing pad before it (it is reached by ret).
 * The nop before the symbol keeps "return address - 1" lookups, which
 * some unwinders make, from landing in the previous function.
 */
#define NR_rt_sigreturn 139

	.text
	nop

	.globl	__kernel_rt_sigreturn
	.type	__kernel_rt_sigreturn, %function
__kernel_rt_sigreturn:
	mov	x8, #NR_rt_sigreturn
	svc	#0
	.size	__kernel_rt_sigreturn, . - __kernel_rt_sigreturn

	.section .note.GNU-stack, "", %progbits
