#!/usr/bin/env bash
# Build tlskit's release binaries from the committed HEAD:
#
#   scripts/release.sh VERSION [OUTDIR]       (default OUTDIR: dist/VERSION)
#
# Static (CGO_ENABLED=0), -trimpath, stamped with VERSION, the commit and the
# commit's date (never the build time), for linux and darwin on amd64 and
# arm64 (TARGETS="linux/amd64" builds fewer), plus SHA256SUMS. Each binary is
# then built again in a fresh clone of the commit with an empty build cache
# and must come out byte-identical: anyone can rebuild the release and check
# it. REPRO_CACHE=shared rebuilds with the usual build cache instead: a quick
# check (paths, stamps, link) that tests use. Windows waits until the 0400 /
# FIFO / atomic-write guarantees have a Windows equivalent.
set -euo pipefail

die() { echo "release.sh: $*" >&2; exit 1; }

version=${1:-}
[[ $version =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] ||
  die "give the version as vMAJOR.MINOR.PATCH, e.g. scripts/release.sh v1.0.0"
root=$(cd "$(dirname "$0")/.." && pwd)
out=${2:-"$root/dist/$version"}
targets=${TARGETS:-"linux/amd64 linux/arm64 darwin/amd64 darwin/arm64"}

cd "$root"
[[ -z $(git status --porcelain --untracked-files=no) ]] ||
  die "the work tree has uncommitted changes: commit them, so the binaries match a commit"
commit=$(git rev-parse HEAD)
date=$(TZ=UTC git show -s --date=format-local:%Y-%m-%dT%H:%M:%SZ --format=%cd HEAD)
ldflags="-s -w -buildid= -X main.version=$version -X main.commit=$commit -X main.commitDate=$date"

# build SRC DIR OS ARCH [env...]: one binary, named for its platform.
build() {
  local src=$1 dir=$2 os=$3 arch=$4
  shift 4
  (cd "$src" && env "$@" CGO_ENABLED=0 GOOS="$os" GOARCH="$arch" GOFLAGS= \
    go build -trimpath -ldflags "$ldflags" -o "$dir/tlskit-$version-$os-$arch" ./cmd/tlskit)
}

check=$(mktemp -d)
cache="$check/cache"
[[ ${REPRO_CACHE:-fresh} == shared ]] && cache=$(go env GOCACHE)
trap 'chmod -R u+w "$check" 2>/dev/null; rm -rf "$check"' EXIT
git clone --quiet --shared "$root" "$check/src"
git -C "$check/src" checkout --quiet --detach "$commit"

mkdir -p "$out"
for target in $targets; do
  os=${target%/*} arch=${target#*/}
  build "$root" "$out" "$os" "$arch"
  build "$check/src" "$check" "$os" "$arch" GOCACHE="$cache" GOMODCACHE="$(go env GOMODCACHE)"
  name=tlskit-$version-$os-$arch
  cmp -s "$out/$name" "$check/$name" ||
    die "$name is not reproducible: two builds of $commit differ ($(sha256sum "$out/$name" "$check/$name" | cut -c1-16 | tr '\n' ' '))"
  echo "built $out/$name (rebuilt byte-identical)"
done
(cd "$out" && sha256sum tlskit-"$version"-* > SHA256SUMS)
echo "wrote $out/SHA256SUMS"
