# fileutils: busybox's file applets on a writable tmpfs, self-checking.
#
#   sh fileutils.sh [DIR [MNT]]
#
# DIR (default /tmp/fu) is made, worked in and removed; MNT (default /) is the
# mount point of the tmpfs that df and mount must show. Bramble has no "#!"
# loader, so the script is run by the shell: tests/qemu/run-all boots
#   -- "/bin/sh /bin/shtests/fileutils.sh"
# On Linux it runs with Debian's aarch64 busybox under qemu-aarch64-static,
# the applets found first in PATH, in a directory on a tmpfs mounted at MNT
# (the figures of df, free, ps, top and mount differ there: those cases check
# the shape of a line, not its numbers).
#
# Prints "PASS fileutils.<case>" or "FAIL fileutils.<case>: <why>" per case,
# then "fileutils: <N> cases, <F> failed", and exits with F (at most 125).

DIR=${1:-/tmp/fu}
MNT=${2:-/}
cases=0
fails=0

# t NAME COMMAND...: runs COMMAND (a function) and reports NAME by its status;
# a failing COMMAND leaves its reason in $why.
t() {
	name=$1
	shift
	why="exit status"
	cases=$((cases + 1))
	if "$@"; then
		echo "PASS fileutils.$name"
	else
		fails=$((fails + 1))
		echo "FAIL fileutils.$name: $why"
	fi
}

# is WHAT GOT WANT: GOT must equal WANT.
is() {
	[ "$2" = "$3" ] && return 0
	why="$1: got '$2', expected '$3'"
	return 1
}

# has WHAT REGEX TEXT: a line of TEXT matches the extended REGEX.
has() {
	printf '%s\n' "$3" | grep -Eq -- "$2" && return 0
	why="$1: no line matches /$2/ in: $(printf '%s' "$3" | head -n 8 | tr '\n' '|')"
	return 1
}

