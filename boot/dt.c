/*
 * dt.c: the one place that reads the flattened device tree.
 *
 * dt_parse() validates the whole blob up front (header, bounds, structure
 * block) so that the walks below can trust libfdt's offsets, then copies what
 * the kernel needs into struct boot_info. Everything else in the kernel reads
 * boot_info only.
 *
 * Rules this file keeps, because it runs before anything can report a crash:
 *  - every property is length-checked before use; strings must be
 *    NUL-terminated inside their property; cells are read with fdt32_ld()
 *    (byte loads), never by dereferencing a possibly unaligned pointer;
 *  - no recursion; every walk up the tree or through aliases has a fixed
 *    bound (libfdt's own alias lookup recurses without one, so it is avoided);
 *  - only memchr/memcmp/memcpy/memset/strlen from the C library.
 */
#include <libfdt.h>
#include "boot/boot_info.h"

#define DT_MAX_DEPTH 32      /* deepest node whose address we translate */
#define DT_MAX_ALIAS_HOPS 8  /* alias -> alias chains longer than this are loops */
#define DT_MAX_CELLS 2       /* we handle 1- or 2-cell addresses and sizes */

/* Bounded string copy: src may lack a NUL within srclen; dst always ends with one. */
static void copy_str(char *dst, size_t dstsz, const char *src, size_t srclen)
{
	size_t n = 0;

	if (dstsz == 0)
		return;
	if (src) {
		/* memchr, not strnlen: the latter is POSIX, hidden under -std=c11 */
		const char *nul = memchr(src, '\0', srclen);
		n = nul ? (size_t)(nul - src) : srclen;
	}
	if (n > dstsz - 1)
		n = dstsz - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

/* strcmp is not on our freestanding list; a is known NUL-terminated. */
static bool str_eq(const char *a, const char *b)
{
	size_t n = strlen(b);

	return strlen(a) == n && memcmp(a, b, n) == 0;
}

/* A string property, or NULL if absent or not NUL-terminated within its length. */
static const char *get_str(const void *fdt, int node, const char *name)
{
	int len;
	const char *p = fdt_getprop(fdt, node, name, &len);

	if (!p || len <= 0 || !memchr(p, '\0', (size_t)len))
		return NULL;
	return p;
}

/*
 * libfdt finds a node's parent, and a phandle's node, by walking the tree
 * from its start. The parse asks for the same few again and again (each
 * UART's bus, the interrupt controllers), so the answers are kept for the
 * length of one dt_parse (memo_reset), keyed by the blob and the question.
 */
#define MEMO_SLOTS 16
static struct memo { const void *fdt; int kind, key, val; } memo[MEMO_SLOTS];
static int memo_next;

static void memo_reset(void)
{
	memset(memo, 0, sizeof(memo));
	memo_next = 0;
}

static int memo_ask(const void *fdt, int kind, int key, int (*ask)(const void *, int))
{
	for (int i = 0; i < MEMO_SLOTS; i++)
		if (memo[i].fdt == fdt && memo[i].kind == kind && memo[i].key == key)
			return memo[i].val;
	int val = ask(fdt, key);
	memo[memo_next] = (struct memo){ fdt, kind, key, val };
	memo_next = (memo_next + 1) % MEMO_SLOTS;
	return val;
}

static int ask_parent(const void *fdt, int node)
{
	return fdt_parent_offset(fdt, node);
}

static int ask_phandle(const void *fdt, int ph)
{
	return fdt_node_offset_by_phandle(fdt, (uint32_t)ph);
}

/*
 * libfdt answers "the parent of", "the node of phandle", "the node at
 * path", "the next node compatible with" and "the path of" by walking the
 * structure block from its start, tag by tag: a few hundred thousand
 * instructions each on a Pi's tree, and the parse asks dozens. So dt_parse
 * walks it once (index_build) and keeps every node's offset, parent, depth,
 * phandle and compatible list, in structure order; the questions are then
 * answered from the index. A tree with more nodes than the index holds is
 * read through libfdt's walks, as before (index.ok false).
 */
#ifndef DT_INDEX_MAX          /* host tests shrink it to try the walks without it */
#define DT_INDEX_MAX 1024
#endif

struct dt_node {
	int off;               /* in the structure block */
	int parent;            /* index; the root is its own */
	int depth;             /* the root is 0 */
	uint32_t phandle;      /* 0: none */
	const char *compat;    /* the compatible stringlist, or NULL */
	int compat_len;
	const char *device_type;  /* NUL-terminated inside its property, or NULL */
	bool has_device_type;     /* even a malformed one */
};

static struct {
	const void *fdt;
	bool ok;
	int n;
	struct dt_node node[DT_INDEX_MAX];
} index;

/* One property of node d: its phandle, compatible list, device_type. */
static void index_prop(struct dt_node *d, const char *name, const char *v, int len)
{
	switch (name[0]) {     /* the first letter, before any string compare */
	case 'p':
		if (len == 4 && str_eq(name, "phandle"))
			d->phandle = fdt32_ld((const fdt32_t *)v);
		break;
	case 'l':
		if (len == 4 && !d->phandle && str_eq(name, "linux,phandle"))
			d->phandle = fdt32_ld((const fdt32_t *)v);
		break;
	case 'c':
		if (len > 0 && str_eq(name, "compatible"))
			d->compat = v, d->compat_len = len;
		break;
	case 'd':
		if (str_eq(name, "device_type")) {
			d->has_device_type = true;
			if (len > 0 && memchr(v, '\0', (size_t)len))
				d->device_type = v;
		}
		break;
	}
}

static uint32_t align4(uint32_t off)
{
	return (off + 3) & ~3u;
}

/*
 * The walk, over the structure block's tags themselves: libfdt's node and
 * property iterators would each read every tag again. fdt_check_full has
 * vouched for the block; every read is bounded all the same, and anything
 * unexpected leaves the index unused (ok false), as does a tree that does
 * not fit.
 */
static void index_build(const void *fdt)
{
	const char *st = (const char *)fdt + fdt_off_dt_struct(fdt);
	const char *strs = (const char *)fdt + fdt_off_dt_strings(fdt);
	uint32_t size = fdt_size_dt_struct(fdt), ssize = fdt_size_dt_strings(fdt), off = 0;
	int stack[DT_MAX_DEPTH + 1], depth = -1;

	index.fdt = fdt;
	index.ok = false;
	index.n = 0;
	while (off <= size && size - off >= 4) {
		uint32_t tag = fdt32_ld((const fdt32_t *)(st + off)), at = off;
		const char *nul;

		off += 4;
		switch (tag) {
		case FDT_BEGIN_NODE:
			nul = memchr(st + off, '\0', size - off);
			if (!nul || depth == DT_MAX_DEPTH || index.n == DT_INDEX_MAX ||
			    (depth == -1) != (index.n == 0))
				return;
			depth++;
			index.node[index.n] = (struct dt_node){ .off = (int)at,
				.parent = depth ? stack[depth - 1] : 0, .depth = depth };
			stack[depth] = index.n++;
			off = align4((uint32_t)(nul + 1 - st));
			break;
		case FDT_PROP: {
			if (depth < 0 || size - off < 8)
				return;
			uint32_t len = fdt32_ld((const fdt32_t *)(st + off));
			uint32_t name = fdt32_ld((const fdt32_t *)(st + off + 4));
			off += 8;
			if (len > size - off || name >= ssize || !memchr(strs + name, '\0', ssize - name))
				return;
			index_prop(&index.node[stack[depth]], strs + name, st + off, (int)len);
			off = align4(off + len);
			break;
		}
		case FDT_END_NODE:
			if (depth < 0)
				return;
			depth--;
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			index.ok = depth == -1 && index.n > 0;
			return;
		default:
			return;
		}
	}
}

static bool indexed(const void *fdt)
{
	return index.ok && index.fdt == fdt;
}

/* The index entry of the node at off, or -1 (binary search: in order). */
static int index_of(int off)
{
	int lo = 0, hi = index.n - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (index.node[mid].off == off)
			return mid;
		if (index.node[mid].off < off)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static int node_depth(const void *fdt, int node)
{
	int i = indexed(fdt) ? index_of(node) : -1;

	return i >= 0 ? index.node[i].depth : fdt_node_depth(fdt, node);
}

/* libfdt's name match: exact, or the name before "@unit" when the
 * name asked for has no unit. */
static bool name_matches(const void *fdt, int node, const char *name, int len)
{
	int nlen;
	const char *n = fdt_get_name(fdt, node, &nlen);

	if (!n || nlen < len || memcmp(n, name, (size_t)len) != 0)
		return false;
	return nlen == len || (n[len] == '@' && !memchr(name, '@', (size_t)len));
}

/* fdt_subnode_offset_namelen over the index. */
static int subnode(const void *fdt, int parent, const char *name, int len)
{
	int p = indexed(fdt) ? index_of(parent) : -1;

	if (p < 0)
		return fdt_subnode_offset_namelen(fdt, parent, name, len);
	for (int i = p + 1; i < index.n && index.node[i].depth > index.node[p].depth; i++)
		if (index.node[i].parent == p && name_matches(fdt, index.node[i].off, name, len))
			return index.node[i].off;
	return -FDT_ERR_NOTFOUND;
}

/* fdt_path_offset_namelen for a path from the root ("/a/b"; no alias). */
static int path_node(const void *fdt, const char *path, int len)
{
	const char *end = path + len;
	int node;

	if (!indexed(fdt) || len < 1 || path[0] != '/')
		return fdt_path_offset_namelen(fdt, path, len);
	node = index.node[0].off;
	while (path < end && node >= 0) {
		const char *q;

		if (*path == '/') {
			path++;
			continue;
		}
		q = memchr(path, '/', (size_t)(end - path));
		if (!q)
			q = end;
		node = subnode(fdt, node, path, (int)(q - path));
		path = q;
	}
	return node;
}

static int path_offset(const void *fdt, const char *path)
{
	return path_node(fdt, path, (int)strlen(path));
}

/* fdt_node_offset_by_compatible: the first node after start (-1: from the
 * start) whose compatible list holds compat. */
static int next_compatible(const void *fdt, int start, const char *compat)
{
	int i = start < 0 ? 0 : (indexed(fdt) ? index_of(start) + 1 : 0);

	if (!indexed(fdt) || (start >= 0 && i == 0))
		return fdt_node_offset_by_compatible(fdt, start, compat);
	for (; i < index.n; i++) {
		const struct dt_node *d = &index.node[i];
		if (d->compat && fdt_stringlist_contains(d->compat, d->compat_len, compat))
			return d->off;
	}
	return -FDT_ERR_NOTFOUND;
}

/* fdt_get_path over the index: "/" and the names from the root down. */
static int node_path_of(const void *fdt, int node, char *buf, int size)
{
	int i = indexed(fdt) ? index_of(node) : -1, chain[DT_MAX_DEPTH + 1], n = 0, at = 0;

	if (i < 0)
		return fdt_get_path(fdt, node, buf, size);
	for (; i > 0 && n <= DT_MAX_DEPTH; i = index.node[i].parent)
		chain[n++] = i;
	if (size < 2)
		return -FDT_ERR_NOSPACE;
	buf[at++] = '/';
	while (n-- > 0) {
		int len;
		const char *name = fdt_get_name(fdt, index.node[chain[n]].off, &len);
		if (!name || at + len + (n > 0) >= size)
			return -FDT_ERR_NOSPACE;
		memcpy(buf + at, name, (size_t)len);
		at += len;
		if (n > 0)
			buf[at++] = '/';
	}
	buf[at] = '\0';
	return 0;
}

static int parent_of(const void *fdt, int node)
{
	int i = indexed(fdt) ? index_of(node) : -1;

	if (i < 0)
		return memo_ask(fdt, 1, node, ask_parent);
	return i ? index.node[index.node[i].parent].off : -FDT_ERR_NOTFOUND;
}

static int node_by_phandle(const void *fdt, uint32_t ph)
{
	if (!indexed(fdt))
		return memo_ask(fdt, 2, (int)ph, ask_phandle);
	if (ph == 0 || ph == (uint32_t)-1)
		return -FDT_ERR_BADPHANDLE;
	for (int i = 0; i < index.n; i++)
		if (index.node[i].phandle == ph)
			return index.node[i].off;
	return -FDT_ERR_NOTFOUND;
}

/* Reads n (1..2) big-endian cells byte-wise, so alignment never matters. */


static uint64_t read_cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = (v << 32) | fdt32_ld(p + i);
	return v;
}

/* A one-cell property: 1 if present, 0 if absent, -1 if not exactly one cell. */
static int prop_u32(const void *fdt, int node, const char *name, uint32_t *v)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p)
		return len == -FDT_ERR_NOTFOUND ? 0 : -1;
	if (len != 4)
		return -1;
	*v = fdt32_ld(p);
	return 1;
}

