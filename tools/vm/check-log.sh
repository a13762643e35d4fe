#!/usr/bin/env bash
# Look for kernel trouble in a guest kernel log (dmesg, console copy or the
# kmemleak report).
#
# Usage: tools/vm/check-log.sh [-l] LOGFILE...
#   default: print each offending line with some context, marked with '>'
#   -l:      print only "FILE:LINE:text" of each offending line (for tests)
# Exit: 0 clean, 1 something found, 2 usage error or unreadable file.
#
# Matching is case-sensitive.  A line is offending if it matches a pattern
# below and no benign pattern.  Benign patterns are kept narrow on purpose:
# an unknown "kmemleak:" message (e.g. the detector disabling itself) must
# fail the run, not be waved through.
set -euo pipefail

bad_patterns=(
	'(^|[^[:alnum:]_])BUG:'                  # BUG: KASAN/soft lockup/scheduling while atomic/...
	'kernel BUG at'
	'Oops'
	'WARNING:'                               # WARN_ON, lockdep reports, ...
	'refcount_t'
	'list_(add|del) corruption'              # DEBUG_LIST
	'general protection'
	'KASAN'
	'[Ll]ockdep'                             # e.g. "lockdep is turned off", "DEBUG_LOCKS_WARN_ON"
	'turning off the locking correctness validator'
	'possible circular locking'
	'possible recursive locking'
	'inconsistent lock state'
	'sleeping function called from invalid context'
	'[Kk]memleak'
	'unreferenced object'                    # the kmemleak report file
	'UBSAN'
	'Call Trace'
	'stack-protector'
	'ODEBUG'                                 # DEBUG_OBJECTS
	'Kernel panic'
	'INFO: task .* blocked for more than'    # hung task
	'rcu: INFO: .*detected stall'
)

# Lines the patterns above would catch on a healthy boot, seen on the three
# harness kernels (tools/vm/testdata/clean-*.log).
benign_patterns=(
	'kmemleak: Kernel memory leak detector initialized'
	'kmemleak: Automatic memory scanning thread (started|ended)'
	'Lock dependency validator'
	'MAX_LOCKDEP_(SUBCLASSES|KEYS|ENTRIES|CHAINS)'
	'rcu:[[:space:]]+RCU lockdep checking is enabled'
)

join() {
	local IFS='|'
	printf '%s' "$*"
}

# awk does the matching: one pass, context printing with merged ranges.
scan() {
	local mode=$1 file=$2
	awk -v bad="$(join "${bad_patterns[@]}")" -v ok="$(join "${benign_patterns[@]}")" \
		-v mode="$mode" -v file="$file" -v before=4 -v after=25 -v cap=400 '
	{ sub(/\r$/, ""); line[NR] = $0 }
	$0 ~ bad && $0 !~ ok { hit[NR] = 1; n++ }
	END {
		if (!n) exit 0
		if (mode == "list") {
			for (i = 1; i <= NR; i++) if (i in hit) printf "%s:%d:%s\n", file, i, line[i]
			exit 1
		}
		printf "check-log: %d suspicious line(s) in %s:\n", n, file
		last = 0; printed = 0
		for (i = 1; i <= NR; i++) {
			if (!(i in hit)) continue
			from = i - before; if (from <= last) from = last + 1; if (from < 1) from = 1
			to = i + after; if (to > NR) to = NR
			if (from > last + 1 && last) print "  ..."
			for (j = from; j <= to; j++) {
				if (++printed > cap) { print "  ... (truncated, see " file ")"; exit 1 }
				printf "%s %s\n", (j in hit) ? ">" : " ", line[j]
			}
			last = to
		}
		exit 1
	}' "$file"
}

main() {
	local mode=context f rc=0
	if [ "${1:-}" = -l ]; then mode=list; shift; fi
	[ $# -ge 1 ] || { echo "usage: $0 [-l] LOGFILE..." >&2; exit 2; }
	for f in "$@"; do
		[ -r "$f" ] || { echo "check-log: cannot read $f" >&2; exit 2; }
	done
	for f in "$@"; do
		scan "$mode" "$f" || rc=1
	done
	return "$rc"
}

main "$@"
