#!/usr/bin/env bash
# Fetch Debian 13 (trixie)'s ppp-dev, i.e. the pppd 2.5 plugin headers, into
# the cache, so the pppd plugin can be compile-checked against pppd 2.5
# (which renamed and moved the plugin API) besides Debian 12's 2.4.9.
# Never touches the host's apt configuration: a private sources list and
# lists directory. Prints the include directory (holding pppd/pppd.h).
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
# shellcheck source=tools/vm/kernels.sh
. "$here/vm/kernels.sh"

dir=$SSTP_CACHE/ppp25
inc=$dir/root/usr/include
if [ -f "$inc/pppd/pppd.h" ]; then
	echo "$inc"
	exit 0
fi

mkdir -p "$dir/lists/partial" "$dir/deb"
echo "deb http://deb.debian.org/debian trixie main" >"$dir/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$dir/sources.list" -o "Dir::Etc::SourceParts=-"
	-o "Dir::State::Lists=$dir/lists" -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache=")
apt-get "${apt_opts[@]}" update -qq >&2
(cd "$dir/deb" && apt-get "${apt_opts[@]}" download ppp-dev >&2)
dpkg -x "$dir"/deb/ppp-dev_*.deb "$dir/root"
[ -f "$inc/pppd/pppd.h" ] || { echo "ppp-dev from trixie has no pppd/pppd.h" >&2; exit 1; }
echo "$inc"