/* A cell count such as #address-cells, or dflt if absent; -1 if malformed. */
static int get_ncells(const void *fdt, int node, const char *name, int dflt)
{
	uint32_t v;
	int rc = prop_u32(fdt, node, name, &v);

	if (rc <= 0)
		return rc == 0 ? dflt : -1;
	return v > DT_MAX_CELLS ? -1 : (int)v;
}

/* The cell counts a bus gives its children; only 1 or 2 are meaningful here. */
static int bus_cells(const void *fdt, int bus, int *ac, int *sc)
{
	*ac = get_ncells(fdt, bus, "#address-cells", 2);
	*sc = get_ncells(fdt, bus, "#size-cells", 1);
	if (*ac < 1 || *ac > DT_MAX_CELLS || *sc < 1 || *sc > DT_MAX_CELLS)
		return -1;
	return 0;
}

/*
 * Maps *addr from bus's child address space into parent's through bus's
 * ranges. Missing ranges means the bus is not memory-mapped: untranslatable.
 */
static int apply_ranges(const void *fdt, int bus, int parent, uint64_t *addr)
{
	int len, cac, csc, pac, psc;
	const fdt32_t *r = fdt_getprop(fdt, bus, "ranges", &len);

	if (!r)
		return -1;
	if (len == 0)
		return 0;  /* empty ranges: identity mapping */
	if (bus_cells(fdt, bus, &cac, &csc) < 0 ||
	    bus_cells(fdt, parent, &pac, &psc) < 0)
		return -1;
	int stride = cac + pac + csc;
	if (len % (stride * 4) != 0)
		return -1;
	for (int i = 0; i < len / 4; i += stride) {
		uint64_t cb = read_cells(r + i, cac);
		uint64_t pb = read_cells(r + i + cac, pac);
		uint64_t sz = read_cells(r + i + cac + pac, csc);

		if (*addr >= cb && *addr - cb < sz) {
			*addr = pb + (*addr - cb);
			return 0;
		}
	}
	return -1;  /* not inside any window of this bus */
}

