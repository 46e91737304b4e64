/*
 * Does the kernel run dynamically linked programs (PT_INTERP)? Built by
 * tests/qemu/run-all with the cross toolchain, not -static, against the
 * toolchain's own glibc (Debian's libc6 for arm64, libc6-arm64-cross), and
 * booted as init with only that libc and ld.so beside it. Until the kernel
 * loads the interpreter, exec of init fails with ENOEXEC (error 8) and the
 * Debian image's boots are skipped.
 */
#include <stdio.h>

int main(void)
{
	printf("dynprobe: running, dynamically linked\n");
	return 0;
}
