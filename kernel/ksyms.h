/* Address -> kernel function name, from the table a second link embeds. */
#ifndef BRAMBLE_KSYMS_H
#define BRAMBLE_KSYMS_H
#include <stdint.h>
/* The function containing addr and the offset into it, or NULL. */
const char *ksym_lookup(uintptr_t addr, uintptr_t *offset);
#endif
