#!/usr/bin/env bash
# The main job: set up, then `pulumi up` the root stack (Pulumi.yaml → programs/quickstart) in a
# throwaway local backend, print its outputs, and preview again to show that nothing changes.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/bootstrap.sh
exec .venv/bin/python -m kontent_resources.sandbox.demo "$@"
