/*
 * The vDSO's kernel side (kernel/vdso.h): its two special mappings, the
 * data page and its one writer (at boot, then clock_settime and
 * settimeofday), and the clock reading the system calls share with it.
 */
#include "kernel/vdso.h"
#include "kernel/tick.h"
#include "lib/printk.h"
#include "lib/panic.h"
#include "lib/uapi/mman.h"
#include "mm/vm.h"
#include "mm/mmu.h"
#include "arch/arm64/arch_timer.h"
#include "arch/arm64/cacheflush.h"
#include "arch/arm64/vdso/vdso_time.h"
#include "vdso-offsets.h"
#include <string.h>

extern const uint8_t vdso_image_start[], vdso_image_end[];   /* vdso_image.S */

/* The data page: the kernel writes it, every process maps it read-only. */
static union {
	struct vdso_time_data time;
	uint8_t bytes[PAGE_SIZE];
} vvar_page __attribute__((aligned(PAGE_SIZE)));

static struct vm_special vdso_text, vvar;

/* Writes the clock parameters under the sequence count: odd while the
 * fields change, so a reader on another CPU retries instead of mixing
 * old and new. */
static void publish_time(const struct vdso_time_data *t)
{
	struct vdso_time_data *d = &vvar_page.time;

	vdso_write_begin(d);
	d->counter_ok = t->counter_ok;
	d->freq = t->freq;
	d->count_offset = t->count_offset;
	d->realtime_offset = t->realtime_offset;
	d->res_ns = t->res_ns;
	d->tz_minuteswest = t->tz_minuteswest;
	d->tz_dsttime = t->tz_dsttime;
	vdso_write_end(d);
}

/* Its length: two linker symbols, compared as addresses. */
static uint64_t image_size(void)
{
	return (uintptr_t)vdso_image_end - (uintptr_t)vdso_image_start;
}

static bool image_is_elf(void)
{
	return image_size() >= 4 && memcmp(vdso_image_start, "\177ELF", 4) == 0;
}

void vdso_init(void)
{
	uint64_t pages = image_size() / PAGE_SIZE;

	if (!image_is_elf() || pages > VDSO_TEXT_MAX_PAGES)
		panic("vdso: the embedded image is no ELF of at most %d pages", VDSO_TEXT_MAX_PAGES);
	/* It reaches EL0 as instructions: cleaned to where fetches see it. */
	sync_icache((void *)vdso_image_start, pages * PAGE_SIZE);
	/* As Linux: the image may be made writable (a private copy, for a
	 * debugger's breakpoints), the data page never. */
	if (vm_special_init(&vdso_text, "[vdso]", PROT_READ | PROT_WRITE | PROT_EXEC,
			    kimage_to_phys(vdso_image_start), pages) < 0 ||
	    vm_special_init(&vvar, "[vvar]", PROT_READ, kimage_to_phys(&vvar_page), 1) < 0)
		panic("vdso: no memory for its mappings at boot");
	uint64_t freq = timer_freq();
	struct vdso_time_data t = {
		.counter_ok = freq != 0, .freq = freq, .count_offset = tick_counter_offset(),
		.res_ns = counter_resolution_ns(freq),
	};
	publish_time(&t);
	printk("vDSO: %lu pages at 0x%lx, data page at 0x%lx\n", (unsigned long)pages,
	       (unsigned long)VDSO_TEXT_ADDR, (unsigned long)VVAR_ADDR);
}

int vdso_map(struct mm *mm)
{
	int err = vm_map_special(mm, VVAR_ADDR, PROT_READ, &vvar);

	return err ? err : vm_map_special(mm, VDSO_TEXT_ADDR, PROT_READ | PROT_EXEC, &vdso_text);
}

uint64_t vdso_sigreturn_address(void)
{
	return VDSO_TEXT_ADDR + VDSO_OFFSET_rt_sigreturn;
}

/* Under the kernel lock, the only writer's: no retry needed. */
bool vdso_clock_read(int clock, uint64_t *ns)
{
	return vdso_clock_ns(&vvar_page.time, clock, arch_counter_get_cntvct(), ns);
}

uint64_t vdso_clock_resolution_ns(void)
{
	return counter_resolution_ns(timer_freq());
}

bool vdso_set_realtime(uint64_t ns)
{
	struct vdso_time_data t = vvar_page.time;
	uint64_t mono;

	if (!vdso_clock_read(CLOCK_MONOTONIC, &mono))
		mono = uptime_ns();
	if (ns < mono)
		return false;
	t.realtime_offset = (int64_t)(ns - mono);
	publish_time(&t);
	return true;
}

uint64_t vdso_realtime_to_boot(uint64_t realtime_ns)
{
	uint64_t ofs = (uint64_t)vvar_page.time.realtime_offset;

	return realtime_ns > ofs ? realtime_ns - ofs : 0;
}

void vdso_set_timezone(int32_t minuteswest, int32_t dsttime)
{
	struct vdso_time_data t = vvar_page.time;

	t.tz_minuteswest = minuteswest;
	t.tz_dsttime = dsttime;
	publish_time(&t);
}

void vdso_timezone(int32_t *minuteswest, int32_t *dsttime)
{
	*minuteswest = vvar_page.time.tz_minuteswest;
	*dsttime = vvar_page.time.tz_dsttime;
}
