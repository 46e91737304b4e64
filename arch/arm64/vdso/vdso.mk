# The vDSO (arch/arm64/vdso/): a position-independent shared object linked
# by vdso.lds, stripped, and embedded in the kernel by vdso_image.S. Its
# symbol offsets reach the kernel as $(B)/gen/vdso-offsets.h (the return
# address of signal handlers). Included by the root Makefile, whose default
# goal it keeps.
VDSO_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

VDSO_DIR  := arch/arm64/vdso
VDSO_OBJS := $(B)/vdso/vgettimeofday.o $(B)/vdso/sigreturn.o
VDSO_CFLAGS := -std=c11 -O2 -fPIC -ffreestanding -fno-builtin -fno-stack-protector \
	-mgeneral-regs-only -mno-outline-atomics -fasynchronous-unwind-tables \
	-Wall -Wextra -Werror -I. -MMD -MP
VDSO_LDFLAGS := -nostdlib -shared -Wl,-soname=linux-vdso.so.1 -Wl,--hash-style=both \
	-Wl,--eh-frame-hdr -Wl,-Bsymbolic -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack \
	-Wl,--build-id=sha1 -Wl,-T,$(VDSO_DIR)/vdso.lds

$(B)/vdso/%.o: $(VDSO_DIR)/%.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(VDSO_CFLAGS) -c $< -o $@
$(B)/vdso/%.o: $(VDSO_DIR)/%.S | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(VDSO_CFLAGS) -D__ASSEMBLER__ -c $< -o $@

# With symbols (for gdb and the offsets); the kernel embeds the stripped
# copy. A dynamic relocation would need a loader the vDSO does not have.
$(B)/vdso/vdso.so.dbg: $(VDSO_OBJS) $(VDSO_DIR)/vdso.lds
	$(CC) $(VDSO_LDFLAGS) -o $@ $(VDSO_OBJS)
	@if $(READELF) -rW $@ | grep -q 'R_AARCH64'; then \
		echo "vdso: dynamic relocations in $@" >&2; rm -f $@; exit 1; fi
$(B)/gen/vdso.so: $(B)/vdso/vdso.so.dbg
	@mkdir -p $(dir $@)
	$(OBJCOPY) -S $< $@
$(B)/gen/vdso-offsets.h: $(B)/vdso/vdso.so.dbg
	@mkdir -p $(dir $@)
	{ echo '/* Generated from the vDSO by arch/arm64/vdso/vdso.mk. */'; \
	  $(NM) $< | sed -n 's/^\([0-9a-f]*\) T __kernel_rt_sigreturn$$/#define VDSO_OFFSET_rt_sigreturn 0x\1/p'; \
	} > $@.tmp && mv $@.tmp $@

-include $(wildcard $(B)/vdso/*.d)
$(B)/obj/$(VDSO_DIR)/vdso_image.S.o: $(B)/gen/vdso.so
$(B)/obj/kernel/vdso.c.o: $(B)/gen/vdso-offsets.h

.DEFAULT_GOAL := $(VDSO_SAVED_DEFAULT_GOAL)
