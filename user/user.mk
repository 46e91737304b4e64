# Userland: the static glibc programs of the initramfs, and the initramfs.
# Included by the root Makefile, which sets B (the build directory) and
# DEPS_STAMP (made once scripts/install-deps has run).
#
#   $(B)/user/bin/NAME        from user/NAME.c         (init, oom, cat, bench, smpbench)
#   $(B)/user/bin/tests/NAME  from user/tests/NAME.c   (the test programs)
#   $(B)/initramfs.cpio       scripts/mkinitramfs over $(B)/rootfs
#
# The programs run unmodified under Bramble's Linux system-call ABI, so they
# are built with the aarch64 Linux glibc toolchain whatever CROSS_COMPILE the
# kernel uses.

# Including this must not change the root Makefile's default goal.
USER_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

USER_CC     ?= aarch64-linux-gnu-gcc
USER_CFLAGS ?= -std=c11 -O2 -Wall -Wextra -Werror
USER_LDFLAGS ?= -static

USER_PROGS := init oom cat bench smpbench hog failnth-exec failnth-dyn
# The system-call fuzzer, /bin/fuzz (tests/qemu/run-all's fuzz boots, make fuzz-syscalls).
USER_PROGS += fuzz
USER_TESTS := brk mmap fault leak syscalls exec context preempt pipe spawn remap vmrandom compat sleep poll syslog signal tty orphan cred script sched \
	files devfiles tmpfs fmap oomfs futex threads futexstress threadoom clone smpstress cpus cow vdso xattr \
	elfbad
# Dynamically linked against the toolchain's libc6 (the same Debian glibc),
# installed in /bin/tests with their interpreter and libraries in /lib.
USER_DYN_TESTS := dynamic
USER_DYNLIBS = $(shell $(USER_CC) -print-file-name=ld-linux-aarch64.so.1) \
	$(shell $(USER_CC) -print-file-name=libc.so.6)
# Kernel hardening: kernel addresses as every user pointer (EFAULT).
USER_TESTS += kaddr
# Run alone in a boot of their own (tests/qemu/run-all), from /bin/solo.
USER_SOLO_TESTS := killall failnth irqlat
# Shell scripts, user/tests/NAME.sh, installed as /bin/shtests/NAME.sh and run
# by busybox sh (tests/qemu/run-all): the kernel has no "#!" loader.
USER_SH_TESTS := fileutils
USER_BINS  := $(addprefix $(B)/user/bin/,$(USER_PROGS)) \
	$(addprefix $(B)/user/bin/tests/,$(USER_TESTS) $(USER_SOLO_TESTS) $(USER_DYN_TESTS))

$(B)/user/bin/%: user/%.c user/user.mk | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) $(USER_LDFLAGS) -o $@ $<

# The fail-nth sweep's exec target: no C library, so nothing after exec allocates.
$(B)/user/bin/failnth-exec: user/failnth-exec.c user/user.mk | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(USER_CC) -O2 -Wall -Wextra -Werror -ffreestanding -nostdlib -static -fno-stack-protector -o $@ $<
# The same program as a position-independent one whose interpreter is it
# (PT_INTERP /bin/failnth-exec): the sweep of a dynamically linked exec.
$(B)/user/bin/failnth-dyn: user/failnth-exec.c user/user.mk | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(USER_CC) -O2 -Wall -Wextra -Werror -ffreestanding -nostdlib -fPIE -pie -fno-stack-protector \
		-Wl,--dynamic-linker=/bin/failnth-exec -o $@ $<

$(addprefix $(B)/user/bin/tests/,$(USER_DYN_TESTS)): $(B)/user/bin/tests/%: user/tests/%.c user/user.mk | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -o $@ $< -ldl

# The helpers every test program includes.
$(addprefix $(B)/user/bin/tests/,$(USER_TESTS) $(USER_SOLO_TESTS) $(USER_DYN_TESTS)): user/tests/check.h user/tests/threads.h user/procfile.h
$(B)/user/bin/hog: user/procfile.h
$(B)/user/bin/oom $(B)/user/bin/holder: user/blocks.h

$(B)/initramfs.cpio: $(USER_BINS) $(USER_SH_TESTS:%=user/tests/%.sh) scripts/mkinitramfs $(BUSYBOX) \
		$(B)/host/cpio-align
	PROGS="$(USER_PROGS)" TESTS="$(USER_TESTS) $(USER_DYN_TESTS)" DYNLIBS="$(USER_DYNLIBS)" SOLO="$(USER_SOLO_TESTS)" SHTESTS="$(USER_SH_TESTS)" \
		BUSYBOX=$(BUSYBOX) CPIO_ALIGN=$(B)/host/cpio-align scripts/mkinitramfs $(B)

# mkinitramfs's page aligner of file data, a host tool.
$(B)/host/cpio-align: scripts/cpio-align.c
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=c11 -O2 -Wall -Wextra -Werror -o $@ $<

.DEFAULT_GOAL := $(USER_SAVED_DEFAULT_GOAL)
