"""Issue 12, editors' work: what people do in Kontent.ai while stacks deploy into the same content.

``about_us`` is published in the seed. Each step checks the emulator's contents (the latest and
the published version), not only what the engine reports.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from kontent_resources.client import KontentClient
from kontent_resources.models import LanguageVariant
from kontent_resources.models.assets import AssetCreate
from kontent_resources.models.variants import VariantElementUpsert
from kontent_resources.sandbox import HermeticPulumi
from tests.e2e.kontent_stack import no_changes
from tests.reliability.helpers import RawStack, diagnostics

pytestmark = pytest.mark.e2e

ABOUT = ("codename/about_us", "codename/en-US")
LINK = {"item": ABOUT[0], "language": ABOUT[1], "element": "hero_image", "publish": True}


def _stack(sandbox: HermeticPulumi, emulator: Any, tmp_path: Path) -> RawStack:
    stack = RawStack(sandbox, emulator, tmp_path)
    stack.runner.set_config({"kontent:maxRequestsPerSecond": "0"})
    return stack


def _apply(stack: RawStack, spec: dict[str, Any]) -> None:
    stack.runner.set_config({"spec": json.dumps(spec)})
    stack.runner.up(on_output=stack.log.append)


def _hero(variant: LanguageVariant | None) -> set[str]:
    assert variant is not None
    return {e["id"] for el in variant.elements if isinstance(el.value, list) for e in el.value}


def _assets(client: KontentClient, folder: Path, count: int) -> list[str]:
    image = folder / "theirs.png"
    Image.new("RGB", (40, 40), "maroon").save(image)
    return [
        client.assets.add(
            AssetCreate(file_reference=client.files.upload(image).to_request(), title=f"A{n}")
        ).id
        for n in range(count)
    ]


def _calls(stack: RawStack, step: str) -> int:
    return int(
        stack.emulator.counters()["by_endpoint"].get(
            f"PUT /items/{{ref}}/variants/{{language_ref}}/{step}", 0
        )
    )


@pytest.mark.timeout(600)
def test_several_links_into_one_published_variant_publish_it_once(
    pulumi_sandbox: HermeticPulumi, emulator: Any, tmp_path: Path
) -> None:
    stack = _stack(pulumi_sandbox, emulator, tmp_path)
    assets = _assets(stack.client, tmp_path, 3)
    _apply(stack, {"links": [{"key": f"link{n}", **LINK, "asset": a} for n, a in enumerate(assets)]})

    assert _hero(stack.client.variants.get_published(*ABOUT)) == set(assets), "live with all three"
    assert (_calls(stack, "new-version"), _calls(stack, "publish")) == (1, 1), "one new version, one publish"
    assert no_changes(stack.preview())
    stack.close()


@pytest.mark.timeout(600)
def test_removing_a_link_below_an_editors_draft_waits_for_the_editor_and_loses_nothing(
    pulumi_sandbox: HermeticPulumi, emulator: Any, tmp_path: Path
) -> None:
    """With publish=True, taking the asset off the live page would publish the editor's unfinished
    draft: refused, nothing changed, until the editor publishes; then destroy completes."""
    stack = _stack(pulumi_sandbox, emulator, tmp_path)
    image = tmp_path / "ours.png"
    Image.new("RGB", (40, 40), "navy").save(image)
    spec = {
        "assets": [{"key": "ours", "source": str(image)}],
        "links": [{"key": "hero", **LINK, "asset": "@ours"}],
    }
    _apply(stack, spec)
    ours = stack.outputs()["ids"]["ours"]
    client = stack.client
    assert _hero(client.variants.get_published(*ABOUT)) == {ours}

    client.variants.create_new_version(*ABOUT)  # an editor starts changing the page
    title = VariantElementUpsert.model_validate({"element": {"codename": "title"}, "value": "About us (new)"})
    client.variants.upsert(*ABOUT, [title])
    draft_before = client.variants.get(*ABOUT).model_dump()

    with pytest.raises(Exception, match="newer draft") as refused:
        stack.destroy()
    message = diagnostics(refused.value)
    assert "newer draft that is not published" in message
    assert "publish or discard it" in message
    assert client.variants.get(*ABOUT).model_dump() == draft_before, "the editor's draft is untouched"
    assert _hero(client.variants.get_published(*ABOUT)) == {ours}, "the live page is as it was"
    assert client.assets.get(ours).id == ours, "the asset is still there and still in the stack"

    client.variants.publish(*ABOUT)  # the editor finishes
    stack.destroy()
    live = client.variants.get_published(*ABOUT)
    assert _hero(live) == set()
    assert live is not None
    titles = [el.value for el in live.elements if el.element.id and el.value == "About us (new)"]
    assert titles, "the editor's change is live, as they published it"
    assert ours not in {a.id for a in client.assets.list()}
    stack.close()


@pytest.mark.timeout(600)
def test_a_link_that_found_an_editors_entry_leaves_it(
    pulumi_sandbox: HermeticPulumi, emulator: Any, tmp_path: Path
) -> None:
    stack = _stack(pulumi_sandbox, emulator, tmp_path)
    (theirs,) = _assets(stack.client, tmp_path, 1)
    home = ("codename/home", "codename/en-US")
    entry = {"element": {"codename": "hero_image"}, "value": [{"id": theirs}]}
    stack.client.variants.upsert(*home, [VariantElementUpsert.model_validate(entry)])
    link = {"key": "hero", "item": home[0], "language": home[1], "element": "hero_image", "asset": theirs}
    _apply(stack, {"links": [link]})
    assert stack.resources("VariantAssetLink")[0]["outputs"]["found_existing"] is True
    stack.destroy()
    assert _hero(stack.client.variants.get(*home)) == {theirs}, "it was the editor's reference"
    stack.close()
