#!/bin/sh
# pppd from Debian's ppp package runs in the guest, and /dev/ppp appears
# once ppp_generic is loaded (there is no udev in the guest).
set -eu

modprobe ppp_generic
[ -c /dev/ppp ] || { echo "/dev/ppp missing after modprobe ppp_generic"; exit 1; }
version=$(pppd --version 2>&1)
echo "$version"
echo "$version" | grep -q '^pppd version 2\.' || { echo "unexpected pppd --version output"; exit 1; }
