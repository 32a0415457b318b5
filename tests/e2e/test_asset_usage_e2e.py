"""Issue 35, part 2, through the real engine: an asset content uses, before it is deleted or replaced.

An editor puts the stack's logo into the ``home`` item. Replacing the logo (a new external id)
fails the preview, naming the user, with nothing written, and so does the ``up``. A plain delete
(the logo removed from the program) and ``destroy`` are not shown to the provider at preview (the
engine never calls it there: docs/asset-usage.md); their delete is refused before its DELETE is
sent, and an unused asset beside it deletes as before. ``kontent:deleteInUse keep`` lets the run
through and leaves the used asset in Kontent.ai. A preview without such a change asks nothing.
An ``AssetSet`` losing a member content uses (published) fails its preview the same way.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from kontent_resources.models.common import RequestReference
from kontent_resources.models.variants import AssetElementValue, VariantElementUpsert
from kontent_resources.providers.usage import DELETE_FIX, REPLACE_FIX
from tests.e2e.kontent_stack import KontentStack, no_changes
from tests.e2e.test_folder_asset_e2e import _image

pytestmark = pytest.mark.e2e

USER = "used by item 'home' (en-US), element 'hero_image', draft"
PUBLISHED_USER = "used by item 'home' (en-US), element 'hero_image', published"
SCAN = ("GET /collections/{ref}/variants", "GET /items/{ref}/variants/{language_ref}/published")


def _spec(tmp_path: Path, *keys: str, asset_set: bool = False) -> dict[str, Any]:
    assets = [
        {
            "key": key,
            "source": _image(tmp_path / f"{key}.png", (80, 40), "orange"),
            "title": key,
            "descriptions": {"en-US": f"The {key}", "es-ES": f"El {key}"},
        }
        for key in keys
    ]
    return {"assets": assets, "asset_set": asset_set}


def _use_in_home(stack: KontentStack, asset_id: str, *, publish: bool = False) -> None:
    element = VariantElementUpsert.assets(
        RequestReference(codename="hero_image"), [AssetElementValue.of(RequestReference(id=asset_id))]
    )
    stack.client.variants.upsert("codename/home", "codename/en-US", [element])
    if publish:
        stack.client.variants.publish("codename/home", "codename/en-US")


def _writes(stack: KontentStack) -> dict[str, int]:
    by_endpoint: dict[str, int] = stack.emulator.counters()["by_endpoint"]
    return {k: n for k, n in by_endpoint.items() if not k.startswith("GET ")}


def _scans(stack: KontentStack) -> dict[str, int]:
    by_endpoint: dict[str, int] = stack.emulator.counters()["by_endpoint"]
    return {k: n for k, n in by_endpoint.items() if k in SCAN}


def _asset_ids(stack: KontentStack) -> set[str]:
    return {asset.id for asset in stack.client.assets.list()}


def _refused(run: Any) -> str:
    with pytest.raises(auto.CommandError) as failed:
        run()
    return str(failed.value)


@pytest.mark.timeout(900)
def test_replace_delete_and_destroy_of_a_used_asset(stack: KontentStack, tmp_path: Path) -> None:
    spec = _spec(tmp_path, "logo", "team")
    stack.apply(spec)
    ids = stack.outputs()["assets"]
    _use_in_home(stack, ids["logo"])
    before = _asset_ids(stack)

    stack.emulator.reset_counters()
    assert no_changes(stack.preview())
    assert _scans(stack) == {}, "a preview without deletes or replacements asks nothing about usage"

    replaced = copy.deepcopy(spec)
    replaced["assets"][0]["external_id"] = "new-logo"
    stack.emulator.reset_counters()
    message = _refused(lambda: stack.preview(replaced))
    assert (
        "Asset 'logo' would be replaced (its external_id changed), but content uses the asset it replaces "
        f"(asset {ids['logo']}, 'logo.png')" in message
    ), message
    assert f"  {USER}\n" in message
    assert "Traceback" not in message, message
    assert f"fix: {REPLACE_FIX}. Nothing was written." in " ".join(message.split()), message
    assert _writes(stack) == {}
    _refused(lambda: stack.apply(replaced))  # the up fails the same way, before the new asset is made
    assert _asset_ids(stack) == before

    removed = {**spec, "assets": spec["assets"][1:]}  # logo removed from the program
    stack.emulator.reset_counters()
    message = _refused(lambda: stack.apply(removed))
    refusal = f"cannot delete Asset 'logo' (asset {ids['logo']}, 'logo.png'): content uses it"
    assert refusal in message, message
    assert f"fix: {DELETE_FIX}. Nothing was deleted." in " ".join(message.split()), message
    assert "DELETE /assets/{ref}" not in _writes(stack), "refused before the DELETE was sent"
    assert _asset_ids(stack) == before

    stack.runner.set_config({"spec": json.dumps(spec)})
    message = _refused(stack.destroy)
    assert f"  {USER}" in message, message
    assert _asset_ids(stack) == {ids["logo"]}, "the unused asset was deleted, the used one refused"

    stack.runner.set_config({"kontent:deleteInUse": "keep"})
    stack.destroy()
    assert _asset_ids(stack) == {ids["logo"]}, "kept in Kontent.ai, out of the stack"
    assert stack.resources("Asset") == []
    assert any("kept in Kontent.ai and removed from the stack" in line for line in stack.log)


@pytest.mark.timeout(900)
def test_removing_a_used_member_of_an_asset_set_fails_the_preview(
    stack: KontentStack, tmp_path: Path
) -> None:
    spec = _spec(tmp_path, "a", "b", asset_set=True)
    stack.apply(spec)
    ids = stack.outputs()["assets"]
    _use_in_home(stack, ids["a"], publish=True)
    before = _asset_ids(stack)

    only_b = {**spec, "assets": spec["assets"][1:]}
    stack.emulator.reset_counters()
    message = _refused(lambda: stack.preview(only_b))
    refusal = "AssetSet 'assets' would delete or replace 1 member(s) whose asset content uses"
    assert refusal in message, message
    assert f"members[\"a\"] (asset {ids['a']}, 'a.png') {PUBLISHED_USER}" in message, message
    assert _writes(stack) == {}
    _refused(lambda: stack.apply(only_b))
    assert _asset_ids(stack) == before

    stack.runner.set_config({"kontent:deleteInUse": "keep"})
    stack.apply(only_b)
    assert _asset_ids(stack) == before, "the used member's asset stays in Kontent.ai"
    assert set(stack.outputs()["assets"]) == {"b"}
