#!/bin/sh
# vm: userspace (TLS refusals and one ordinary call: the kernel path of client-connect)
# Client certificates and key sizes. sstp-helper serve with
# verify-client-certificate = yes and ca = the test CA: a client with a
# certificate of that CA (EKU clientAuth) comes up and pings through the
# tunnel; clients without a certificate (TLS 1.3 and 1.2), with one of
# another CA, or with one of the right CA but without clientAuth are
# refused, each with a line in both logs. verify-client-certificate
# without a ca refuses to start. 512-bit RSA keys: serve refuses to start
# with one, connect --certificate exits with an error about its key.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

client_world

# The other CA, which the server does not trust.
test_key "$WORK/other-ca.key" rsa2048-4
openssl req -x509 -key "$WORK/other-ca.key" -days 3 -subj "/CN=sstp other CA" \
	-out "$WORK/other-ca.pem" >/dev/null 2>&1 || fail "openssl req (other CA)"

# issue NAME KEY CA EXTENSIONS: $WORK/NAME.key, the test key KEY (rsaBITS-N),
# and $WORK/NAME.pem, its certificate signed by CA (ca: $WORK/ca.pem and
# $WORK/ca/ca.key; other: $WORK/other-ca.*) with EXTENSIONS (client,
# server) of the test CA's config (make_ca_cert).
issue() {
	case $3 in
	ca) _cacert=$WORK/ca.pem _cakey=$WORK/ca/ca.key ;;
	*) _cacert=$WORK/$3-ca.pem _cakey=$WORK/$3-ca.key ;;
	esac
	test_key "$WORK/$1.key" "$2"
	_bits=${2#rsa}
	_bits=${_bits%-*}
	openssl req -new -key "$WORK/$1.key" -subj "/CN=$1" -out "$WORK/$1.csr" \
		>"$WORK/openssl-$1.log" 2>&1 || fail "openssl req ($1)"
	openssl x509 -req -in "$WORK/$1.csr" -CA "$_cacert" -CAkey "$_cakey" \
		-set_serial "0x$(openssl rand -hex 8)" -days 2 -sha256 \
		-extfile "$WORK/ca/ca.cnf" -extensions "$4" -out "$WORK/$1.pem" \
		>>"$WORK/openssl-$1.log" 2>&1 ||
		fail "openssl x509 ($1): $(cat "$WORK/openssl-$1.log")"
	openssl x509 -in "$WORK/$1.pem" -noout -text | grep -q "Public-Key: ($_bits bit)" ||
		fail "$1: the certificate's key is not of $_bits bits"
}

issue alice rsa2048-5 ca client
issue stranger rsa2048-6 other client
issue small-client rsa512-1 ca client
issue small-server rsa512-2 ca server

# serve_refuses NAME CONFIG MESSAGE: sstp-helper serve with CONFIG exits
# non-zero at once (not a timeout) and says MESSAGE.
serve_refuses() {
	ip netns exec srv timeout 30 "$HELPER" serve --config "$2" \
		>"$WORK/serve-$1.log" 2>&1
	_rc=$?
	case $_rc in
	0 | 124) fail "$1: serve exited $_rc, want a refusal to start" ;;
	esac
	grep -qF -- "$3" "$WORK/serve-$1.log" ||
		fail "$1: no '$3' in: $(cat "$WORK/serve-$1.log")"
	echo "$1: serve exited $_rc: $(grep -v '^sstp-helper: stopped$' "$WORK/serve-$1.log")"
}

# 1. A 512-bit server key: serve does not start, and says how many bits
# it needs (Debian's OpenSSL security level 2 wants 2048, more than
# SSTP's own floor of 472).
make_server_config "authentication = mschap2"
sed -e "s|$WORK/cert.pem|$WORK/small-server.pem|" \
	-e "s|$WORK/key.pem|$WORK/small-server.key|" \
	"$WORK/server.conf" >"$WORK/small.conf"
grep -q "small-server.key" "$WORK/small.conf" || fail "small.conf: $(cat "$WORK/small.conf")"
serve_refuses small-key "$WORK/small.conf" \
	"certificate $WORK/small-server.pem: its RSA key has 512 bits; at least 2048 are needed"

# 2. verify-client-certificate without ca: serve does not start.
make_server_config "authentication = mschap2" "verify-client-certificate = yes"
serve_refuses no-ca "$WORK/server.conf" \
	"verify-client-certificate needs a CA file: ca = (not set)"

# The server of the rest: client certificates of the test CA only.
make_server_config "authentication = mschap2" "verify-client-certificate = yes" \
	"ca = $WORK/ca.pem"
start_serve

# 3. alice's certificate: the call comes up, ping passes, SIGTERM ends it.
ip netns exec cli "$HELPER" connect 192.0.2.1 --user alice \
	--password-file "$WORK/password" --ca "$WORK/ca.pem" --name sstp-out1 \
	--certificate "$WORK/alice.pem" --private-key "$WORK/alice.key" \
	>"$WORK/client.log" 2>&1 &
client=$!
wait_for 60 grep -q "connected to 192.0.2.1 as alice (mschap2)" "$WORK/client.log" ||
	fail "the client with a certificate did not connect"
client_pings sstp-out1
stop_client
wait_for 10 no_process pppd || fail "pppd still running"
echo "certificate: connected, ping passed"

