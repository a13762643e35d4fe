#!/bin/bash
# vm: userspace (does not load sstp.ko)
# Bring-up test of the VM harness (tools/vm): the guest boots the intended
# kernel, the environment run.sh promises is there, pppd runs, and modules load, both
# by modprobe and by the kernel's own request_module (which runs
# /sbin/modprobe in PID 1's root: it only works if switch_root did its job).
set -euo pipefail

fail() { echo "smoke: FAIL: $*" >&2; exit 1; }

echo "smoke: kernel $(uname -r) (harness name $SSTP_KERNEL)"
[ "$(uname -r)" = "$SSTP_KVER" ] || fail "uname -r is $(uname -r), expected $SSTP_KVER"
[ "$(id -u)" = 0 ] || fail "not root"
[ -d /proc/net ] || fail "no /proc/net"
[ -d /run/lock ] || fail "no /run/lock"
[ -d "$SSTP_SRC/tools/vm" ] || fail "repo not visible at $SSTP_SRC"
[ "$(readlink /proc/1/root)" = / ] || fail "PID 1 is not in this root"
[ -d "/lib/modules/$SSTP_KVER/kernel" ] || fail "no module tree for $SSTP_KVER"
[ ! -t 0 ] || fail "stdin is a terminal"

echo ok >"$SSTP_OUT/smoke.txt" || fail "SSTP_OUT ($SSTP_OUT) not writable"
if echo x >/sstp-vm-smoke-probe 2>/dev/null; then rm -f /sstp-vm-smoke-probe; else fail "root overlay not writable"; fi

modprobe tls
modprobe ppp_generic
modprobe veth
for m in tls ppp_generic veth; do
	[ -d "/sys/module/$m" ] || fail "module $m not loaded"
done
[ -c /dev/ppp ] || fail "/dev/ppp missing after loading ppp_generic"
# pppd from Debian's ppp package runs in the guest.
pppd --version 2>&1 | grep -q '^pppd version 2\.' || fail "pppd --version"

# request_module: creating a dummy link makes the kernel load "dummy".
ip link add smoke0 type dummy || fail "ip link add type dummy (request_module) failed"
[ -d /sys/module/dummy ] || fail "dummy not autoloaded"
ip link del smoke0

# netns + veth, as the real tests use them.
ip netns add smoke
ip link add sv0 type veth peer name sv1 netns smoke
ip addr add 192.0.2.1/24 dev sv0
ip link set sv0 up
ip -n smoke addr add 192.0.2.2/24 dev sv1
ip -n smoke link set sv1 up
busybox ping -c 1 -W 5 192.0.2.2 >/dev/null || fail "no ping over veth"
ip netns del smoke

if [ -f "$SSTP_KO" ]; then echo "smoke: sstp.ko present at $SSTP_KO"; else echo "smoke: (no sstp.ko built yet)"; fi
echo "smoke: all good"
