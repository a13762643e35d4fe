# shellcheck shell=bash
# Which Debian kernels the VM harness runs, and where its caches live.
# Sourced by tools/deps.sh and tools/vm/*.sh.

# Caches live outside the source tree (never committed), shared by clones.
SSTP_CACHE=${SSTP_CACHE:-/var/cache/sstp-vm}

# Debian 12's 6.1: the ABI that linux-image-amd64 depends on.
sstp_kernel_61() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/.*Depends: linux-image-\(6\.1\.[0-9]*-[0-9]*-amd64\)$/\1/p' | head -n1
}

# Debian 12's 6.12 (bookworm-security): the newest signed generic flavour.
sstp_kernel_612() {
	apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' 2>/dev/null |
		sed 's/^linux-image-\([^ ]*\) .*/\1/' | sort -V | tail -n1
}

sstp_kernel_versions() {
	sstp_kernel_61
	sstp_kernel_612
}

# --- The harness's own debug kernel (tools/vm/build-debug-kernel.sh) --------
# Built from Debian's linux-source-6.12 with tools/vm/debug.config.  Its cache
# directory is keyed by the source package version and a hash of the config
# fragment and of the build script, so editing either one rebuilds it.
SSTP_VM_DIR=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")

sstp_debug_source_version() {
	dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null
}

sstp_debug_key() {
	local ver hash
	ver=$(sstp_debug_source_version) || return 1
	[ -n "$ver" ] || return 1
	hash=$(cat "$SSTP_VM_DIR/debug.config" "$SSTP_VM_DIR/build-debug-kernel.sh" |
		sha256sum | cut -c1-12)
	# '~' and '+' are legal in paths but awkward in make and shell: avoid them.
	printf '%s-%s\n' "$(printf '%s' "$ver" | tr '~+:' '___')" "$hash"
}

# Layout of that directory once built (the "done" stamp exists):
#   bzImage  kernelrelease  tree/ (built source tree: make -C tree M=... modules)
#   root/lib/modules/<kernelrelease>/ (installed modules, depmod'ed)
sstp_debug_kernel_dir() {
	local key
	key=$(sstp_debug_key) || return 1
	printf '%s/debug/%s\n' "$SSTP_CACHE" "$key"
}

# `make kernelrelease` of the built debug kernel; fails if not built yet.
sstp_debug_kver() {
	local d
	d=$(sstp_debug_kernel_dir) || return 1
	[ -f "$d/done" ] || return 1
	cat "$d/kernelrelease"
}
