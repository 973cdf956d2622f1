#!/usr/bin/env bash
# Times `tlskit key passwd` on a default key (PBKDF2-HMAC-SHA256, 600,000
# iterations) against openssl rewriting the same key with the same
# protection, RUNS times each, interleaved so that both see the same machine
# load, and prints the median and spread of each.
#
# openssl 3.0's `pkey` has no -iter option (`openssl pkey -aes256 -iter
# 600000` is refused, and plain `pkey -aes256` uses 2048 iterations), so the
# openssl side is `openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256
# -iter 600000`, the command `key passwd --explain` prints. Both read the old
# key (600,000 iterations) and write the new one (600,000); tlskit also reads
# the new file back and decrypts it before replacing the old one, so it runs
# the KDF three times to openssl's two.
#
#   RUNS=7 scripts/passwd_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
CGO_ENABLED=0 go build -o "$work/tlskit" ./cmd/tlskit
export OLD_PASS=old-passphrase-1 NEW_PASS=new-passphrase-2
"$work/tlskit" genkey --passout env:OLD_PASS --out "$work/orig.key" 2>/dev/null

# seconds prints the wall time of a command, in seconds.
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

tl=() os=()
for i in $(seq "$RUNS"); do
  cp "$work/orig.key" "$work/t.key"
  tl+=("$(seconds "$work/tlskit" key passwd --passin env:OLD_PASS --passout env:NEW_PASS "$work/t.key")")
  rm -f "$work/o.key"
  os+=("$(seconds openssl pkcs8 -topk8 -in "$work/orig.key" -passin env:OLD_PASS -v2 aes-256-cbc \
    -v2prf hmacWithSHA256 -iter 600000 -passout env:NEW_PASS -out "$work/o.key")")
done
openssl pkey -in "$work/t.key" -passin env:NEW_PASS -noout   # both results open with the new passphrase
openssl pkey -in "$work/o.key" -passin env:NEW_PASS -noout

stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "median %.3f s (min %.3f, max %.3f, %d runs)", a[int((NR+1)/2)], a[1], a[NR], NR}'; }
echo "tlskit key passwd:                          $(stats "${tl[@]}")"
echo "openssl pkcs8 -topk8 ... -iter 600000:      $(stats "${os[@]}")"
echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(openssl version | cut -d' ' -f1-2), $(go version | cut -d' ' -f3)"