/*
 * Translates an address on bus (the node whose reg cells it came from is
 * bus's child) to a CPU physical address by applying every ancestor's ranges
 * up to the root. Bounded by DT_MAX_DEPTH.
 */
static int translate(const void *fdt, int bus, uint64_t *addr)
{
	for (int hop = 0; hop <= DT_MAX_DEPTH; hop++) {
		int depth = node_depth(fdt, bus);

		if (depth < 0 || depth > DT_MAX_DEPTH)
			return -1;
		if (depth == 0)
			return 0;  /* reached the root: CPU address space */
		int parent = parent_of(fdt, bus);
		if (parent < 0 || apply_ranges(fdt, bus, parent, addr) < 0)
			return -1;
		bus = parent;
	}
	return -1;
}

/* A node's reg property, decoded with its parent's cell counts. */
struct reg_prop {
	const fdt32_t *cells;
	int n;        /* number of (address, size) entries; 0 if no reg */
	int ac, sc;
	int bus;      /* the parent, where translation starts */
};

/* Opens node's reg; 0 with n == 0 when there is none, -1 when malformed. */
static int reg_open(const void *fdt, int node, struct reg_prop *r)
{
	int len;

	r->n = 0;
	r->bus = parent_of(fdt, node);
	if (r->bus < 0 || bus_cells(fdt, r->bus, &r->ac, &r->sc) < 0)
		return -1;
	r->cells = fdt_getprop(fdt, node, "reg", &len);
	if (!r->cells)
		return len == -FDT_ERR_NOTFOUND ? 0 : -1;
	int entry = (r->ac + r->sc) * 4;
	if (len % entry != 0)
		return -1;
	r->n = len / entry;
	return 0;
}

/* Entry i of an opened reg, untranslated (bus address). */
static void reg_get(const struct reg_prop *r, int i, uint64_t *base, uint64_t *size)
{
	const fdt32_t *p = r->cells + i * (r->ac + r->sc);

	*base = read_cells(p, r->ac);
	*size = read_cells(p + r->ac, r->sc);
}

