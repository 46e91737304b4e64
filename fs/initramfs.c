/*
 * The newc cpio archive of the initramfs, parsed into a tree of nodes (fs/rootfs.c unpacks it into tmpfs). Pure code:
 * host-tested in tests/host/test_initramfs.c.
 *
 * The archive is untrusted: every header is validated (magic, hex fields,
 * name and data inside the buffer, TRAILER!!! present) before any node is
 * built, and every offset is checked before it is added to a pointer.
 * Lookups scan the node array linearly: an initramfs holds a few hundred
 * entries, and a flat array needs no allocator.
 */
#include "fs/initramfs.h"
#include "lib/uapi/errno.h"
#include <string.h>

#define CPIO_HDR_SIZE 110
#define CPIO_NFIELDS  13
#define INT_LIMIT     0x7fffffff

/* Header fields in archive order, after the 6-byte magic. */
enum {
	F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
	F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK,
};

/* One decoded header, its name and data located inside the archive. */
struct cpio_entry {
	uint32_t f[CPIO_NFIELDS];
	const char *name;      /* NUL-terminated inside the archive */
	size_t name_len;       /* without the NUL */
	const uint8_t *data;   /* NULL when the file is empty */
	size_t next;           /* offset of the next header; may lie past the end */
	const char *why;       /* what is wrong, when entry_at fails */
};

/* ---- archive headers ------------------------------------------------- */

/* Decodes an 8-digit field; false if any character is not hex (no sign, no
 * spaces: anything else means the archive is not what it claims). Every
 * header passes here several times (counting, then building), so the eight
 * digits are checked and decoded at once, as the bytes of one word. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "hex_field reads digits as a little-endian word");
#define ONES 0x0101010101010101ULL
#define HIGH (0x80 * ONES)

/* A high bit in each byte of x (each below 0x80) that lies in [lo, hi]. */
static uint64_t bytes_in(uint64_t x, unsigned lo, unsigned hi)
{
	return (x + (0x80 - lo) * ONES) & ~(x + (0x7f - hi) * ONES) & HIGH;
}

static bool hex_field(const char *p, uint32_t *out)
{
	uint64_t x;

	__builtin_memcpy(&x, p, sizeof(x));           /* p[0] in the low byte */
	if (x & HIGH)
		return false;
	uint64_t alpha = bytes_in(x | 0x20 * ONES, 'a', 'f');
	if ((bytes_in(x, '0', '9') | alpha) != HIGH)
		return false;
	/* Each byte its digit's value: the low nibble, plus 9 for a-f. */
	uint64_t n = (x & 0x0f * ONES) + (alpha >> 7) * 9;
	/* Pack the digits, p[0] the most significant: pairs, quads, all. */
	n = ((n & 0x000f000f000f000fULL) << 4) | ((n >> 8) & 0x000f000f000f000fULL);
	n = ((n & 0x000000ff000000ffULL) << 8) | ((n >> 16) & 0x000000ff000000ffULL);
	*out = (uint32_t)(((n & 0xffff) << 16) | ((n >> 32) & 0xffff));
	return true;
}

/* Rounds an offset up to cpio's 4-byte alignment; false on overflow. */
static bool align4(size_t *off)
{
	if (*off > SIZE_MAX - 3)
		return false;
	*off = (*off + 3) & ~(size_t)3;
	return true;
}

/* The 070702 checksum: the byte sum of a regular file's data. Checked so a
 * damaged archive is refused instead of handing out corrupt binaries. */
static bool crc_ok(const struct cpio_entry *e)
{
	uint32_t sum = 0;

	if ((e->f[F_MODE] & S_IFMT) != S_IFREG)
		return true;
	for (size_t i = 0; i < e->f[F_FILESIZE]; i++)
		sum += e->data[i];
	return sum == e->f[F_CHECK];
}

