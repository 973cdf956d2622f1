#!/usr/bin/env bash
# Remakes the PKCS#12 files of this directory with the tools named in
# README.md. Every password is tlskit-test. The output is random: every file
# changes, and p12_corpus_test.go checks what they hold, not their bytes.
set -euo pipefail
cd "$(dirname "$0")"
P=tlskit-test
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# A CA and a leaf signed by it, for the files that carry a chain.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/ca.key" \
  -subj "/CN=tlskit p12 corpus CA" -days 3650 -out ca.crt
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/leaf.key" \
  -subj "/CN=p12.example.com" -addext subjectAltName=DNS:p12.example.com -out "$T/leaf.csr"
openssl x509 -req -in "$T/leaf.csr" -CA ca.crt -CAkey "$T/ca.key" -set_serial 2 -days 3650 \
  -copy_extensions copy -out "$T/leaf.crt"

# --- openssl 3.0 ---
openssl pkcs12 -export -legacy -inkey "$T/leaf.key" -in "$T/leaf.crt" -certfile ca.crt -passout pass:$P -out openssl-legacy-rc2.p12
openssl pkcs12 -export -inkey "$T/leaf.key" -in "$T/leaf.crt" -certfile ca.crt -passout pass:$P -out openssl-default.p12
openssl pkcs12 -export -inkey "$T/leaf.key" -in "$T/leaf.crt" -descert -macalg sha1 -passout pass:$P -out openssl-descert.p12
openssl pkcs12 -export -inkey "$T/leaf.key" -in "$T/leaf.crt" -keypbe NONE -certpbe NONE -nomac -passout pass: -out openssl-nomac.p12

# --- Java keytool (JDK 17) ---
keytool -genkeypair -keystore keytool-ec.p12 -storetype PKCS12 -storepass $P -alias tls -keyalg EC \
  -groupname secp256r1 -dname CN=keytool.example.com -validity 3650
keytool -importcert -noprompt -keystore keytool-truststore.p12 -storetype PKCS12 -storepass $P -alias ca -file ca.crt

# --- GnuTLS certtool ---
certtool --to-p12 --load-privkey "$T/leaf.key" --load-certificate "$T/leaf.crt" --p12-name leaf \
  --password $P --outder --outfile certtool.p12

# --- Python cryptography (Debian python3-cryptography) ---
/usr/bin/python3 - "$T/leaf.key" "$T/leaf.crt" <<'PY'
import sys
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
key = serialization.load_pem_private_key(open(sys.argv[1], "rb").read(), None)
cert = x509.load_pem_x509_certificate(open(sys.argv[2], "rb").read())
ca = x509.load_pem_x509_certificate(open("ca.crt", "rb").read())
data = pkcs12.serialize_key_and_certificates(b"leaf", key, cert, [ca],
                                             serialization.BestAvailableEncryption(b"tlskit-test"))
open("python.p12", "wb").write(data)
PY
