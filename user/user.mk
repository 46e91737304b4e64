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

USER_PROGS := init oom cat bench smpbench hog
USER_TESTS := brk mmap fault leak syscalls exec context preempt pipe spawn remap vmrandom compat sleep poll syslog signal tty orphan cred script sched \
	files devfiles tmpfs fmap oomfs futex threads futexstress threadoom clone smpstress cpus cow vdso
# Run alone in a boot of their own (tests/qemu/run-all), from /bin/solo.
USER_SOLO_TESTS := killall
# Shell scripts, user/tests/NAME.sh, installed as /bin/shtests/NAME.sh and run
# by busybox sh (tests/qemu/run-all): the kernel has no "#!" loader.
USER_SH_TESTS := fileutils
USER_BINS  := $(addprefix $(B)/user/bin/,$(USER_PROGS)) \
	$(addprefix $(B)/user/bin/tests/,$(USER_TESTS) $(USER_SOLO_TESTS))

$(B)/user/bin/%: user/%.c user/user.mk | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) $(USER_LDFLAGS) -o $@ $<

# The helpers every test program includes.
$(addprefix $(B)/user/bin/tests/,$(USER_TESTS) $(USER_SOLO_TESTS)): user/tests/check.h user/tests/threads.h

$(B)/initramfs.cpio: $(USER_BINS) $(USER_SH_TESTS:%=user/tests/%.sh) scripts/mkinitramfs $(BUSYBOX) \
		$(B)/host/cpio-align
	PROGS="$(USER_PROGS)" TESTS="$(USER_TESTS)" SOLO="$(USER_SOLO_TESTS)" SHTESTS="$(USER_SH_TESTS)" \
		BUSYBOX=$(BUSYBOX) CPIO_ALIGN=$(B)/host/cpio-align scripts/mkinitramfs $(B)

# mkinitramfs's page aligner of file data, a host tool.
$(B)/host/cpio-align: scripts/cpio-align.c
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=c11 -O2 -Wall -Wextra -Werror -o $@ $<

.DEFAULT_GOAL := $(USER_SAVED_DEFAULT_GOAL)
