#!/usr/bin/env bash
# Benchmark tlskit serve against a minimal Go TLS echo (tls.Listen + io.Copy)
# on this machine, in one run: full handshakes per second (and the server's
# CPU time per handshake, steadier when other work shares the machine), echo
# throughput, and resident memory per idle connection at 4,000 idle
# connections.
# The two servers take turns for ROUNDS rounds and each keeps its best
# figures, which damps interference from whatever else the machine runs.
# Usage: [ROUNDS=3] [IDLE=4000] scripts/bench.sh [seconds per phase]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-5}
idle=${IDLE:-4000}
rounds=${ROUNDS:-3}

# Each idle connection costs a descriptor on both ends.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((idle + 200)) ]; then
  echo "bench.sh: need $((idle + 200)) open files, ulimit -n is $(ulimit -n)" >&2
  exit 1
fi

work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

CGO_ENABLED=0 go build -o "$work/tlskit" ./cmd/tlskit
go build -o "$work/baseline" ./scripts/baseline
go build -o "$work/benchload" ./scripts/benchload
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
  -keyout "$work/server.key" -out "$work/server.crt" 2>/dev/null
chmod 400 "$work/server.key"

# run NAME COMMAND...: start a server, measure it, print its figures.
run() {
  local name=$1; shift
  (cd "$work" && exec "$@" >"$work/$name.out" 2>"$work/$name.log") &
  pid=$!
  for _ in $(seq 100); do grep -q '^listening on' "$work/$name.out" 2>/dev/null && break; sleep 0.1; done
  local addr
  addr=$(sed -n 's/^listening on //p' "$work/$name.out")
  [ -n "$addr" ] || { echo "bench.sh: $name did not start" >&2; cat "$work/$name.log" >&2; exit 1; }
  "$work/benchload" -addr "$addr" -ca "$work/server.crt" -pid "$pid" -idle "$idle" \
    -handshake-time "${secs}s" -stream-time "${secs}s" | tee -a "$work/$name.result" >&2
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

# field NAME KEY: the best value of KEY over the rounds (least for memory).
field() {
  local order=-rn
  case $2 in rss_*|*cpu*) order=-n ;; esac
  sed -n "s/.*$2=\([0-9.]*\).*/\1/p" "$work/$1.result" | sort $order | head -n 1
}

for round in $(seq "$rounds"); do
  echo "round $round: baseline (tls.Listen + io.Copy)" >&2
  run baseline ./baseline -cert server.crt -key server.key
  echo "round $round: tlskit serve (all protections on)" >&2
  # The idle connections all come from 127.0.0.1: lift the per-address caps.
  run tlskit ./tlskit serve --addr 127.0.0.1:0 --cert server.crt --key server.key \
    --max-conns-per-ip 0 --max-handshakes-per-ip 0
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '\n%-28s %12s %12s %8s\n' "" baseline tlskit ratio
for f in handshakes_per_s server_cpu_us_per_handshake mb_per_s rss_per_idle_conn_kb; do
  b=$(field baseline $f); t=$(field tlskit $f)
  printf '%-28s %12s %12s %8s\n' "$f" "$b" "$t" "$(ratio "$t" "$b")"
done
echo "(best of $rounds rounds of ${secs}s phases; go $(go env GOVERSION); $(nproc) CPUs shared by client and server; idle=$idle)"
