/*
 * Fuzz target: fs/initramfs.c's newc parser over any archive. cpio_count
 * sizes the node array and cpio_parse must then fit in it exactly as the
 * boot uses them (fs/rootfs.c); both agree on whether the archive is
 * corrupt; and the tree they build holds the invariants the unpacker
 * trusts: parents before children and directories, names and data inside
 * the archive, no "." or ".." or "/" in a name. cpio_check, which names
 * the fault for the boot's message, agrees on what is corrupt.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fs/initramfs.h"
#include "lib/uapi/errno.h"

static bool inside(const void *p, size_t n, const uint8_t *buf, size_t size)
{
	const uint8_t *q = p;

	return n == 0 || (q >= buf && q <= buf + size && n <= (size_t)(buf + size - q));
}

static void check_tree(const struct cpio_tree *t, int max, const uint8_t *buf, size_t size)
{
	if (t->count < 1 || t->count > max || !cpio_is_dir(&t->nodes[0]) || t->nodes[0].parent != 0)
		abort();
	for (int i = 1; i < t->count; i++) {
		const struct cpio_node *n = &t->nodes[i];

		if (n->parent < 0 || n->parent >= i || !cpio_is_dir(&t->nodes[n->parent]))
			abort();
		if (n->name_len == 0 || !inside(n->name, n->name_len, buf, size) ||
		    memchr(n->name, '/', n->name_len) || memchr(n->name, 0, n->name_len))
			abort();
		if ((n->name_len == 1 && n->name[0] == '.') ||
		    (n->name_len == 2 && n->name[0] == '.' && n->name[1] == '.'))
			abort();
		if (!inside(n->data, n->size, buf, size) || (n->size && !n->data))
			abort();
		/* Names are unique within a directory: the later entry won. */
		for (int j = 1; j < i; j++)
			if (t->nodes[j].parent == n->parent && t->nodes[j].name_len == n->name_len &&
			    memcmp(t->nodes[j].name, n->name, n->name_len) == 0)
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpio_tree t;
	struct cpio_fault f;
	int n = cpio_count(data, size), c = cpio_check(data, size, &f);

	/* cpio_check says why exactly when the archive is corrupt. */
	if ((n == -EINVAL) != (c == -EINVAL) || (c < 0 && (!f.why || f.off > size)))
		abort();

	if (n < 0) {
		if (n != -EINVAL && n != -ENOMEM)
			abort();
		/* No nodes at all: the verdict on the archive must not change. */
		int r = cpio_parse(data, size, &t, NULL, 0);
		if (n == -EINVAL && r != -EINVAL)
			abort();
		return 0;
	}
	if (n < 1)
		abort();
	struct cpio_node *nodes = malloc((size_t)n * sizeof(*nodes));
	if (!nodes)
		return 0;
	int r = cpio_parse(data, size, &t, nodes, n);
	if (r == 0)
		check_tree(&t, n, data, size);
	else if (r != -EINVAL || t.count != 0)
		abort();            /* ENOMEM: cpio_count counted too few */
	free(nodes);
	return 0;
}
