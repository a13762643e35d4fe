#!/usr/bin/env bash
# Install everything the build and the tests need, from Debian's archive.
# Fast when all is present: one dpkg-query, no apt call.
set -euo pipefail

# Kernels of the harness: Debian 12's 6.1 (what linux-image-amd64 points at)
# and its 6.12 (bookworm-security). tools/vm/kernels.sh resolves the versions.
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=tools/vm/kernels.sh
. "$here/vm/kernels.sh"

pkgs=(
	build-essential pkg-config git
	kmod cpio busybox-static qemu-system-x86 qemu-utils
	libssl-dev libnl-3-dev libnl-genl-3-dev libnl-route-3-dev
	ppp ppp-dev openssl iproute2 iputils-ping iperf3 sstp-client tshark
	haproxy python3 python3-yaml python3-jsonschema freeradius
	clang sparse
	flex bison bc libelf-dev linux-source-6.12
)

# Servers among the packages (freeradius, haproxy) are tools the VM tests
# start in their own network namespaces: none may run on the host. Their
# postinst would start them (invoke-rc.d, deb-systemd-invoke); both ask
# policy-rc.d first, and 101 means "not now". An existing policy-rc.d (a
# container's) is left alone; ours goes away when this script ends.
no_services_during_install() {
	local policy=/usr/sbin/policy-rc.d

	[ -e "$policy" ] && return 0
	printf '#!/bin/sh\n# tools/deps.sh: no service starts while it installs\nexit 101\n' \
		>"$policy"
	chmod 755 "$policy"
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
}

# ... nor start at the next boot, when this run installed them.
no_services_at_boot() {
	local p

	for p in "$@"; do
		case $p in
		freeradius | haproxy)
			if [ -d /run/systemd/system ]; then
				systemctl disable "$p" >/dev/null 2>&1 || true
			else
				update-rc.d "$p" disable >/dev/null 2>&1 || true
			fi
			;;
		esac
	done
}

missing=()
need_update=0
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done

# Headers for each harness kernel: resolved from apt metadata, so an
# update is needed first on a machine that never ran one.
if [ ! -d /var/lib/apt/lists ] || [ -z "$(ls /var/lib/apt/lists/*Packages* 2>/dev/null)" ]; then
	need_update=1
fi
if [ "$need_update" = 1 ]; then
	apt-get update -qq
fi
for k in $(sstp_kernel_versions); do
	p=linux-headers-$k
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all present"
	exit 0
fi
echo "deps: installing ${missing[*]}"
[ "$need_update" = 1 ] || apt-get update -qq
export DEBIAN_FRONTEND=noninteractive
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
no_services_during_install
apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
no_services_at_boot "${missing[@]}"
echo "deps: done"
