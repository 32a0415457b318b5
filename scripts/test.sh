#!/usr/bin/env bash
# The whole test suite, from a fresh machine: set-up, lint, type check, then every test layer.
# Extra arguments go to pytest (e.g. scripts/test.sh tests/unit -x).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/bootstrap.sh
bash scripts/install-client-tools.sh

echo "== ruff" >&2
.venv/bin/ruff check .
echo "== mypy (strict: package, tests, bench)" >&2
.venv/bin/mypy
echo "== pytest" >&2
# Two workers per core (pytest-xdist): most e2e time is spent waiting on the engine, the emulator
# and retry back-offs (on 2 cores: 18.6 min one at a time, 10-11 min with 2 workers, 8.6 min with 4).
.venv/bin/python -m pytest -n "${KONTENT_TEST_WORKERS:-$(($(nproc) * 2))}" "$@"
if [ "$#" -eq 0 ]; then
  echo "== the newest Pulumi SDK the registry serves" >&2
  bash scripts/test-newest-sdk.sh
fi
