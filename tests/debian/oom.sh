#!/bin/bash
# The mission with Debian's own programs (issue 15 item 4): each runs out of
# memory, prints its own message and exits; the next one runs. One PASS/FAIL
# line a check.
#
# Under Bramble (no overcommit) the programs exhaust the system's memory;
# under Linux, whose overcommit would call the OOM killer instead, set
# OOM_ULIMIT=KiB to bound them with ulimit -v (tests/debian/linux-check).
# sort runs under ulimit -v everywhere, as the issue asks.
. "${BASH_SOURCE%/*}/lib.sh"
export PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C
export PYTHONDONTWRITEBYTECODE=1   # no .pyc left in the tmpfs /usr (compat.sh)
HOG=${HOG:-/bramble/bin/holder}
# What a program may use: all the memory, or OOM_ULIMIT KiB.
bounded() { if [ -n "${OOM_ULIMIT:-}" ]; then (ulimit -v "$OOM_ULIMIT" && eval "$1"); else eval "$1"; fi; }

# 1. The seed's command: Debian's cat on a file while another process holds
# all the memory but HOG_SPARE MiB.
printf "Hello from Debian's cat\n" > /tmp/seed.txt
out=/tmp/hog.out
bounded "exec '$HOG' ${HOG_SPARE:-16}" > "$out" 2>&1 &
hog=$!
for _ in $(seq 600); do
	grep -q '^holder: ' "$out" && break
	kill -0 $hog 2>/dev/null || break
	sleep 0.1
done
if grep -Eq '^holder: holding [0-9]+ MiB \([0-9]+ MiB given back\) after malloc failed: Cannot allocate memory$' "$out"; then
	pass oom.hog-holds
	echo "oom: $(cat "$out")"
	check oom.cat-beside-hog "Hello from Debian's cat" 'cat /tmp/seed.txt'
else
	fail oom.hog-holds "hog said '$(shown "$(cat "$out")")'"
	fail oom.cat-beside-hog "no hog holding the memory"
fi
kill $hog 2>/dev/null
wait $hog
st=$?
[ $st = 143 ] && pass oom.hog-killed || fail oom.hog-killed "hog ended with status $st, not 143 (SIGTERM)"
check oom.cat-after-hog "Hello from Debian's cat" 'cat /tmp/seed.txt'

# 2. bash growing a variable until its allocator fails: bash's own fatal
# error, status 2.
check_fails oom.bash-grow 2 '^bash: xrealloc: cannot allocate [0-9]+ bytes$' \
	"bounded 'bash -c \"x=a; while :; do x=\\\$x\\\$x; done\"'"
check oom.bash-next "bash runs" 'bash -c "echo bash runs"'

# 3. python3: one impossible allocation, then a loop until MemoryError.
check_fails oom.python-bytearray 1 $'^Traceback \\(most recent call last\\):\n  File "<string>", line 1, in <module>\nMemoryError$' \
	"python3 -c 'bytearray(1 << 40)'"
check_re oom.python-loop '^MemoryError caught after [0-9]+ MiB$' "bounded \"python3 -c '
import sys
blocks = []
try:
    while True:
        blocks.append(bytes([len(blocks) & 255]) * (1 << 20))
except MemoryError:
    n = len(blocks)
    blocks = None
    print(\\\"MemoryError caught after %d MiB\\\" % n)
    sys.exit(0)
'\""
check oom.python-next "42" 'python3 -c "print(6 * 7)"'

# 4. sort under ulimit -v: a large input still sorts (sort sizes its buffer
# to the limit), and one line longer than the limit is sort's own error.
check oom.sort-large "200000 1 200000 sorted" \
	'seq 200000 | (ulimit -v 65536 && sort -rn) > /tmp/sorted &&
	 echo "$(head -n 1 /tmp/sorted) $(tail -n 1 /tmp/sorted) $(wc -l < /tmp/sorted)" \
	      "$(sort -rnc /tmp/sorted && echo sorted)"'
check_fails oom.sort-line 2 '^sort: memory exhausted$' \
	"head -c 67108864 /dev/zero | tr '\\0' x | (ulimit -v 32768 && sort)"
check oom.sort-next $'a\nb' 'printf "b\na\n" | sort'

rm -f /tmp/seed.txt /tmp/sorted "$out"
echo "debian-oom: $PASSED of $TOTAL passed"
[ "$PASSED" = "$TOTAL" ]