/* First reg entry of node in CPU physical addresses; -1 if absent or untranslatable. */
static int first_reg(const void *fdt, int node, uint64_t *base, uint64_t *size)
{
	struct reg_prop r;

	if (reg_open(fdt, node, &r) < 0 || r.n == 0)
		return -1;
	reg_get(&r, 0, base, size);
	return translate(fdt, r.bus, base);
}

/* status absent, "okay" or "ok" means the device may be used. */
static bool node_enabled(const void *fdt, int node)
{
	int len;
	const char *s;

	if (!fdt_getprop(fdt, node, "status", &len))
		return true;
	s = get_str(fdt, node, "status");
	return s && (str_eq(s, "okay") || str_eq(s, "ok"));
}

/* Appends a non-empty range to a fixed array; false only when it is full. */
static bool add_range(struct phys_range *a, int *n, int max, uint64_t base, uint64_t size)
{
	if (size == 0)
		return true;
	if (*n >= max)
		return false;
	a[*n].base = base;
	a[*n].size = size;
	(*n)++;
	return true;
}

/* RAM is described by device_type = "memory"; old trees only name it memory@. */
static bool is_memory_node(const void *fdt, int node, int depth)
{
	const char *t = get_str(fdt, node, "device_type");
	const char *name;
	int len;

	if (t)
		return str_eq(t, "memory");
	if (depth != 1 || fdt_getprop(fdt, node, "device_type", &len))
		return false;  /* name match only for root children without device_type */
	name = fdt_get_name(fdt, node, &len);
	return name && len >= 6 && memcmp(name, "memory", 6) == 0 &&
	       (len == 6 || name[6] == '@');
}

/*
 * Collects RAM from every enabled memory node. Ranges beyond BI_MAX_MEM are
 * dropped (ignoring RAM is safe); empty or untranslatable entries too.
 */
/* A memory node's reg entries into bi->mem. */
static void add_memory(const void *fdt, int node, struct boot_info *bi)
{
	struct reg_prop r;

	if (!node_enabled(fdt, node) || reg_open(fdt, node, &r) < 0)
		return;
	for (int i = 0; i < r.n; i++) {
		uint64_t base, size;

		reg_get(&r, i, &base, &size);
		if (size == 0 || translate(fdt, r.bus, &base) < 0)
			continue;
		if (base + size < base)
			size = 0 - base;  /* clamp a range that wraps past 2^64 */
		add_range(bi->mem, &bi->nmem, BI_MAX_MEM, base, size);
	}
}

/* is_memory_node from what the index holds. */
static bool indexed_memory_node(const void *fdt, const struct dt_node *d)
{
	const char *name;
	int len;

	if (d->device_type)
		return str_eq(d->device_type, "memory");
	if (d->depth != 1 || d->has_device_type)
		return false;
	name = fdt_get_name(fdt, d->off, &len);
	return name && len >= 6 && memcmp(name, "memory", 6) == 0 &&
	       (len == 6 || name[6] == '@');
}

static int scan_memory(const void *fdt, struct boot_info *bi, const char **err)
{
	int depth = 0, node = -FDT_ERR_NOTFOUND;  /* fdt_next_node counts the root as depth 1 */

	if (indexed(fdt)) {
		for (int i = 0; i < index.n; i++)
			if (indexed_memory_node(fdt, &index.node[i]))
				add_memory(fdt, index.node[i].off, bi);
	} else {
		for (node = fdt_next_node(fdt, -1, &depth); node >= 0;
		     node = fdt_next_node(fdt, node, &depth))
			if (is_memory_node(fdt, node, depth - 1))
				add_memory(fdt, node, bi);
	}
	if (node != -FDT_ERR_NOTFOUND) {
		*err = "corrupt structure block";
		return -1;
	}
	if (bi->nmem == 0) {
		*err = "no usable memory";
		return -1;
	}
	return 0;
}

/* The /memreserve/ block. Overflowing is an error: a lost reservation corrupts firmware data. */
static int scan_memreserve(const void *fdt, struct boot_info *bi, const char **err)
{
	int n = fdt_num_mem_rsv(fdt);

	if (n < 0) {
		*err = "corrupt memory reservation block";
		return -1;
	}
	for (int i = 0; i < n; i++) {
		uint64_t base, size;

		if (fdt_get_mem_rsv(fdt, i, &base, &size) < 0) {
			*err = "corrupt memory reservation block";
			return -1;
		}
		if (!add_range(bi->rsv, &bi->nrsv, BI_MAX_RSV, base, size)) {
			*err = "too many memory reservations";
			return -1;
		}
	}
	return 0;
}

/*
 * Children of /reserved-memory with a reg, in /reserved-memory's own cells.
 * Only status "disabled" is skipped: any other status still owns the memory.
 * The binding requires identity ranges; if translation fails the raw address
 * is kept, since over-reserving is the safe mistake.
 */
static int scan_reserved_memory(const void *fdt, struct boot_info *bi, const char **err)
{
	int rm = path_offset(fdt, "/reserved-memory");
	int child;

	if (rm < 0)
		return 0;
	fdt_for_each_subnode(child, fdt, rm) {
		const char *st = get_str(fdt, child, "status");
		struct reg_prop r;

		if ((st && str_eq(st, "disabled")) || reg_open(fdt, child, &r) < 0)
			continue;
		for (int i = 0; i < r.n; i++) {
			uint64_t base, size, phys;

			reg_get(&r, i, &base, &size);
			phys = base;
			if (translate(fdt, r.bus, &phys) < 0)
				phys = base;
			if (!add_range(bi->rsv, &bi->nrsv, BI_MAX_RSV, phys, size)) {
				*err = "too many memory reservations";
				return -1;
			}
		}
	}
	return 0;
}

