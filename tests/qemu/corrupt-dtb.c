/*
 * Makes a device tree that QEMU still loads (it only repacks the blob and
 * edits /chosen and /memory) but whose structure block is corrupt elsewhere:
 * the name offset of a property under /soc points far outside the strings
 * block. The kernel must say so on its early console and halt.
 * Usage: corrupt-dtb IN OUT
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	static char blob[1 << 21];
	FILE *f;
	size_t n;
	int node, prop;

	if (argc != 3 || !(f = fopen(argv[1], "rb")))
		return 2;
	n = fread(blob, 1, sizeof(blob), f);
	fclose(f);
	if (fdt_check_header(blob) || n < fdt_totalsize(blob))
		return 3;
	node = fdt_path_offset(blob, "/soc");
	prop = node < 0 ? node : fdt_first_property_offset(blob, node);
	if (prop < 0)
		return 4;
	/* struct fdt_property: tag, len, nameoff (big-endian). */
	fdt32_t *raw = (fdt32_t *)(blob + fdt_off_dt_struct(blob) + prop);
	raw[2] = cpu_to_fdt32(0x7ffffff0);
	if (!(f = fopen(argv[2], "wb")) || fwrite(blob, 1, n, f) != n)
		return 5;
	return fclose(f) ? 5 : 0;
}
