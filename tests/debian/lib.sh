# Sourced by the tests of tests/debian/ (run by Debian's bash, in the Debian
# image under Bramble, or under Linux to check what they expect).
# One line a check, as the other tests: "PASS NAME" or "FAIL NAME: why".
PASSED=0 TOTAL=0

pass() { echo "PASS $1"; PASSED=$((PASSED + 1)); TOTAL=$((TOTAL + 1)); }
# SHOW=1: each check's output too, after its line (what the program said).
said() { [ -n "${SHOW:-}" ] && printf '  said: %s\n' "$(shown "$1")"; return 0; }
fail() { echo "FAIL $1: $2"; TOTAL=$((TOTAL + 1)); }

# What a command printed, on one line, not too long, for a FAIL line.
shown() {
	local s=${1//$'\n'/\\n}
	[ ${#s} -gt 300 ] && s="${s:0:300}..."
	printf '%s' "$s"
}

# check NAME EXPECTED COMMAND: COMMAND (a string, run by eval in a
# subshell, stderr with stdout) exits 0 and prints exactly EXPECTED.
check() {
	local got rc
	got=$(eval "$3" 2>&1)
	rc=$?
	said "$got"
	if [ $rc = 0 ] && [ "$got" = "$2" ]; then
		pass "$1"
	else
		fail "$1" "status $rc, output '$(shown "$got")', expected '$(shown "$2")'"
	fi
}

# check_re NAME REGEX COMMAND: exits 0, and the whole output matches the
# extended regular expression REGEX (bash's =~, newlines included).
check_re() {
	local got rc
	got=$(eval "$3" 2>&1)
	rc=$?
	said "$got"
	if [ $rc = 0 ] && [[ $got =~ $2 ]]; then
		pass "$1"
	else
		fail "$1" "status $rc, output '$(shown "$got")', expected /$(shown "$2")/"
	fi
}

# check_fails NAME STATUS REGEX COMMAND: exits with STATUS and the output
# matches REGEX (a program's own error message).
check_fails() {
	local got rc
	got=$(eval "$4" 2>&1)
	rc=$?
	said "$got"
	if [ $rc = "$2" ] && [[ $got =~ $3 ]]; then
		pass "$1"
	else
		fail "$1" "status $rc (expected $2), output '$(shown "$got")', expected /$(shown "$3")/"
	fi
}
