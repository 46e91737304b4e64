#ifndef BRAMBLE_ARM64_PAGE_H
#define BRAMBLE_ARM64_PAGE_H
/* Page-sized memory operations beyond <string.h> (arch/arm64/clear_page.c). */
void clear_page(void *page);
#endif
