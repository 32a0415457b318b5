#!/usr/bin/env bash
# Everything a fresh machine needs before the tests or the example run: the virtualenv with the
# package and its dev tools, and the Pulumi engine (built once into a cache outside the repo).
# Idempotent and quick when nothing changed.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "[bootstrap] creating .venv with $("$python" --version)" >&2
  "$python" -m venv .venv
fi

# Reinstall only when the dependency list changed since the last successful install.
stamp=".venv/.kontent-installed"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "[bootstrap] installing kontent-resources and dev tools into .venv" >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]' >&2
  echo "$want" > "$stamp"
fi

bin_dir="$(bash scripts/build-engine.sh)"
echo "[bootstrap] Pulumi $("$bin_dir/pulumi" version) in $bin_dir" >&2
