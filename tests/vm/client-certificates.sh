#!/bin/sh
# vm: userspace (no tunnel comes up: the client stops at TLS)
# The client refuses servers whose certificate does not hold, each with
# its own plain message and exit status 4: signed by a CA it does not
# trust, issued for another name, for clients only (purpose), with a
# self-signed CA it does not trust in the chain sent, expired, not yet
# valid. With
# verify-server-certificate = no it warns and connects anyway.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
# The guest's root is a throwaway overlay: names for the tests.
echo "192.0.2.1 vpn.example wrong.example" >>/etc/hosts
printf 'open sesame\n' >"$WORK/password"

# expect_refusal NAME MESSAGE [client options...]: the client run against
# the running server exits 4 and logs MESSAGE.
expect_refusal() {
	_name=$1
	_msg=$2
	shift 2
	ip netns exec cli timeout 60 "$HELPER" connect --user alice \
		--password-file "$WORK/password" "$@" >"$WORK/client-$_name.log" 2>&1
	_rc=$?
	[ "$_rc" -eq 4 ] || fail "$_name: exit status $_rc, want 4"
	grep -qF "$_msg" "$WORK/client-$_name.log" ||
		fail "$_name: no '$_msg' in: $(cat "$WORK/client-$_name.log")"
	echo "$_name: $(grep refused "$WORK/client-$_name.log")"
}

# serve_with [START END]: a server with a fresh CA-signed certificate.
serve_with() {
	make_ca_cert "$@"
	make_server_config "authentication = mschap2"
	start_serve
}
stop_serve() {
	kill -TERM "$serve"
	wait "$serve"
}

serve_with
cp "$WORK/ca.pem" "$WORK/good-ca.pem"
expect_refusal unknown-ca "the certificate of vpn.example was refused: unable to get local issuer certificate" \
	vpn.example
expect_refusal wrong-name "the certificate of wrong.example was refused: hostname mismatch" \
	wrong.example --ca "$WORK/ca.pem"
# Without verification: a warning, and the call comes up.
ip netns exec cli "$HELPER" connect vpn.example --user alice \
	--password-file "$WORK/password" --cert-warn >"$WORK/client-noverify.log" 2>&1 &
client=$!
wait_for 60 grep -q "connected to vpn.example" "$WORK/client-noverify.log" ||
	fail "no connection without verification: $(cat "$WORK/client-noverify.log")"
grep -q "warning: the server's certificate is not verified" "$WORK/client-noverify.log" ||
	fail "no warning without verification"
kill -TERM "$client"
wait "$client"
stop_serve

# A certificate for clients only (EKU clientAuth), by the trusted CA.
make_ca_cert
cat >"$WORK/client-eku.cnf" <<EOF
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectAltName = DNS:vpn.example
EOF
openssl x509 -req -in "$WORK/ca/server.csr" -CA "$WORK/ca.pem" \
	-CAkey "$WORK/ca/ca.key" -set_serial 7 -days 1 -sha256 \
	-extfile "$WORK/client-eku.cnf" -out "$WORK/cert.pem" >/dev/null 2>&1 ||
	fail "openssl x509 (clientAuth only)"
make_server_config "authentication = mschap2"
start_serve
expect_refusal purpose "was refused: unsuitable certificate purpose" \
	vpn.example --ca "$WORK/ca.pem"
stop_serve

# The server sends its CA along; the client trusts another one (a CA of
# the same name: only its key differs).
CA_KEY=rsa2048-4
serve_with
cat "$WORK/ca.pem" >>"$WORK/cert.pem"
stop_serve
start_serve
expect_refusal self-signed-in-chain "was refused: self-signed certificate in certificate chain" \
	vpn.example --ca "$WORK/good-ca.pem"
stop_serve

serve_with 20250101000000Z 20250201000000Z
expect_refusal expired "was refused: certificate has expired" \
	vpn.example --ca "$WORK/ca.pem"
stop_serve

serve_with 20991201000000Z 20991231000000Z
expect_refusal not-yet-valid "was refused: certificate is not yet valid" \
	vpn.example --ca "$WORK/ca.pem"
stop_serve
rmmod sstp || fail "rmmod sstp"