/* An initrd bound: 1 or 2 cells. 1 if present, 0 if absent, -1 if malformed. */
static int get_addr_prop(const void *fdt, int node, const char *name, uint64_t *v)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p)
		return len == -FDT_ERR_NOTFOUND ? 0 : -1;
	if (len != 4 && len != 8)
		return -1;
	*v = read_cells(p, len / 4);
	return 1;
}

/* linux,initrd-start/end; both must be present (else no initrd) and ordered. */
static int parse_initrd(const void *fdt, int chosen, struct boot_info *bi, const char **err)
{
	uint64_t start = 0, end = 0;
	int hs = get_addr_prop(fdt, chosen, "linux,initrd-start", &start);
	int he = get_addr_prop(fdt, chosen, "linux,initrd-end", &end);

	if (hs < 0 || he < 0) {
		*err = "malformed linux,initrd-start/end in /chosen";
		return -1;
	}
	if (hs == 0 || he == 0)
		return 0;
	if (end < start) {
		*err = "initrd end before start";
		return -1;
	}
	bi->initrd_start = start;
	bi->initrd_end = end;
	return 0;
}

/* Looks up an alias by name (namelen bytes); NULL if absent or not a proper string. */
static const char *alias_lookup(const void *fdt, const char *name, int namelen)
{
	int aliases = path_offset(fdt, "/aliases");
	int len;
	const char *v;

	if (aliases < 0 || namelen <= 0)
		return NULL;
	v = fdt_getprop_namelen(fdt, aliases, name, namelen, &len);
	if (!v || len <= 1 || !memchr(v, '\0', (size_t)len))
		return NULL;
	return v;
}

/* Follows "a/b/c" relative to node, one subnode per component. */
static int walk_subpath(const void *fdt, int node, const char *p, int len)
{
	const char *end = p + len;

	while (p < end && node >= 0) {
		const char *q;

		if (*p == '/') {
			p++;
			continue;
		}
		q = memchr(p, '/', (size_t)(end - p));
		if (!q)
			q = end;
		node = subnode(fdt, node, p, (int)(q - p));
		p = q;
	}
	return node;
}

/* Return value of resolve_path when alias hops exceed DT_MAX_ALIAS_HOPS. */
#define DT_ALIAS_LOOP (-FDT_ERR_MAX - 1)

/*
 * Finds the node a path or "alias[/sub/path]" names, following alias chains
 * at most DT_MAX_ALIAS_HOPS deep. Each hop's sub-path is remembered and
 * applied innermost first once a full path is reached.
 */
static int resolve_path(const void *fdt, const char *path, int len)
{
	const char *sub[DT_MAX_ALIAS_HOPS];
	int sublen[DT_MAX_ALIAS_HOPS];
	int hops, node;

	for (hops = 0; len > 0 && path[0] != '/'; hops++) {
		const char *q;
		int namelen;

		if (hops == DT_MAX_ALIAS_HOPS)
			return DT_ALIAS_LOOP;
		q = memchr(path, '/', (size_t)len);
		namelen = q ? (int)(q - path) : len;
		sub[hops] = path + namelen;
		sublen[hops] = len - namelen;
		path = alias_lookup(fdt, path, namelen);
		if (!path)
			return -FDT_ERR_NOTFOUND;
		len = (int)strlen(path);
	}
	if (len <= 0)
		return -FDT_ERR_BADPATH;
	node = path_node(fdt, path, len);  /* starts with '/': no alias recursion */
	while (hops-- > 0 && node >= 0)
		node = walk_subpath(fdt, node, sub[hops], sublen[hops]);
	return node;
}

/* The UART kinds we drive, by compatible string. */
static enum uart_kind uart_kind_of(const void *fdt, int node)
{
	if (fdt_node_check_compatible(fdt, node, "arm,pl011") == 0)
		return UART_PL011;
	if (fdt_node_check_compatible(fdt, node, "brcm,bcm2835-aux-uart") == 0)
		return UART_MINI;
	return UART_NONE;
}

/* Full node path into buf; empty when it does not fit (callers treat it as informative only). */
static void node_path(const void *fdt, int node, char *buf, int size)
{
	if (node_path_of(fdt, node, buf, size) < 0)
		buf[0] = '\0';
	buf[size - 1] = '\0';
}

static void fill_dev(const void *fdt, int node, struct dev_info *d);
static int interrupt_parent(const void *fdt, int node);

/* The first interrupt of node: its controller, its cells, the controller's own parent. */
static void fill_irq(const void *fdt, int node, struct irq_info *q)
{
	int ctl = interrupt_parent(fdt, node), len, plen;
	uint32_t cells = 0, pcells = 0;
	const fdt32_t *irqs = fdt_getprop(fdt, node, "interrupts", &len);

	memset(q, 0, sizeof(*q));
	if (ctl < 0 || !irqs || prop_u32(fdt, ctl, "#interrupt-cells", &cells) <= 0 ||
	    cells < 1 || cells > 3 || len < (int)(cells * 4))
		return;
	fill_dev(fdt, ctl, &q->ctl);
	if (!q->ctl.found)
		return;
	q->ncells = cells;
	for (uint32_t i = 0; i < cells; i++)
		q->cell[i] = fdt32_to_cpu(irqs[i]);
	q->found = true;
	/* A controller with interrupts of its own is chained to its parent. */
	const fdt32_t *own = fdt_getprop(fdt, ctl, "interrupts", &plen);
	int parent = own ? interrupt_parent(fdt, ctl) : -1;
	if (parent >= 0 && parent != ctl && plen >= 4 &&
	    prop_u32(fdt, parent, "#interrupt-cells", &pcells) > 0 && pcells >= 1) {
		fill_dev(fdt, parent, &q->parent);
		q->chained = q->parent.found;
		q->parent_irq = fdt32_to_cpu(own[0]);
	}
}

