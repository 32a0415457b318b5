"""Issue 35, part 2: what uses an asset, before it is deleted or replaced (providers/usage.py).

An asset content uses (a draft or a published version of a variant, an asset element or rich
text) fails the ``diff`` of its replacement and of an ``AssetSet`` losing it, and its ``delete``
before the DELETE is sent, one line per user; ``kontent:deleteInUse keep`` leaves it in Kontent.ai
instead; an unused asset deletes as before; a diff without a replacement asks nothing.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import dill
import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.dynamic.dynamic import serialize_provider

from kontent_resources.client import KontentClient
from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.models.common import RequestReference
from kontent_resources.models.variants import AssetElementValue, VariantElementUpsert
from kontent_resources.providers import AssetProvider, invalidate_caches
from kontent_resources.providers.asset_set import MEMBERS, AssetSetProvider, in_buckets
from kontent_resources.providers.base import KontentProvider
from kontent_resources.providers.errors import KontentResourceError
from kontent_resources.providers.usage import DELETE_FIX, REPLACE_FIX
from tests.providers.conftest import outs_of, raw_config
from tests.providers.test_asset_provider import checked, inputs
from tests.providers.test_asset_set import by_key, member
from tests.providers.test_asset_set import image as image_file

P = TypeVar("P", bound=KontentProvider)
LOGO = "pulumi-python:dynamic/kontent:Asset::logo"
HOME_DRAFT = "  used by item 'home' (en-US), element 'hero_image', draft"
HOME_PUBLISHED = "  used by item 'home' (en-US), element 'hero_image', published"
# What the usage scan asks (providers/usage.py); a preview without deletes asks none of it.
SCAN_ENDPOINTS = ("GET /collections/{ref}/variants", "GET /items/{ref}/variants/{language_ref}/published")


@pytest.fixture(autouse=True)
def _fresh_deployment() -> Iterator[None]:
    invalidate_caches()
    yield
    invalidate_caches()


def provider(emulator: EmulatorServer, cls: type[P], delete_in_use: str | None = None) -> P:
    raw = raw_config(emulator) | ({"kontent:deleteInUse": delete_in_use} if delete_in_use else {})
    restored: P = dill.loads(base64.b64decode(serialize_provider(cls())))
    restored.configure(ConfigureRequest(Config(raw, project_name="provider-tests")))
    return restored


def made_asset(assets: AssetProvider, image_path: Path) -> tuple[str, dict[str, Any]]:
    created = assets.create(checked(assets, inputs(image_path, resource_path=LOGO)))
    return str(created.id), outs_of(created)


def use_in_home(client: KontentClient, asset_id: str, *, publish: bool = False) -> None:
    """Put the asset into the English ``home`` variant's hero image (and publish it, if asked)."""
    element = VariantElementUpsert.assets(
        RequestReference(codename="hero_image"), [AssetElementValue.of(RequestReference(id=asset_id))]
    )
    client.variants.upsert("codename/home", "codename/en-US", [element])
    if publish:
        client.variants.publish("codename/home", "codename/en-US")


def scan_calls(emulator: EmulatorServer) -> dict[str, int]:
    by_endpoint: dict[str, int] = emulator.counters()["by_endpoint"]
    return {k: n for k, n in by_endpoint.items() if k in SCAN_ENDPOINTS}


def writes(emulator: EmulatorServer) -> dict[str, int]:
    by_endpoint: dict[str, int] = emulator.counters()["by_endpoint"]
    return {k: n for k, n in by_endpoint.items() if not k.startswith("GET ")}


def test_replacing_a_used_asset_fails_the_diff_naming_the_user_and_writes_nothing(
    emulator: EmulatorServer, client: KontentClient, image: Path
) -> None:
    assets = provider(emulator, AssetProvider)
    asset_id, outs = made_asset(assets, image)
    use_in_home(client, asset_id)
    emulator.reset_counters()

    invalidate_caches()  # the preview: a new provider process
    news = checked(
        assets, inputs(image, resource_path=LOGO, external_id="new-logo", external_id_generated=False)
    )
    with pytest.raises(KontentResourceError) as refused:
        assets.diff(asset_id, outs, news)
    message = str(refused.value)
    assert message.splitlines()[0] == (
        f"Asset 'logo' would be replaced (its external_id changed), but content uses the asset it replaces "
        f"(asset {asset_id}, 'logo.png'), and Kontent.ai deletes only unused assets:"
    )
    assert message.splitlines()[1:] == [HOME_DRAFT, f"  fix: {REPLACE_FIX}. Nothing was written."]
    assert writes(emulator) == {}
    assert [a.id for a in client.assets.list()] == [asset_id]


def test_a_diff_without_a_replacement_asks_nothing_about_usage(
    emulator: EmulatorServer, client: KontentClient, image: Path
) -> None:
    assets = provider(emulator, AssetProvider)
    asset_id, outs = made_asset(assets, image)
    use_in_home(client, asset_id)
    invalidate_caches()
    emulator.reset_counters()
    unchanged = assets.diff(asset_id, outs, checked(assets, inputs(image, resource_path=LOGO)))
    retitled = assets.diff(asset_id, outs, checked(assets, inputs(image, resource_path=LOGO, title="New")))
    assert (unchanged.changes, retitled.changes, retitled.replaces) == (False, True, [])
    assert scan_calls(emulator) == {}


