#!/usr/bin/env bash
# Builds the real Pulumi CLI from the Go module proxy into a cache
# folder outside the repository, because no registry reachable here ships Pulumi prebuilt.
# A second run reuses the cached binaries when they report the expected version.
#
#   scripts/build-engine.sh            build or reuse; prints the bin folder on the last line
#
# KONTENT_ENGINE_CACHE overrides the cache root (default: ~/.cache/kontent-resources).
set -euo pipefail

PULUMI_VERSION="${KONTENT_PULUMI_VERSION:-3.277.0}"
# The Python language host (module github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3)
# is not served by the module proxy reachable here: its version list answers 403 "This module version
# is not available" (checked again for v3.277.0), as did the pseudo-versions of release commits.
# Programs therefore run through the Automation API, where the Python process itself serves the
# language runtime to the real engine.

cache_root="${KONTENT_ENGINE_CACHE:-$HOME/.cache/kontent-resources}"
engine_dir="$cache_root/pulumi-$PULUMI_VERSION"
bin_dir="$engine_dir/bin"
# A fixed module cache outside the repository so that CI and later runs reuse the downloads.
export GOMODCACHE="${GOMODCACHE_OVERRIDE:-$cache_root/gomodcache}"
export GOCACHE="$cache_root/gobuildcache"
export GOFLAGS="-mod=mod -buildvcs=false"
export GOTOOLCHAIN=local
export CGO_ENABLED=0

log() { printf '[build-engine] %s\n' "$*" >&2; }

engine_is_ready() {
  [ -x "$bin_dir/pulumi" ] && [ -x "$bin_dir/pulumi-resource-pulumi-python" ] \
    && [ "$("$bin_dir/pulumi" version 2>/dev/null)" = "v$PULUMI_VERSION" ]
}

if engine_is_ready; then
  log "reusing Pulumi v$PULUMI_VERSION in $bin_dir"
  echo "$bin_dir"
  exit 0
fi

start=$(date +%s)
mkdir -p "$bin_dir" "$GOMODCACHE" "$GOCACHE"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
build_flags=(-trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags")

log "building the Pulumi CLI v$PULUMI_VERSION (first run downloads modules and compiles: minutes)"
mkdir -p "$work/cli"
cd "$work/cli"
go mod init kontent-resources/pulumi-cli >/dev/null 2>&1
# pkg/v3 replaces clipboard with a fork; replace directives are not inherited, so repeat it here.
go mod edit -replace github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
# The CLI's main package lives in pkg/v3; the wrapper module only pins its dependency graph.
go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" >&2
go build "${build_flags[@]}" -o "$bin_dir/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2

sdk_dir="$(go list -m -f '{{.Dir}}' "github.com/pulumi/pulumi/sdk/v3")"
# The engine starts dynamic providers through this script, which runs `python -m pulumi.dynamic`.
helper="$(find "$sdk_dir/python" -name pulumi-resource-pulumi-python -type f | head -n 1)"
[ -n "$helper" ] || { log "missing pulumi-resource-pulumi-python in $sdk_dir/python"; exit 1; }
install -m 0755 "$helper" "$bin_dir/pulumi-resource-pulumi-python"

engine_is_ready || { log "built binaries do not report v$PULUMI_VERSION"; exit 1; }
log "built in $(( $(date +%s) - start ))s into $bin_dir"
echo "$bin_dir"