/* Describes node as a UART; false (u left zeroed) if not one we drive or its address is unknown. */
static bool fill_uart(const void *fdt, int node, struct uart_info *u)
{
	uint64_t base, size;
	enum uart_kind kind = uart_kind_of(fdt, node);
	uint32_t clk = 0;

	memset(u, 0, sizeof(*u));
	if (kind == UART_NONE || first_reg(fdt, node, &base, &size) < 0)
		return false;
	u->kind = kind;
	u->phys = base;
	u->size = size;
	if (prop_u32(fdt, node, "clock-frequency", &clk) > 0)
		u->clock_hz = clk;
	node_path(fdt, node, u->path, sizeof(u->path));
	fill_irq(fdt, node, &u->irq);
	return true;
}

/* The first enabled, addressable node compatible with compat. */
static void first_uart(const void *fdt, const char *compat, struct uart_info *u)
{
	int node = next_compatible(fdt, -1, compat);

	for (; node >= 0; node = next_compatible(fdt, node, compat))
		if (node_enabled(fdt, node) && fill_uart(fdt, node, u))
			return;
	memset(u, 0, sizeof(*u));
}

/* /chosen's rng-seed (any length) and kaslr-seed (8 bytes), as Linux's
 * early_init_dt_scan_chosen takes them: every byte folded in (FNV-1a). */
static void parse_seeds(const void *fdt, int chosen, struct boot_info *bi)
{
	static const char *const props[] = { "rng-seed", "kaslr-seed" };
	uint64_t h = 0xcbf29ce484222325UL;

	for (unsigned i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
		int len;
		const uint8_t *p = fdt_getprop(fdt, chosen, props[i], &len);
		for (int k = 0; p && k < len; k++)
			h = (h ^ p[k]) * 0x100000001b3UL;
		if (p && len > 0)
			bi->seed_bytes += (uint32_t)len;
	}
	bi->rng_seed = bi->seed_bytes ? h : 0;
}

/*
 * /chosen: bootargs, initrd, the bootloader's random seeds and the console. A stdout-path that names nothing
 * we can drive leaves the console NONE; only an alias loop is an error.
 */
static int parse_chosen(const void *fdt, struct boot_info *bi, const char **err)
{
	int chosen = path_offset(fdt, "/chosen");
	const char *p, *colon;
	int len, node;

	if (chosen < 0)
		return 0;
	p = fdt_getprop(fdt, chosen, "bootargs", &len);
	if (p && len > 0)
		copy_str(bi->bootargs, sizeof(bi->bootargs), p, (size_t)len);
	if (parse_initrd(fdt, chosen, bi, err) < 0)
		return -1;
	parse_seeds(fdt, chosen, bi);

	p = get_str(fdt, chosen, "stdout-path");
	if (!p)
		p = get_str(fdt, chosen, "linux,stdout-path");
	if (!p)
		return 0;
	colon = memchr(p, ':', strlen(p));
	len = colon ? (int)(colon - p) : (int)strlen(p);
	node = resolve_path(fdt, p, len);
	if (node == DT_ALIAS_LOOP) {
		*err = "alias loop in /chosen/stdout-path";
		return -1;
	}
	if (node >= 0)
		fill_uart(fdt, node, &bi->console);
	return 0;
}

/* Describes a device we keep (intc, timer): first compatible, first reg translated. */
static void fill_dev(const void *fdt, int node, struct dev_info *d)
{
	struct reg_prop r;
	int len;
	const char *compat = fdt_getprop(fdt, node, "compatible", &len);

	memset(d, 0, sizeof(*d));
	if (reg_open(fdt, node, &r) < 0)
		return;
	if (r.n > 0) {
		reg_get(&r, 0, &d->phys, &d->size);
		if (translate(fdt, r.bus, &d->phys) < 0) {
			memset(d, 0, sizeof(*d));
			return;  /* a device at an unknown address is unusable */
		}
	}
	if (r.n > 1) {
		reg_get(&r, 1, &d->phys2, &d->size2);
		if (translate(fdt, r.bus, &d->phys2) < 0)
			d->phys2 = d->size2 = 0;
	}
	if (compat && len > 0)
		copy_str(d->compatible, sizeof(d->compatible), compat, (size_t)len);
	node_path(fdt, node, d->path, sizeof(d->path));
	d->found = true;
}

/* The interrupt controller is whatever the root's interrupt-parent names. */
static void find_intc(const void *fdt, int root, struct boot_info *bi)
{
	uint32_t ph;
	int node;

	if (prop_u32(fdt, root, "interrupt-parent", &ph) <= 0)
		return;
	node = node_by_phandle(fdt, ph);
	if (node >= 0)
		fill_dev(fdt, node, &bi->intc);
}

/* A node's interrupt parent: its own interrupt-parent or its nearest ancestor's. */
static int interrupt_parent(const void *fdt, int node)
{
	uint32_t ph;

	for (int depth = 0; node >= 0 && depth < 32; depth++) {
		if (prop_u32(fdt, node, "interrupt-parent", &ph) > 0)
			return node_by_phandle(fdt, ph);
		node = parent_of(fdt, node);
	}
	return -1;
}

/*
 * The virtual timer's interrupt: the third specifier of the timer's
 * interrupts (secure, non-secure, virtual, hypervisor). A GIC specifier is
 * <type number flags>, a PPI numbered from 16; others give the number first.
 */
