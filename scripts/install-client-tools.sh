#!/usr/bin/env bash
# The official Kontent.ai tools that tests/clients/ drives (Node 20+), exactly as package-lock.json
# pins them; reinstalled only when the lock file changed. Only the tests need them, not the main job.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

if [ -f tests/clients/package-lock.json ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "[client-tools] npm not found: tests/clients/ needs Node.js 20 or newer" >&2
    exit 1
  fi
  npm_stamp="tests/clients/node_modules/.kontent-installed"
  npm_want="$(sha256sum tests/clients/package-lock.json | cut -d' ' -f1)"
  if [ ! -f "$npm_stamp" ] || [ "$(cat "$npm_stamp")" != "$npm_want" ]; then
    echo "[client-tools] installing the official Kontent.ai tools into tests/clients/node_modules (npm ci)" >&2
    (cd tests/clients && npm ci --cache "${KONTENT_NPM_CACHE:-$HOME/.cache/kontent-resources/npm}" \
      --no-audit --no-fund --loglevel=error >&2)
    echo "$npm_want" > "$npm_stamp"
  fi
fi