/* Magic and fields of the header at off; the header itself must fit. */
static int decode_header(const uint8_t *buf, size_t size, size_t off, struct cpio_entry *e)
{
	const char *h;

	e->why = off >= size ? "the archive ends without TRAILER!!!" : "truncated header";
	if (off > size || size - off < CPIO_HDR_SIZE)
		return -EINVAL;
	h = (const char *)buf + off;
	e->why = "bad magic (not a newc cpio archive)";
	if (memcmp(h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2'))
		return -EINVAL;
	e->why = "a header field is not 8 hex digits";
	for (int i = 0; i < CPIO_NFIELDS; i++)
		if (!hex_field(h + 6 + 8 * i, &e->f[i]))
			return -EINVAL;
	return 0;
}

/* Decodes the entry at off and checks that its name and data lie in buf. */
static int entry_at(const uint8_t *buf, size_t size, size_t off, struct cpio_entry *e)
{
	size_t name_off, namesize, data_off, filesize;
	int err = decode_header(buf, size, off, e);

	if (err)
		return err;
	name_off = off + CPIO_HDR_SIZE;          /* <= size: checked above */
	namesize = e->f[F_NAMESIZE];
	e->why = namesize < 2 ? "empty name" : "the name runs past the end";
	if (namesize < 2 || namesize > size - name_off)
		return -EINVAL;
	/* The name ends at its first NUL; NULs may pad the field up to its
	 * last byte, which must be one (as Linux's unpacker reads it):
	 * scripts/mkinitramfs pads names so file data falls on page bounds. */
	e->name = (const char *)buf + name_off;
	e->why = "the name does not end with a NUL";
	if (e->name[namesize - 1] != '\0')
		return -EINVAL;
	e->name_len = strlen(e->name);
	e->why = "empty name";
	if (e->name_len == 0)
		return -EINVAL;
	data_off = name_off + namesize;          /* <= size */
	filesize = e->f[F_FILESIZE];
	e->why = "the file data runs past the end";
	if (!align4(&data_off))
		return -EINVAL;
	e->data = NULL;
	if (filesize) {
		if (data_off > size || filesize > size - data_off)
			return -EINVAL;
		e->data = buf + data_off;
		e->why = "bad checksum";
		if (((const char *)buf)[off + 5] == '2' && !crc_ok(e))
			return -EINVAL;
	}
	e->next = data_off + filesize;           /* <= size, or data_off when empty */
	e->why = "the file data runs past the end";
	if (!align4(&e->next))
		return -EINVAL;
	return 0;
}

static bool is_trailer(const struct cpio_entry *e)
{
	return e->name_len == 10 && memcmp(e->name, "TRAILER!!!", 10) == 0;
}

/* ---- names ------------------------------------------------------------ */

/* Next component of an archive name, skipping empty and "." components (so
 * "./", "/" and "//" vanish). Returns 1 with the component, 0 at the end,
 * -EINVAL for "..": an archive must not place files outside its root. */
static int next_comp(const char **p, const char *end, const char **c, size_t *len)
{
	for (;;) {
		const char *s;

		while (*p < end && **p == '/')
			(*p)++;
		if (*p == end)
			return 0;
		s = *p;
		while (*p < end && **p != '/')
			(*p)++;
		*c = s;
		*len = (size_t)(*p - s);
		if (*len == 2 && s[0] == '.' && s[1] == '.')
			return -EINVAL;
		if (!(*len == 1 && s[0] == '.'))
			return 1;
	}
}

/* Number of components of an entry's name, or -EINVAL. */
static int name_depth(const struct cpio_entry *e, size_t *depth)
{
	const char *p = e->name, *end = p + e->name_len, *c;
	size_t len;
	int r;

	*depth = 0;
	while ((r = next_comp(&p, end, &c, &len)) > 0)
		(*depth)++;
	return r;
}

/* Components two names share from the start: the directories (or the
 * whole path) an earlier entry already created for a later one. */
static size_t common_depth(const struct cpio_entry *a, const struct cpio_entry *b)
{
	const char *pa = a->name, *ea = pa + a->name_len, *ca;
	const char *pb = b->name, *eb = pb + b->name_len, *cb;
	size_t la, lb, n = 0;

	while (next_comp(&pa, ea, &ca, &la) > 0 && next_comp(&pb, eb, &cb, &lb) > 0) {
		if (la != lb || memcmp(ca, cb, la) != 0)
			break;
		n++;
	}
	return n;
}

/* ---- counting ------------------------------------------------------------ */

/*
 * Validates every header up to TRAILER!!! (and every name); returns the
 * number of entries before it, so later passes need no error paths. Each
 * valid entry is handed to visit (when given) as it is met, with the one
 * before it (NULL for the first): what counting and building do in the
 * same pass. Their verdict never stops the validation: a corrupt archive
 * is -EINVAL whatever they found.
 */
struct visitor {
	void (*visit)(struct visitor *v, const struct cpio_entry *e, const struct cpio_entry *prev,
		      size_t depth);
};

static int validate(const uint8_t *buf, size_t size, struct visitor *v, struct cpio_fault *f)
{
	struct cpio_entry e, prev;
	size_t off = 0, depth;
	int n = 0, err;

	if (f)
		*f = (struct cpio_fault){ 0, NULL };
	if (!buf) {
		if (f)
			f->why = "no archive";
		return -EINVAL;
	}
	for (;;) {
		err = entry_at(buf, size, off, &e);
		if (!err && (err = name_depth(&e, &depth)))
			e.why = "a \"..\" component in the name";
		if (!err && n == INT_LIMIT && !is_trailer(&e))
			err = -ENOMEM, e.why = "too many entries";
		if (err) {
			if (f)     /* padding may put the next header past the end */
				*f = (struct cpio_fault){ off < size ? off : size, e.why };
			return err;
		}
		if (is_trailer(&e))
			return n;
		if (v)
			v->visit(v, &e, n ? &prev : NULL, depth);
		n++;
		off = e.next;
		prev = e;
	}
}

/* Whether some entry of the archive is exactly the first k components of
 * e's name: then that directory is not implied. */
static bool prefix_is_entry(const uint8_t *buf, size_t size, int n, const struct cpio_entry *e, size_t k)
{
	struct cpio_entry x;
	size_t off = 0, depth;

	for (int i = 0; i < n; i++, off = x.next) {
		entry_at(buf, size, off, &x);
		name_depth(&x, &depth);
		if (depth == k && common_depth(e, &x) >= k)
			return true;
	}
	return false;
}

/* Directories entry i (at off_i, depth >= 1) implies that no entry names and
 * no earlier entry already implied. In the usual order (find's: a directory
 * before its contents) the previous entry already holds the parent and this
 * is constant time; otherwise it scans the archive, which needs no memory,
 * the point of counting before allocating. */
static size_t implied_dirs(const uint8_t *buf, size_t size, int n, size_t off_i,
			   const struct cpio_entry *e, const struct cpio_entry *prev)
{
	struct cpio_entry x;
	size_t depth, seen = 0, off = 0, count = 0;

	name_depth(e, &depth);
	if (depth < 2 || (prev && common_depth(e, prev) >= depth - 1))
		return 0;
	while (off < off_i && seen < depth - 1) {    /* prefixes seen before */
		size_t c;

		entry_at(buf, size, off, &x);
		c = common_depth(e, &x);
		if (c > seen)
			seen = c;
		off = x.next;
	}
	for (size_t k = seen + 1; k < depth; k++)
		count += !prefix_is_entry(buf, size, n, e, k);
	return count;
}

/* Counting while validating: exact as long as every entry's parent is the
 * entry before it or shares it (find's order); else a pass of its own. */
struct counter {
	struct visitor v;
	size_t total;
	bool in_order;
};

static void count_in_order(struct visitor *v, const struct cpio_entry *e,
			   const struct cpio_entry *prev, size_t depth)
{
	struct counter *c = (struct counter *)v;

	if (depth == 0)
		return;                                  /* ".": the root */
	if (depth >= 2 && !(prev && common_depth(e, prev) >= depth - 1))
		c->in_order = false;
	c->total++;
}

/* The pass of its own, over a validated archive of n entries. */
static int count_any_order(const uint8_t *buf, size_t size, int n)
{
	struct cpio_entry e, prev;
	size_t total = 1, off = 0, depth;

	for (int i = 0; i < n; i++, off = e.next, prev = e) {
		size_t add;

		entry_at(buf, size, off, &e);
		name_depth(&e, &depth);
		if (depth == 0)
			continue;                        /* ".": the root */
		add = 1 + implied_dirs(buf, size, n, off, &e, i ? &prev : NULL);
		if (add > INT_LIMIT - total)
			return -ENOMEM;
		total += add;
	}
	return (int)total;
}

int cpio_count(const void *buf, size_t size)
{
	struct counter c = { { count_in_order }, 1, true };
	int n = validate(buf, size, &c.v, NULL);

	if (n < 0)
		return n;
	if (!c.in_order)
		return count_any_order(buf, size, n);
	return c.total > INT_LIMIT ? -ENOMEM : (int)c.total;
}

/* ---- building -------------------------------------------------------------- */

/* Byte order of names, shorter first on a common prefix (sort's order). */
static int name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int r = memcmp(a, b, alen < blen ? alen : blen);

	return r ? r : (alen > blen) - (alen < blen);
}

/* Index of the child of dir named c, or -1. The root is its own parent, so
 * index 0 is never a child. An archive in sorted order (mkinitramfs's, or
 * find's a directory before its contents) asks for its directory's last
 * child, or a name after it: answered without a scan. */
static int find_child(const struct cpio_tree *fs, int dir, const char *c, size_t len)
{
	int last = fs->nodes[dir].max_child;

	if (last < 0)
		return -1;
	int r = name_cmp(c, len, fs->nodes[last].name, fs->nodes[last].name_len);
	if (r == 0)
		return last;
	if (r > 0)
		return -1;
	for (int i = dir + 1; i < fs->count; i++) {
		const struct cpio_node *n = &fs->nodes[i];

		if (n->parent == dir && n->name_len == len && memcmp(n->name, c, len) == 0)
			return i;
	}
	return -1;
}

static bool has_children(const struct cpio_tree *fs, int dir)
{
	for (int i = dir + 1; i < fs->count; i++)
		if (fs->nodes[i].parent == dir)
			return true;
	return false;
}

/* Attributes from the header; the name and parent stay as they are. */
static void fill_attrs(struct cpio_node *n, const struct cpio_entry *e)
{
	n->mode = e->f[F_MODE];
	n->ino = e->f[F_INO];
	n->nlink = e->f[F_NLINK];
	n->mtime = e->f[F_MTIME];
	n->uid = e->f[F_UID];
	n->gid = e->f[F_GID];
	n->dev_major = e->f[F_DEVMAJOR];
	n->dev_minor = e->f[F_DEVMINOR];
	n->rdev_major = e->f[F_RDEVMAJOR];
	n->rdev_minor = e->f[F_RDEVMINOR];
	n->size = e->f[F_FILESIZE];
	n->data = e->data;
}

/* Appends a node under dir; a directory with default attributes until an
 * entry of its own (if any) fills it in. */
static int new_node(struct cpio_tree *fs, int max, int dir, const char *c, size_t len)
{
	struct cpio_node *n;

	if (fs->count >= max)
		return -ENOMEM;
	n = &fs->nodes[fs->count];
	memset(n, 0, sizeof(*n));
	n->name = c;
	n->name_len = len;
	n->parent = dir;
	n->max_child = -1;
	n->mode = S_IFDIR | 0755;
	n->nlink = 2;
	struct cpio_node *d = &fs->nodes[dir];
	if (d->max_child < 0 ||
	    name_cmp(c, len, fs->nodes[d->max_child].name, fs->nodes[d->max_child].name_len) > 0)
		d->max_child = fs->count;
	return fs->count++;
}

/* Fills (or, for a duplicate path, replaces) the node of an entry's last
 * component. A non-directory may not replace a directory that has entries:
 * they would hang under a file. */
static int place_leaf(struct cpio_tree *fs, int max, int dir, const char *c, size_t len,
		      const struct cpio_entry *e)
{
	int i = find_child(fs, dir, c, len);
	bool is_dir = (e->f[F_MODE] & S_IFMT) == S_IFDIR;

	if (i < 0) {
		i = new_node(fs, max, dir, c, len);
		if (i < 0)
			return i;
	} else if (!is_dir && cpio_is_dir(&fs->nodes[i]) && has_children(fs, i)) {
		return -EINVAL;
	}
	fs->nodes[i].name = c;
	fill_attrs(&fs->nodes[i], e);
	return 0;
}

/* The "." entry: the root's own attributes; it must stay a directory. */
static int place_root(struct cpio_tree *fs, const struct cpio_entry *e)
{
	if ((e->f[F_MODE] & S_IFMT) != S_IFDIR)
		return -EINVAL;
	fill_attrs(&fs->nodes[0], e);
	fs->nodes[0].data = NULL;
	fs->nodes[0].size = 0;
	return 0;
}

/* Places one entry: walks (creating as needed) its parent directories, then
 * its own node. A path through a non-directory is refused. */
static int add_entry(struct cpio_tree *fs, int max, const struct cpio_entry *e)
{
	const char *p = e->name, *end = p + e->name_len, *c, *next;
	size_t len, next_len;
	int dir = 0, r;

	r = next_comp(&p, end, &c, &len);
	if (r <= 0)
		return r < 0 ? r : place_root(fs, e);
	while ((r = next_comp(&p, end, &next, &next_len)) > 0) {
		int child = find_child(fs, dir, c, len);

		if (child < 0)
			child = new_node(fs, max, dir, c, len);
		else if (!cpio_is_dir(&fs->nodes[child]))
			return -EINVAL;
		if (child < 0)
			return child;
		dir = child;
		c = next;
		len = next_len;
	}
	return r < 0 ? r : place_leaf(fs, max, dir, c, len, e);
}

/* cpio stores a hard-linked file's data with its last link only; the
 * others (size 0, same ino and dev) get that data too. */
static void share_hard_links(struct cpio_tree *fs)
{
	for (int i = 1; i < fs->count; i++) {
		struct cpio_node *a = &fs->nodes[i];

		if (!cpio_is_reg(a) || a->nlink < 2 || a->size)
			continue;
		for (int j = 1; j < fs->count; j++) {
			const struct cpio_node *b = &fs->nodes[j];

			if (cpio_is_reg(b) && b->size && b->ino == a->ino &&
			    b->dev_major == a->dev_major && b->dev_minor == a->dev_minor) {
				a->size = b->size;
				a->data = b->data;
				break;
			}
		}
	}
}

/* Building while validating: the first error is kept, and the building
 * stops there; the validation goes on. */
struct builder {
	struct visitor v;
	struct cpio_tree tree;
	int max, err;
};

static void build_entry(struct visitor *v, const struct cpio_entry *e,
			const struct cpio_entry *prev, size_t depth)
{
	struct builder *b = (struct builder *)v;

	(void)prev;
	(void)depth;
	if (!b->err)
		b->err = add_entry(&b->tree, b->max, e);
}

int cpio_parse(const void *buf, size_t size, struct cpio_tree *fs, struct cpio_node *nodes, int max)
{
	struct builder b = { { build_entry }, { nodes, 1 }, max, 0 };
	int n;

	if (!fs)
		return -EINVAL;
	fs->nodes = nodes;
	fs->count = 0;
	if (!nodes || max < 1) {
		b.err = -ENOMEM;      /* unless the archive is corrupt: validated first */
		n = validate(buf, size, NULL, NULL);
	} else {
		memset(&nodes[0], 0, sizeof(nodes[0]));
		nodes[0].name = "";
		nodes[0].max_child = -1;
		nodes[0].mode = S_IFDIR | 0755;
		nodes[0].nlink = 2;
		n = validate(buf, size, &b.v, NULL);
	}
	if (n < 0)
		return n;
	if (b.err)
		return b.err;
	share_hard_links(&b.tree);
	fs->count = b.tree.count;
	return 0;
}

int cpio_check(const void *buf, size_t size, struct cpio_fault *f)
{
	int n = validate(buf, size, NULL, f);

	return n < 0 ? n : 0;
}
