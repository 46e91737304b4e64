#ifndef BRAMBLE_STRING_EXT_H
#define BRAMBLE_STRING_EXT_H
/* Page-sized memory operations beyond <string.h> (kernel/string.c). */
void clear_page(void *page);
#endif
