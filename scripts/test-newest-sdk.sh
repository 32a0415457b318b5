#!/usr/bin/env bash
# The provider and e2e layers again on the newest Pulumi Python SDK the package registry serves, when
# it is newer than the pin the main run uses (pyproject's dev extra). Prints the range that passed.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

pinned="$(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("pulumi"))')"
newest="$(.venv/bin/python -m pip index versions pulumi --disable-pip-version-check 2>/dev/null \
  | sed -n 's/^pulumi (\(.*\))$/\1/p')"
if [ -z "$newest" ]; then
  echo "[newest-sdk] the registry did not answer with pulumi's versions; only $pinned was tested" >&2
  exit 1
fi
if [ "$newest" = "$pinned" ]; then
  echo "[newest-sdk] the newest pulumi the registry serves is the pinned $pinned: covered by the main run" >&2
  exit 0
fi

venv=".venv-sdk-$newest"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[dev]' >&2
  # Over the dev extra's pin on purpose: pip warns about it and installs what was asked.
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "pulumi==$newest" >&2
fi
echo "[newest-sdk] provider and e2e layers on pulumi $newest (pinned: $pinned)" >&2
"$venv/bin/python" -m pytest -q -n "${KONTENT_TEST_WORKERS:-$(($(nproc) * 2))}" tests/providers tests/e2e
echo "[newest-sdk] passed on pulumi $pinned and $newest" >&2
