#!/usr/bin/env bash
# Regenerates the interop corpus: keys, requests and certificates made by
# other tools. Every command here is listed, per file, in README.md. The
# files are checked in, so the tests never need these tools; run this only to
# add a file or refresh one (the outputs are random, so every file changes).
# Passphrase of every encrypted file: tlskit-test.
set -euo pipefail
cd "$(dirname "$0")"
P=tlskit-test
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT

# --- openssl 3 ---
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/ec.pem"
openssl pkcs8 -topk8 -in "$T/ec.pem" -v2 aes-256-cbc -v2prf hmacWithSHA384 -passout pass:$P -out openssl-ec-pbkdf2-sha384.key
openssl pkcs8 -topk8 -in "$T/ec.pem" -v2 aes-256-cbc -v2prf hmacWithSHA512 -passout pass:$P -out openssl-ec-pbkdf2-sha512.key
openssl pkcs8 -topk8 -in "$T/ec.pem" -v1 PBE-SHA1-3DES -passout pass:$P -out openssl-ec-pbe-sha1-3des.key
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -camellia256 -pass pass:$P -out openssl-ec-camellia256.key
openssl genpkey -algorithm ED448 -out openssl-ed448.key
openssl genpkey -algorithm ED448 -aes256 -pass pass:$P -out openssl-ed448-enc.key
openssl genpkey -algorithm X25519 -out openssl-x25519.key
openssl genpkey -algorithm X25519 -aes256 -pass pass:$P -out openssl-x25519-enc.key
openssl genpkey -algorithm X448 -out openssl-x448.key
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out openssl-secp256k1.key
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -aes256 -pass pass:$P -out openssl-secp256k1-enc.key
openssl ecparam -name secp256k1 -genkey -noout -out openssl-secp256k1-sec1.key
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-224 -out openssl-p224.key
openssl ecparam -name secp224r1 -genkey -noout -out openssl-p224-sec1.key
openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out openssl-rsa-pss.key
openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -aes256 -pass pass:$P -out openssl-rsa-pss-enc.key
openssl req -new -key openssl-rsa-pss.key -subj /CN=pss.example.com -out openssl-rsa-pss.csr
openssl req -new -key "$T/ec.pem" -subj /CN=nosan.example.com -out openssl-ec-nosan.csr
openssl req -new -key "$T/ec.pem" -subj /CN=www.example.com -addext subjectAltName=DNS:www.example.com -outform DER -out openssl-ec.csr.der
openssl req -x509 -key "$T/ec.pem" -subj /CN=www.example.com -addext subjectAltName=DNS:www.example.com -days 3650 -outform DER -out openssl-ec.crt.der

# --- GnuTLS certtool ---
certtool --generate-privkey --key-type rsa --bits 2048 --pkcs8 --password $P --pkcs-cipher aes-256 --outfile certtool-rsa-aes256.key --no-text
certtool --generate-privkey --key-type ecdsa --curve secp256r1 --pkcs8 --password $P --pkcs-cipher 3des-pkcs12 --outfile certtool-ec-3des-pkcs12.key --no-text
certtool --generate-privkey --key-type ed25519 --no-text --outfile certtool-ed25519.key
printf 'cn = "certtool.example.com"\ndns_name = "certtool.example.com"\ntls_www_server\nexpiration_days = 3650\n' > "$T/tmpl"
certtool --generate-privkey --key-type ecdsa --outfile "$T/ct.key"
certtool --generate-self-signed --load-privkey "$T/ct.key" --template "$T/tmpl" --outfile certtool-ec.crt
certtool --generate-request --load-privkey "$T/ct.key" --template "$T/tmpl" --outfile certtool-ec.csr

# --- Python cryptography (Debian /usr/bin/python3 + python3-cryptography) ---
/usr/bin/python3 - <<'PY'
import datetime
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization as s
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
P = b"tlskit-test"
def write(name, data):
    open(name, "wb").write(data)
ec_key = ec.generate_private_key(ec.SECP384R1())
write("python-ec-p384-enc.key", ec_key.private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.BestAvailableEncryption(P)))
write("python-rsa-pkcs1.key", rsa.generate_private_key(65537, 2048).private_bytes(s.Encoding.PEM, s.PrivateFormat.TraditionalOpenSSL, s.NoEncryption()))
write("python-ed25519.key", ed25519.Ed25519PrivateKey.generate().private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption()))
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "python.example.com")])
san = x509.SubjectAlternativeName([x509.DNSName("python.example.com")])
now = datetime.datetime(2026, 1, 1)
cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(ec_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(san, critical=False).sign(ec_key, hashes.SHA256()))
write("python-ec-p384.crt", cert.public_bytes(s.Encoding.PEM))
csr = x509.CertificateSigningRequestBuilder().subject_name(name).add_extension(san, critical=False).sign(ec_key, hashes.SHA256())
write("python-ec-p384.csr", csr.public_bytes(s.Encoding.PEM))
PY

# --- node (crypto.generateKeyPairSync) ---
node - <<'JS'
const crypto = require("crypto"), fs = require("fs");
const P = "tlskit-test";
const gen = (type, opts, enc, file) => fs.writeFileSync(file, crypto.generateKeyPairSync(type, {...opts, privateKeyEncoding: enc}).privateKey);
gen("rsa", {modulusLength: 2048}, {type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: P}, "node-rsa-aes256.key");
gen("ec", {namedCurve: "P-256"}, {type: "pkcs8", format: "pem", cipher: "des-ede3-cbc", passphrase: P}, "node-ec-des-ede3.key");
gen("ec", {namedCurve: "P-521"}, {type: "sec1", format: "pem"}, "node-ec-p521-sec1.key");
gen("ed25519", {}, {type: "pkcs8", format: "pem", cipher: "aes-128-cbc", passphrase: P}, "node-ed25519-aes128.key");
gen("x25519", {}, {type: "pkcs8", format: "pem"}, "node-x25519.key");
gen("rsa-pss", {modulusLength: 2048}, {type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: P}, "node-rsa-pss-enc.key");
JS

# --- Java keytool (JDK 17): certificates and requests; its keys come out only in a .p12 ---
keytool -genkeypair -keystore "$T/ks.p12" -storetype PKCS12 -storepass $P -alias tls -keyalg EC -groupname secp256r1 \
  -dname CN=keytool.example.com -ext SAN=dns:keytool.example.com -validity 3650 2>/dev/null
keytool -certreq -keystore "$T/ks.p12" -storepass $P -alias tls -ext SAN=dns:keytool.example.com -file keytool-ec.csr
keytool -exportcert -rfc -keystore "$T/ks.p12" -storepass $P -alias tls -file keytool-ec.crt
keytool -exportcert -keystore "$T/ks.p12" -storepass $P -alias tls -file keytool-ec.crt.der
