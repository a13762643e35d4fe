#!/bin/sh
# vm: debug-elsewhere (sstp.ko is not in it; every debug tunnel test hands off to kTLS)
# OpenSSL hands TLS 1.2 and TLS 1.3 AES-GCM connections to kTLS in both
# directions (TLS 1.3 RX installed by our own handoff code), and data flows
# through the kernel's TLS on plain send()/recv(): see tests/progs/ktls-check.c.
set -eu

modprobe tls
ip link set lo up
"$SSTP_SRC/build/tests/ktls-check"
