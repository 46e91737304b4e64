/* ESR_ELx: the exception class, and the syndrome (ISS) fields of aborts. */
#ifndef BRAMBLE_ARM64_ESR_H
#define BRAMBLE_ARM64_ESR_H
#include "arch/arm64/const.h"

#define ESR_ELx_EC_SHIFT        26
#define ESR_ELx_EC_MASK         0x3f
#define ESR_ELx_EC(esr)         (((esr) >> ESR_ELx_EC_SHIFT) & ESR_ELx_EC_MASK)

#define ESR_ELx_EC_UNKNOWN      0x00
#define ESR_ELx_EC_WFx          0x01
#define ESR_ELx_EC_FP_ASIMD     0x07
#define ESR_ELx_EC_ILL          0x0e
#define ESR_ELx_EC_SVC64        0x15
#define ESR_ELx_EC_SYS64        0x18
#define ESR_ELx_EC_IABT_LOW     0x20
#define ESR_ELx_EC_IABT_CUR     0x21
#define ESR_ELx_EC_PC_ALIGN     0x22
#define ESR_ELx_EC_DABT_LOW     0x24
#define ESR_ELx_EC_DABT_CUR     0x25
#define ESR_ELx_EC_SP_ALIGN     0x26
#define ESR_ELx_EC_FP_EXC64     0x2c
#define ESR_ELx_EC_SERROR       0x2f
#define ESR_ELx_EC_BREAKPT_LOW  0x30
#define ESR_ELx_EC_BREAKPT_CUR  0x31
#define ESR_ELx_EC_SOFTSTP_LOW  0x32
#define ESR_ELx_EC_SOFTSTP_CUR  0x33
#define ESR_ELx_EC_WATCHPT_LOW  0x34
#define ESR_ELx_EC_WATCHPT_CUR  0x35
#define ESR_ELx_EC_BRK64        0x3c

/* Instruction and data aborts. */
#define ESR_ELx_WNR             BIT(6)      /* a write */
#define ESR_ELx_CM              BIT(8)      /* a cache maintenance operation */
#define ESR_ELx_FSC             0x3f        /* fault status code */
#define ESR_ELx_FSC_TYPE        0x3c        /* the code without the level */
#define ESR_ELx_FSC_LEVEL       0x03        /* the lookup level */
#define ESR_ELx_FSC_ADDRSZ      0x00
#define ESR_ELx_FSC_FAULT       0x04        /* translation fault */
#define ESR_ELx_FSC_ACCESS      0x08        /* access flag fault */
#define ESR_ELx_FSC_PERM        0x0c        /* permission fault */
#define ESR_ELx_FSC_EXTABT      0x10        /* synchronous external abort */
#define ESR_ELx_FSC_ALIGN       0x21        /* alignment fault */

#endif
