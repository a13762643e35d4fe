#!/usr/bin/env bash
# The netlink family's spec, Documentation/netlink/specs/sstp.yaml, against
# its code; fails on any difference:
#  1. ynl's own generator (ynl-gen-c.py --mode uapi, from tools/ynl.sh)
#     renders a uapi header from the spec: its enums, their values and its
#     defines must be those of include/uapi/linux/sstp.h.
#  2. kernel/netlink-gen.[ch] (the policy, the op table, the multicast
#     group) must be what tools/netlink-gen.py generates from the spec now.
# Both validate the spec against ynl's schema first.
#
#   tools/netlink-spec.sh           check (make check)
#   tools/netlink-spec.sh --update  rewrite kernel/netlink-gen.[ch]
set -euo pipefail

top=$(dirname "$(readlink -f "$0")")/..
cd "$top"
ynl=$(tools/ynl.sh)
# Debian's python3, with python3-yaml and python3-jsonschema.
py=/usr/bin/python3
spec=Documentation/netlink/specs/sstp.yaml
schema=$ynl/Documentation/netlink/genetlink-legacy.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ynl-gen-c.py finds the schema beside the specs/ directory, and names the
# spec by its path below the MAINTAINERS file of the tree it is in.
mkdir -p "$tmp/tree/Documentation/netlink/specs"
touch "$tmp/tree/MAINTAINERS"
ln -s "$schema" "$tmp/tree/Documentation/netlink/"
cp "$spec" "$tmp/tree/$spec"
"$py" "$ynl/tools/net/ynl/ynl-gen-c.py" --mode uapi --header \
	--spec "$tmp/tree/$spec" -o "$tmp/sstp.h"
if ! "$py" tools/netlink-gen.py uapi "$tmp/sstp.h" include/uapi/linux/sstp.h; then
	echo "$spec and include/uapi/linux/sstp.h disagree (above)" >&2
	exit 1
fi

"$py" tools/netlink-gen.py gen "$schema" "$spec" "$tmp"
if [ "${1:-}" = --update ]; then
	cp "$tmp/netlink-gen.c" "$tmp/netlink-gen.h" kernel/
	exit 0
fi
for f in netlink-gen.c netlink-gen.h; do
	if ! diff -u "kernel/$f" "$tmp/$f"; then
		echo "kernel/$f is not what $spec generates: run tools/netlink-spec.sh --update" >&2
		exit 1
	fi
done
