#!/usr/bin/env bash
# Attack a local tlskit serve the ways a hostile network would, one scenario
# at a time, while four real clients from 127.0.0.2 keep connecting, and
# print a table: how many real clients were served and how fast, and the
# server's RSS. The scenarios (scripts/hostile): silent sockets, a
# connection flood, slowloris (TLS connections trickling a byte a second),
# clients that write but never read, and churn. Each attack comes from its
# own 127.0.0.x address, holds at most N sockets (the flood 4N) and runs for
# SECS seconds; the whole run takes about 6 * (SECS + 2) seconds.
#
# The server runs with --max-conns 200 --handshake-timeout 2s
# --idle-timeout 4s (small limits, so that N=300 sockets can exhaust them),
# --max-conns-per-ip 50 when the binary has it (the default, 1000, is for
# the default --max-conns), other limits at their defaults, plus SERVE_ARGS.
# TLSKIT=path tests a given binary instead of building ./cmd/tlskit (the
# table of a build before the per-address caps is in docs/echo.md).
# Usage: [N=300] [SECS=8] [TLSKIT=bin] [SERVE_ARGS=...] [ONLY=silent,flood] scripts/hostile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
n=${N:-300}
secs=${SECS:-8}

# The flood holds 4N sockets; each costs a descriptor on both ends.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((8 * n + 500)) ]; then
  echo "hostile.sh: need $((8 * n + 500)) open files, ulimit -n is $(ulimit -n)" >&2
  exit 1
fi

work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

tlskit=${TLSKIT:-}
if [ -z "$tlskit" ]; then
  CGO_ENABLED=0 go build -o "$work/tlskit" ./cmd/tlskit
  tlskit=$work/tlskit
fi
go build -o "$work/hostile" ./scripts/hostile
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
  -keyout "$work/server.key" -out "$work/server.crt" 2>/dev/null
chmod 400 "$work/server.key"

caps=""
if "$tlskit" serve --help 2>&1 | grep -q -- --max-conns-per-ip; then caps="--max-conns-per-ip 50"; fi
# shellcheck disable=SC2086 # caps and SERVE_ARGS are lists of flags
"$tlskit" serve --addr 127.0.0.1:0 --cert "$work/server.crt" --key "$work/server.key" \
  --max-conns 200 --handshake-timeout 2s --idle-timeout 4s $caps ${SERVE_ARGS:-} \
  >"$work/serve.out" 2>"$work/serve.log" &
pid=$!
for _ in $(seq 100); do grep -q '^listening on' "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
addr=$(sed -n 's/^listening on //p' "$work/serve.out")
[ -n "$addr" ] || { echo "hostile.sh: tlskit serve did not start" >&2; cat "$work/serve.log" >&2; exit 1; }

"$work/hostile" -addr "$addr" -ca "$work/server.crt" -pid "$pid" -n "$n" -time "${secs}s" -only "${ONLY:-}"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
echo "(server: $tlskit ${caps:-(no per-address caps)}; N=$n; ${secs}s per scenario; $(nproc) CPUs shared by server and attackers)"
echo "server log, by message and close reason:"
sed -n 's/.*msg="\{0,1\}\([^"=]*[^" ]\)"\{0,1\} .*reason="\{0,1\}\([^"]*\)"\{0,1\}$/  \1: \2/p; s/.*level=WARN msg="\([^"]*\)".*/  warning: \1/p' \
  "$work/serve.log" | sed 's/: \(handshake error: \).*/: \1.../; s/[0-9.]*:[0-9]*->[0-9.]*:[0-9]*/A->B/' | sort | uniq -c | sort -rn | head -n 15
