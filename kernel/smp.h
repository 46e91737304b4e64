/* The other CPUs: one CPU runs Bramble, the rest are parked. */
#ifndef BRAMBLE_SMP_H
#define BRAMBLE_SMP_H
#include "boot/boot_info.h"
/*
 * Moves the secondary CPUs a spin table holds (the Pi firmware's, QEMU
 * raspi's, both looping on WFE) into secondary_park (boot/start.S), where
 * they sleep in WFI and stay idle.
 */
void smp_park_secondaries(const struct boot_info *bi);
#endif
