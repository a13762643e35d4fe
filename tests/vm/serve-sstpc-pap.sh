#!/bin/sh
# sstpc connects to sstp-helper serve with PAP: no MPPE keys, so both ends
# bind with a zero HLAK, as [MS-SSTP] says; the binding verifies and ping
# passes.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert
serve_sstpc pap ""
kill -TERM "$serve"
wait "$serve"
cat "$WORK/serve.err.log"
