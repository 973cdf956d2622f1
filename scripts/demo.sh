#!/usr/bin/env bash
# The whole tlskit recipe, end to end, with no prompts: build tlskit, make an
# encrypted key, a request, a self-signed certificate, show it, then echo a
# message through tlskit serve and tlskit connect.
#
#   ./scripts/demo.sh [DIR]      (default DIR: ./demo, recreated)
#
# The key's passphrase comes from $TLSKIT_PASSPHRASE (a demo value if unset);
# it is passed as env:VAR, so it never appears in argv or in the output.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-"$root/demo"}
export TLSKIT_PASSPHRASE=${TLSKIT_PASSPHRASE:-demo-passphrase-change-me}

echo "== build"
mkdir -p "$root/bin"
(cd "$root" && CGO_ENABLED=0 go build -trimpath -o bin/tlskit ./cmd/tlskit)
tlskit="$root/bin/tlskit"

rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
echo "== genkey   (openssl genpkey -algorithm RSA -aes256 -out server.key; chmod 400 server.key)"
"$tlskit" genkey --passout env:TLSKIT_PASSPHRASE
echo "== csr      (openssl req -new -key server.key -out server.csr)"
"$tlskit" csr --passin env:TLSKIT_PASSPHRASE --subj "/O=tlskit demo/CN=localhost" --san localhost,127.0.0.1
echo "== selfsign (openssl x509 -req -days 365 -in server.csr -signkey server.key -out server.crt)"
"$tlskit" selfsign --passin env:TLSKIT_PASSPHRASE
echo "== inspect  (openssl x509 -in server.crt -text -noout)"
"$tlskit" inspect server.crt

echo "== serve + connect (openssl s_server / openssl s_client)"
"$tlskit" serve --passin env:TLSKIT_PASSPHRASE --addr 127.0.0.1:0 --max-accept 1 >serve.out 2>serve.log &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q '^listening on ' serve.out 2>/dev/null && break; sleep 0.1; done
addr=$(sed -n 's/^listening on //p' serve.out | head -n 1)
[ -n "$addr" ] || { echo "demo: tlskit serve did not start:"; cat serve.log; exit 1; }
"$tlskit" connect --ca server.crt --servername localhost --message hello "$addr"
wait $server
trap - EXIT
echo "== server log"
cat serve.log
echo "== done: files in $dir"
ls -l "$dir"
