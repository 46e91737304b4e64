#ifndef BRAMBLE_OOM_DUMP_H
#define BRAMBLE_OOM_DUMP_H
#include <stddef.h>
#include <stdint.h>
/* The kernel-heap exhaustion dump: the request, every allocator's state,
 * registers, backtrace; then the system halts. */
void oom_panic(size_t size, size_t align, uintptr_t caller) __attribute__((noreturn));
#endif
