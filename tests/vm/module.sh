#!/bin/sh
# sstp.ko loads on top of its dependencies, registers the "sstp" generic
# netlink family with its "events" multicast group, and unloads cleanly,
# twice in a row (a leak of the family or a module reference shows here).
set -eu

modprobe tls
modprobe ppp_generic
modprobe veth

for round in 1 2; do
	insmod "$SSTP_KO"
	grep -q '^sstp ' /proc/modules

	info=$(genl ctrl get name sstp)
	echo "$info" | grep -q 'Name: sstp' || {
		echo "round $round: family sstp not listed:"; echo "$info"; exit 1; }
	echo "$info" | grep -q 'name: events' || {
		echo "round $round: multicast group events missing:"; echo "$info"; exit 1; }

	rmmod sstp
	if grep -q '^sstp ' /proc/modules; then
		echo "round $round: sstp still loaded after rmmod"; exit 1
	fi
	if genl ctrl get name sstp >/dev/null 2>&1; then
		echo "round $round: family sstp still registered after rmmod"; exit 1
	fi
done
echo "sstp.ko loaded, listed and unloaded twice"
