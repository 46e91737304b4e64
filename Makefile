# Bramble: make · make run · make test · make bench · make sdcard · make run-sdcard
# (make help lists every target and variable.)
# Everything is built under build/; dependencies come from scripts/install-deps.

CROSS_COMPILE ?= aarch64-linux-gnu-
CC      := $(CROSS_COMPILE)gcc
LD      := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
NM      := $(CROSS_COMPILE)nm
READELF := $(CROSS_COMPILE)readelf
HOSTCC  ?= gcc

BRAMBLE_CACHE ?= $(HOME)/.cache/bramble
export BRAMBLE_CACHE CROSS_COMPILE
LIBFDT_DIR := $(BRAMBLE_CACHE)/libfdt-arm64
LIBFDT_A   := $(LIBFDT_DIR)/usr/lib/aarch64-linux-gnu/libfdt.a
DTB_CACHE  := $(BRAMBLE_CACHE)/dtb
DTB_NAMES  := bcm2837-rpi-3-b bcm2837-rpi-3-b-plus bcm2837-rpi-3-a-plus bcm2711-rpi-4-b
BUSYBOX    := $(BRAMBLE_CACHE)/busybox-arm64/bin/busybox

B := build
# scripts/install-deps runs once, and again only when it changes; everything
# that runs a tool it installs waits for it (order-only: | $(DEPS_STAMP)).
DEPS_STAMP := $(B)/.deps-stamp
include user/user.mk
include arch/arm64/vdso/vdso.mk

KERNEL_SRCS := \
	boot/start.S \
	kernel/main.c boot/dt.c boot/bootargs.c kernel/boot_log.c \
	kernel/console.c lib/format.c kernel/printk.c kernel/klog.c lib/string.c \
	arch/arm64/vectors.S kernel/traps.c kernel/panic.c kernel/oom_dump.c \
	kernel/ksyms.c kernel/semihost.c kernel/ktest.c \
	kernel/proc.c kernel/sched.c arch/arm64/switch.S kernel/exec.c kernel/exec_strings.c kernel/elf.c \
	kernel/random.c kernel/run_end.c kernel/tick.c kernel/wait.c kernel/timer.c kernel/smp.c kernel/spinlock.c \
	kernel/signal.c kernel/ptimer.c kernel/uts.c kernel/kstat.c kernel/cred.c kernel/binfmt_script.c kernel/futex.c \
	kernel/sched_attr.c kernel/irq_window.c kernel/irq_latency.c kernel/vdso.c arch/arm64/vdso/vdso_image.S \
	arch/arm64/cpufeature.c arch/arm64/clear_page.c arch/arm64/cacheflush.c \
	drivers/irq/gic_v2.c drivers/irq/bcm2836_l1.c drivers/irq/bcm2835_armctrl.c \
	drivers/uart/pl011.c drivers/uart/mini_uart.c \
	mm/mmu.c mm/memmap.c mm/page_alloc.c mm/kheap.c mm/kalloc.c mm/alloc_site.c mm/boot_mem.c \
	mm/commit.c mm/uvm.c mm/vm.c mm/vma.c mm/shm.c mm/reserve.c mm/mmap.c \
	mm/mremap.c mm/brk.c mm/fault.c mm/fork.c mm/uaccess.c mm/page_store.c mm/special.c \
	fs/initramfs.c fs/file.c fs/console.c fs/tty_ldisc.c fs/console_file.c fs/pipe.c fs/poll.c fs/eventfd.c \
	fs/inode.c fs/namei.c fs/mount.c fs/fdtable.c fs/fs_proc.c fs/tmpfs.c fs/chrdev.c fs/memdev.c \
	fs/rootfs.c fs/vfs_ops.c fs/locks.c \
	fs/proc/root.c fs/proc/files.c fs/proc/pid.c fs/proc/seq.c fs/proc/text.c fs/proc/allocsites.c fs/proc/irq_latency.c \
	syscall/table.c syscall/fs.c syscall/fd.c syscall/path.c syscall/stat.c \
	syscall/poll.c syscall/mm.c syscall/proc.c syscall/misc.c syscall/signal.c syscall/cred.c \
	syscall/futex.c syscall/sched.c syscall/xattr.c \
	kernel/stackprotector.c kernel/kstack.c kernel/stack_overflow.c

