# Bramble's U-Boot script: the card's boot.scr (mkimage -T script, made by
# sdcard-image/build-image). U-Boot's distro boot finds it on the first FAT
# partition and runs it; it loads the kernel and the initramfs from the card,
# takes the kernel's command line from cmdline.txt and boots with the device
# tree the firmware (or QEMU) handed to U-Boot (${fdt_addr}).
#
# Load addresses are U-Boot's own for the Pi: kernel_addr_r = 0x80000 (the
# Image header's text_offset, so booti runs the kernel where it lies),
# ramdisk_addr_r = 0x2700000, scriptaddr = 0x2400000 (scratch for cmdline.txt).
#
# This U-Boot's hush ignores "exit" inside a script, so a failure skips the
# rest through if/else; distro boot then prints "SCRIPT FAILED" and goes on.

# Distro boot sets devtype/devnum/distro_bootpart; default to mmc 0:1 when
# the script is sourced by hand.
if test -z "${devtype}"; then setenv devtype mmc; fi
if test -z "${devnum}"; then setenv devnum 0; fi
if test -z "${distro_bootpart}"; then setenv distro_bootpart 1; fi
setenv bramble_dev "${devtype} ${devnum}:${distro_bootpart}"

echo "Bramble: loading kernel8.img and initramfs.cpio from ${bramble_dev}"
setenv bramble_loaded no
if load ${bramble_dev} ${kernel_addr_r} kernel8.img; then
	if load ${bramble_dev} ${ramdisk_addr_r} initramfs.cpio; then
		setenv bramble_initrd_size ${filesize}
		setenv bramble_loaded yes
	fi
fi

if test "${bramble_loaded}" = yes; then
	# cmdline.txt holds one line "bootargs=..." (U-Boot's text environment
	# format; '#' starts a comment line, CR LF line ends are fine). Only
	# the bootargs variable is taken from it.
	setenv bootargs
	if load ${bramble_dev} ${scriptaddr} cmdline.txt; then
		env import -t -r ${scriptaddr} ${filesize} bootargs
	fi
	# An unset bootargs would leave the DT's /chosen/bootargs alone: on a
	# Pi, the firmware's own command line (its options and cmdline.txt's raw
	# text). A single space gives the kernel an empty command line instead.
	env exists bootargs || setenv bootargs " "

	# The DTB the firmware (or QEMU) passed; U-Boot's own as a fallback.
	if test -z "${fdt_addr}"; then setenv fdt_addr ${fdtcontroladdr}; fi

	echo "Bramble: booting kernel at ${kernel_addr_r}, initramfs at ${ramdisk_addr_r} (0x${bramble_initrd_size} bytes), DTB at ${fdt_addr}"
	echo "Bramble: bootargs: ${bootargs}"
	booti ${kernel_addr_r} ${ramdisk_addr_r}:${bramble_initrd_size} ${fdt_addr}
	echo "Bramble: booti failed"
else
	echo "Bramble: cannot load kernel8.img and initramfs.cpio from ${bramble_dev}"
fi
