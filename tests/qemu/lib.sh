# QEMU boot-test helpers, sourced by tests/qemu/run-all and tests/qemu/bench.
# Every run: -semihosting, -icount shift=0,sleep=off, a hard timeout, the
# console captured to a file. The kernel's status comes back through
# semihosting SYS_EXIT (exit=semihosting); a run that halts without it is
# stopped as soon as it prints "System halted.".

# make test T=... (tests/select.sh): a boot whose name is not selected is
# skipped, and so are the checks after it, up to the next boot.
. tests/select.sh

B=${B:-build}
KERNEL=${KERNEL:-$B/kernel8.img}
PI3_DTB=${PI3_DTB:-$B/dtb/bcm2837-rpi-3-b.dtb}
TIMEOUT=${TIMEOUT:-60}
OUT=$B/qemu-tests
mkdir -p "$OUT"

# The kernel's line at init's exit when nothing leaked: free pages, commit
# charge and kernel-heap bytes all as they were before init started.
BALANCE='Memory balance: ([0-9]+) free pages \(\1 before init\), ([0-9]+) pages committed \(\2 before init\), kernel heap ([0-9]+) bytes used \(\3 before init\)'

# _skip NAME: true (and the checks up to the next boot print nothing) if T
# does not select the boot NAME.
SKIPPED=0
_skip() {
	SKIPPED=0
	t_selected "qemu.$1" "$1" && return 1
	SKIPPED=1 STATUS=skipped LOG=/dev/null PL011_LOG=/dev/null
	return 0
}

# boot NAME [qemu args...]: runs QEMU raspi3b; the mini UART (2nd serial)
# goes to $OUT/NAME.log, the PL011 (1st) to $OUT/NAME.pl011.log.
# Sets STATUS to QEMU's exit status, "halted" or "timeout".
boot() {
	_skip "$1" && return
	_boot "$1" -M raspi3b -serial file:"$OUT/$1.pl011.log" -serial file:"$OUT/$1.log" "${@:2}"
}

# boot_virt NAME [qemu args...]: the same image on QEMU virt (entered at EL2,
# GIC, PL011 at 0x09000000, RAM at 0x40000000, four CPUs started by PSCI);
# its one UART goes to NAME.log.
boot_virt() {
	_skip "$1" && return
	_boot "$1" -M virt,virtualization=on -cpu cortex-a53 -smp 4 -m 1G -nic none \
		-serial file:"$OUT/$1.log" "${@:2}"
}

# With EXTRA_BOOTARGS set (run-all sets vm_check=on), every -append given
# starts with them, before any "--" that passes arguments on to init.
_with_extra_bootargs() {
	local prev=
	BOOT_ARGS=()
	for a in "$@"; do
		[ "$prev" = -append ] && [ -n "${EXTRA_BOOTARGS:-}" ] && a="$EXTRA_BOOTARGS $a"
		BOOT_ARGS+=("$a")
		prev=$a
	done
}

# _prepare NAME [qemu args...]: the boot's QEMU arguments (with the extra
# bootargs) in BOOT_ARGS, and its two console logs, LOG and PL011_LOG, empty.
_prepare() {
	local name=$1; shift
	_with_extra_bootargs "$@"
	LOG=$OUT/$name.log
	PL011_LOG=$OUT/$name.pl011.log
	: > "$LOG"; : > "$PL011_LOG"
}

_boot() {
	local name=$1; shift
	# NO_ICOUNT=1: real time, as make run boots; otherwise instruction counts.
	local ICOUNT=(-icount shift=0,sleep=off)
	[ -n "${NO_ICOUNT:-}" ] && ICOUNT=()
	_prepare "$name" "$@"
	set -- "${BOOT_ARGS[@]}"
	qemu-system-aarch64 -kernel "$KERNEL" -display none -monitor none \
		-semihosting "${ICOUNT[@]}" "$@" </dev/null \
		>"$OUT/$name.qemu.log" 2>&1 &
	local pid=$! t=0
	STATUS=timeout
	# With exit=semihosting the kernel ends QEMU itself: wait for its status.
	local stop_on_halt=1
	[[ " $* " == *exit=semihosting* ]] && stop_on_halt=0
	_wait_qemu $pid $stop_on_halt
	sed -i 's/\r$//' "$LOG" "$PL011_LOG"   # the console sends CR LF
}

