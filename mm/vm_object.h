/*
 * What a file mapping maps: an object that hands out its pages by index
 * (a tmpfs file, a memfd, a /dev/shm file). mm/ knows objects only through
 * these operations, so memory never depends on the file system; fs/tmpfs.c
 * provides them for its files.
 */
#ifndef BRAMBLE_VM_OBJECT_H
#define BRAMBLE_VM_OBJECT_H
#include "lib/types.h"
#include "mm/page_alloc.h"

struct vm_object_ops {
	/* The page at index idx for a mapping: 0 with *pa, or -errno (-EFAULT
	 * past the end of the object, -ENOSPC / -ENOMEM when a hole cannot
	 * be filled: both are SIGBUS at a fault). A read of a hole (alloc
	 * false) gives *pa = 0: the caller uses zeros. */
	int (*page)(void *obj, uint64_t idx, bool alloc, phys_addr_t *pa);
	/* The object's length in bytes (private mappings copy up to it). */
	uint64_t (*size)(void *obj);
	void (*get)(void *obj);
	void (*put)(void *obj);
	/* A shared mapping of it appears (+1) or goes (-1): lets the object
	 * know whether a shrink must unmap pages (vm_object_unmap_from). */
	void (*mapped)(void *obj, int delta);
	/* The name it was mapped by (tag: the opener's, held with tag_get and
	 * tag_put), for /proc/PID/maps: its length written into buf, or <0. */
	long (*describe)(void *tag, char *buf, size_t size);
	void (*tag_get)(void *tag);
	void (*tag_put)(void *tag);
};

struct vm_object {
	const struct vm_object_ops *ops;
	void *obj;
	void *tag;      /* how it was named when mapped (may be NULL) */
};

/* Removes every shared mapping's pages of obj at index >= first from all
 * address spaces (a file shrinking under its mappings: later accesses
 * there are SIGBUS, as Linux's unmap_mapping_range). */
void vm_object_unmap_from(void *obj, uint64_t first);
#endif
