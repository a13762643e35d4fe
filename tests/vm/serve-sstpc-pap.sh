#!/bin/sh
# vm: userspace (kernel path as in tunnel-ping / serve-sstpc-mschapv2; differs in userspace)
# sstpc connects to sstp-helper serve with PAP over TLS 1.2: no MPPE keys,
# so both ends bind with a zero HLAK, as [MS-SSTP] says; the binding
# verifies and ping passes. (The MS-CHAPv2 test runs over TLS 1.3.)
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert
serve_sstpc pap "" "tls-version = only-1.2"
grep -q "TLSv1.2" "$WORK/serve.err.log" || fail "TLS 1.2 was not used"
kill -TERM "$serve"
wait "$serve"
cat "$WORK/serve.err.log"
