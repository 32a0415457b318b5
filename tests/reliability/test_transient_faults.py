"""Issue 7.2: 5xx answers and dropped connections are retried; nothing is duplicated.

Two kinds of faults:

* the emulator's own, injected *before* a request is handled (5xx, a connection dropped while
  the client is still sending an upload's body): the write never happened, retrying is safe;
* a lost acknowledgement (``proxy.py``): the write happened but its answer never arrived, so
  the retry repeats a write the server already applied. Creates must recognise their own first
  attempt instead of duplicating it or failing on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.e2e.kontent_stack import KontentStack, no_changes
from tests.reliability.helpers import Inventory, asset_spec, small_files, state_ids, uploads
from tests.reliability.proxy import Proxy, Rule

pytestmark = pytest.mark.e2e

THUMB = {"x": 0, "y": 0, "width": 100, "height": 100, "custom_width": 50, "custom_height": 50}
BIG_FILE_SIZE = 8 * 1024 * 1024  # still being sent when the emulator drops the connection


def _spec(tmp_path: Path, count: int) -> dict[str, Any]:
    spec = asset_spec(small_files(tmp_path / "files", count), folders=("red", "blue"))
    image = tmp_path / "photo.png"
    Image.new("RGB", (200, 200), "green").save(image)
    big = tmp_path / "big.bin"
    big.write_bytes(bytes(range(256)) * (BIG_FILE_SIZE // 256))
    spec["assets"] += [
        {"key": "photo", "source": str(image), "title": "Photo"},
        {"key": "big", "source": str(big), "title": "Big"},
    ]
    spec["renditions"] = [{"key": "thumb", "asset": "photo", "transformation": THUMB}]
    spec["links"] = [
        {"key": "hero", "item": "codename/home", "language": "codename/en-US", "element": "hero_image",
         "asset": "photo", "renditions": ["thumb"]},
        {"key": "about", "item": "codename/about_us", "language": "codename/en-US",
         "element": "hero_image", "asset": "photo", "publish": True},
    ]  # fmt: skip
    return spec


def _assert_converged(stack: KontentStack, expected_assets: int) -> Inventory:
    inventory = Inventory.of(stack.client)
    assert len(inventory.assets) == expected_assets
    assert inventory.duplicates() == {"external_id": [], "title": []}
    assert inventory.asset_ids() == state_ids(stack.resources("Asset"))
    assert inventory.folder_ids() == state_ids(stack.resources("Folder")), "no orphan folders"
    photo = next(a for a in inventory.assets if a.title == "Photo")
    assert len(list(stack.client.renditions.list(photo.id))) == 1, "exactly one rendition"
    for item in ("home", "about_us"):
        variant = stack.client.variants.get(f"codename/{item}", "codename/en-US")
        refs = [v for e in variant.elements if isinstance(e.value, list) for v in e.value]
        assert [r.get("id") for r in refs if isinstance(r, dict)].count(photo.id) == 1, item
    assert no_changes(stack.preview()), "the stack has converged"
    return inventory


@pytest.mark.timeout(180)
def test_5xx_and_dropped_connections_are_retried(stack: KontentStack, tmp_path: Path) -> None:
    spec = _spec(tmp_path, 20)
    emulator = stack.emulator
    # Bounded counts keep every single request below the client's 6 attempts, whatever the order.
    faults: list[dict[str, Any]] = [
        {"drop_connection": True, "count": 2, "path_contains": "/files/big.bin"},  # mid-upload
        {"status": 503, "count": 2, "path_contains": "/files/"},
        {"drop_connection": True, "count": 2, "path_contains": "/files/"},
        {"status": 502, "count": 2, "path_contains": "/assets/", "methods": ["PUT"]},
        {"drop_connection": True, "count": 2, "path_contains": "/assets/", "methods": ["PUT"]},
        {"status": 500, "count": 1, "path_contains": "/folders"},
        {"drop_connection": True, "count": 1, "path_contains": "/folders", "methods": ["PATCH"]},
        {"status": 504, "count": 1, "path_contains": "/renditions"},
        {"drop_connection": True, "count": 1, "path_contains": "/renditions", "methods": ["POST"]},
        {"status": 503, "count": 1, "path_contains": "/variants/"},
        {"drop_connection": True, "count": 1, "path_contains": "/variants/", "methods": ["PUT"]},
        {"drop_connection": True, "count": 1, "path_contains": "/languages"},
    ]
    for fault in faults:
        emulator.add_fault(**fault)

    stack.apply(spec)
    counters = emulator.counters()
    unfired = [f for f in emulator.faults() if f["fired"] < (f["count"] or 1)]
    emulator.clear_faults()

    assert unfired == [], "every fault was met"
    assert counters["faults_injected"] == sum(f["count"] for f in faults)
    assert "error" not in "".join(stack.log).lower()
    inventory = _assert_converged(stack, 22)
    big = next(a for a in inventory.assets if a.title == "Big")
    assert big.size == BIG_FILE_SIZE, "the upload cut mid-body was sent again from the start"
    print(
        f"\n5xx/drops: {counters['faults_injected']} faults injected, statuses {counters['by_status']}, "
        f"{uploads(counters)} uploads for 22 assets"
    )


def _through(stack: KontentStack, proxy: Proxy) -> None:
    stack.runner.set_config({"kontent:baseUrl": proxy.base_url})


@pytest.mark.timeout(180)
def test_lost_acknowledgements_do_not_duplicate(stack: KontentStack, proxy: Proxy, tmp_path: Path) -> None:
    """Writes applied by the API whose answer was lost: the retries must not duplicate or fail."""
    _through(stack, proxy)
    spec = _spec(tmp_path, 10)
    spec["folders"] = []
    for asset in spec["assets"]:
        asset.pop("folder", None)
    rules = [
        Rule(r"^POST .*/files/", "drop_response", count=3),
        Rule(r"^PUT .*/assets/external-id/", "drop_response", count=3),
        Rule(r"^POST .*/renditions$", "drop_response", count=1),
        Rule(r"^PUT .*/variants/[^/]+$", "drop_response", count=2),
        Rule(r"^PUT .*/new-version$", "drop_response", count=1),
        Rule(r"^PUT .*/publish$", "drop_response", count=1),
    ]
    for rule in rules:
        proxy.add(rule)

    stack.apply(spec)
    counters = stack.emulator.counters()
    proxy.clear()

    assert [r.pattern for r in rules if r.fired != r.count] == [], "every acknowledgement was lost once"
    _assert_converged(stack, 12)
    assert uploads(counters) == 12 + 3, "only the uploads whose answer was lost are orphaned"
    print(f"\nlost acks: {dict(proxy.dropped)}; {uploads(counters)} uploads for 12 assets")


@pytest.mark.timeout(120)
def test_lost_acknowledgement_of_a_folder_create(stack: KontentStack, proxy: Proxy, tmp_path: Path) -> None:
    _through(stack, proxy)
    spec = asset_spec(small_files(tmp_path / "files", 2), folders=("brand",))
    proxy.add(Rule(r"^PATCH .*/folders$", "drop_response", count=1))
    try:
        stack.apply(spec)
    except Exception as error:
        lines = [line for line in str(error).splitlines() if "error" in line.lower()]
        pytest.fail(
            "the retried addInto of a folder whose first PATCH was applied (answer lost) must adopt "
            "that folder, not fail:\n" + "\n".join(lines[:6])
        )
    inventory = Inventory.of(stack.client)
    assert inventory.folder_ids() == state_ids(stack.resources("Folder"))
    assert len(inventory.assets) == 2