KERNEL_OBJS := $(patsubst %,$(B)/obj/%.o,$(KERNEL_SRCS))

CFLAGS := -std=c11 -O2 -g -ffreestanding -mgeneral-regs-only -mno-outline-atomics \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fstack-protector-strong -fno-pie -fno-pic -mcmodel=small \
	-fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-tree-loop-distribute-patterns -fno-strict-aliasing \
	-Wall -Wextra -Werror -I. -I$(LIBFDT_DIR)/usr/include \
	-MMD -MP
ASFLAGS := -I. -D__ASSEMBLER__ -MMD -MP
LDFLAGS = -nostdlib -static -z max-page-size=4096 -T boot/kernel.ld \
	$(shell $(LD) --help 2>/dev/null | grep -q no-warn-rwx && echo --no-warn-rwx-segments)
LIBGCC = $(shell $(CC) -print-libgcc-file-name)

.PHONY: all deps run test bench clean host-tests qemu-tests FORCE
all: $(B)/kernel8.img $(B)/initramfs.cpio dtbs

deps: $(DEPS_STAMP)
$(DEPS_STAMP): scripts/install-deps
	@scripts/install-deps
	@mkdir -p $(dir $@) && touch $@

# Normally there after the stamp; a cache emptied since is filled again.
$(LIBFDT_A) $(BUSYBOX) $(addprefix $(DTB_CACHE)/,$(addsuffix .dtb,$(DTB_NAMES))): | $(DEPS_STAMP)
	@[ -e $@ ] || scripts/install-deps

# The commit the image is built from, rewritten only when it changes.
# (Read when the recipe runs: on a fresh machine git arrives with make deps.)
$(B)/gen/git_sha.h: FORCE | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@sha=$$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown); \
		echo "#define BRAMBLE_GIT_SHA \"$$sha\"" > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@
FORCE:
$(B)/obj/kernel/main.c.o $(B)/obj/kernel/boot_log.c.o $(B)/obj/syscall/misc.c.o \
	$(B)/obj/kernel/uts.c.o $(B)/obj/fs/proc/files.c.o: $(B)/gen/git_sha.h
CFLAGS += -I$(B)/gen

# The flags the objects were built with, rewritten only when they change:
# a new flag (-fstack-protector-strong) rebuilds every object.
$(B)/gen/build-flags.txt: FORCE
	@mkdir -p $(dir $@)
	@echo '$(CFLAGS) | $(ASFLAGS)' > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@
$(KERNEL_OBJS): $(B)/gen/build-flags.txt

# Every Linux AArch64 system call's number and name, from the toolchain's
# asm-generic/unistd.h (the names in the unknown-call log line; test_abi).
$(B)/gen/linux_syscalls.h: scripts/gen-linux-syscalls | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	scripts/gen-linux-syscalls $(USER_CC) > $@.tmp && mv $@.tmp $@
$(B)/obj/syscall/table.c.o: $(B)/gen/linux_syscalls.h

$(B)/obj/%.c.o: %.c | $(DEPS_STAMP) $(LIBFDT_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(B)/obj/%.S.o: %.S | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ASFLAGS) -c $< -o $@