static void find_timer_irq(const void *fdt, int timer, struct boot_info *bi)
{
	int ctl = interrupt_parent(fdt, timer), len;
	uint32_t cells = 0;
	const fdt32_t *irqs = fdt_getprop(fdt, timer, "interrupts", &len);

	if (ctl < 0 || prop_u32(fdt, ctl, "#interrupt-cells", &cells) <= 0 || cells < 1 ||
	    cells > 3 || !irqs || len < (int)(3 * cells * 4))
		return;
	fill_dev(fdt, ctl, &bi->timer_intc);
	const fdt32_t *spec = irqs + 2 * cells;
	if (cells == 3)
		bi->timer_virq = fdt32_to_cpu(spec[1]) + (fdt32_to_cpu(spec[0]) == 1 ? 16 : 32);
	else
		bi->timer_virq = fdt32_to_cpu(spec[0]);
	bi->timer_virq_found = bi->timer_intc.found;
}

/* The architected timer (armv7 compatible on 32-bit-era Pi 3 trees); its node or -1. */
static int find_timer(const void *fdt, struct boot_info *bi)
{
	int node = next_compatible(fdt, -1, "arm,armv8-timer");

	if (node < 0)
		node = next_compatible(fdt, -1, "arm,armv7-timer");
	if (node < 0)
		return -1;
	fill_dev(fdt, node, &bi->timer);
	find_timer_irq(fdt, node, bi);
	return node;
}

/* Maps a libfdt error from blob validation to a one-line reason. */
static const char *check_err(int rc)
{
	switch (-rc) {
	case FDT_ERR_BADMAGIC:   return "bad magic";
	case FDT_ERR_BADVERSION: return "unsupported FDT version";
	case FDT_ERR_TRUNCATED:  return "truncated: blob extends past its buffer or block";
	case FDT_ERR_BADSTRUCTURE: return "corrupt structure block";
	case FDT_ERR_BADOFFSET:  return "corrupt structure block: bad offset";
	case FDT_ERR_BADLAYOUT:  return "corrupt header: bad block layout";
	case FDT_ERR_ALIGNMENT:  return "misaligned blob";
	default:                 return "corrupt blob";
	}
}

/*
 * Whether every property's length fits in what is left of the structure
 * block. libfdt 1.6.1's fdt_next_tag adds the length to an int offset
 * unchecked: a length near 2^32 brings the offset back to the same tag,
 * and fdt_check_full loops forever on it (found by tests/fuzz/fuzz_dt.c).
 * Only after fdt_check_header (the block lies inside the blob). The walk
 * stops at anything else odd: fdt_check_full reports that.
 */
static bool props_fit(const void *fdt)
{
	const char *st = (const char *)fdt + fdt_off_dt_struct(fdt);
	uint32_t size = fdt_size_dt_struct(fdt), off = 0;

	while (off <= size && size - off >= 4) {
		uint32_t tag = fdt32_ld((const fdt32_t *)(st + off));
		const char *nul;

		off += 4;
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (!(nul = memchr(st + off, '\0', size - off)))
				return true;
			off = align4((uint32_t)(nul + 1 - st));
			break;
		case FDT_PROP: {
			if (size - off < 8)
				return true;
			uint32_t len = fdt32_ld((const fdt32_t *)(st + off));
			off += 8;
			if (len > size - off)
				return false;
			off = align4(off + len);
			break;
		}
		case FDT_END_NODE:
		case FDT_NOP:
			break;
		default:
			return true;
		}
	}
	return true;
}

/*
 * Validates everything libfdt later relies on, reading nothing beyond
 * max_size: header fields, totalsize, block offsets and the whole structure
 * block (fdt_check_full), so the walks in dt_parse cannot run off the blob.
 */
static int check_blob(const void *fdt, size_t max_size, const char **err)
{
	int rc;

	if (!fdt || max_size < sizeof(struct fdt_header)) {
		*err = "truncated: buffer smaller than the FDT header";
		return -1;
	}
	if ((uintptr_t)fdt & 7) {
		*err = "misaligned blob (must be 8-byte aligned)";
		return -1;
	}
	if (fdt_magic(fdt) != FDT_MAGIC) {
		*err = "bad magic";
		return -1;
	}
	/*
	 * v17 has been dtc's output since 2007 (firmware and QEMU emit it). Older
	 * layouts lack size_dt_struct and take little-tested libfdt paths:
	 * libfdt 1.6.1's fdt_check_full dereferences NULL on a fuzzed v9 blob.
	 */
	if (fdt_version(fdt) < 17) {
		*err = "unsupported FDT version (need 17)";
		return -1;
	}
	if (fdt_totalsize(fdt) > max_size) {
		*err = "truncated: totalsize larger than the buffer";
		return -1;
	}
	rc = fdt_check_header(fdt);
	if (rc == 0 && ((fdt_off_dt_struct(fdt) & 3) || (fdt_off_mem_rsvmap(fdt) & 7)))
		rc = -FDT_ERR_ALIGNMENT;
	if (rc == 0 && !props_fit(fdt))
		rc = -FDT_ERR_BADSTRUCTURE;
	if (rc == 0)
		rc = fdt_check_full(fdt, max_size);
	if (rc < 0) {
		*err = check_err(rc);
		return -1;
	}
	return 0;
}

/* The root's child named name, looked for among hint's later siblings first. */
static int root_child_near(const void *fdt, int hint, const char *name)
{
	for (int n = hint; n >= 0; n = fdt_next_subnode(fdt, n)) {
		const char *nm = fdt_get_name(fdt, n, NULL);
		if (nm && strcmp(nm, name) == 0)
			return n;
	}
	return subnode(fdt, 0, name, (int)strlen(name));
}

static bool prop_is(const void *v, int len, const char *str)
{
	return len == (int)strlen(str) + 1 && memcmp(v, str, (size_t)len) == 0;
}

