/* The allocation sites the compiler laid down (mm/alloc_site.h). */
#include "mm/alloc_site.h"
#include "mm/kheap.h"

extern struct alloc_site __start_alloc_sites[], __stop_alloc_sites[];

/* Tags 1..254 name one site each; 255 is every site after them. */
#define TAG_SHARED (KHEAP_TAGS - 1)
static const struct alloc_site *by_tag[KHEAP_TAGS];

size_t alloc_sites_count(void)
{
	/* The linker's bounds of one section: compared as addresses. */
	return ((uintptr_t)__stop_alloc_sites - (uintptr_t)__start_alloc_sites) /
	       sizeof(struct alloc_site);
}

struct alloc_site *alloc_site_at(size_t i)
{
	return i < alloc_sites_count() ? &__start_alloc_sites[i] : NULL;
}

static bool takes_heap(const struct alloc_site *s)
{
	return s->kind == ALLOC_HEAP || s->kind == ALLOC_MUST || s->kind == ALLOC_BOOT;
}

void alloc_sites_init(void)
{
	unsigned next = 1;

	for (size_t i = 0; i < alloc_sites_count(); i++) {
		struct alloc_site *s = &__start_alloc_sites[i];
		if (!takes_heap(s))
			continue;
		s->tag = (uint8_t)next;
		if (next < TAG_SHARED)
			by_tag[next++] = s;
	}
}

const struct alloc_site *alloc_site_of_tag(unsigned tag)
{
	return tag < TAG_SHARED ? by_tag[tag] : NULL;
}

size_t alloc_heap_holders(struct alloc_holder *out, size_t k)
{
	size_t n = 0;

	for (unsigned tag = 0; tag < KHEAP_TAGS && k; tag++) {
		struct kheap_owner o;
		if (!kheap_owner(tag, &o) || !o.count)
			continue;
		/* Insertion into the k largest so far. */
		size_t i = n < k ? n++ : k;
		if (i == k && o.bytes <= out[k - 1].bytes)
			continue;
		if (i == k)
			i = k - 1;
		while (i > 0 && out[i - 1].bytes < o.bytes) {
			out[i] = out[i - 1];
			i--;
		}
		out[i] = (struct alloc_holder){ alloc_site_of_tag(tag), tag, o.bytes, o.count };
	}
	return n;
}

const char *alloc_kind_name(unsigned kind)
{
	static const char *const names[ALLOC_KINDS] = {
		[ALLOC_HEAP] = "heap", [ALLOC_PAGES] = "pages",
		[ALLOC_MUST] = "must", [ALLOC_BOOT] = "boot",
	};
	return kind < ALLOC_KINDS ? names[kind] : "?";
}
