#!/usr/bin/env bash
# Get everything a VM test run needs for the named kernels, printing how long
# each stage took.  Idempotent: with everything cached it takes a few seconds.
#
# Usage: tools/vm/prepare.sh [KERNEL...]     (default: 6.1 6.12 debug)
#
# Stages per kernel:
#   kernel     6.1/6.12: fetch-kernel.sh (apt-get download + dpkg -x)
#              debug:    build-debug-kernel.sh (~10 min cold, 2 cores)
#   initramfs  make-initramfs.sh (cached per kernel and content hash)
#   module     build-module.sh (sstp.ko; skipped while the repo has no Kbuild)
# and once for all: ynl, Linux's netlink tools the tests drive sstp.ko with
# (tools/ynl.sh).
# A stage's output is shown only if it fails.
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
# shellcheck source=tools/vm/lib.sh
. "$here/lib.sh"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# stage KERNEL NAME CMD...: run CMD quietly, report its duration.
stage() {
	local kernel=$1 name=$2 start log
	shift 2
	start=$(now)
	log=$(mktemp)
	if ! "$@" >"$log" 2>&1; then
		echo "prepare: $kernel: $name FAILED after $(since "$start")s:" >&2
		sed 's/^/    /' "$log" >&2
		rm -f "$log"
		exit 1
	fi
	echo "prepare: $kernel: $name ok ($(since "$start")s)"
	rm -f "$log"
}

prepare_kernel() {
	local k=$1
	sstp_vm_resolve "$k"
	if [ "$k" = debug ]; then
		sstp_debug_kver >/dev/null ||
			echo "prepare: debug: building the debug kernel (~10 min with 2 cores; log in $(sstp_debug_kernel_dir)/build.log)"
		stage "$k" "debug kernel" "$here/build-debug-kernel.sh"
	else
		stage "$k" "kernel $VM_KVER" "$here/fetch-kernel.sh" "$VM_KVER"
	fi
	stage "$k" initramfs "$here/make-initramfs.sh" "$k"
	if [ -f "${SSTP_MODULE_SRC:-$SSTP_ROOT}/Kbuild" ]; then
		stage "$k" sstp.ko "$here/build-module.sh" "$k"
	else
		echo "prepare: $k: sstp.ko skipped (no Kbuild yet)"
	fi
}

main() {
	local k start
	start=$(now)
	[ $# -gt 0 ] || set -- "${SSTP_VM_KERNELS[@]}"
	for k in "$@"; do
		sstp_vm_resolve "$k" # validate all names before the slow work
	done
	for k in "$@"; do
		prepare_kernel "$k"
	done
	stage all ynl "$here/../ynl.sh"
	echo "prepare: all done ($(since "$start")s)"
}

main "$@"
