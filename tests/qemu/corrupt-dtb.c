/*
 * Makes damaged device trees that QEMU still loads (it only repacks the
 * blob and edits /chosen and /memory, walking every node's tags):
 *   corrupt-dtb IN OUT                 the name offset of a property under
 *                                      /soc points far outside the strings
 *                                      block: corrupt, the kernel must say so
 *                                      on its early console and halt;
 *   corrupt-dtb IN OUT truncate N      only the first N bytes (the header
 *                                      unchanged): QEMU reads zeros past the
 *                                      end, and the tree it hands over lacks
 *                                      whatever followed;
 *   corrupt-dtb IN OUT flip SEED N     N bits flipped in property values
 *                                      (never in tags, lengths or name
 *                                      offsets, which QEMU's walks need),
 *                                      chosen by SEED.
 * The kernel must never panic or hang on any of them.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char blob[1 << 21];

/* The blob offsets of every property value byte, for flip. */
static size_t value_at(const void *fdt, size_t k, size_t *total)
{
	int node, prop;

	*total = 0;
	for (node = fdt_next_node(fdt, -1, NULL); node >= 0; node = fdt_next_node(fdt, node, NULL))
		fdt_for_each_property_offset(prop, fdt, node) {
			int len;
			const char *v = fdt_getprop_by_offset(fdt, prop, NULL, &len);
			if (!v || len <= 0)
				continue;
			if (k < (size_t)len)
				return (size_t)(v - (const char *)fdt) + k;
			k -= (size_t)len;
			*total += (size_t)len;
		}
	return 0;
}

static int flip(size_t n, unsigned long seed, int count)
{
	unsigned long long x = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	size_t total;

	value_at(blob, (size_t)-1, &total);
	if (total == 0)
		return 4;
	for (int i = 0; i < count; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		size_t seen, off = value_at(blob, (size_t)(x >> 33) % total, &seen);
		if (off >= n)
			return 4;
		blob[off] ^= (char)(1 << ((x >> 20) & 7));
	}
	return 0;
}

int main(int argc, char **argv)
{
	FILE *f;
	size_t n;
	int node, prop;

	if ((argc != 3 && argc != 5 && argc != 6) || !(f = fopen(argv[1], "rb")))
		return 2;
	n = fread(blob, 1, sizeof(blob), f);
	fclose(f);
	if (fdt_check_header(blob) || n < fdt_totalsize(blob))
		return 3;
	if (argc == 5 && strcmp(argv[3], "truncate") == 0) {
		size_t cut = strtoul(argv[4], NULL, 0);
		n = cut < n ? cut : n;
	} else if (argc == 6 && strcmp(argv[3], "flip") == 0) {
		if (flip(n, strtoul(argv[4], NULL, 0), atoi(argv[5])))
			return 4;
	} else if (argc == 3) {
		node = fdt_path_offset(blob, "/soc");
		prop = node < 0 ? node : fdt_first_property_offset(blob, node);
		if (prop < 0)
			return 4;
		/* struct fdt_property: tag, len, nameoff (big-endian). */
		fdt32_t *raw = (fdt32_t *)(blob + fdt_off_dt_struct(blob) + prop);
		raw[2] = cpu_to_fdt32(0x7ffffff0);
	} else {
		return 2;
	}
	if (!(f = fopen(argv[2], "wb")) || fwrite(blob, 1, n, f) != n)
		return 5;
	return fclose(f) ? 5 : 0;
}
