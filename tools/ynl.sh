#!/usr/bin/env bash
# Print the directory of Linux's ynl tools (tools/net/ynl: cli.py, lib/,
# ynl-gen-c.py) and netlink schemas (Documentation/netlink), taken from
# Debian's linux-source-6.12 tarball (tools/deps.sh installs it) into
# /var/cache/sstp-vm/ynl once. Nothing of them is in this repository.
#
# They need python3-yaml and python3-jsonschema (tools/deps.sh), and run
# with Debian's /usr/bin/python3, which has those.
set -euo pipefail

cache=${SSTP_VM_CACHE:-/var/cache/sstp-vm}/ynl
tarball=/usr/src/linux-source-6.12.tar.xz

if [ ! -f "$cache/tools/net/ynl/cli.py" ] ||
   [ ! -f "$cache/Documentation/netlink/genetlink-legacy.yaml" ]; then
	[ -f "$tarball" ] || { echo "ynl: $tarball missing: run tools/deps.sh" >&2; exit 1; }
	rm -rf "$cache.tmp"
	mkdir -p "$cache.tmp"
	tar -xf "$tarball" -C "$cache.tmp" --strip-components=1 --wildcards \
		'*/tools/net/ynl/*' '*/Documentation/netlink/*'
	rm -rf "$cache"
	mv "$cache.tmp" "$cache"
fi
echo "$cache"