_wait_qemu() {
	local pid=$1 stop_on_halt=$2 t=0
	while [ $t -lt $((TIMEOUT * 10)) ]; do
		if ! kill -0 $pid 2>/dev/null; then
			wait $pid; STATUS=$?
			return
		fi
		if [ $stop_on_halt = 1 ] && grep -q "System halted" "$LOG" "$PL011_LOG" 2>/dev/null; then
			sleep 0.2
			kill $pid 2>/dev/null; wait $pid 2>/dev/null
			STATUS=halted
			return
		fi
		sleep 0.1; t=$((t + 1))
	done
	kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
}

# boot_input NAME INPUT [qemu args...]: like boot, with INPUT typed into
# the mini UART (the console) through QEMU's stdio.
boot_input() {
	local name=$1 input=$2; shift 2
	_skip "$name" && return
	_prepare "$name" "$@"
	set -- "${BOOT_ARGS[@]}"
	timeout -k 5 "$TIMEOUT" qemu-system-aarch64 -M raspi3b -kernel "$KERNEL" -display none \
		-monitor none -semihosting -icount shift=0,sleep=off \
		-serial file:"$PL011_LOG" -serial stdio "$@" < "$input" > "$LOG" 2>&1
	STATUS=$?
	[ $STATUS = 124 ] && STATUS=timeout
	sed -i 's/\r$//' "$LOG" "$PL011_LOG"
}

# boot_dialog NAME SCRIPT [qemu args...]: like boot_input, but the console
# is typed at as a person would, waiting for the replies: SCRIPT's lines
# are "wait REGEX" (until the console log has a match, at most DIALOG_WAIT
# seconds each), "send TEXT" (printf's escapes: \r Enter, \003 ^C, \177
# DEL) and "pause SECONDS".
DIALOG_WAIT=${DIALOG_WAIT:-20}
boot_dialog() {
	local name=$1 script=$2; shift 2
	_skip "$name" && return
	_prepare "$name" "$@"
	set -- "${BOOT_ARGS[@]}"
	local fifo=$OUT/$name.fifo fd
	rm -f "$fifo"; mkfifo "$fifo"
	timeout -k 5 "$TIMEOUT" qemu-system-aarch64 -M raspi3b -kernel "$KERNEL" -display none \
		-monitor none -semihosting -icount shift=0,sleep=off \
		-serial file:"$PL011_LOG" -serial stdio "$@" < "$fifo" > "$LOG" 2>"$OUT/$name.qemu.log" &
	local pid=$!
	exec {fd}>"$fifo"
	DIALOG_FAILED=
	while IFS= read -r line; do
		case $line in
		"wait "*)
			local t=0
			until tr -d '\r' < "$LOG" | grep -Eq -- "${line#wait }"; do
				t=$((t + 1))
				if [ $t -gt $((DIALOG_WAIT * 10)) ] || ! kill -0 $pid 2>/dev/null; then
					tr -d '\r' < "$LOG" | grep -Eq -- "${line#wait }" && break
					DIALOG_FAILED="no /${line#wait }/"
					break 2
				fi
				sleep 0.1
			done ;;
		"send "*) printf -- "${line#send }" >&$fd 2>/dev/null ;;
		"pause "*) sleep "${line#pause }" ;;
		esac
	done < "$script"
	exec {fd}>&-
	wait $pid; STATUS=$?
	[ $STATUS = 124 ] && STATUS=timeout
	rm -f "$fifo"
	sed -i 's/\r$//' "$LOG" "$PL011_LOG"
}

# relay PREFIX: the user programs' own PASS/FAIL lines, as test results.
relay() {
	[ $SKIPPED = 1 ] && return
	grep -E '^(PASS|FAIL) ' "$LOG" | sed -E "s/^(PASS|FAIL) /\1 $1./"
}

pass() { [ $SKIPPED = 1 ] || echo "PASS $1"; }
fail() { [ $SKIPPED = 1 ] || echo "FAIL $1: $2"; }

# expect NAME REGEX [FILE]: the console log has a line matching REGEX.
expect() {
	local f=${3:-$LOG}
	if grep -Eq -- "$2" "$f"; then pass "$1"; else fail "$1" "no line matching /$2/ in $f"; fi
}

# expect_not NAME REGEX [FILE]
expect_not() {
	local f=${3:-$LOG}
	if grep -Eq -- "$2" "$f"; then fail "$1" "unexpected line matching /$2/ in $f"; else pass "$1"; fi
}

expect_status() {
	if [ "$STATUS" = "$2" ]; then pass "$1"; else fail "$1" "status $STATUS, expected $2 (see $LOG)"; fi
}
