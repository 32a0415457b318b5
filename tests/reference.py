"""Where the recorded Kontent.ai reference lives, for the tests that compare against it.

The reference (the API documentation, the endpoint records and the payloads recorded by the
official SDKs) sits beside the repository, in ``../shared/reference``, on the team's machines; it
is not part of the repository. Tests that read it carry the ``recorded_reference`` marker: where
the folder is absent they are reported as not run (``tests/conftest.py``), and with
``KONTENT_REQUIRE_REFERENCE=1`` (``.ci/run``) its absence fails the run instead.
"""

from __future__ import annotations

import os
from pathlib import Path

REFERENCE_DIR = Path(
    os.environ.get("KONTENT_REFERENCE_DIR")
    or Path(__file__).resolve().parents[1].parent / "shared" / "reference"
)
PAYLOADS = REFERENCE_DIR / "payloads"
ENDPOINTS = REFERENCE_DIR / "mapi-v2-endpoints.json"
REQUIRED_VARIABLE = "KONTENT_REQUIRE_REFERENCE"


def available() -> bool:
    return ENDPOINTS.is_file() and PAYLOADS.is_dir()
