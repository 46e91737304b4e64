/* futex(2) operations and the robust-list ABI (linux/futex.h). */
#ifndef BRAMBLE_UAPI_FUTEX_H
#define BRAMBLE_UAPI_FUTEX_H
#include "lib/types.h"

#define FUTEX_WAIT              0
#define FUTEX_WAKE              1
#define FUTEX_FD                2   /* removed in Linux 2.6.26: ENOSYS */
#define FUTEX_REQUEUE           3
#define FUTEX_CMP_REQUEUE       4
#define FUTEX_WAKE_OP           5
#define FUTEX_LOCK_PI           6
#define FUTEX_UNLOCK_PI         7
#define FUTEX_TRYLOCK_PI        8
#define FUTEX_WAIT_BITSET       9
#define FUTEX_WAKE_BITSET       10
#define FUTEX_WAIT_REQUEUE_PI   11
#define FUTEX_CMP_REQUEUE_PI    12
#define FUTEX_LOCK_PI2          13

#define FUTEX_PRIVATE_FLAG      128
#define FUTEX_CLOCK_REALTIME    256
#define FUTEX_CMD_MASK          (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))

/* The futex word of a robust lock: owner's tid and two state bits. */
#define FUTEX_WAITERS           0x80000000u
#define FUTEX_OWNER_DIED        0x40000000u
#define FUTEX_TID_MASK          0x3fffffffu

#define ROBUST_LIST_LIMIT       2048
#define FUTEX_BITSET_MATCH_ANY  0xffffffffu

/* FUTEX_WAKE_OP's val3: op (4 bits), cmp (4), oparg (12), cmparg (12). */
#define FUTEX_OP_SET            0
#define FUTEX_OP_ADD            1
#define FUTEX_OP_OR             2
#define FUTEX_OP_ANDN           3
#define FUTEX_OP_XOR            4
#define FUTEX_OP_OPARG_SHIFT    8   /* in op: the operand is 1 << oparg */

#define FUTEX_OP_CMP_EQ         0
#define FUTEX_OP_CMP_NE         1
#define FUTEX_OP_CMP_LT         2
#define FUTEX_OP_CMP_LE         3
#define FUTEX_OP_CMP_GT         4
#define FUTEX_OP_CMP_GE         5

/* The user's list of held robust locks (struct robust_list_head): user
 * pointers, so plain 64-bit words here. */
struct linux_robust_list_head {
	uint64_t list;              /* struct robust_list { next } */
	int64_t futex_offset;       /* from an entry to its futex word */
	uint64_t list_op_pending;   /* the entry being locked or unlocked */
};
#endif
