#!/bin/bash
# One test of a batch, inside the guest: guest-init.sh runs this in a mount
# and a network namespace of its own (unshare -m -n), so that nothing one
# test leaves behind reaches the next one booted in the same guest.
#
# Usage: guest-test.sh RESULT_DIR TEST [ARGS...]
#
# The test's root is a fresh overlay over the guest's root with its own
# tmpfs upper layer: its writes to /etc, /tmp, ... vanish with it.  proc
# and dev are the guest's, sysfs is this network namespace's (with debugfs),
# /run and /dev/shm are new tmpfs, lo is up;
# RESULT_DIR is at /sstp-result (so SSTP_OUT=/sstp-result/out), and the
# kernel's module tree at /lib/modules/$SSTP_KVER as in the guest's root.
# The test's processes may outlive this script: guest-init.sh ends them.
#
# Exit status: the test's own (through timeout(1): 124 when it ran out of
# time), 240 when the root could not be made.
set -u

res=$1
shift
top=/run/sstp-test-root
root=$top/root

die() {
	echo "guest-test: $*" >&2
	exit 240
}

# The mounts go through busybox (static), most of them in one run of it
# from a table: on the debug kernel an exec of util-linux's mount,
# dynamically linked, costs 0.7 s, busybox's 0.2, and this runs before
# every test.
bbmount() { busybox mount "$@"; }

make_root() {
	mkdir -p "$top" || return 1
	bbmount -t tmpfs -o mode=0755 tmpfs "$top" || return 1
	mkdir -p "$top/upper" "$top/work" "$root" || return 1
	# The guest's root (itself an overlay over 9p) is the lower layer.
	bbmount -t overlay \
		-o "lowerdir=/,upperdir=$top/upper,workdir=$top/work" overlay "$root" || return 1
	mkdir -p "$root/sstp-result" "$root/usr/lib/modules/$SSTP_KVER" \
		"$root/.sstp-old-root" || return 1
	{
		echo "proc $root/proc proc defaults 0 0"
		echo "sysfs $root/sys sysfs defaults 0 0"
		if [ -d /sys/kernel/debug ]; then
			echo "debugfs $root/sys/kernel/debug debugfs defaults 0 0"
		fi
		echo "/dev $root/dev none rbind 0 0"
		echo "tmpfs $root/dev/shm tmpfs mode=1777 0 0"
		echo "tmpfs $root/run tmpfs mode=0755 0 0"
		echo "$res $root/sstp-result none bind 0 0"
		echo "/usr/lib/modules/$SSTP_KVER $root/usr/lib/modules/$SSTP_KVER none bind 0 0"
	} >"$top/fstab" || return 1
	bbmount -a -T "$top/fstab" || return 1
	mkdir "$root/run/lock"
}

# shellcheck source=/dev/null
. /sstp-result/job.sh
make_root || die "cannot make the test's root under $top"
ip link set lo up || die "cannot bring lo up"

test=$1
shift
# Executable scripts run through their #! line, others with bash.
cmd=("$test")
[ -x "$test" ] || cmd=(bash "$test")
# SSTP_VM_TRACE=1 on the host: every command traced with the time, by
# bash (its clock costs no fork: on the debug kernel a fork and exec of a
# dynamically linked program takes most of a second). Root's bash takes
# no PS4 from the environment, so a BASH_ENV file sets it, once.
if [ "${SSTP_TRACE:-0}" = 1 ]; then
	# shellcheck disable=SC2016 # expanded by the traced shell
	printf '%s\n' 'PS4="+\${EPOCHREALTIME} "' 'unset BASH_ENV' >"$root/run/sstp-trace.sh"
	cmd=(env BASH_ENV=/run/sstp-trace.sh bash -x "$test")
fi
# pivot_root, not only chroot: the namespace's root becomes the test's, so
# that paths read from /proc (fd links, mountinfo) of processes in other
# mount namespaces the test makes (ip netns exec) look as they do inside.
cd "$root" || die "cannot enter $root"
pivot_root . .sstp-old-root || die "pivot_root into $root failed"
# The guest-side limit fires before the host's, so a hung test still yields
# its kernel log and kmemleak report.
# shellcheck disable=SC2016 # expanded by the test's shell
SSTP_OUT=/sstp-result/out exec chroot . /bin/bash -c \
	'busybox umount -l /.sstp-old-root && busybox rmdir /.sstp-old-root || exit 240
	cd "$SSTP_SRC" && exec timeout -k 10 "$SSTP_GUEST_TIMEOUT" "$@"' \
	guest-test "${cmd[@]}" "$@"
