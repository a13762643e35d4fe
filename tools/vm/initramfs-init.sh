#!/bin/busybox sh
# shellcheck shell=dash
# Stage 1 of the guest: /init of the harness initramfs (busybox only).
# Loads the few modules needed to reach the host root over 9p, builds
#   /newroot = overlay(lower: host / over 9p, read-only; upper: tmpfs)
# with the result share at /newroot/sstp-result and the kernel's module tree
# (from the host cache) at /lib/modules/$(uname -r), then switch_root's into
# it so that PID 1 lives in the new root: the kernel runs request_module's
# /sbin/modprobe in PID 1's root.  Stage 2 is /sstp-result/guest-init.sh,
# copied there by run.sh.
#
# Kernel command line: sstp.modroot=DIR (host dir holding lib/modules/KVER).
# Failures print a "SSTP-EARLY-FAIL:" line on the console and power off;
# run.sh turns that into its "early boot failure" exit code.

export PATH=/bin
/bin/busybox --install -s /bin

fail() {
	echo "SSTP-EARLY-FAIL: $*"
	poweroff -f
	echo o >/proc/sysrq-trigger
	sleep 30
}

mkdir -p /proc /sys /dev /lower /rw /newroot
mount -t proc proc /proc || fail "mount /proc"
mount -t sysfs sysfs /sys || fail "mount /sys"
mount -t devtmpfs devtmpfs /dev || fail "mount /dev"

# /modules/order lists decompressed modules in dependency order.
while read -r m; do
	[ -n "$m" ] || continue
	insmod "/modules/$m" || fail "insmod $m"
done </modules/order

modroot=
read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case $arg in
	sstp.modroot=*) modroot=${arg#sstp.modroot=} ;;
	esac
done
[ -n "$modroot" ] || fail "no sstp.modroot= on the kernel command line"
kver=$(uname -r)

# A large msize cuts the number of 9p round trips; "loose" caching is safe
# because the host does not change the shared files during a run.
p9="trans=virtio,version=9p2000.L,msize=262144"
mount -t 9p -o "$p9,ro,cache=loose" hostroot /lower || fail "mount hostroot over 9p"
mount -t tmpfs -o mode=0755 tmpfs /rw || fail "mount tmpfs for the overlay"
mkdir -p /rw/upper /rw/work
mount -t overlay overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work /newroot ||
	fail "mount the overlay root"
mkdir -p /newroot/sstp-result
mount -t 9p -o "$p9" result /newroot/sstp-result || fail "mount the result share"

# usr/lib, not lib: Debian 12 is usrmerged (lib -> usr/lib).
[ -d "/newroot$modroot/lib/modules/$kver" ] || fail "no $modroot/lib/modules/$kver on the host"
mkdir -p "/newroot/usr/lib/modules/$kver"
mount -o bind "/newroot$modroot/lib/modules/$kver" "/newroot/usr/lib/modules/$kver" ||
	fail "bind the module tree"

[ -f /newroot/sstp-result/guest-init.sh ] || fail "no guest-init.sh in the result share"
echo "SSTP-STAGE1-OK"
umount /proc /sys /dev 2>/dev/null
exec switch_root /newroot /bin/bash /sstp-result/guest-init.sh
