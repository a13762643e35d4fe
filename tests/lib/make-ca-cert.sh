#!/bin/sh
# make-ca-cert.sh DIR CA_KEY SERVER_KEY START END: a test CA and a server
# certificate it signed, for vpn.example and 192.0.2.1 with EKU
# serverAuth, valid from START to END (YYYYMMDDHHMMSSZ); the CA is valid
# from now for ten years:
#   DIR/ca.pem, DIR/cert.pem, DIR/key.pem (a copy of SERVER_KEY), and in
#   DIR/ca/ the CA's key (ca.key, a copy of CA_KEY), the request
#   (server.csr) and openssl ca's files. DIR/ca/ca.cnf also holds the
#   extensions of the certificates the tests issue with this CA
#   themselves (openssl x509 -extfile ... -extensions server|client).
# `make test-keys` runs it on the host for what most tests use (ten
# years); vm-common.sh's make_ca_cert in the guest for other dates or CA
# keys.
set -eu
[ $# = 5 ] || { echo "usage: $0 DIR CA_KEY SERVER_KEY START END" >&2; exit 2; }
dir=$1 ca=$1/ca
mkdir -p "$ca"
: >"$ca/index.txt"
echo 01 >"$ca/serial"
cp "$2" "$ca/ca.key"
cp "$3" "$dir/key.pem"
openssl req -x509 -key "$ca/ca.key" -days 3653 -subj "/CN=sstp test CA" \
	-out "$dir/ca.pem" 2>/dev/null
openssl req -new -key "$dir/key.pem" -subj /CN=vpn.example \
	-out "$ca/server.csr" 2>/dev/null
cat >"$ca/ca.cnf" <<EOT
[ca]
default_ca = test
[test]
database = $ca/index.txt
new_certs_dir = $ca
serial = $ca/serial
default_md = sha256
policy = any
copy_extensions = none
x509_extensions = server
[any]
commonName = supplied
[server]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:vpn.example, IP:192.0.2.1
[client]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
EOT
openssl ca -batch -config "$ca/ca.cnf" -cert "$dir/ca.pem" \
	-keyfile "$ca/ca.key" -in "$ca/server.csr" -out "$dir/cert.pem" \
	-startdate "$4" -enddate "$5" >"$ca/ca.log" 2>&1 ||
	{ cat "$ca/ca.log" >&2; exit 1; }
