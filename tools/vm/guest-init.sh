#!/bin/bash
# Stage 2 of the guest: PID 1 after switch_root into the overlay of the host
# root.  run.sh copies this file into the result share (/sstp-result) along
# with job.sh (the test, its arguments and environment).
#
# Writes into /sstp-result: started (uptime when the test began), stdout,
# stderr, duration, dmesg, kmemleak (debug kernel), and last of all status
# (the test's exit status; "missing" if the script is not there).  Then powers
# off.  No "set -e": PID 1 must reach the power-off whatever fails.
set -u

R=/sstp-result

log() { echo "guest-init: $*" >/dev/console; }

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

# kmemleak reports an unreferenced object only once it is older than 5 s,
# so a leak from the test's last moments needs a second scan at least that
# much later.  A scan of 2 GiB takes several seconds under TCG by itself:
# sleep only for what is left of the 6 s.
kmemleak_collect() {
	[ -w "$KMEMLEAK" ] || return 0
	local t0 left
	log "scanning for leaks"
	t0=$SECONDS
	echo scan >"$KMEMLEAK"
	left=$((6 - (SECONDS - t0)))
	[ "$left" -le 0 ] || sleep "$left"
	echo scan >"$KMEMLEAK"
	cat "$KMEMLEAK" >"$R/kmemleak"
}

run_test() {
	local start end rc
	# shellcheck source=/dev/null
	. "$R/job.sh"
	export SSTP_KO SSTP_KERNEL SSTP_KVER SSTP_SRC SSTP_OUT
	export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	export HOME=/root LANG=C.UTF-8 TERM=dumb
	mkdir -p "$SSTP_OUT"
	if [ ! -f "$SSTP_TEST" ]; then
		log "test script $SSTP_TEST not found in the guest"
		echo missing >"$R/status"
		return
	fi
	# A kernel that reported a bug while booting, before anything of the
	# test ran (seen once: a KASAN report from an interrupt taken in
	# identify_cpu under TCG), is a bad boot, not a test result: say so
	# and stop; the host boots once more.
	dmesg >"$R/dmesg.boot"
	if ! "$SSTP_SRC/tools/vm/check-log.sh" "$R/dmesg.boot" >/dev/null 2>&1; then
		log "SSTP-BOOT-DIRTY: $("$SSTP_SRC/tools/vm/check-log.sh" -l "$R/dmesg.boot" 2>/dev/null | head -n1)"
		return
	fi
	cut -d' ' -f1 /proc/uptime >"$R/started"
	log "running $SSTP_TEST"
	start=$(date +%s.%N)
	# The guest-side limit fires before the host's, so a hung test still
	# yields dmesg and kmemleak output.  Executable scripts run through
	# their #! line, others with bash.
	local -a cmd=("$SSTP_TEST")
	[ -x "$SSTP_TEST" ] || cmd=(bash "$SSTP_TEST")
	(cd "$SSTP_SRC" && exec timeout -k 10 "$SSTP_GUEST_TIMEOUT" "${cmd[@]}" "${SSTP_ARGS[@]}") \
		</dev/null >"$R/stdout" 2>"$R/stderr"
	rc=$?
	end=$(date +%s.%N)
	echo "$start $end" | awk '{ printf "%.1f\n", $2 - $1 }' >"$R/duration"
	# timeout(1) also returns 124 when the test itself does: tell them apart
	# by the time taken.
	if [ "$rc" = 124 ] && awk -v d="$(cat "$R/duration")" -v t="$SSTP_GUEST_TIMEOUT" \
		'BEGIN { exit !(d >= t - 1) }'; then
		echo "$SSTP_GUEST_TIMEOUT" >"$R/guest-timeout"
	fi
	kmemleak_collect
	dmesg >"$R/dmesg"
	# Written last and renamed: its presence means everything else is there.
	echo "$rc" >"$R/status.tmp"
	mv "$R/status.tmp" "$R/status"
}

mount_basics
kmemleak_start
run_test
power_off
