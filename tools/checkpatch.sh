#!/usr/bin/env bash
# Run the kernel's checkpatch.pl on the module and the shared codec.
#
# checkpatch.pl comes from an unpacked Linux source tree: one under
# /usr/src, or the debug kernel's, or else the three files it reads are
# taken from Debian's linux-source-6.12 tarball (tools/deps.sh installs
# it) into /var/cache/sstp-vm/checkpatch, once.
set -euo pipefail

top=$(dirname "$(readlink -f "$0")")/..
cache=${SSTP_VM_CACHE:-/var/cache/sstp-vm}/checkpatch
tarball=/usr/src/linux-source-6.12.tar.xz

find_checkpatch() {
	local f
	for f in /usr/src/linux-source-*/scripts/checkpatch.pl \
		 "${SSTP_VM_CACHE:-/var/cache/sstp-vm}"/debug/*/tree/scripts/checkpatch.pl \
		 "$cache"/scripts/checkpatch.pl; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}

if ! cp=$(find_checkpatch); then
	[ -f "$tarball" ] || { echo "checkpatch: $tarball missing: run tools/deps.sh" >&2; exit 1; }
	mkdir -p "$cache.tmp"
	tar -xf "$tarball" -C "$cache.tmp" --strip-components=1 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	rm -rf "$cache"
	mv "$cache.tmp" "$cache"
	cp=$cache/scripts/checkpatch.pl
fi

cd "$top"
perl "$cp" --no-tree --strict -f kernel/*.[ch] include/uapi/linux/sstp.h
# The shared codec uses C99 fixed-width types by design: no --strict.
perl "$cp" --no-tree -f include/sstp/*.[ch]
