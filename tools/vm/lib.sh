# shellcheck shell=bash
# Shared helpers of the VM harness: kernel names -> paths.
# Sourced by tools/vm/*.sh; not executable on its own.

# shellcheck source=tools/vm/kernels.sh
. "$(dirname "${BASH_SOURCE[0]}")/kernels.sh"

# Repo root: tools/vm/../..
SSTP_ROOT=$(cd "$SSTP_VM_DIR/../.." && pwd)

# The harness names, in the order run-tests.sh uses by default.
SSTP_VM_KERNELS=(6.1 6.12 debug)

sstp_vm_die() { echo "${0##*/}: $*" >&2; exit "${2:-1}"; }

# sstp_vm_resolve NAME: set the VM_* variables describing a harness kernel.
#   VM_NAME   harness name (6.1, 6.12, debug)
#   VM_KVER   uname -r of the guest (empty for debug until it is built)
#   VM_KROOT  directory holding lib/modules/VM_KVER (depmod'ed)
#   VM_IMAGE  kernel image to boot
#   VM_BUILD  tree for `make -C VM_BUILD M=... modules`
#   VM_APPEND extra kernel command line
#   VM_SLOW   slowdown factor relative to a Debian kernel (timeouts scale)
#   VM_SMP    virtual CPUs: 2 for 6.12, so that every run has sstp.ko's
#             paths on two CPUs at once; 1 elsewhere. With two guests on the
#             2-core hosts, a guest of 2 TCG vCPUs ran the same tests 1.8
#             times slower than one of 1 (2026-12-06: 92 s against 52 s a
#             boot on 6.1, 55 s against 20 s a debug test): every cross-CPU
#             TLB flush stops both vCPU threads, and four threads share two
#             cores. The debug kernel's checkers (lockdep, KASAN, kmemleak)
#             need no second CPU to see what they look for.
# Paths are computed, not checked: prepare.sh creates them.
# shellcheck disable=SC2034 # the VM_* variables are for the caller
sstp_vm_resolve() {
	VM_NAME=$1
	VM_APPEND=
	VM_SLOW=1
	VM_SMP=1
	[ "$1" != 6.12 ] || VM_SMP=2
	case $1 in
	6.1 | 6.12)
		# apt-cache takes ~1 s: resolve once, and hand the answer down to
		# the child scripts through the environment.
		if [ "$1" = 6.1 ]; then
			SSTP_KVER_61=${SSTP_KVER_61:-$(sstp_kernel_61)}
			VM_KVER=$SSTP_KVER_61
			export SSTP_KVER_61
		else
			SSTP_KVER_612=${SSTP_KVER_612:-$(sstp_kernel_612)}
			VM_KVER=$SSTP_KVER_612
			export SSTP_KVER_612
		fi
		[ -n "$VM_KVER" ] || sstp_vm_die "cannot resolve the $1 kernel version from apt metadata (run tools/deps.sh)"
		VM_KROOT=$SSTP_CACHE/kernels/$VM_KVER
		VM_IMAGE=$VM_KROOT/boot/vmlinuz-$VM_KVER
		VM_BUILD=/usr/src/linux-headers-$VM_KVER
		;;
	debug)
		local d
		d=$(sstp_debug_kernel_dir) || sstp_vm_die "cannot locate the debug kernel (is linux-source-6.12 installed?)"
		VM_KVER=$(sstp_debug_kver || true)
		VM_KROOT=$d/root
		VM_IMAGE=$d/bzImage
		VM_BUILD=$d/tree
		# pci=noacpi: without it, ACPI IRQ routing under TCG plus kmemleak
		# makes virtio probing take ~85 s (vm-notes.md).
		# no5lvl: `-cpu max` offers LA57, and 6.12's identify_cpu() clears
		# the CPU's feature bits for a moment; an interrupt in that window
		# makes KASAN take a 5-level address for a wild one ("BUG: KASAN:
		# wild-memory-access in do_raw_spin_lock" at ~2 s uptime, in about
		# one boot in four here). 4-level paging has no such window.
		VM_APPEND="pci=noacpi no5lvl"
		VM_SLOW=4
		;;
	*)
		sstp_vm_die "unknown kernel '$1' (one of: ${SSTP_VM_KERNELS[*]})" 240
		;;
	esac
}

# Where per-kernel build products and results go: build/vm/KERNEL
# (build/ is gitignored); SSTP_VM_BUILD moves the whole of build/vm.
sstp_vm_build_dir() {
	printf '%s/%s\n' "${SSTP_VM_BUILD:-$SSTP_ROOT/build/vm}" "$1"
}
