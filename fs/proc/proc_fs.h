/*
 * procfs: the kernel's state as text files, as Linux's /proc. Register it
 * with fs_register(&proc_fs_type) and mount it on /proc; every file is
 * generated when it is opened (the text stays the same for the length of
 * that open), every name is made when it is looked up.
 */
#ifndef BRAMBLE_PROC_FS_H
#define BRAMBLE_PROC_FS_H
#include "lib/types.h"
#include "fs/vfs.h"

#define PROC_SUPER_MAGIC 0x9fa0

extern const struct fs_type proc_fs_type;   /* "proc", nodev */

#endif
