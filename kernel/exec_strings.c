/* An exec's argument and environment strings (kernel/exec_strings.h). */
#include "kernel/exec_strings.h"
#include "mm/kalloc.h"
#include "mm/page_alloc.h"
#include "mm/uaccess.h"
#include "lib/irq_window.h"
#include "lib/uapi/errno.h"
#include "arch/arm64/page.h"
#include <string.h>

static size_t cap(const struct exec_strings *s)
{
	return PAGE_SIZE << s->order;
}

/* Linux's bprm_stack_limits, less the pointers (counted as they come). */
static size_t limit_for(uint64_t stack_rlimit)
{
	uint64_t limit = STK_LIM / 4 * 3;

	if (stack_rlimit / 4 < limit)
		limit = stack_rlimit / 4;
	return limit < ARG_MAX ? ARG_MAX : (size_t)limit;
}

int exec_strings_init(struct exec_strings *s, uint64_t stack_rlimit, size_t path_len, bool boot)
{
	memset(s, 0, sizeof(*s));
	s->buf = boot ? kalloc_pages_boot(0) : kalloc_pages(0);
	if (!s->buf)
		return -ENOMEM;
	s->limit = limit_for(stack_rlimit);
	s->fixed = path_len + 1 + sizeof(void *);
	return 0;
}

void exec_strings_free(struct exec_strings *s)
{
	if (s->buf)
		kfree_pages(s->buf, s->order);
	s->buf = NULL;
}

/* Whether need more bytes of strings, with one more pointer if counted,
 * stay within the limit (Linux counts max(argc, 1) pointers for argv). */
static bool fits(const struct exec_strings *s, size_t need, int more)
{
	int argv = s->argc ? s->argc : 1;
	uint64_t ptrs = ((uint64_t)argv + (uint64_t)s->envc + (uint64_t)more) * sizeof(void *);
	uint64_t total = (uint64_t)s->fixed + s->used + need + ptrs;

	return total <= s->limit;
}

/* Twice the room, the strings kept: 0, -E2BIG (the largest block, or
 * already past what the limit can need) or -ENOMEM. */
static int grow(struct exec_strings *s)
{
	if (s->order >= PAGE_MAX_ORDER || cap(s) >= s->limit)
		return -E2BIG;
	char *bigger = kalloc_pages(s->order + 1);
	if (!bigger)
		return -ENOMEM;
	memcpy(bigger, s->buf, s->used);
	kfree_pages(s->buf, s->order);
	s->buf = bigger;
	s->order++;
	return 0;
}

static int make_room(struct exec_strings *s, size_t need)
{
	while (cap(s) - s->used < need) {
		int err = grow(s);
		if (err)
			return err;
	}
	return 0;
}

int exec_strings_add(struct exec_strings *s, const char *str, size_t len)
{
	if (len + 1 > MAX_ARG_STRLEN || !fits(s, len + 1, 1))
		return -E2BIG;
	int err = make_room(s, len + 1);
	if (err)
		return err;
	memcpy(s->buf + s->used, str, len);
	s->buf[s->used + len] = 0;
	s->used += len + 1;
	return 0;
}

/* One user string appended: its length, or -errno. The copy is tried in
 * the room there is and again, after growing, if the string is longer. */
static long add_user_string(struct exec_strings *s, struct mm *mm, uaddr_t ustr)
{
	for (;;) {
		size_t room = cap(s) - s->used;
		size_t max = room < MAX_ARG_STRLEN ? room : MAX_ARG_STRLEN;
		long len = strncpy_from_user(mm, s->buf + s->used, ustr, max);
		if (len >= 0 || len != -ENAMETOOLONG)
			return len;
		if (max == MAX_ARG_STRLEN || !fits(s, max + 1, 1))
			return -E2BIG;     /* longer than a string, or than all may be */
		int err = grow(s);
		if (err)
			return err;
	}
}

long exec_strings_add_user(struct exec_strings *s, struct mm *mm, uaddr_t uvec, int *count)
{
	for (uint64_t i = 0; !uaddr_is_null(uvec); i++) {
		uint64_t ptr;
		if (copy_from_user(mm, &ptr, uaddr_add(uvec, 8 * i), 8) < 0)
			return -EFAULT;
		if (!ptr)
			break;
		long len = add_user_string(s, mm, uaddr(ptr));
		if (len < 0)
			return len;
		if (!fits(s, (size_t)len + 1, 1))
			return -E2BIG;
		s->used += (size_t)len + 1;
		(*count)++;
		irq_window();   /* many strings: let interrupts in */
	}
	return 0;
}

int exec_strings_prepend(struct exec_strings *s, size_t skip, const char *const parts[], int n)
{
	size_t add = 0;

	for (int i = 0; i < n; i++) {
		size_t len = strlen(parts[i]) + 1;
		if (len > MAX_ARG_STRLEN)
			return -E2BIG;
		add += len;
	}
	size_t grows = add > skip ? add - skip : 0;
	if (!fits(s, grows, n - (skip ? 1 : 0)))   /* argv[0] gives way */
		return -E2BIG;
	int err = make_room(s, grows);
	if (err)
		return err;
	memmove(s->buf + add, s->buf + skip, s->used - skip);
	s->used = s->used - skip + add;
	for (size_t i = 0, at = 0; i < (size_t)n; i++) {
		size_t len = strlen(parts[i]) + 1;
		memcpy(s->buf + at, parts[i], len);
		at += len;
	}
	return 0;
}

size_t exec_strings_len_at(const struct exec_strings *s, size_t off)
{
	return strlen(s->buf + off);
}
