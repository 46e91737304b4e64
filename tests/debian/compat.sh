#!/bin/bash
# Debian's programs, simple invocations, each output asserted (issue 15
# item 5): one PASS/FAIL line each, then the figure
#   debian-compat: N of M passed
# Exit status 0 when all pass. Expectations are Linux's (README.md, "Debian
# userland": checked under Debian's arm64 Linux kernel).
. "${BASH_SOURCE%/*}/lib.sh"
export PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C TZ=UTC
# Python keeps no bytecode it compiles: on a tmpfs /usr the .pyc files would
# stay, and the boot's memory balance would count them.
export PYTHONDONTWRITEBYTECODE=1
W=$(mktemp -d /tmp/compat.XXXXXX) || { echo "FAIL compat.mktemp: no directory in /tmp"; exit 1; }
cd "$W" || exit 1
printf 'hello\n' > f
printf 'b 2\na 1\nc 3\na 1\n' > lines
mkdir -p d/e && printf 'needle\n' > d/e/g && printf 'hay\n' > d/h

# coreutils
check compat.cat "hello" 'cat f'
check compat.cat-n "     1	hello" 'cat -n f'
check_re compat.ls-l '^-rw-r--r-- 1 root root 6 [A-Z][a-z]{2} [ 0-9]{2} [0-9:]{4,5} f$' 'chmod 644 f && ls -l f'
check compat.ls-1 $'d\nf\nlines' 'ls -1'
check compat.cp "hello" 'cp f f2 && cat f2'
check compat.mv "moved" 'mv f2 f3 && test ! -e f2 && cat f3 >/dev/null && echo moved'
check compat.rm "gone" 'rm f3 && test ! -e f3 && echo gone'
check compat.mkdir-p "dir" 'mkdir -p x/y/z && test -d x/y/z && echo dir'
check compat.rm-r "removed" 'rm -r x && test ! -e x && echo removed'
check compat.ln-s "f hello" 'ln -s f link && echo "$(readlink link) $(cat link)"'
check compat.ln-hard "2" 'ln f hard && stat -c %h f'
check compat.stat "6 regular file 644" 'stat -c "%s %F %a" f'
check compat.touch "0" 'touch -d @0 t && stat -c %Y t'
check compat.chmod "750" 'chmod 750 t && stat -c %a t'
check compat.du "6	f" 'du -b f'
check compat.wc "2 3 6" 'printf "a b\nc\n" | wc | tr -s " " | sed "s/^ //"'
check compat.wc-l "4" 'wc -l < lines'
check compat.head "b 2" 'head -n 1 lines'
check compat.tail "a 1" 'tail -n 1 lines'
check compat.sort $'a 1\na 1\nb 2\nc 3' 'sort lines'
check compat.sort-rn $'c 3\nb 2\na 1\na 1' 'sort -k2,2nr lines'
check compat.uniq-c $'      2 a 1\n      1 b 2\n      1 c 3' 'sort lines | uniq -c'
check compat.cut "root" 'cut -d: -f1 /etc/passwd | head -n 1'
check compat.tr "HELLO" 'tr a-z A-Z < f'
check compat.tac $'a 1\nc 3\na 1\nb 2' 'tac lines'
check compat.seq "1 2 3" 'seq -s " " 3'
check compat.expr "42" 'expr 6 \* 7'
check compat.printf "x=007" 'printf "x=%03d\n" 7'
check compat.echo "a b" '/bin/echo a b'
check compat.true-false "0 1" '/bin/true; a=$?; /bin/false; echo "$a $?"'
check compat.date "Thu Jan  1 00:00:00 UTC 1970" 'date -u -d @0'
# The clock's seconds since the epoch: raspi3b has no RTC, so they start
# near 0 there (Linux's too), and near now on a board with one (virt).
check_re compat.date-now '^[0-9]+$' 'date +%s'
check compat.uname "Linux aarch64" 'uname -sm'
check compat.id "uid=0(root) gid=0(root) groups=0(root)" 'id'
check compat.whoami "root" 'whoami'
check compat.env "FOO=bar" 'env FOO=bar env | grep "^FOO="'
check compat.basename "c" 'basename /a/b/c.txt .txt'
check compat.dirname "/a/b" 'dirname /a/b/c'
check compat.realpath "$W/d/e" 'realpath d/e/../e'
check compat.md5sum "b1946ac92492d2347c6235b4d2611184  f" 'md5sum f'
check compat.sha256sum "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03  -" 'sha256sum < f'
check compat.base64 "aGVsbG8K" 'base64 f'
check compat.od $'0000000   h   e   l   l   o  \\n\n0000006' 'od -c f'
check compat.dd "4096" 'dd if=/dev/zero bs=1024 count=4 status=none | wc -c'
check compat.tee "hello hello" 'echo hello | tee t2 >/dev/null; echo "$(cat t2) $(cat f)"'
check compat.yes $'y\ny\ny' 'yes | head -n 3'
check compat.sleep "slept" 'sleep 0.1 && echo slept'
check_re compat.nproc '^[1-9][0-9]*$' 'nproc'
check_re compat.df '^Filesystem +1024-blocks +Used +Available +Capacity +Mounted on
.* /$' 'df -P /'
check compat.mktemp "ok" 'm=$(mktemp) && test -f "$m" && rm "$m" && echo ok'

