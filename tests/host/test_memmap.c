/* Host unit tests for mm/memmap.c. */
#include <stdint.h>
#include <string.h>
#include "tests/host/check.h"
#include "mm/memmap.h"

#define R(b, s) { (b), (s) }
#define MAXO 16

static struct phys_range out[MAXO];

/* Runs memmap_subtract and compares with the expected list. */
static void sub_case(const char *name, const struct phys_range *mem, int nmem,
		     const struct phys_range *rsv, int nrsv,
		     const struct phys_range *want, int nwant)
{
	memset(out, 0xa5, sizeof(out));
	int n = memmap_subtract(mem, nmem, rsv, nrsv, out, MAXO);
	int ok = n == nwant;
	for (int i = 0; ok && i < n; i++)
		ok = out[i].base == want[i].base && out[i].size == want[i].size;
	if (ok) {
		check(1, name, "");
		return;
	}
	char why[512];
	int len = snprintf(why, sizeof(why), "got %d:", n);
	for (int i = 0; i < n && i < MAXO && len < 400; i++)
		len += snprintf(why + len, sizeof(why) - len, " [%#llx+%#llx]",
				(unsigned long long)out[i].base, (unsigned long long)out[i].size);
	len += snprintf(why + len, sizeof(why) - len, " want %d", nwant);
	check(0, name, "%s", why);
}

#define SUB(name, mem, rsv, want) \
	sub_case(name, mem, (int)ARRAY_SIZE(mem), rsv, (int)ARRAY_SIZE(rsv), want, (int)ARRAY_SIZE(want))

static int ranges_eq(const struct phys_range *a, int na, const struct phys_range *b, int nb)
{
	if (na != nb)
		return 0;
	for (int i = 0; i < na; i++)
		if (a[i].base != b[i].base || a[i].size != b[i].size)
			return 0;
	return 1;
}

