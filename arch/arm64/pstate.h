/* PSTATE as saved in SPSR_ELx: the mode and the D, A, I, F mask bits. */
#ifndef BRAMBLE_ARM64_PSTATE_H
#define BRAMBLE_ARM64_PSTATE_H

#define PSR_MODE_EL0t   0x0
#define PSR_MODE_EL1h   0x5
#define PSR_MODE_EL2h   0x9
#define PSR_MODE_MASK   0xf
#define PSR_F_BIT       0x40
#define PSR_I_BIT       0x80
#define PSR_A_BIT       0x100
#define PSR_D_BIT       0x200
#define PSR_DAIF_MASK   (PSR_D_BIT | PSR_A_BIT | PSR_I_BIT | PSR_F_BIT)
#define PSR_MODE32_BIT  0x10          /* AArch32 */
#define PSR_V_BIT       0x10000000
#define PSR_C_BIT       0x20000000
#define PSR_Z_BIT       0x40000000
#define PSR_N_BIT       0x80000000

/* The four DAIF bits as the immediate of msr daifset/daifclr. */
#define DAIF_ALL        0xf

#endif
