"""Every endpoint of the reference (``mapi-v2-endpoints.json``) is emulated, or listed here with the
reason it is not; implementing one, or losing one, fails this test until the list says so.

The same list is in ``docs/emulator-fidelity.md`` ("Endpoints not emulated").
"""

from __future__ import annotations

import json
import re

import pytest
from starlette.routing import Match

from kontent_resources.emulator.app import api_routes
from tests.reference import ENDPOINTS

pytestmark = pytest.mark.recorded_reference

_PREFIX = "https://manage.kontent.ai/v2/projects/{environment_id}"
_WHY_TYPES = "content types are seeded through the admin API; the toolkit only reads them"
_WHY_WORKFLOWS = "workflows are added and read; changing or deleting one is not something a stack meets"
_WHY_BULK = "the toolkit reads a variant by its item and language; bulk reads of items are not used"
NOT_EMULATED = {
    ("POST", "/items-with-variant/filter"): _WHY_BULK,
    ("POST", "/items-with-variant/bulk-get"): _WHY_BULK,
    ("GET", "/collections/{collection_identifier}/variants"): _WHY_BULK,
    ("PATCH", "/types/{type_identifier}"): _WHY_TYPES,
    ("DELETE", "/types/{type_identifier}"): _WHY_TYPES,
    ("PUT", "/workflows/{workflow_identifier}"): _WHY_WORKFLOWS,
    ("DELETE", "/workflows/{workflow_identifier}"): _WHY_WORKFLOWS,
    ("PUT", "/items/{item_identifier}/variants/{language_identifier}/workflow/{workflow_step_identifier}"): (
        "the older per-step endpoint; change-workflow (emulated) moves a variant between steps"
    ),
}


def _reference_endpoints() -> list[tuple[str, str]]:
    records = json.loads(ENDPOINTS.read_text())
    found = []
    for record in records:
        urls = record["endpointUrls"]
        url = urls[0] if isinstance(urls, list) else urls
        found.append((record["httpMethod"].upper(), str(url).removeprefix(_PREFIX)))
    return found


def _concrete(path: str) -> str:
    """A path the route table would see: identifiers as ``codename/x``, a file name as ``x.png``."""
    return re.sub(r"\{[a-z_]+\}", "codename/x", path.replace("{file_name}", "x.png"))


def _emulated(method: str, path: str) -> bool:
    scope = {"type": "http", "method": method, "path": _concrete(path), "root_path": ""}
    return any(route.matches(scope)[0] == Match.FULL for route in api_routes())


def test_every_reference_endpoint_is_emulated_or_listed_with_its_reason() -> None:
    endpoints = _reference_endpoints()
    assert len(endpoints) == 49, "the reference's endpoint records changed: review this list"
    missing = {endpoint for endpoint in endpoints if not _emulated(*endpoint)}
    assert missing == set(NOT_EMULATED), (
        f"emulated now (drop from the list): {sorted(set(NOT_EMULATED) - missing)}; "
        f"not emulated and not listed: {sorted(missing - set(NOT_EMULATED))}"
    )