# Structure offsets for the assembly, from the C structs (as Linux's asm-offsets).
$(B)/obj/arch/arm64/asm-offsets.s: arch/arm64/asm-offsets.c | $(LIBFDT_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -S $< -o $@
$(B)/gen/asm-offsets.h: $(B)/obj/arch/arm64/asm-offsets.s
	@mkdir -p $(dir $@)
	{ echo '/* Generated from arch/arm64/asm-offsets.c by the Makefile. */'; \
	  sed -n 's/^[[:space:]]*\.ascii[[:space:]]*"->\([A-Z0-9_]*\) \([0-9]*\)"$$/#define \1 \2/p' $<; \
	} > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@
$(B)/obj/arch/arm64/vectors.S.o $(B)/obj/arch/arm64/switch.S.o $(B)/obj/boot/start.S.o: \
	$(B)/gen/asm-offsets.h
ASFLAGS += -I$(B)/gen

# Two links, as Linux's kallsyms: the first finds the text symbols, the
# second embeds them at the end of .rodata, where they move no code.
$(B)/ksyms-empty.S: scripts/gen-ksyms | $(DEPS_STAMP)
	@mkdir -p $(B)
	scripts/gen-ksyms $(NM) > $@
$(B)/kernel.pass1.elf: $(KERNEL_OBJS) $(B)/ksyms-empty.S.o boot/kernel.ld
	$(LD) $(LDFLAGS) -o $@ $(KERNEL_OBJS) $(B)/ksyms-empty.S.o $(LIBFDT_A) $(LIBGCC)
$(B)/ksyms.S: $(B)/kernel.pass1.elf scripts/gen-ksyms
	scripts/gen-ksyms $(NM) $< > $@
$(B)/%.S.o: $(B)/%.S | $(DEPS_STAMP)
	$(CC) $(ASFLAGS) -c $< -o $@
$(B)/kernel8.elf: $(KERNEL_OBJS) $(B)/ksyms.S.o boot/kernel.ld
	$(LD) $(LDFLAGS) -o $@ $(KERNEL_OBJS) $(B)/ksyms.S.o $(LIBFDT_A) $(LIBGCC)
	@scripts/gen-ksyms $(NM) $@ | cmp -s - $(B)/ksyms.S || \
		{ echo "ksyms: the second link moved code" >&2; rm -f $@; exit 1; }
$(B)/kernel8.img: $(B)/kernel8.elf
	$(OBJCOPY) -O binary $< $@

dtbs: $(addprefix $(B)/dtb/,$(addsuffix .dtb,$(DTB_NAMES)))
$(B)/dtb/%.dtb: $(DTB_CACHE)/%.dtb
	@mkdir -p $(dir $@)
	cp $< $@

# The Debian userland image (README.md, "Debian userland"): Debian's arm64
# packages from the roots' Depends, downloaded once into $(BRAMBLE_CACHE)/debian-arm64.
.PHONY: rootfs
DEBIAN_INITRD := $(B)/initramfs-debian.cpio
DEBIAN_TESTS := $(wildcard tests/debian/*.sh)
rootfs: $(DEBIAN_INITRD)
# Bramble's programs go to /bramble/bin, with holder (user/holder.c), the image's own.
$(DEBIAN_INITRD): scripts/debian-rootfs $(DEBIAN_TESTS) $(addprefix $(B)/user/bin/,$(USER_PROGS) holder) \
		$(B)/host/cpio-align | $(DEPS_STAMP)
	scripts/debian-rootfs --build $(B) --cache $(BRAMBLE_CACHE)

# --- running ---------------------------------------------------------------
APPEND ?=
BOARD ?= raspi3b
# ROOTFS=debian: boot that image, Bramble's init running Debian's bash as the shell.
ROOTFS ?=
ifeq ($(ROOTFS),debian)
INITRD := $(DEBIAN_INITRD)
override APPEND := init=/bramble/bin/init kheap=4M $(APPEND)
run gdb gdb-server: $(DEBIAN_INITRD)
else ifneq ($(ROOTFS),)
$(error ROOTFS=$(ROOTFS): only ROOTFS=debian is known)
endif
INITRD ?= $(B)/initramfs.cpio
RUN_ARGS = --board $(BOARD) --kernel $(B)/kernel8.img \
	--dtb $(B)/dtb/bcm2837-rpi-3-b.dtb --append "$(APPEND)" --initrd "$(INITRD)"
run: deps all
	scripts/run-qemu $(RUN_ARGS)

# Debugging (README.md): make gdb-server waits for gdb with the console on
# this terminal, make gdb attaches (or starts QEMU itself in the background).
GDB ?= gdb-multiarch
GDB_PORT ?= 1234
gdb-server: deps all
	scripts/run-qemu $(RUN_ARGS) --gdb $(GDB_PORT)
gdb: deps all
	@B=$(B) GDB="$(GDB)" GDB_PORT=$(GDB_PORT) scripts/gdb $(RUN_ARGS)

# The SD card (sdcard-image/README.md): FIRMWARE_DIR=.../boot adds the Pi firmware.
.PHONY: sdcard run-sdcard
sdcard: all
	B=$(B) FIRMWARE_DIR="$(FIRMWARE_DIR)" sdcard-image/build-image
run-sdcard: sdcard
	B=$(B) scripts/run-sdcard

# --- tests -------------------------------------------------------------------
HOST_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -I. -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined
HOST_TESTS := test_dt test_dt_noindex test_bootargs test_format test_memmap test_page_alloc test_kheap \
	test_initramfs test_elf test_mm_dtb test_abi test_tty test_proc_text \
	test_procfs_dir test_cred test_script test_vfs test_vdso_time test_cpio_align test_profile
test_dt_SRCS         := boot/dt.c
test_dt_noindex_SRCS := boot/dt.c
test_dt_noindex_CFLAGS := -DDT_INDEX_MAX=8
test_dt_noindex_LIBS := -lfdt
test_cpio_align_SRCS := fs/initramfs.c
test_bootargs_SRCS   := boot/bootargs.c
test_format_SRCS     := lib/format.c
test_memmap_SRCS     := mm/memmap.c
test_page_alloc_SRCS := mm/page_alloc.c mm/memmap.c
test_kheap_SRCS      := mm/kheap.c
# The VFS with tmpfs, over tests/host/vfs_stubs.c's kernel.
VFS_HOST_SRCS        := fs/inode.c fs/namei.c fs/mount.c fs/tmpfs.c fs/vfs_ops.c fs/file.c \
	fs/fdtable.c fs/locks.c mm/page_store.c kernel/cred.c lib/format.c tests/host/vfs_stubs.c
test_initramfs_SRCS  := fs/initramfs.c fs/rootfs.c $(VFS_HOST_SRCS)
test_vfs_SRCS        := fs/initramfs.c fs/rootfs.c fs/fs_proc.c $(VFS_HOST_SRCS)
test_elf_SRCS        := kernel/elf.c
test_mm_dtb_SRCS     := boot/dt.c mm/memmap.c mm/page_alloc.c
test_tty_SRCS        := fs/tty_ldisc.c
test_proc_text_SRCS  := fs/proc/seq.c fs/proc/text.c lib/format.c
test_procfs_dir_SRCS := fs/proc/root.c fs/proc/seq.c lib/format.c
test_cred_SRCS       := kernel/cred.c
test_script_SRCS     := kernel/binfmt_script.c
test_vdso_time_LIBS  := -lpthread
test_dt_LIBS         := -lfdt
test_mm_dtb_LIBS     := -lfdt
test_abi_CFLAGS      := -I$(B)/gen

.SECONDEXPANSION:
$(B)/host/%: tests/host/%.c $$(%_SRCS) tests/host/check.h tests/host/vfs_stubs.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $($*_CFLAGS) -MMD -MP -MF $@.d -o $@ $< $($*_SRCS) $($*_LIBS)
$(B)/host/test_cpio_align: $(B)/host/cpio-align
$(B)/host/test_abi: syscall/syscalls.h $(wildcard lib/uapi/*.h) $(B)/gen/linux_syscalls.h \
	$(B)/gen/linux_abi.h

# The toolchain's values of lib/uapi/'s constants and structure layouts (test_abi).
$(B)/gen/linux_abi.h: scripts/gen-linux-abi tests/host/abi_layouts.def $(wildcard lib/uapi/*.h) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	scripts/gen-linux-abi $(USER_CC) > $@.tmp && mv $@.tmp $@

# scripts/profile's parser, a Python test: the "program" runs it.
$(B)/host/test_profile: tests/host/test_profile.py scripts/profile
	@mkdir -p $(dir $@)
	@printf '#!/bin/sh\nexec python3 %s "$$@"\n' "$(CURDIR)/$<" > $@ && chmod +x $@

# --- host fuzzing (tests/fuzz/) ----------------------------------------------
# One harness per target, tests/fuzz/fuzz_NAME.c (LLVMFuzzerTestOneInput).
# make test runs each once over tests/fuzz/{seeds,regressions}/NAME with a
# plain main (tests/fuzz/driver.c, gcc); make fuzz-host builds them with
# clang's libFuzzer and runs each for FUZZ_TIME seconds, failing on any
# crash, sanitizer report, timeout or leak (the input lands in
# build/fuzz/NAME/crash-*: keep it under tests/fuzz/regressions/NAME).
FUZZ_TARGETS := dt cpio elf
FUZZ_TIME ?= 10
FUZZ_CC ?= clang
fuzz_dt_SRCS   := boot/dt.c
fuzz_dt_LIBS   := -lfdt
fuzz_cpio_SRCS := fs/initramfs.c
fuzz_elf_SRCS  := kernel/elf.c
HOST_TESTS += $(addprefix fuzz_,$(FUZZ_TARGETS))
FUZZ_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -I. -fno-sanitize-recover=undefined

$(B)/host/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/driver.c $$(fuzz_%_SRCS) tests/host/check.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -DFUZZ_NAME='"$*"' -MMD -MP -MF $@.d -o $@ tests/fuzz/fuzz_$*.c tests/fuzz/driver.c \
		$(fuzz_$*_SRCS) $(fuzz_$*_LIBS)
$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $$(fuzz_%_SRCS) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< \
		$(fuzz_$*_SRCS) $(fuzz_$*_LIBS)

.PHONY: fuzz-host
fuzz-host: deps $(addprefix $(B)/fuzz/fuzz_,$(FUZZ_TARGETS))
	@rc=0; for t in $(FUZZ_TARGETS); do \
		mkdir -p $(B)/fuzz/$$t/corpus; \
		echo "fuzz-host: $$t for $(FUZZ_TIME) s (log: $(B)/fuzz/$$t/log)"; \
		if $(B)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_TIME) -timeout=10 -rss_limit_mb=2048 \
			-max_len=65536 -print_final_stats=1 -artifact_prefix=$(B)/fuzz/$$t/ \
			$(B)/fuzz/$$t/corpus tests/fuzz/seeds/$$t \
			$$( [ -d tests/fuzz/regressions/$$t ] && echo tests/fuzz/regressions/$$t ) \
			> $(B)/fuzz/$$t/log 2>&1; then \
			echo "PASS fuzz-host.$$t: $$(grep -o 'stat::number_of_executed_units: [0-9]*' \
				$(B)/fuzz/$$t/log | grep -o '[0-9]*$$') inputs"; \
		else \
			echo "FAIL fuzz-host.$$t: see $(B)/fuzz/$$t/log and $(B)/fuzz/$$t/"; \
			grep -E 'ERROR|runtime error|SUMMARY|Test unit written' $(B)/fuzz/$$t/log | head -5; \
			rc=1; \
		fi; \
	done; exit $$rc
# scripts/debian-rootfs's resolver, a Python test as test_profile.
HOST_TESTS += test_debian_rootfs
$(B)/host/test_debian_rootfs: tests/host/test_debian_rootfs.py scripts/debian-rootfs
	@mkdir -p $(dir $@)
	@printf '#!/bin/sh\nexec python3 %s "$$@"\n' "$(CURDIR)/$<" > $@ && chmod +x $@

host-tests: deps dtbs $(addprefix $(B)/host/,$(HOST_TESTS))
	@for t in $(HOST_TESTS); do $(B)/host/$$t $(B)/dtb; done

qemu-tests: deps all
	@tests/qemu/run-all

# T: run only some tests, by name (make test T=brk; see tests/select.sh).
T ?=
test: deps all
	@HOST_TESTS="$(HOST_TESTS)" T="$(T)" scripts/run-tests

bench: deps all $(B)/host/bench_alloc
	@$(B)/host/bench_alloc
	@tests/qemu/bench

# make soak: CYCLES (10000) out-of-memory cycles with the memory balance checked
# every 100 (scripts/soak; SOAK_MEM, the boot's mem=, 32M).
CYCLES ?= 10000
SOAK_MEM ?= 32M
.PHONY: soak
soak: deps all
	@CYCLES=$(CYCLES) SOAK_MEM=$(SOAK_MEM) B=$(B) scripts/soak

# Linux's figures for make bench's table (tests/qemu/linux-figures.txt):
# Debian's arm64 kernel on the same QEMU, running this initramfs's /bin/bench.
# A one-off (a minute or more); rerun it when user/bench.c gains rows.
.PHONY: bench-linux
bench-linux: deps all
	@B=$(B) scripts/bench-linux

$(B)/host/bench_alloc: tests/host/bench_alloc.c mm/page_alloc.c mm/kheap.c mm/memmap.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=c11 -O2 -I. -o $@ $^

# make profile WORKLOAD=...: instructions by function (README.md, Profiling).
# (WORKLOAD reaches the script through the environment: quotes stay intact.)
WORKLOAD ?= boot
TOP ?= 20
PROFILE_ARGS ?=
export WORKLOAD
.PHONY: profile
profile: deps all
	@scripts/profile --build $(B) --top $(TOP) $(PROFILE_ARGS) -- "$$WORKLOAD"

# make fuzz-syscalls: the system-call fuzzer (/bin/fuzz, user/fuzz.c), one boot
# per seed, for as long as asked (SEEDS, or DURATION seconds; COUNT, CALLS,
# JOBS, OPS, MODES: scripts/fuzz-syscalls).
SEEDS ?= 1 2 3 4
COUNT ?= 500
CALLS ?= 500
DURATION ?=
JOBS ?= 4
.PHONY: fuzz-syscalls
fuzz-syscalls: deps all
	@B=$(B) SEEDS="$(SEEDS)" COUNT=$(COUNT) CALLS=$(CALLS) DURATION=$(DURATION) JOBS=$(JOBS) \
		scripts/fuzz-syscalls

# Every fuzzer: the host parsers for FUZZ_TIME seconds each, then the
# system calls (SEEDS, COUNT, CALLS, JOBS or DURATION, as fuzz-syscalls).
.PHONY: fuzz
fuzz: fuzz-host fuzz-syscalls

# --- developer tools -----------------------------------------------------------
# make check: gcc -fanalyzer (one job per source) and cppcheck over the kernel's
# C sources with the kernel's own flags; only findings that
# tests/check-baseline.txt does not accept fail.
.PHONY: check gdb gdb-server help
CHECK_TOOLS ?= fanalyzer cppcheck
CHECK_SRCS := $(filter %.c,$(KERNEL_SRCS))
CHECK_BASELINE := tests/check-baseline.txt
CHECK_CFLAGS = $(filter-out -Werror -MMD -MP,$(CFLAGS))
CPPCHECK_FLAGS = --enable=warning,portability,performance --std=c11 --platform=unix64 \
	--library=scripts/cppcheck-bramble.cfg -D__GNUC__ -D__aarch64__ \
	$(filter -I% -D%,$(CFLAGS)) --cppcheck-build-dir=$(B)/check/cppcheck.cache
CHECK_OUT_fanalyzer := $(patsubst %,$(B)/check/fanalyzer/%.txt,$(CHECK_SRCS))
CHECK_OUT_cppcheck := $(B)/check/cppcheck.txt

check: $(foreach t,$(CHECK_TOOLS),$(CHECK_OUT_$(t)))
	@rc=0; if [ -z "$(CHECK_NO_LAYERS)" ]; then \
		out=$$(scripts/check-layers); echo "$$out"; \
		case "$$out" in *FAIL*) rc=1 ;; esac; \
	fi; \
	for t in $(CHECK_TOOLS); do \
		case $$t in \
		fanalyzer) out="$(CHECK_OUT_fanalyzer)" ;; cppcheck) out="$(CHECK_OUT_cppcheck)" ;; \
		*) echo "FAIL check.$$t: no such tool (CHECK_TOOLS: fanalyzer cppcheck)"; rc=1; continue ;; \
		esac; \
		scripts/check report $$t $(CHECK_BASELINE) $(B)/check $$out || rc=1; \
	done; exit $$rc

# Also rerun when a header the source includes changes (the .d file); after
# the object, so that the headers it needs generated are there.
$(B)/check/fanalyzer/%.txt: % scripts/check Makefile | $(B)/obj/%.o
	@mkdir -p $(dir $@)
	@scripts/check fanalyzer $< $@ $(CC) $(CHECK_CFLAGS) -MMD -MP -MF $@.d -MT $@ -c -o /dev/null

# cppcheck keeps its own cache (incremental), and sees every source at once
# (findings across files).
$(CHECK_OUT_cppcheck): FORCE $(B)/check/cppcheck.cache | $(KERNEL_OBJS)
	@scripts/check cppcheck $@ $(CPPCHECK_FLAGS) $(CHECK_SRCS)
$(B)/check/cppcheck.cache: scripts/cppcheck-bramble.cfg Makefile
	@rm -rf $@ && mkdir -p $@

# compile_commands.json for clangd and other tools: one entry per kernel
# source, with the flags the Makefile compiles it with (less -MMD -MP: the
# dependency files are make's). .clangd drops the one flag clang lacks.
compile_commands.json: FORCE | $(DEPS_STAMP) $(B)/gen/git_sha.h
	@CC="$(CC)" B="$(B)" CFLAGS="$(filter-out -MMD -MP,$(CFLAGS))" \
		ASFLAGS="$(filter-out -MMD -MP,$(ASFLAGS))" \
		scripts/gen-compile-commands $(KERNEL_SRCS) > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || { mv $@.tmp $@; echo "wrote $@"; }

clean:
	rm -rf $(B)

help:
	@echo 'Targets:'
	@echo '  all (default)          build/kernel8.img, kernel8.elf, initramfs.cpio, dtb/'
	@echo '  run                    boot in QEMU (BOARD), the console on this terminal;'
	@echo '                         quit with Ctrl-A then X'
	@echo '  test                   make check, host unit tests, QEMU boot tests: one'
	@echo '                         PASS/FAIL line each, then "N passed, N failed" (T=...)'
	@echo '  check                  the include rules (scripts/check-layers), gcc -fanalyzer'
	@echo '                         and cppcheck over the kernel sources;'
	@echo '                         fails on findings not in $(CHECK_BASELINE)'
	@echo '  bench                  allocator and system-call figures (host and QEMU),'
	@echo '                         beside Linux'"'"'s from tests/qemu/linux-figures.txt'
	@echo '  bench-linux            measure those Linux figures: Debian'"'"'s arm64 kernel'
	@echo '                         on the same QEMU running /bin/bench (a minute or more)'
	@echo '  soak                   CYCLES out-of-memory cycles (malloc, mmap, tmpfs) in one'
	@echo '                         boot, the memory balance checked every 100 (scripts/soak)'
	@echo '  profile                instructions by kernel and user function, in QEMU'
	@echo '                         -icount, of WORKLOAD (top TOP)'
	@echo '  sdcard                 build/sdcard.img, for a Pi (FIRMWARE_DIR)'
	@echo '  run-sdcard             boot that card in QEMU through U-Boot'
	@echo '  gdb-server             like run, QEMU waiting for gdb on GDB_PORT'
	@echo '  gdb                    gdb-multiarch on kernel8.elf, attached to gdb-server,'
	@echo '                         or to a QEMU it starts (console in $(B)/gdb-console.log)'
	@echo '  rootfs                 $(B)/initramfs-debian.cpio: Debian'"'"'s arm64 bash, coreutils,'
	@echo '                         python3-minimal, ... from their Depends (README.md)'
	@echo '  compile_commands.json  the compilation database for clangd'
	@echo '  deps                   scripts/install-deps (Debian packages, ~/.cache/bramble);'
	@echo '                         every target runs it once, and again when it changes'
	@echo '  host-tests, qemu-tests the two halves of test, without the summary'
	@echo '  fuzz                   fuzz-host, then fuzz-syscalls'
	@echo '  fuzz-host              libFuzzer over dt.c, the cpio parser, the ELF checker'
	@echo '                         (tests/fuzz/), FUZZ_TIME seconds each'
	@echo '  clean                  remove $(B)/'
	@echo '  help                   this list'
	@echo '  fuzz-syscalls          the system-call fuzzer, one QEMU boot per seed'
	@echo '                         (SEEDS, COUNT, CALLS, or DURATION seconds)'
	@echo 'Variables (make VAR=value target):'
	@echo '  APPEND=ARGS            boot arguments for run, gdb, gdb-server (README.md)'
	@echo '  BOARD=raspi3b|virt     the QEMU machine for run, gdb, gdb-server (raspi3b)'
	@echo '  ROOTFS=debian          run, gdb, gdb-server: boot make rootfs'"'"'s Debian image'
	@echo '  INITRD=FILE            the initramfs for run, gdb, gdb-server'
	@echo '                         ($(B)/initramfs.cpio)'
	@echo '  T=GLOBS                test: only the tests so named, e.g. T=brk,'
	@echo "                         T='fail-alloc-*', T='host.kheap mmap' (tests/select.sh)"
	@echo '  WORKLOAD=...           profile: boot (reset to init, the default),'
	@echo '                         "/bin/PROG ARGS" (as init), or "bootargs:ARGS"'
	@echo '  TOP=N                  profile: functions listed per table (20)'
	@echo '  PROFILE_ARGS=...       profile: more options of scripts/profile, e.g.'
	@echo '                         --skip-boot (leave out reset to init)'
	@echo '  CHECK_TOOLS=...        check: the tools to run (fanalyzer cppcheck)'
	@echo '  CYCLES=N, SOAK_MEM=M   soak: the cycles (10000) and the boot'"'"'s mem= (32M)'
	@echo '  GDB_PORT=N             the gdb stub port for gdb, gdb-server (1234)'
	@echo '  GDB=PROGRAM            the debugger for gdb (gdb-multiarch)'
	@echo '  FIRMWARE_DIR=DIR       sdcard: the Pi firmware boot/ folder to add'
	@echo '  CROSS_COMPILE=PREFIX   the kernel compiler (aarch64-linux-gnu-); user'
	@echo '                         programs always use aarch64-linux-gnu-gcc'
	@echo '  HOSTCC=CC              the compiler of the host tests (gcc)'
	@echo '  FUZZ_TIME=N            fuzz-host: seconds per target (10)'
	@echo '  BRAMBLE_CACHE=DIR      where install-deps keeps Debian arm64 files'
	@echo '                         (~/.cache/bramble)'
	@echo '  SEEDS="1 2 3"          fuzz-syscalls: the seeds, one boot each (1 2 3 4)'
	@echo '  COUNT=N, CALLS=N       fuzz-syscalls: children per seed and mode (500),'
	@echo '                         calls per random child (500)'
	@echo '  DURATION=S             fuzz-syscalls: new seeds until S seconds have passed'
	@echo '  JOBS=N                 fuzz-syscalls: children at a time, 1..8 (4)'

-include $(shell find $(B)/obj $(B)/check $(B)/host -name '*.d' 2>/dev/null)