# grep, sed, mawk, findutils
check compat.grep "hello" 'grep hel f'
check compat.grep-r "d/e/g:needle" 'grep -r needle d'
check compat.grep-c "2" 'grep -c "^a" lines'
check compat.grep-E "b 2" 'grep -E "^b [0-9]+$" lines'
check compat.grep-v-status "1" 'grep -q nothere f; echo $?'
check compat.sed "heLLo" 'sed "s/l/L/g" f'
check compat.sed-i "jello" 'cp f s && sed -i "s/^h/j/" s && cat s'
check compat.sed-n "c 3" 'sed -n 3p lines'
check compat.awk "7" 'awk "{s += \$2} END {print s}" lines'
check compat.awk-F "root" 'awk -F: "NR == 1 {print \$1}" /etc/passwd'
check compat.find $'d/e/g\nd/h' 'find d -type f | sort'
check compat.find-name "d/e/g" 'find . -name g | sed "s|^\./||"'
check compat.xargs "hello" 'echo f | xargs cat'

# procps, util-linux
check_re compat.ps-aux '^USER +PID +%CPU +%MEM +VSZ +RSS +TTY +STAT +START +TIME +COMMAND
(.*
)?root +[0-9]+ .* ps aux' 'ps aux'
check_re compat.ps-p "^ *$$ *bash$" 'ps -o pid=,comm= -p $$'
check_re compat.free '^ +total +used +free +shared +buff/cache +available
Mem: +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+
Swap: +[0-9]+ +[0-9]+ +[0-9]+$' 'free'
check_re compat.uptime '^ *[0-9:]+ up .*load average: [0-9.]+, [0-9.]+, [0-9.]+$' 'uptime'
check compat.pgrep "found" 'sleep 3 & p=$!; pgrep -x sleep | grep -qx "$p" && echo found; kill $p'
check compat.kill "143" 'sleep 3 & p=$!; kill $p; wait $p; echo $?'
check compat.rev "olleh" 'rev f'
check compat.flock "locked" 'flock "$W/compat.lock" -c "echo locked"'
check compat.getopt " -a -b 'x' -- 'y'" 'getopt -o ab:: -- -a -bx y'
check_re compat.mcookie '^[0-9a-f]{32}$' 'mcookie'
check compat.timeout "124" 'timeout 0.2 sleep 3; echo $?'
check compat.paste "a	1" 'paste <(echo a) <(echo 1)'
check compat.tar $'d/\nd/e/\nd/e/g\nd/h' 'tar -cf t.tar d && tar -tf t.tar | sort'
check compat.sysctl "Linux" 'sysctl -n kernel.ostype'
check_re compat.vmstat '^procs -+memory-+ -+swap-+ -+io-+ -+system-+ -+cpu-+
 r  b +swpd +free +buff +cache +si +so +bi +bo +in +cs us sy id wa st
( *[0-9]+)+$' 'vmstat'
check compat.which "/bin/bash" 'which bash'
check compat.mount-proc "proc" 'findmnt -n -o FSTYPE /proc'

# python3 (python3-minimal)
check compat.python3-c "42" 'python3 -c "print(6 * 7)"'
check compat.python3-version "3.11" 'python3 -c "import sys; print(\"%d.%d\" % sys.version_info[:2])"'
check compat.python3-file "hello" 'python3 -c "print(open(\"f\").read().strip())"'
check compat.python3-os "$W" 'python3 -c "import os; print(os.getcwd())"'
check compat.python3-re "['1', '22']" 'python3 -c "import re; print(re.findall(r\"[0-9]+\", \"a1b22\"))"'
check compat.python3-exit "3" 'python3 -c "import sys; sys.exit(3)"; echo $?'

# bash itself
check compat.bash-arith "42" 'echo $((6 * 7))'
check compat.bash-array "3 c" 'a=(a b c); echo "${#a[@]} ${a[2]}"'
check compat.bash-heredoc "line" 'cat <<END
line
END'
check compat.bash-procsubst "hello" 'cat <(cat f)'
check compat.bash-pipestatus "1 0" 'false | true; echo "${PIPESTATUS[*]}"'
check compat.bash-subshell "7" '(exit 7); echo $?'
check compat.bash-read "got b" 'echo "a b" | { read -r x y; echo "got $y"; }'

cd / && rm -rf "$W"
echo "debian-compat: $PASSED of $TOTAL passed"
[ "$PASSED" = "$TOTAL" ]
