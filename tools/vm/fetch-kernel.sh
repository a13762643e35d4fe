#!/usr/bin/env bash
# Fetch and unpack a Debian kernel image package for the VM harness.
#
# Usage: tools/vm/fetch-kernel.sh KVER      (e.g. 6.1.0-56-amd64)
#
# Result: $SSTP_CACHE/kernels/KVER/boot/vmlinuz-KVER and
#         $SSTP_CACHE/kernels/KVER/lib/modules/KVER (depmod'ed).
# The .deb is kept in $SSTP_CACHE/debs.  A stamp file makes reruns instant.
# Headers are not fetched here: tools/deps.sh installs linux-headers-KVER.
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
# shellcheck source=tools/vm/kernels.sh
. "$here/kernels.sh"

die() { echo "fetch-kernel: $*" >&2; exit 1; }

# apt-get download writes into the current directory; download under a
# temporary name so an interrupted fetch never looks complete.
download() {
	local kver=$1 debs=$SSTP_CACHE/debs tmp
	compgen -G "$debs/linux-image-${kver}_*.deb" >/dev/null && return 0
	mkdir -p "$debs"
	tmp=$(mktemp -d "$debs/.dl.XXXXXX")
	# Running as root, apt would try (and warn about) dropping to _apt,
	# which cannot write into our cache directory.
	if ! (cd "$tmp" && apt-get -q -o APT::Sandbox::User=root download "linux-image-$kver" >/dev/null); then
		rm -rf "$tmp"
		die "apt-get download linux-image-$kver failed (apt-get update needed? see tools/deps.sh)"
	fi
	mv "$tmp"/*.deb "$debs/"
	rmdir "$tmp"
}

unpack() {
	local kver=$1 dest=$2 deb tmp
	deb=$(compgen -G "$SSTP_CACHE/debs/linux-image-${kver}_*.deb" | sort -V | tail -n1)
	tmp=$dest.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"
	dpkg -x "$deb" "$tmp"
	# usrmerge-era packages install under usr/lib; give one canonical path.
	if [ ! -d "$tmp/lib/modules/$kver" ] && [ -d "$tmp/usr/lib/modules/$kver" ]; then
		mkdir -p "$tmp/lib/modules"
		mv "$tmp/usr/lib/modules/$kver" "$tmp/lib/modules/$kver"
	fi
	[ -f "$tmp/boot/vmlinuz-$kver" ] || die "no boot/vmlinuz-$kver in $deb"
	[ -d "$tmp/lib/modules/$kver/kernel" ] || die "no lib/modules/$kver in $deb"
	depmod -b "$tmp" "$kver"
	rm -rf "$dest"
	mv "$tmp" "$dest"
}

main() {
	if [ $# -ne 1 ] || [ -z "$1" ]; then die "usage: $0 KVER"; fi
	local kver=$1 dest=$SSTP_CACHE/kernels/$1
	[ -f "$dest/.stamp-ok" ] && return 0
	mkdir -p "$SSTP_CACHE/kernels"
	# Parallel callers (prepare.sh for several kernels, or two checkouts)
	# serialise per kernel version.
	exec 9>"$dest.lock"
	flock 9
	[ -f "$dest/.stamp-ok" ] && return 0
	download "$kver"
	unpack "$kver" "$dest"
	touch "$dest/.stamp-ok"
	echo "fetch-kernel: $kver unpacked into $dest"
}

main "$@"
