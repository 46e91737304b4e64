/*
 * Constants that read the same in C and in assembly: UL(0x10) is 0x10UL in
 * C and 0x10 in a .S file, where gas computes in 64 bits anyway.
 */
#ifndef BRAMBLE_ARM64_CONST_H
#define BRAMBLE_ARM64_CONST_H

#ifdef __ASSEMBLER__
#define _AC(x, y)  x
#else
#define __AC(x, y) (x##y)
#define _AC(x, y)  __AC(x, y)
#endif

#define UL(x)      _AC(x, UL)
#define BIT(n)     (UL(1) << (n))

#define __stringify_1(x) #x
#define __stringify(x)   __stringify_1(x)

#endif
