#!/bin/bash
# Stage 2 of the guest: PID 1 after switch_root into the overlay of the host
# root.  run.sh copies this file and guest-test.sh into the result share
# (/sstp-result) along with job.sh (the tests of this boot, their arguments
# and environment).
#
# Runs the tests one after the other, each in a fresh root and network
# namespace (guest-test.sh).  After each test it ends every process the test
# left, unloads sstp.ko, scans for leaks (debug kernel) and keeps the part of
# the kernel log written since the test began, so that whatever the kernel
# says is charged to the test that made it say it.
#
# Writes into /sstp-result: started (uptime when the first test began), and
# per test in t/NAME/: started, stdout, stderr, duration, dmesg, kmemleak
# (debug kernel), cleanup (why the guest could not be made clean again, if
# so), and last of all status (the test's exit status; "missing" if the
# script is not there).  A test whose clean-up failed ends the batch: the
# tests after it have no status.  Then powers off.  No "set -e": PID 1 must
# reach the power-off whatever fails.
set -u

R=/sstp-result

# Each line with the uptime, so that the console shows where a boot's
# time went.
log() {
	local up _
	read -r up _ </proc/uptime
	echo "guest-init: [$up] $*" >/dev/console
}

# On the debug kernel an exec costs a second or more, and this runs between
# every two tests: the kernel log is read by one dmesg each time, counted
# and cut with bash, and the clocks are bash's own.

# klog_lines: how many lines the kernel log has now.
klog_lines() {
	local -a lines=()
	mapfile -t lines < <(dmesg)
	echo "${#lines[@]}"
}