static enum cpu_enable enable_method(const void *v, int len)
{
	if (prop_is(v, len, "spin-table"))
		return CPU_ENABLE_SPIN_TABLE;
	if (prop_is(v, len, "psci"))
		return CPU_ENABLE_PSCI;
	return CPU_ENABLE_NONE;
}

/*
 * The CPUs and how each is started (the Pi firmware and QEMU raspi park
 * them in a spin table; QEMU virt starts them through PSCI). /cpus is looked
 * for after the timer (hint), which it follows in the Pi trees: a search
 * from the start would walk all of /soc again.
 */
static void find_cpus(const void *fdt, struct boot_info *bi, int hint)
{
	int cpus = root_child_near(fdt, hint, "cpus"), node, prop;

	if (cpus < 0)
		return;
	fdt_for_each_subnode(node, fdt, cpus) {
		const fdt32_t *reg = NULL, *rel = NULL;
		enum cpu_enable method = CPU_ENABLE_NONE;
		bool is_cpu = false, disabled = false;
		int reg_len = 0, rel_len = 0;

		if (bi->ncpu == BI_MAX_CPUS)
			break;
		/* One pass over the properties: libfdt's lookups by name each walk them. */
		fdt_for_each_property_offset(prop, fdt, node) {
			const char *name;
			int len;
			const void *v = fdt_getprop_by_offset(fdt, prop, &name, &len);
			if (!v || !name)
				continue;
			if (strcmp(name, "reg") == 0)
				reg = v, reg_len = len;
			else if (strcmp(name, "cpu-release-addr") == 0)
				rel = v, rel_len = len;
			else if (strcmp(name, "enable-method") == 0)
				method = enable_method(v, len);
			else if (strcmp(name, "device_type") == 0)
				is_cpu = prop_is(v, len, "cpu");
			else if (strcmp(name, "status") == 0)
				disabled = prop_is(v, len, "disabled");
		}
		if (!is_cpu || disabled || !reg || (reg_len != 4 && reg_len != 8))
			continue;
		struct cpu_info *c = &bi->cpu[bi->ncpu++];
		c->mpidr = read_cells(reg, reg_len / 4);
		c->method = method;
		c->release = rel && (rel_len == 4 || rel_len == 8) ? read_cells(rel, rel_len / 4) : 0;
	}
}

/* /psci's conduit (QEMU virt, firmware with PSCI); the Pi 3 has none. */
static void find_psci(const void *fdt, struct boot_info *bi)
{
	int node = subnode(fdt, 0, "psci", 4), len;
	const void *m = node >= 0 ? fdt_getprop(fdt, node, "method", &len) : NULL;

	if (m && prop_is(m, len, "hvc"))
		bi->psci = PSCI_HVC;
	else if (m && prop_is(m, len, "smc"))
		bi->psci = PSCI_SMC;
}

/* 32-bit device registers are 4-byte aligned: a misaligned access to
 * device memory is an alignment fault, and a corrupt reg would take the
 * console's first line there, and the fault's report after it. */
static bool regs_usable(uint64_t base)
{
	return base % 4 == 0;
}

/* Drops d if its registers cannot be a device's. */
static void check_dev(struct dev_info *d)
{
	if (d->found && (!regs_usable(d->phys) || !regs_usable(d->phys2)))
		memset(d, 0, sizeof(*d));
}

static void check_uart(struct uart_info *u)
{
	if (u->kind != UART_NONE && !regs_usable(u->phys)) {
		memset(u, 0, sizeof(*u));
		return;
	}
	check_dev(&u->irq.ctl);
	check_dev(&u->irq.parent);
	u->irq.found = u->irq.found && u->irq.ctl.found;
	u->irq.chained = u->irq.chained && u->irq.parent.found;
}

/* What cannot be a device is not found (the devices are best-effort). */
static void check_devices(struct boot_info *bi)
{
	check_uart(&bi->console);
	check_uart(&bi->pl011);
	check_uart(&bi->mini);
	check_dev(&bi->intc);
	check_dev(&bi->timer_intc);
	bi->timer_virq_found = bi->timer_virq_found && bi->timer_intc.found;
}

/*
 * See boot_info.h. Validate first, then fill: memory and reservations are
 * required to be well-formed (the allocator trusts them), devices are
 * best-effort (a missing one is left NONE / not found).
 */
int dt_parse(const void *fdt, size_t max_size, phys_addr_t dtb_phys,
	     struct boot_info *bi, const char **err)
{
	const char *dummy;
	const void *model;
	int len, root;

	if (!err)
		err = &dummy;
	*err = "";
	memset(bi, 0, sizeof(*bi));
	memo_reset();
	bi->dtb_phys = dtb_phys;
	if (check_blob(fdt, max_size, err) < 0)
		return -1;
	bi->dtb_size = fdt_totalsize(fdt);
	index_build(fdt);

	/* the root is the first node; NOP tags may precede it, so don't assume offset 0 */
	root = fdt_next_node(fdt, -1, NULL);
	if (root < 0) {
		*err = "corrupt structure block: no root node";
		return -1;
	}
	model = fdt_getprop(fdt, root, "model", &len);
	if (model && len > 0)
		copy_str(bi->model, sizeof(bi->model), model, (size_t)len);

	if (scan_memory(fdt, bi, err) < 0 ||
	    scan_memreserve(fdt, bi, err) < 0 ||
	    scan_reserved_memory(fdt, bi, err) < 0 ||
	    parse_chosen(fdt, bi, err) < 0)
		return -1;

	first_uart(fdt, "arm,pl011", &bi->pl011);
	first_uart(fdt, "brcm,bcm2835-aux-uart", &bi->mini);
	find_intc(fdt, root, bi);
	find_cpus(fdt, bi, find_timer(fdt, bi));
	find_psci(fdt, bi);
	check_devices(bi);
	return 0;
}