int main(void)
{
	static const struct phys_range mem1[] = { R(0x0, 0x40000000) };
	static const struct phys_range none[] = { R(0, 0) };

	{
		static const struct phys_range want[] = { R(0x0, 0x40000000) };
		sub_case("subtract_no_reservation", mem1, 1, none, 0, want, 1);
		SUB("subtract_zero_sized_reservation", mem1, none, want);
	}
	{
		static const struct phys_range rsv[] = { R(0x0, 0x1000) };
		static const struct phys_range want[] = { R(0x1000, 0x3ffff000) };
		SUB("subtract_at_start", mem1, rsv, want);
	}
	{
		static const struct phys_range rsv[] = { R(0x80000, 0x200000) };
		static const struct phys_range want[] = { R(0x0, 0x80000), R(0x280000, 0x3fd80000) };
		SUB("subtract_in_middle", mem1, rsv, want);
	}
	{
		static const struct phys_range rsv[] = { R(0x3c000000, 0x4000000) };
		static const struct phys_range want[] = { R(0x0, 0x3c000000) };
		SUB("subtract_at_end", mem1, rsv, want);
	}
	{
		static const struct phys_range rsv[] = { R(0x3b000000, 0x8000000) };
		static const struct phys_range want[] = { R(0x0, 0x3b000000) };
		SUB("subtract_past_end", mem1, rsv, want);
	}
	{
		static const struct phys_range mem[] = { R(0x0, 0x3b400000), R(0x40000000, 0xbc000000) };
		static const struct phys_range rsv[] = { R(0x3b000000, 0x5000000) };
		/* 0x3b000000 + 0x5000000 = 0x40000000: ends at the second range's base */
		static const struct phys_range want2[] = { R(0x0, 0x3b000000), R(0x40000000, 0xbc000000) };
		SUB("subtract_touching_second_range", mem, rsv, want2);
	}
	{
		static const struct phys_range mem[] = { R(0x0, 0x3b400000), R(0x40000000, 0xbc000000) };
		static const struct phys_range rsv[] = { R(0x3b000000, 0x5001000) };
		static const struct phys_range want[] = { R(0x0, 0x3b000000), R(0x40001000, 0xbbfff000) };
		SUB("subtract_overlapping_two_ranges", mem, rsv, want);
	}
	{
		static const struct phys_range rsv[] = { R(0x0, 0x40000000) };
		sub_case("subtract_covering_everything", mem1, 1, rsv, 1, NULL, 0);
		static const struct phys_range rsv2[] = { R(0x0, 0x20000000), R(0x10000000, 0x30000000) };
		sub_case("subtract_covering_everything_in_two", mem1, 1, rsv2, 2, NULL, 0);
	}
	{
		static const struct phys_range rsv[] = { R(0x1234, 0x10), R(0x7fff, 0x2) };
		static const struct phys_range want[] = { R(0x0, 0x1000), R(0x2000, 0x5000),
							  R(0x9000, 0x3fff7000) };
		SUB("subtract_unaligned_edges_round_inwards", mem1, rsv, want);
	}
	{
		static const struct phys_range mem[] = { R(0x1800, 0x10000) };   /* 0x1800..0x11800 */
		static const struct phys_range want[] = { R(0x2000, 0xf000) };
		sub_case("subtract_unaligned_memory_rounds_inwards", mem, 1, none, 0, want, 1);
		static const struct phys_range tiny[] = { R(0x1800, 0x1000) };
		sub_case("subtract_sub_page_memory_dropped", tiny, 1, none, 0, NULL, 0);
	}
	{
		static const struct phys_range mem[] = { R(0x100000000ULL, 0x80000000), R(0x40000000, 0xbc000000),
							 R(0x0, 0x3b400000) };
		static const struct phys_range rsv[] = { R(0x100010000ULL, 0x1000), R(0x0, 0x1000),
							 R(0x8000000, 0x100000) };
		static const struct phys_range want[] = { R(0x1000, 0x7fff000), R(0x8100000, 0x33300000),
							  R(0x40000000, 0xbc000000), R(0x100000000ULL, 0x10000),
							  R(0x100011000ULL, 0x7ffef000) };
		SUB("subtract_unsorted_input", mem, rsv, want);
	}
	{
		static const struct phys_range rsv[] = { R(0x10000, 0x10000), R(0x18000, 0x10000),
							 R(0x14000, 0x1000), R(0x27000, 0x2000) };
		static const struct phys_range want[] = { R(0x0, 0x10000), R(0x29000, 0x3ffd7000) };
		SUB("subtract_overlapping_reservations", mem1, rsv, want);
	}
	{
		static const struct phys_range rsv[] = { R(0x10000, 0x1000), R(0x11000, 0x1000) };
		static const struct phys_range want[] = { R(0x0, 0x10000), R(0x12000, 0x3ffee000) };
		SUB("subtract_adjacent_reservations", mem1, rsv, want);
	}
	{
		/* Overlapping / touching memory ranges come out merged. */
		static const struct phys_range mem[] = { R(0x10000, 0x10000), R(0x0, 0x18000), R(0x20000, 0x1000) };
		static const struct phys_range want[] = { R(0x0, 0x21000) };
		sub_case("subtract_overlapping_memory_merged", mem, 3, none, 0, want, 1);
	}
	{
		/* 1 GiB with a reservation every 2 MiB: 512 pieces. */
		static struct phys_range rsv[511];
		for (int i = 0; i < 511; i++)
			rsv[i] = (struct phys_range)R(0x200000ULL * (unsigned)i + 0x1ff000, 0x1000);
		struct phys_range big[512];
		int n = memmap_subtract(mem1, 1, rsv, 511, big, 512);
		int n2 = memmap_subtract(mem1, 1, rsv, 511, big, 511);
		int n3 = memmap_subtract(mem1, 1, rsv, 3, out, 3);
		check(n == 512 && n2 == -1 && n3 == -1, "subtract_too_many_outputs", "n=%d n2=%d n3=%d", n, n2, n3);
		int zero = memmap_subtract(mem1, 1, none, 0, out, 0);
		check(zero == -1, "subtract_max_out_zero", "got %d", zero);
	}

	/* ---- carve ---- */
	{
		struct phys_range r[4] = { R(0x1000, 0xff000), R(0x200000, 0x100000) };
		int n = 2;
		phys_addr_t a = memmap_carve(r, &n, 4, 0x2000, 0x1000);
		static const struct phys_range w[] = { R(0x3000, 0xfd000), R(0x200000, 0x100000) };
		check(a == 0x1000 && ranges_eq(r, n, w, 2), "carve_from_start", "a=%#llx n=%d", (unsigned long long)a, n);
	}
	{
		struct phys_range r[4] = { R(0x1000, 0xff000), R(0x200000, 0x100000) };
		int n = 2;
		phys_addr_t a = memmap_carve(r, &n, 4, 0x4000, 0x10000);
		static const struct phys_range w[] = { R(0x1000, 0xf000), R(0x14000, 0xec000), R(0x200000, 0x100000) };
		check(a == 0x10000 && ranges_eq(r, n, w, 3), "carve_aligned_splits", "a=%#llx n=%d", (unsigned long long)a, n);
	}
	{
		struct phys_range r[4] = { R(0x1000, 0xff000), R(0x200000, 0x100000) };
		int n = 2;
		phys_addr_t a = memmap_carve(r, &n, 4, 0xf0000, 0x10000);
		static const struct phys_range w[] = { R(0x1000, 0xf000), R(0x200000, 0x100000) };
		check(a == 0x10000 && ranges_eq(r, n, w, 2), "carve_aligned_to_end_shrinks", "a=%#llx n=%d",
		      (unsigned long long)a, n);
	}
	{
		struct phys_range r[4] = { R(0x1000, 0xff000), R(0x200000, 0x100000) };
		int n = 2;
		phys_addr_t a = memmap_carve(r, &n, 4, 0x100000, 0x1000);
		static const struct phys_range w[] = { R(0x1000, 0xff000) };
		check(a == 0x200000 && ranges_eq(r, n, w, 1), "carve_skips_small_and_removes_emptied",
		      "a=%#llx n=%d", (unsigned long long)a, n);
	}
	{
		struct phys_range r[2] = { R(0x1000, 0xff000), R(0x200000, 0x100000) };
		int n = 2;
		/* Needs a split of range 0, but the array is full: goes to range 1. */
		phys_addr_t a = memmap_carve(r, &n, 2, 0x1000, 0x10000);
		static const struct phys_range w[] = { R(0x1000, 0xff000), R(0x201000, 0xff000) };
		check(a == 0x200000 && ranges_eq(r, n, w, 2), "carve_split_needs_room", "a=%#llx n=%d",
		      (unsigned long long)a, n);
	}
	{
		struct phys_range r[4] = { R(0x1000, 0xff000), R(0x200000, 0x100000) };
		struct phys_range copy[4];
		memcpy(copy, r, sizeof(r));
		int n = 2;
		phys_addr_t a = memmap_carve(r, &n, 4, 0x200000, 0x1000);
		phys_addr_t b = memmap_carve(r, &n, 4, 0x1000, 0x400000);
		phys_addr_t c = memmap_carve(r, &n, 4, 0x1000, 0x3000);  /* not a power of two */
		phys_addr_t d = memmap_carve(r, &n, 4, 0, 0x1000);
		check(!a && !b && !c && !d && n == 2 && !memcmp(r, copy, sizeof(r)), "carve_failure_returns_0",
		      "a=%#llx b=%#llx c=%#llx d=%#llx n=%d", (unsigned long long)a, (unsigned long long)b,
		      (unsigned long long)c, (unsigned long long)d, n);
	}
	{
		struct phys_range r[4] = { R(0x0, 0x100000) };
		int n = 1;
		phys_addr_t a = memmap_carve(r, &n, 4, 0x1000, 0x1000);
		static const struct phys_range w[] = { R(0x0, 0x1000), R(0x2000, 0xfe000) };
		check(a == 0x1000 && ranges_eq(r, n, w, 2), "carve_never_returns_address_0", "a=%#llx n=%d",
		      (unsigned long long)a, n);
	}
	{
		/* Carve until exhaustion: every carve is disjoint and inside the original range. */
		struct phys_range r[8] = { R(0x80000, 0x380000) };
		int n = 1, count = 0, ok = 1;
		phys_addr_t last_end = 0;
		phys_addr_t a;
		while ((a = memmap_carve(r, &n, 8, 0x3000, 0x1000)) != 0) {
			ok &= a >= last_end && a + 0x3000 <= 0x400000 && a >= 0x80000;
			last_end = a + 0x3000;
			count++;
		}
		check(ok && count == 0x380000 / 0x3000 && n == 1 && r[0].size == 0x380000 % 0x3000,
		      "carve_until_exhausted", "count=%d n=%d", count, n);
	}
	return check_exit_status();
}
