#!/bin/bash
# First process of the Debian image under Linux (tests/debian/linux-check):
# the mounts Bramble's kernel makes by itself, then the tests named, each
# run by bash as tests/qemu/run-all runs them under Bramble.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
ln -s /proc/self/fd /dev/fd 2>/dev/null
mount -t tmpfs -o mode=1777 tmpfs /tmp
for t in "$@"; do
	echo "linux-check: running $t"
	/bin/bash "/bramble/tests/$t"
	echo "linux-check: $t exited with status $?"
done
echo "linux-check: done"