# expect_refused NAME RC CLIENT_REGEX SERVER_MESSAGE [client options...]:
# a client to the running server exits RC with a line matching
# CLIENT_REGEX (grep -E), and the server logs "session ended:
# SERVER_MESSAGE" for it.
expect_refused() {
	_name=$1
	_want=$2
	_cmsg=$3
	_smsg=$4
	shift 4
	_lines=$(wc -l <"$WORK/serve.err.log")
	ip netns exec cli timeout 60 "$HELPER" connect 192.0.2.1 --user alice \
		--password-file "$WORK/password" --ca "$WORK/ca.pem" "$@" \
		>"$WORK/client-$_name.log" 2>&1
	_rc=$?
	[ "$_rc" -eq "$_want" ] ||
		fail "$_name: exit status $_rc, want $_want: $(cat "$WORK/client-$_name.log")"
	grep -qE -- "$_cmsg" "$WORK/client-$_name.log" ||
		fail "$_name: no '$_cmsg' in: $(cat "$WORK/client-$_name.log")"
	! grep -q "connected to" "$WORK/client-$_name.log" ||
		fail "$_name: the client says it connected"
	wait_for 10 sh -c "tail -n +$((_lines + 1)) '$WORK/serve.err.log' |
		grep -qF -- 'session ended: $_smsg'" ||
		fail "$_name: the server did not log 'session ended: $_smsg': $(tail -n +$((_lines + 1)) "$WORK/serve.err.log")"
	echo "$_name: client exit $_rc: $(grep -v '^sstp-helper: stopped$' "$WORK/client-$_name.log")"
	echo "$_name: server: $(tail -n +$((_lines + 1)) "$WORK/serve.err.log" | grep -F 'session ended')"
}

# The client's words: exit 4 and the server's verdict. Under TLS 1.2 the
# server's alert ends our handshake; under TLS 1.3 our handshake is over
# before the server has checked our certificate, and its alert meets the
# HTTP request. The server lingers after a failed handshake until we
# close, so the alert arrives, not a reset. Without a certificate of ours
# the client says the server asked for one.
TLS12_FAILED="^sstp-helper: TLS with 192\.0\.2\.1 failed:"
TLS13_REFUSED="^sstp-helper: the server refused the TLS connection:"
NO_CERT_HINT="\(the server asks for a client certificate: give certificate and private-key\)\$"

# 4. No certificate, TLS 1.3 (the default) and 1.2.
expect_refused no-cert 4 "$TLS13_REFUSED certificate required $NO_CERT_HINT" \
	"TLS handshake failed: peer did not return a certificate"
expect_refused no-cert-tls12 4 "$TLS12_FAILED sslv3 alert handshake failure $NO_CERT_HINT" \
	"TLS handshake failed: peer did not return a certificate" --tls-version only-1.2

# 5. A certificate of another CA, TLS 1.3 and 1.2: the server says why.
OTHER_CA="TLS handshake failed: certificate verify failed (client certificate: unable to get local issuer certificate)"
expect_refused other-ca 4 "$TLS13_REFUSED unknown CA\$" "$OTHER_CA" \
	--certificate "$WORK/stranger.pem" --private-key "$WORK/stranger.key"
expect_refused other-ca-tls12 4 "$TLS12_FAILED tlsv1 alert unknown ca\$" "$OTHER_CA" \
	--tls-version only-1.2 \
	--certificate "$WORK/stranger.pem" --private-key "$WORK/stranger.key"

# 6. The right CA, but EKU serverAuth only (the server's own certificate),
# TLS 1.3 and 1.2.
NO_CLIENTAUTH="TLS handshake failed: certificate verify failed (client certificate: unsuitable certificate purpose)"
expect_refused no-clientauth 4 "$TLS13_REFUSED unsupported certificate\$" "$NO_CLIENTAUTH" \
	--certificate "$WORK/cert.pem" --private-key "$WORK/key.pem"
expect_refused no-clientauth-tls12 4 "$TLS12_FAILED sslv3 alert unsupported certificate\$" \
	"$NO_CLIENTAUTH" --tls-version only-1.2 \
	--certificate "$WORK/cert.pem" --private-key "$WORK/key.pem"

# 7. A 512-bit client key, signed by the right CA: a configuration error
# about the key, before any connection.
ip netns exec cli timeout 60 "$HELPER" connect 192.0.2.1 --user alice \
	--password-file "$WORK/password" --ca "$WORK/ca.pem" \
	--certificate "$WORK/small-client.pem" --private-key "$WORK/small-client.key" \
	>"$WORK/client-small-key.log" 2>&1
rc=$?
[ "$rc" -eq 1 ] || fail "small client key: exit status $rc, want 1: $(cat "$WORK/client-small-key.log")"
grep -qF "certificate $WORK/small-client.pem: its RSA key has 512 bits; at least 2048 are needed" \
	"$WORK/client-small-key.log" ||
	fail "small client key: no error about the key: $(cat "$WORK/client-small-key.log")"
echo "small-client-key: client exit $rc: $(cat "$WORK/client-small-key.log")"

kill -TERM "$serve"
wait "$serve"
wait_for 10 no_process pppd || fail "pppd still running"
rmmod sstp || fail "rmmod sstp"