def test_deleting_a_used_asset_is_refused_before_the_delete_is_sent(
    emulator: EmulatorServer, client: KontentClient, image: Path
) -> None:
    assets = provider(emulator, AssetProvider)
    asset_id, outs = made_asset(assets, image)
    use_in_home(client, asset_id)
    emulator.reset_counters()

    invalidate_caches()  # the destroy: no program, no diff, the delete comes straight away
    with pytest.raises(KontentResourceError) as refused:
        assets.delete(asset_id, outs)
    assert str(refused.value).splitlines() == [
        f"cannot delete Asset 'logo' (asset {asset_id}, 'logo.png'): content uses it, and Kontent.ai deletes "
        "only unused assets:",
        HOME_DRAFT,
        f"  fix: {DELETE_FIX}. Nothing was deleted.",
    ]
    assert writes(emulator) == {}, "no DELETE was sent"
    assert [a.id for a in client.assets.list()] == [asset_id]


def test_a_published_user_and_a_rich_text_user_are_each_named(
    emulator: EmulatorServer, client: KontentClient, image: Path
) -> None:
    assets = provider(emulator, AssetProvider)
    asset_id, outs = made_asset(assets, image)
    use_in_home(client, asset_id, publish=True)
    # A new draft without the asset: only the published version still uses it.
    client.variants.create_new_version("codename/home", "codename/en-US")
    empty = VariantElementUpsert.assets(RequestReference(codename="hero_image"), [])
    client.variants.upsert("codename/home", "codename/en-US", [empty])
    body = f'<figure data-asset-id="{asset_id}"></figure>'
    rich_text = VariantElementUpsert(element=RequestReference(codename="body"), value=body)
    client.variants.upsert("codename/about_us", "codename/es-ES", [rich_text])

    with pytest.raises(KontentResourceError) as refused:
        assets.delete(asset_id, outs)
    assert str(refused.value).splitlines()[1:3] == [
        "  used by item 'about_us' (es-ES), element 'body', draft",
        HOME_PUBLISHED,
    ]
    assert [a.id for a in client.assets.list()] == [asset_id]


def test_keep_leaves_a_used_asset_in_kontent_ai_and_warns(
    emulator: EmulatorServer, client: KontentClient, image: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assets = provider(emulator, AssetProvider, delete_in_use="keep")
    asset_id, outs = made_asset(assets, image)
    use_in_home(client, asset_id)
    emulator.reset_counters()
    news = checked(
        assets, inputs(image, resource_path=LOGO, external_id="new-logo", external_id_generated=False)
    )
    assert assets.diff(asset_id, outs, news).replaces == ["external_id"]
    assert scan_calls(emulator) == {}, "keep: the replacement's diff asks nothing"

    assets.delete(asset_id, outs)
    assert writes(emulator) == {}
    assert [a.id for a in client.assets.list()] == [asset_id]
    assert capsys.readouterr().err.strip() == (
        f"kontent: warning: Asset 'logo' (asset {asset_id}, 'logo.png') is used by content (item 'home' "
        "(en-US), element 'hero_image', draft): kept in Kontent.ai and removed from the stack, as "
        "kontent:deleteInUse is keep."
    )


def test_an_unused_asset_deletes_with_one_scan_for_the_run(
    emulator: EmulatorServer, client: KontentClient, tmp_path: Path
) -> None:
    assets = provider(emulator, AssetProvider)
    made = [
        assets.create(checked(assets, inputs(image_file(tmp_path, f"{n}.png"), identity_path=f"logo-{n}")))
        for n in "abc"
    ]
    published_step = next(w.published_step.id for w in client.workflows.list() if w.published_step)
    drafts = [
        v
        for v in client.variants.list_by_collection("codename/default")
        if v.workflow is None
        or v.workflow.step_identifier is None
        or v.workflow.step_identifier.id != published_step
    ]
    invalidate_caches()
    emulator.reset_counters()
    for created in made:
        assets.delete(str(created.id), outs_of(created))
    assert list(client.assets.list()) == []
    # One scan serves every delete: one page of variants, and the published version of each draft.
    assert scan_calls(emulator) == {
        "GET /collections/{ref}/variants": 1,
        "GET /items/{ref}/variants/{language_ref}/published": len(drafts),
    }


def test_removing_a_used_member_fails_the_asset_sets_diff_and_its_delete_writes_nothing(
    emulator: EmulatorServer, client: KontentClient, tmp_path: Path
) -> None:
    sets = provider(emulator, AssetSetProvider)
    a, b = image_file(tmp_path, "a.png"), image_file(tmp_path, "b.png")
    members = {"a": member(a, "a", resource_path="kontent:AssetSet::library[a]"), "b": member(b, "b")}
    first = sets.check({}, {MEMBERS: in_buckets(members)}).inputs
    created = sets.create(first)
    outs = outs_of(created)
    a_id = by_key(outs)["a"]["id"]
    use_in_home(client, a_id)
    emulator.reset_counters()

    invalidate_caches()
    only_b = sets.check(first, {MEMBERS: in_buckets({"b": members["b"]})}).inputs
    with pytest.raises(KontentResourceError) as refused:
        sets.diff(str(created.id), outs, only_b)
    assert str(refused.value).splitlines() == [
        "AssetSet 'library' would delete or replace 1 member(s) whose asset content uses, and Kontent.ai "
        "deletes only unused assets:",
        f"  members[\"a\"] (asset {a_id}, 'a.png') used by item 'home' (en-US), element 'hero_image', draft",
        f"  fix: {DELETE_FIX}. Nothing was written.",
    ]
    with pytest.raises(KontentResourceError):
        sets.delete(str(created.id), outs)  # the destroy: refused before any member is deleted
    assert writes(emulator) == {}
    assert len(list(client.assets.list())) == 2
