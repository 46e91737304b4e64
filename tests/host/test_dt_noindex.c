/*
 * test_dt again with a node index too small for any real tree (the
 * Makefile builds boot/dt.c with DT_INDEX_MAX 8): every answer comes from
 * libfdt's walks, the path a tree larger than the index takes, and must be
 * the same.
 */
#include "tests/host/test_dt.c"
