#!/usr/bin/env bash
# Build (or find in the cache) the initramfs for one harness kernel.
#
# Usage: tools/vm/make-initramfs.sh KERNEL     (6.1, 6.12 or debug)
# Prints the path of the .cpio.gz on stdout.  The kernel must be fetched or
# built already (prepare.sh does that first).
#
# Contents: static busybox, /init (initramfs-init.sh), /dev/console, and the
# modules needed to mount the 9p root (none for the debug kernel, where all is
# built in), decompressed because busybox insmod cannot read .ko.xz.
# Cached as $SSTP_CACHE/initramfs/<kernel>-<kver>-<hash>.cpio.gz, the hash
# covering the init script, this script, busybox and the module list.
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
# shellcheck source=tools/vm/lib.sh
. "$here/lib.sh"

busybox=/bin/busybox
init=$here/initramfs-init.sh
# What stage 1 needs: virtio PCI transport, 9p over virtio, overlayfs; and
# virtio-rng so TLS key generation never waits for entropy.  9pnet_virtio is
# listed explicitly: 9p does not depend on it by symbol.
wanted_modules=(virtio_pci 9pnet_virtio 9p overlay virtio_rng)

# The module files to insmod, dependencies first, each once.  "builtin"
# lines (6.12 and the debug kernel build much of this in) are skipped.
module_files() {
	local kroot=$1 kver=$2 m line
	for m in "${wanted_modules[@]}"; do
		modprobe -d "$kroot" -S "$kver" --show-depends "$m" ||
			sstp_vm_die "module $m not found for $kver"
	done | while read -r line; do
		case $line in
		insmod\ *) line=${line#insmod }; printf '%s\n' "${line%% *}" ;;
		esac
	done | awk '!seen[$0]++'
}

# Decompress as needed; file names keep their load order.
stage_modules() {
	local stage=$1 n=0 f base
	mkdir -p "$stage/modules"
	: >"$stage/modules/order"
	while read -r f; do
		[ -n "$f" ] || continue
		n=$((n + 1))
		base=$(printf '%02d-%s' "$n" "$(basename "$f")")
		case $f in
		*.ko.xz) base=${base%.xz}; xz -dc "$f" >"$stage/modules/$base" ;;
		*.ko.zst) base=${base%.zst}; zstd -qdc "$f" >"$stage/modules/$base" ;;
		*.ko.gz) base=${base%.gz}; gzip -dc "$f" >"$stage/modules/$base" ;;
		*) cp "$f" "$stage/modules/$base" ;;
		esac
		printf '%s\n' "$base" >>"$stage/modules/order"
	done
}

# Globals so the EXIT trap can clean up after a failed build.
stage='' tmp=''
trap 'rm -rf "$stage" "$tmp"' EXIT

build() {
	local out=$1 files=$2
	stage=$(mktemp -d)
	tmp=$(mktemp "$out.XXXXXX")
	mkdir -p "$stage/bin" "$stage/dev"
	cp "$busybox" "$stage/bin/busybox"
	cp "$init" "$stage/init"
	chmod 755 "$stage/init"
	# The kernel opens /dev/console before running /init: without the
	# node there is no console output at all.
	mknod -m 600 "$stage/dev/console" c 5 1
	stage_modules "$stage" <<<"$files"
	(cd "$stage" && find . -print0 | sort -z | cpio --null -o -H newc --quiet --owner=0:0) |
		gzip -6 >"$tmp"
	chmod 644 "$tmp"
	mv "$tmp" "$out"
	tmp=
}

main() {
	[ $# -eq 1 ] || sstp_vm_die "usage: $0 KERNEL"
	sstp_vm_resolve "$1"
	if [ -z "$VM_KVER" ] || [ ! -d "$VM_KROOT/lib/modules/$VM_KVER" ]; then
		sstp_vm_die "kernel $1 is not fetched/built yet (run tools/vm/prepare.sh $1)"
	fi
	[ -x "$busybox" ] || sstp_vm_die "$busybox missing (package busybox-static)"

	local files key out
	files=$(module_files "$VM_KROOT" "$VM_KVER")
	key=$( {
		cat "$init" "$here/make-initramfs.sh" "$busybox"
		printf '%s\n' "$files"
	} | sha256sum | cut -c1-16)
	out=$SSTP_CACHE/initramfs/$VM_NAME-$VM_KVER-$key.cpio.gz
	if [ ! -f "$out" ]; then
		mkdir -p "$SSTP_CACHE/initramfs"
		build "$out" "$files"
		# Stale images of this kernel are useless once the key changed.
		find "$SSTP_CACHE/initramfs" -maxdepth 1 -name "$VM_NAME-$VM_KVER-*.cpio.gz" \
			! -path "$out" -delete
	fi
	printf '%s\n' "$out"
}

main "$@"
