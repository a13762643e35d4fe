#!/usr/bin/env bash
# Build, once, the harness's debug kernel (KASAN, lockdep, kmemleak,
# debugobjects, DEBUG_LIST) from Debian's linux-source-6.12.
#
# Usage: tools/vm/build-debug-kernel.sh
#
# Result in $(sstp_debug_kernel_dir) (see kernels.sh): bzImage, kernelrelease,
# root/lib/modules/<kver>, and tree/ (kept so out-of-tree modules build with
# `make -C tree M=dir modules`).  A "done" stamp marks a complete build; a
# rerun with the stamp present returns at once.  An interrupted build resumes
# incrementally.  Cold: about 10 minutes with 2 cores; ~2.5 GB of disk.
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
# shellcheck source=tools/vm/kernels.sh
. "$here/kernels.sh"

src_tar=/usr/src/linux-source-6.12.tar.xz
fragment=$here/debug.config
jobs=${SSTP_JOBS:-$(nproc)}

die() { echo "build-debug-kernel: $*" >&2; exit 1; }

check_prereqs() {
	local t
	[ -f "$src_tar" ] || die "$src_tar missing: run tools/deps.sh (package linux-source-6.12)"
	for t in make gcc flex bison bc xz depmod; do
		command -v "$t" >/dev/null || die "'$t' missing: run tools/deps.sh"
	done
}

# Unpack into a temporary name first so a half-extracted tree is never used.
extract() {
	local dir=$1
	[ -d "$dir/tree" ] && return 0
	echo "build-debug-kernel: extracting $src_tar"
	rm -rf "$dir/tree.tmp"
	mkdir -p "$dir/tree.tmp"
	tar -xf "$src_tar" -C "$dir/tree.tmp" --strip-components=1
	mv "$dir/tree.tmp" "$dir/tree"
}

# Every value the fragment asks for must survive olddefconfig: Kconfig drops
# options with unmet dependencies silently, which would leave a "debug"
# kernel without its detectors.
verify_config() {
	local config=$1 line sym val bad=0
	while IFS= read -r line; do
		if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
			sym=${BASH_REMATCH[1]} val=${BASH_REMATCH[2]}
			if ! grep -qxF "$sym=$val" "$config"; then
				echo "build-debug-kernel: wanted $sym=$val, got: $(grep -E "^(# )?${sym}[= ]" "$config" || echo unset)" >&2
				bad=1
			fi
		elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			sym=${BASH_REMATCH[1]}
			if grep -qE "^$sym=" "$config"; then
				echo "build-debug-kernel: wanted $sym off, got: $(grep -E "^$sym=" "$config")" >&2
				bad=1
			fi
		fi
	done <"$fragment"
	[ "$bad" = 0 ] || die "configuration check failed (see above): fix $fragment"
}

configure() {
	local tree=$1
	# defconfig + kvm_guest.config give a bootable virtio guest; the fragment
	# adds what the tests need and the detectors.  -m: merge only, the
	# olddefconfig right after resolves dependencies.
	make -C "$tree" -s defconfig
	make -C "$tree" -s kvm_guest.config
	(cd "$tree" && scripts/kconfig/merge_config.sh -m .config "$fragment") >/dev/null
	make -C "$tree" -s olddefconfig
	verify_config "$tree/.config"
}

build() {
	local dir=$1 tree=$1/tree kver
	echo "build-debug-kernel: make -j$jobs bzImage modules (log: $dir/build.log)"
	if ! make -C "$tree" -j"$jobs" bzImage modules >"$dir/build.log" 2>&1; then
		tail -n 40 "$dir/build.log" >&2
		die "kernel build failed (full log: $dir/build.log)"
	fi
	kver=$(make -C "$tree" -s kernelrelease)
	rm -rf "$dir/root"
	make -C "$tree" -s INSTALL_MOD_PATH="$dir/root" modules_install >>"$dir/build.log" 2>&1
	# The build/source links would point into the tree: the guest gets the
	# tree through the shared host root anyway, but keep the module dir plain.
	rm -f "$dir/root/lib/modules/$kver/build" "$dir/root/lib/modules/$kver/source"
	depmod -b "$dir/root" "$kver"
	cp "$tree/arch/x86/boot/bzImage" "$dir/bzImage"
	printf '%s\n' "$kver" >"$dir/kernelrelease"
}

main() {
	local dir start
	check_prereqs
	dir=$(sstp_debug_kernel_dir) || die "cannot compute the cache key (is linux-source-6.12 installed?)"
	if [ -f "$dir/done" ]; then
		echo "build-debug-kernel: cached: $dir ($(cat "$dir/kernelrelease"))"
		return 0
	fi
	mkdir -p "$dir"
	# One builder at a time per key: a second caller waits, then finds "done".
	exec 9>"$dir.lock"
	flock 9
	if [ -f "$dir/done" ]; then
		echo "build-debug-kernel: built by another process: $dir"
		return 0
	fi
	start=$SECONDS
	extract "$dir"
	configure "$dir/tree"
	build "$dir"
	touch "$dir/done"
	echo "build-debug-kernel: built $(cat "$dir/kernelrelease") in $((SECONDS - start)) s: $dir"
	# Older keys are not removed automatically (another checkout may use
	# them); list them so a human can.
	find "$SSTP_CACHE/debug" -mindepth 1 -maxdepth 1 -type d ! -path "$dir" \
		-printf 'build-debug-kernel: note: older debug kernel (rm -rf to reclaim space): %p\n'
}

main "$@"