c_mkdir_p() {
	mkdir -p "$DIR/a/b/c" && [ -d "$DIR/a/b/c" ] || { why="mkdir -p $DIR/a/b/c"; return 1; }
	mkdir -p "$DIR/a/b" || { why="mkdir -p on an existing directory failed"; return 1; }
	mkdir "$DIR/a" 2>/dev/null && { why="plain mkdir of an existing directory succeeded"; return 1; }
	return 0
}
c_mkdir_p_tmp() {
	mkdir -p /tmp || { why="mkdir -p /tmp failed"; return 1; }
	[ -d /tmp ] && [ -w /tmp ] || { why="/tmp is not a writable directory"; return 1; }
}
c_echo_cat() {
	echo hello > f || { why="echo > f failed"; return 1; }
	is "cat f" "$(cat f)" hello || return 1
	echo world >> f
	is "cat after >>" "$(cat f)" "hello
world"
}
c_wc() {
	printf 'one two\nthree\n' > w
	is "wc -l" "$(wc -l < w)" 2 && is "wc -w" "$(wc -w < w)" 3 && is "wc -c" "$(wc -c < w)" 14
}
c_touch() {
	touch new || { why="touch new failed"; return 1; }
	[ -f new ] && [ ! -s new ] || { why="touch did not make an empty file"; return 1; }
	touch -d '2001-02-03 04:05:06' f || { why="touch -d failed"; return 1; }
	is "mtime" "$(date -r f '+%Y-%m-%d %H:%M:%S')" "2001-02-03 04:05:06" &&
	is "content kept" "$(cat f)" "hello
world"
}
c_cp() {
	cp f g || { why="cp failed"; return 1; }
	cmp f g || { why="the copy differs"; return 1; }
	echo changed > g
	is "original after writing the copy" "$(cat f)" "hello
world"
}
c_cp_r() {
	echo deep > a/b/c/file
	ln -s file a/b/c/link
	cp -r a a2 || { why="cp -r failed"; return 1; }
	cmp a/b/c/file a2/b/c/file || { why="the copied file differs"; return 1; }
	is "find a2" "$(cd a2 && find . | sort | tr '\n' ' ')" ". ./b ./b/c ./b/c/file ./b/c/link "
}
c_mv() {
	mv g h || { why="mv failed"; return 1; }
	[ ! -e g ] || { why="the source is still there"; return 1; }
	is "moved content" "$(cat h)" changed || return 1
	mv a2 a3 && [ -d a3/b/c ] && [ ! -e a2 ] || { why="mv of a directory"; return 1; }
	mv h a3/ && [ -f a3/h ] || { why="mv into a directory"; return 1; }
}
c_rm_r() {
	rm -r a3 || { why="rm -r failed"; return 1; }
	[ ! -e a3 ] || { why="a3 is still there"; return 1; }
	rm new && [ ! -e new ] || { why="rm of a file"; return 1; }
	rm nothing 2>/dev/null && { why="rm of a missing file succeeded"; return 1; }
	return 0
}
c_ln_s() {
	ln -s f lnk || { why="ln -s failed"; return 1; }
	[ -L lnk ] || { why="lnk is not a symlink"; return 1; }
	is "readlink" "$(readlink lnk)" f && is "cat through the link" "$(cat lnk)" "hello
world"
}
c_tar() {
	tar cf t.tar a || { why="tar c failed"; return 1; }
	mkdir x && tar xf t.tar -C x || { why="tar x failed"; return 1; }
	cmp a/b/c/file x/a/b/c/file && [ -L x/a/b/c/link ] || { why="tar round trip lost a file or the link"; return 1; }
	mkdir y && tar cf - a | (cd y && tar xf -) || { why="tar c | tar x failed"; return 1; }
	cmp a/b/c/file y/a/b/c/file || { why="tar through a pipe lost the file"; return 1; }
	is "listing" "$(tar tf t.tar | sort | tr '\n' ' ')" "a/ a/b/ a/b/c/ a/b/c/file a/b/c/link "
}
c_gzip() {
	seq 1 20000 > s && cp s s.orig
	gzip s || { why="gzip failed"; return 1; }
	[ -f s.gz ] && [ ! -e s ] || { why="gzip did not replace s by s.gz"; return 1; }
	[ "$(wc -c < s.gz)" -lt "$(wc -c < s.orig)" ] || { why="s.gz is not smaller"; return 1; }
	gunzip s.gz || { why="gunzip failed"; return 1; }
	cmp s s.orig || { why="the round trip changed the bytes"; return 1; }
	is "gzip -c | gunzip -c" "$(gzip -c < s | gunzip -c | md5sum)" "$(md5sum < s.orig)"
}
c_sort_o() {
	printf 'pear\napple\nfig\n' > so
	sort -o so so || { why="sort -o failed"; return 1; }
	is "sorted in place" "$(cat so | tr '\n' ' ')" "apple fig pear "
}
c_sed_i() {
	sed -i 's/hello/bye/' f || { why="sed -i failed"; return 1; }
	is "edited in place" "$(cat f)" "bye
world" && [ ! -e f.bak ] && is "no temp file left" "$(ls | grep -c '^sed')" 0
}
c_find() {
	is "find -name" "$(find "$DIR" -name 'fil*' | sort | tr '\n' ' ')" \
		"$DIR/a/b/c/file $DIR/x/a/b/c/file $DIR/y/a/b/c/file " &&
	is "find -type d -name c" "$(find "$DIR/a" -type d -name c)" "$DIR/a/b/c" &&
	is "find -type l" "$(find "$DIR/a" -type l)" "$DIR/a/b/c/link"
}
c_df() {
	out=$(df -T "$MNT") || { why="df -T $MNT failed"; return 1; }
	mnt_re=$(printf '%s' "$MNT" | sed 's/[.[\*^$]/\\&/g')
	has "df -T $MNT" "^[^ ]+ +tmpfs +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+% +$mnt_re\$" "$out" || return 1
	out=$(df)
	has "df" "^[^ ]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+% +$mnt_re\$" "$out"
}
c_df_used() {
	# 1 MiB more on the tmpfs shows in df's used column
	u0=$(df -k "$MNT" | awk 'NR == 2 { print $3 }')
	dd if=/dev/zero of=big bs=1024 count=1024 2>/dev/null || { why="dd failed"; return 1; }
	u1=$(df -k "$MNT" | awk 'NR == 2 { print $3 }')
	rm big
	[ -n "$u0" ] && [ -n "$u1" ] && [ $((u1 - u0)) -ge 1000 ] && [ $((u1 - u0)) -le 1100 ] && return 0
	why="used went from '$u0' to '$u1' KiB for a 1024 KiB file"
	return 1
}
c_free() {
	has "free" '^Mem: +[0-9]+ +[0-9]+ +[0-9]+' "$(free)"
}
c_ps() {
	out=$(ps) || { why="ps failed"; return 1; }
	has "ps header" '^ *PID +USER' "$out" && has "ps pid 1" '^ +1 +[a-z0-9]+ ' "$out" &&
	has "ps the shell" "^ *$$ +[a-z0-9]+ " "$out"
}
c_top() {
	out=$(top -bn1) || { why="top -bn1 failed"; return 1; }
	has "top Mem" '^Mem: [0-9]+K used, [0-9]+K free' "$out" && has "top CPU" '^CPU: +[0-9]+% usr' "$out" &&
	has "top load" '^Load average: [0-9.]+ [0-9.]+ [0-9.]+ [0-9]+/[0-9]+ [0-9]+' "$out" &&
	has "top header" '^ *PID +PPID +USER +STAT +VSZ' "$out" && has "top pid 1" '^ +1 +0 ' "$out"
}
c_mount() {
	out=$(mount) || { why="mount failed"; return 1; }
	has "mount proc" '^[^ ]+ on /proc type proc ' "$out" &&
	has "mount tmpfs" "^[^ ]+ on $(printf '%s' "$MNT" | sed 's/[.[\*^$]/\\&/g') type tmpfs " "$out"
}

rm -rf "$DIR"
t mkdir-p c_mkdir_p
cd "$DIR" || { echo "FAIL fileutils.setup: cannot enter $DIR"; exit 1; }
t mkdir-p-tmp c_mkdir_p_tmp
t echo-cat c_echo_cat
t wc c_wc
t touch c_touch
t cp c_cp
t cp-r c_cp_r
t mv c_mv
t rm-r c_rm_r
t ln-s c_ln_s
t tar c_tar
t gzip c_gzip
t sort-o c_sort_o
t sed-i c_sed_i
t find c_find
t df c_df
t df-used c_df_used
t free c_free
t ps c_ps
t top c_top
t mount c_mount
cd /
rm -r "$DIR"
cases=$((cases + 1))
if [ -e "$DIR" ]; then
	fails=$((fails + 1))
	echo "FAIL fileutils.cleanup: $DIR is still there"
else
	echo "PASS fileutils.cleanup"
fi
echo "fileutils: $cases cases, $fails failed"
[ $fails -gt 125 ] && fails=125
exit $fails
