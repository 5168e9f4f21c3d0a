#!/bin/bash
# Throwaway TLS certificates for tests of netbench's tcp:// + TLS Docker client against the
# private engines (tools/docker_engine.sh [--host2] start --tls DIR, tools/two_host_testbed.sh).
#
#   tools/make_test_certs.sh DIR
#
# Writes into DIR (created if absent; files of these names are replaced):
#   ca.pem, ca-key.pem                a CA that exists only for this test
#   server-cert.pem, server-key.pem   for dockerd: subjectAltName IP:127.0.0.1 (host1's
#                                     listener) and IP:198.18.40.2 (host2's), serverAuth
#   cert.pem, key.pem                 a client certificate: clientAuth
#   other-ca.pem                      a second, unrelated CA (its key is thrown away): a client
#                                     that trusts only it must refuse the engine
# So DIR serves both sides, as Docker lays them out: dockerd gets --tlscacert DIR/ca.pem
# --tlscert DIR/server-cert.pem --tlskey DIR/server-key.pem, a client DOCKER_CERT_PATH=DIR.
#
# EC P-256 keys, valid for 1 day from now (same machine: no clock skew to allow for), random
# serial numbers, keys mode 0600 and certificates 0644. Quiet: openssl's output is shown only
# when it fails; on success one line on stderr. Needs openssl (Debian: apt-get install openssl).
set -euo pipefail

me=make_test_certs.sh
die() { echo "$me: $*" >&2; exit 1; }

if (($# != 1)) || [[ -z $1 || $1 == -* ]]; then echo "usage: $0 DIR" >&2; exit 2; fi
dir=$1
command -v openssl >/dev/null || die "'openssl' is not installed (Debian: apt-get install openssl)"
mkdir -p "$dir" || die "cannot create $dir"

# Everything is made in a private directory first, then moved into DIR: DIR never holds a mix
# of old and new files from a run that failed halfway.
umask 077
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nb-certs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
log=$tmp/openssl.log

ossl() {
  if ! openssl "$@" >>"$log" 2>&1; then
    echo "$me: openssl $1 failed:" >&2
    cat "$log" >&2
    exit 1
  fi
}
serial() { echo "0x$(openssl rand -hex 16)"; }

# A self-signed CA: name, key file, certificate file.
make_ca() {
  ossl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days 1 \
    -set_serial "$(serial)" -subj "/O=netbench test/CN=$1" -keyout "$2" -out "$3" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash"
}

# A certificate signed by our CA: common name, extensions, key file, certificate file.
make_leaf() {
  local cn=$1 ext=$2 key=$3 crt=$4
  ossl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 \
    -subj "/O=netbench test/CN=$cn" -keyout "$key" -out "$tmp/req.csr"
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" "$ext" >"$tmp/ext.cnf"
  ossl x509 -req -in "$tmp/req.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca-key.pem" \
    -set_serial "$(serial)" -sha256 -days 1 -extfile "$tmp/ext.cnf" -out "$crt"
  rm -f "$tmp/req.csr" "$tmp/ext.cnf"
}

make_ca "netbench test CA" "$tmp/ca-key.pem" "$tmp/ca.pem"
make_leaf "127.0.0.1" $'extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,IP:198.18.40.2' \
  "$tmp/server-key.pem" "$tmp/server-cert.pem"
make_leaf "netbench test client" "extendedKeyUsage=clientAuth" "$tmp/key.pem" "$tmp/cert.pem"
make_ca "netbench unrelated test CA" "$tmp/other-ca-key.pem" "$tmp/other-ca.pem"
rm -f "$tmp/other-ca-key.pem"

# What a TLS peer will check: each leaf against our CA for its purpose, and not against the other.
ossl verify -CAfile "$tmp/ca.pem" -purpose sslserver -verify_ip 127.0.0.1 "$tmp/server-cert.pem"
ossl verify -CAfile "$tmp/ca.pem" -purpose sslserver -verify_ip 198.18.40.2 "$tmp/server-cert.pem"
ossl verify -CAfile "$tmp/ca.pem" -purpose sslclient "$tmp/cert.pem"
if openssl verify -CAfile "$tmp/other-ca.pem" "$tmp/server-cert.pem" >/dev/null 2>&1; then
  die "other-ca.pem verifies the server certificate: it is not unrelated"
fi

chmod 0600 "$tmp"/*key.pem
chmod 0644 "$tmp/ca.pem" "$tmp/server-cert.pem" "$tmp/cert.pem" "$tmp/other-ca.pem"
rm -f "$log"
for f in ca.pem ca-key.pem server-cert.pem server-key.pem cert.pem key.pem other-ca.pem; do
  mv -f "$tmp/$f" "$dir/$f"
done
until=$(openssl x509 -noout -enddate -in "$dir/ca.pem" | cut -d= -f2)
echo "$me: $dir: ca.pem ca-key.pem server-cert.pem server-key.pem cert.pem key.pem other-ca.pem (EC P-256, valid until $until)" >&2
