#!/usr/bin/env bash
# Build sstp.ko for one harness kernel, in a directory of its own.
#
# Usage: tools/vm/build-module.sh KERNEL [MAKE_ARGS...]    (6.1, 6.12, debug)
# Result: build/vm/KERNEL/src/sstp.ko
#
# Kbuild writes its objects next to the sources, so each kernel gets its own
# copy of the module sources (top-level Kbuild, kernel/, include/) in
# build/vm/KERNEL/src: the three builds can run at once, and none touches the
# objects a developer's `make` leaves in the tree.  Only files whose content
# changed are copied (with a fresh mtime), so rebuilds are incremental.
#
# SSTP_MODULE_SRC overrides the source directory (default: the repo root);
# SSTP_VM_BUILD overrides build/vm.
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
# shellcheck source=tools/vm/lib.sh
. "$here/lib.sh"

src_root=${SSTP_MODULE_SRC:-$SSTP_ROOT}

# Build products and dotfiles: never copied, never deleted from the copy.
is_product() {
	case ${1##*/} in
	.* | *.o | *.ko | *.mod | *.mod.c | *.a | *.order | *.symvers | *.cmd | *.tmp) return 0 ;;
	esac
	return 1
}

source_files() {
	local f
	(cd "$src_root" && printf '%s\n' Kbuild && find kernel include -type f 2>/dev/null | sort) |
		while read -r f; do is_product "$f" || printf '%s\n' "$f"; done
}

sync_sources() {
	local dest=$1 f list
	[ -f "$src_root/Kbuild" ] || sstp_vm_die "no Kbuild in $src_root: nothing to build"
	list=$(source_files)
	while read -r f; do
		mkdir -p "$dest/$(dirname "$f")"
		cmp -s "$src_root/$f" "$dest/$f" || cp "$src_root/$f" "$dest/$f"
	done <<<"$list"
	# A file deleted from the sources must not linger in the copy (a stale
	# header would keep building here while the real tree fails).
	(cd "$dest" && find kernel include -type f 2>/dev/null) | while read -r f; do
		is_product "$f" && continue
		grep -qxF -- "$f" <<<"$list" || rm -f "$dest/$f"
	done
}

main() {
	[ $# -ge 1 ] || sstp_vm_die "usage: $0 KERNEL [MAKE_ARGS...]"
	sstp_vm_resolve "$1"
	shift
	# VM_KVER is empty for a debug kernel that is not completely built.
	if [ -z "$VM_KVER" ] || [ ! -f "$VM_BUILD/Makefile" ]; then
		sstp_vm_die "no kernel build tree for $VM_NAME at $VM_BUILD (tools/deps.sh installs headers; prepare.sh builds debug)"
	fi
	local dest
	dest=$(sstp_vm_build_dir "$VM_NAME")/src
	mkdir -p "$dest"
	# Two builds for the same kernel at once would clobber each other.
	exec 9>"$dest.lock"
	flock 9
	sync_sources "$dest"
	make -C "$VM_BUILD" M="$dest" -j"$(nproc)" "$@" modules
	[ -f "$dest/sstp.ko" ] || sstp_vm_die "make succeeded but $dest/sstp.ko is missing"
	echo "build-module: $dest/sstp.ko ($VM_NAME, $VM_KVER)"
}

main "$@"
