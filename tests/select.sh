# make test T=...: which checks run. Sourced by scripts/run-tests and
# tests/qemu/lib.sh.
#
# T unset or empty: everything. Otherwise one or more shell globs, separated
# by spaces or commas, each matched against the names of a unit of tests (a
# host test program, a QEMU boot, a user test program, a static-analysis
# tool). A unit runs, with every check it makes, when a glob equals one of its
# names or one of its names begins with the glob and a dot. The names:
#   check.fanalyzer check.cppcheck          make check's tools         (T=check)
#   check.layers                            the include rules (scripts/check-layers)
#   host.dt dt test_dt ...                  tests/host/test_*.c        (T=host)
#   qemu.user user, qemu.oom oom, ...       the boots of tests/qemu/run-all, by
#                                           the name given to boot     (T=qemu)
#   user.brk brk, user.mmap mmap, ...       the programs init runs from
#                                           /bin/tests: one boot runs only those
#                                           (init -- /bin/tests/NAME ...)
# e.g. T=brk, T='fail-alloc-*', T='host.kheap mmap', T=check.cppcheck.

# t_selected NAME...: is a unit with these names selected?
t_selected() {
	[ -z "${T:-}" ] && return 0
	local pats pat name
	read -ra pats <<< "${T//,/ }"
	for pat in "${pats[@]}"; do
		for name in "$@"; do
			# shellcheck disable=SC2053  # $pat is a glob on purpose
			[[ $name == $pat || $name == $pat.* ]] && return 0
		done
	done
	return 1
}