# klog_since N: the kernel log's lines after the first N.
klog_since() {
	local -a lines=()
	mapfile -t -s "$1" lines < <(dmesg)
	[ ${#lines[@]} -eq 0 ] || printf '%s\n' "${lines[@]}"
}

# now_us: the time in microseconds.
now_us() { echo "${EPOCHREALTIME/./}"; }

power_off() {
	sync
	# busybox, not /sbin/poweroff: the host's is systemctl, which wants a
	# running systemd.
	busybox poweroff -f
	echo o >/proc/sysrq-trigger
	sleep 60
}

mount_basics() {
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	mkdir -p /dev/pts /dev/shm
	mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
	mount -t tmpfs -o mode=1777 tmpfs /dev/shm
	# What udev would make: bash's <(...) needs /dev/fd.
	ln -s /proc/self/fd /dev/fd
	# The host's /run (pid files, sockets) means nothing here.  /tmp stays
	# the overlay (writable, tmpfs-backed) so host files under /tmp remain
	# visible to tests.
	mount -t tmpfs -o mode=0755 tmpfs /run
	mkdir -p /run/lock
	[ -d /sys/kernel/debug ] && mount -t debugfs debugfs /sys/kernel/debug
	hostname sstp-vm
	ip link set lo up
}

# kmemleak (debug kernel only): the config has no auto-scan thread, and
# "scan=off" makes sure of it, since that thread blocks reads of the file
# for tens of seconds under TCG.
KMEMLEAK=/sys/kernel/debug/kmemleak
kmemleak_start() {
	[ -w "$KMEMLEAK" ] || return 0
	echo scan=off >"$KMEMLEAK"
}

# kmemleak reports an object only when a scan finds it unreferenced, older
# than 5 s at the scan's start, and unchanged since the scan before (a new
# object's first scan only records its checksum). A scan takes 5-10 s
# under TCG, so there is one after each test, in a pipeline: it records
# the checksums of what this test left, and reports what the test before
# left, whose report and kernel log lines ("N new suspected memory leaks")
# go to that test's result; "clear" then keeps them out of later reports
# (it greys only reported objects: this test's leaks, not reported yet,
# wait for the next scan).
# After the last test, a second scan at least 6 s after it ended reports
# its own. Checked with a module that leaks in its init: the leak is
# charged to the test that loaded it.
KMEMLEAK_PENDING=""	# result dir of the test the next scan reports on

# kmemleak_scan NEXT: scan; the report goes to the pending test; NEXT (a
# result dir, or "") is pending then.
kmemleak_scan() {
	local k0
	[ -w "$KMEMLEAK" ] || return 0
	log "scanning for leaks"
	k0=$(klog_lines)
	echo scan >"$KMEMLEAK"
	if [ -n "$KMEMLEAK_PENDING" ]; then
		local -a report=()
		mapfile -t report <"$KMEMLEAK"
		{ [ ${#report[@]} -eq 0 ] || printf '%s\n' "${report[@]}"; } \
			>"$KMEMLEAK_PENDING/kmemleak"
		klog_since "$k0" >>"$KMEMLEAK_PENDING/dmesg"
	fi
	echo clear >"$KMEMLEAK"
	KMEMLEAK_PENDING=$1
}

# kmemleak_finish ENDED: the last test's report, 6 s after it ended.
kmemleak_finish() {
	local left=$(($1 + 6 - SECONDS))
	[ -w "$KMEMLEAK" ] && [ -n "$KMEMLEAK_PENDING" ] || return 0
	[ "$left" -le 0 ] || sleep "$left"
	kmemleak_scan ""
}

# The processes of the test still running, one pid a line: every process
# but PID 1, its subshells, kernel threads (kthreadd, 2, and its children)
# and zombies (PID 1 reaps those).
test_leftovers() {
	local p pid k v ppid state
	for p in /proc/[0-9]*; do
		pid=${p#/proc/}
		case $pid in 1 | 2 | "$BASHPID") continue ;; esac
		ppid="" state=""
		while read -r k v; do
			case $k in
			State:) state=${v%% *} ;;
			PPid:) ppid=$v; break ;;
			esac
		done <"$p/status" 2>/dev/null
		case $ppid in "" | 0 | 2) continue ;; esac
		[ "$state" = Z ] && continue
		echo "$pid"
	done
}

# cpu_ticks: "BUSY IDLE" of all the guest's CPUs, in USER_HZ ticks
# (/proc/stat): what the test kept busy, and what it spent waiting.
cpu_ticks() {
	local _ user nice sys idle iowait irq softirq steal rest
	read -r _ user nice sys idle iowait irq softirq steal rest </proc/stat
	echo "$((user + nice + sys + irq + softirq + steal)) $((idle + iowait))"
}

# wait_until SECONDS CMD...: poll CMD every 0.2 s, at most SECONDS.
wait_until() {
	local until=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -lt "$until" ] || return 1
		sleep 0.2
	done
}

no_leftovers() { [ -z "$(test_leftovers)" ]; }
sstp_unloaded() { [ ! -d /sys/module/sstp ] || rmmod sstp 2>/dev/null; }

# end_test DIR: end what the test left running (noted in DIR/leftovers)
# and unload sstp.ko, within a limit that scales with the kernel's speed.
# What cannot be ended is a finding of this test: DIR/cleanup says why.
end_test() {
	local d=$1 pids p slow=1
	[ "$SSTP_KERNEL" = debug ] && slow=4
	pids=$(test_leftovers)
	if [ -n "$pids" ]; then
		for p in $pids; do
			echo "$p $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)"
		done >"$d/leftovers"
		# shellcheck disable=SC2086 # a list of pids
		kill -KILL $pids 2>/dev/null
	fi
	if ! wait_until $((10 * slow)) no_leftovers; then
		echo "processes still running $((10 * slow)) s after SIGKILL: $(test_leftovers | tr '\n' ' ')" >"$d/cleanup"
		return 1
	fi
	if ! wait_until $((30 * slow)) sstp_unloaded; then
		echo "sstp.ko still in use $((30 * slow)) s after the test's processes ended: $(rmmod sstp 2>&1)" >"$d/cleanup"
		return 1
	fi
}

# run_one_test NAME SCRIPT ARGS...: one test of the batch, in t/NAME/.
# Returns non-zero when the guest could not be cleaned after it.
run_one_test() {
	local test=$2 d=$R/t/$1 klines start end us up _ rc ok=0
	shift 2
	mkdir -p "$d/out"
	if [ ! -f "$test" ]; then
		log "test script $test not found in the guest"
		echo missing >"$d/status"
		return 0
	fi
	klines=$(klog_lines)
	cpu_ticks >"$d/cpu.start"
	read -r up _ </proc/uptime
	echo "$up" >"$d/started"
	[ -e "$R/started" ] || echo "$up" >"$R/started"
	log "running $test"
	start=$(now_us)
	unshare --mount --net /bin/bash "$R/guest-test.sh" "$d" "$test" "$@" \
		</dev/null >"$d/stdout" 2>"$d/stderr"
	rc=$?
	end=$(now_us)
	us=$((end - start))
	echo "$((us / 1000000)).$((us / 100000 % 10))" >"$d/duration"
	cpu_ticks >"$d/cpu.end"
	# timeout(1) also returns 124 when the test itself does: tell them apart
	# by the time taken.
	if [ "$rc" = 124 ] && [ "$us" -ge $(((SSTP_GUEST_TIMEOUT - 1) * 1000000)) ]; then
		echo "$SSTP_GUEST_TIMEOUT" >"$d/guest-timeout"
	fi
	LAST_ENDED=$SECONDS
	end_test "$d" || ok=1
	klog_since "$klines" >"$d/dmesg"
	kmemleak_scan "$d"
	echo $((SECONDS - LAST_ENDED)) >"$d/cleanup-secs"
	# Written last and renamed: its presence means everything else is
	# there, but for the leak report, which the next scan writes (the
	# host reads the results once the guest is off).
	echo "$rc" >"$d/status.tmp"
	mv "$d/status.tmp" "$d/status"
	return "$ok"
}

run_tests() {
	local i
	# shellcheck source=/dev/null
	. "$R/job.sh"
	export SSTP_KO SSTP_KERNEL SSTP_KVER SSTP_SRC SSTP_GUEST_TIMEOUT SSTP_WAIT_SCALE
	export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	export HOME=/root LANG=C.UTF-8 TERM=dumb
	# A kernel that reported a bug while booting, before anything of the
	# test ran (seen once: a KASAN report from an interrupt taken in
	# identify_cpu under TCG), is a bad boot, not a test result: say so
	# and stop; the host boots once more.
	dmesg >"$R/dmesg.boot"
	if ! "$SSTP_SRC/tools/vm/check-log.sh" "$R/dmesg.boot" >/dev/null 2>&1; then
		log "SSTP-BOOT-DIRTY: $("$SSTP_SRC/tools/vm/check-log.sh" -l "$R/dmesg.boot" 2>/dev/null | head -n1)"
		return
	fi
	for i in "${!SSTP_TESTS[@]}"; do
		if [ "$i" = 0 ]; then
			run_one_test "${SSTP_NAMES[i]}" "${SSTP_TESTS[i]}" "${SSTP_ARGS[@]}"
		else
			run_one_test "${SSTP_NAMES[i]}" "${SSTP_TESTS[i]}"
		fi || {
			log "the guest could not be cleaned after ${SSTP_NAMES[i]}: ending the batch"
			break
		}
	done
	kmemleak_finish "${LAST_ENDED:-$SECONDS}"
	dmesg >"$R/dmesg"
}

mount_basics
kmemleak_start
run_tests
power_off
