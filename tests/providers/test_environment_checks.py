"""Issue 34: what the environment can tell is told by ``check``, so ``pulumi preview`` fails on it.

Every reference a resource makes to something that must already exist (language, item, element,
collection, folder, adopted object) is looked up when it is new or changed, in each form it can be
written in, and a miss names the property, the value, the closest valid values and the fix. These
checks only read: the emulator's counters must show no write, one listing per kind however many
resources ask, and no request at all for a resource whose inputs did not change.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kontent_resources.client import KontentClient
from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.models import Transformation
from kontent_resources.models.assets import AssetCreate
from kontent_resources.models.common import ROOT_FOLDER_ID
from kontent_resources.models.folders import FolderCreate
from kontent_resources.models.renditions import RenditionCreate
from kontent_resources.providers import (
    AssetProvider,
    FolderProvider,
    RenditionProvider,
    VariantAssetLinkProvider,
)
from tests.providers.conftest import unknown
from tests.providers.test_asset_provider import inputs
from tests.providers.test_folder_rendition_link_providers import (
    TRANSFORM,
    folder_props,
    link_props,
    rendition_props,
)

Make = Callable[[type[Any]], Any]
ABSENT_ID = "6f2d5a0e-1c4b-4a8e-9b3f-0d7c2e1a9b55"
# The root folder's id is also the default language's and the default collection's.
DEFAULT_LANGUAGE_ID = DEFAULT_COLLECTION_ID = ROOT_FOLDER_ID
SEED = {
    "collections": [{"codename": "marketing", "name": "Marketing", "external_id": "coll-marketing"}],
    "items": [
        {"codename": "landing", "name": "Landing", "type": "article", "external_id": "item-landing",
         "variants": {"en-US": {"elements": {"title": "Landing"}}}},
    ],
}  # fmt: skip


@pytest.fixture
def seeded(emulator: EmulatorServer, client: KontentClient, image: Path) -> dict[str, str]:
    """The sample environment plus a collection, an item with an external id, two folders and an asset."""
    emulator.seed_content(SEED)
    client.folders.add(
        [FolderCreate(name="Brand", codename="brand", external_id="folder-brand", folders=[
            FolderCreate(name="Logos", codename="logos", external_id="folder-logos")])]
    )  # fmt: skip
    tree = client.folders.get()
    ids = {folder.codename or "": folder.id for folder, _ in tree.walk()}
    ids["home"] = client.items.get("codename/home").id
    file = client.files.upload(image).to_request()
    ids["asset"] = client.assets.add(AssetCreate(file_reference=file, codename="hero")).id
    ids["spanish"] = next(language.id for language in client.languages.list() if language.codename == "es-ES")
    emulator.reset_counters()
    return ids


def _id(seeded: dict[str, str], value: str) -> str:
    """``@name``: the id of a seeded object; ``@NAME``: the same id in capitals, which the API takes too."""
    if not value.startswith("@"):
        return value
    name = value[1:]
    return seeded[name.lower()].upper() if name.isupper() else seeded[name]


def reasons(result: Any) -> dict[str, str]:
    return {failure.property: failure.reason for failure in result.failures}


def writes(emulator: EmulatorServer) -> dict[str, int]:
    return {k: n for k, n in emulator.counters()["by_endpoint"].items() if not k.startswith("GET ")}


def requests(emulator: EmulatorServer) -> int:
    return int(emulator.counters()["total"])


def assert_names(reason: str, *parts: str) -> None:
    for part in parts:
        assert part in reason, f"{part!r} not in {reason!r}"
    assert "fix:" in reason, reason


# -- VariantAssetLink --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prop", "value", "expected"),
    [
        ("language", "codename/de-DE", ["'codename/de-DE'", "closest: 'codename/es-ES', 'codename/en-US'"]),
        ("language", "codename/es-EM", ["'codename/es-EM'", "closest: 'codename/es-ES'"]),
        ("language", "external-id/lang-de", ["'external-id/lang-de'", "is not a language"]),
        ("language", ABSENT_ID, [ABSENT_ID, "is not a language"]),
        ("item", "codename/hom", ["'codename/hom'", "closest: 'codename/home'"]),
        ("item", "external-id/item-landng", ["'external-id/item-landng'", "'external-id/item-landing'"]),
        ("item", ABSENT_ID, [ABSENT_ID, "no content item"]),
        ("element", "hero_imag", ["'hero_imag'", "closest: 'hero_image'", "'article'"]),
        ("element", "body", ["'body'", "rich text", "'hero_image'"]),
        ("element", "title", ["'title'", "a text element", "'hero_image'"]),
        ("asset", "codename/heor", ["'codename/heor'", "closest: 'codename/hero'", "asset=<the Asset>"]),
        ("asset", ABSENT_ID, [ABSENT_ID, "no asset", "run `pulumi refresh`"]),
    ],
)  # fmt: skip
def test_a_link_to_what_the_environment_lacks_fails_check(
    make_provider: Make, emulator: EmulatorServer, seeded: dict[str, str], prop: str, value: str,
    expected: list[str],
) -> None:  # fmt: skip
    links: VariantAssetLinkProvider = make_provider(VariantAssetLinkProvider)
    found = reasons(links.check({}, link_props(seeded["asset"], **{prop: value})))
    assert list(found) == [prop], found
    assert_names(found[prop], *expected)
    assert writes(emulator) == {}


@pytest.mark.parametrize(
    "overrides",
    [
        {"item": "codename/home", "language": "codename/es-ES"},
        {"item": "external-id/item-landing", "language": DEFAULT_LANGUAGE_ID},
        {"item": "@HOME", "language": "@SPANISH"},
        {"item": "@home", "language": "@spanish"},
        {"item": "codename/landing", "language": "codename/en-US", "element": "hero_image"},
        {"asset": "codename/hero"},
    ],
)
def test_a_link_to_what_exists_passes_in_every_form(
    make_provider: Make, emulator: EmulatorServer, seeded: dict[str, str], overrides: dict[str, str]
) -> None:
    resolved = {k: _id(seeded, v) for k, v in overrides.items()}
    links: VariantAssetLinkProvider = make_provider(VariantAssetLinkProvider)
    assert links.check({}, link_props(seeded["asset"], **resolved)).failures == []
    assert writes(emulator) == {}


def test_a_link_is_checked_only_where_it_changed(
    make_provider: Make, emulator: EmulatorServer, seeded: dict[str, str]
) -> None:
    """A preview with no change makes no request; a changed element is checked against the item's
    type though the item did not change."""
    links: VariantAssetLinkProvider = make_provider(VariantAssetLinkProvider)
    applied = link_props(ABSENT_ID, item="codename/hom", language="codename/de-DE", element="hero_imag")
    assert links.check(applied, dict(applied)).failures == [], "unchanged: as it was, nothing asked"
    assert requests(emulator) == 0
    olds = link_props(seeded["asset"])
    found = reasons(links.check(olds, {**olds, "element": "hero_imag"}))
    assert list(found) == ["element"], found


def test_unknown_values_are_left_to_up(
    make_provider: Make, emulator: EmulatorServer, seeded: dict[str, str], image: Path
) -> None:
    """As the engine sends them to ``check``: ``Unknown`` objects (the sentinel string is an id)."""
    links: VariantAssetLinkProvider = make_provider(VariantAssetLinkProvider)
    props = link_props(unknown(), item=unknown(), language=unknown(), element="hero_imag")
    assert links.check({}, props).failures == []
    assets: AssetProvider = make_provider(AssetProvider)
    unknowns = {"folder": unknown(), "collection": unknown(), "adopt_id": unknown()}
    asset = inputs(image, **unknowns, descriptions={"de-DE": unknown()})
    assert list(reasons(assets.check({}, asset))) == ["descriptions"], "a key is known though its text is not"
    folders: FolderProvider = make_provider(FolderProvider)
    assert folders.check({}, folder_props("Logos", parent=unknown())).failures == []
    renditions: RenditionProvider = make_provider(RenditionProvider)
    assert renditions.check({}, rendition_props(unknown(), adopt_id=ABSENT_ID)).failures == []
    assert emulator.counters()["by_endpoint"] == {"GET /languages": 1}, "only for the description's key"


# -- Asset ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prop", "value", "expected"),
    [
        ("descriptions", {"en-US": "Logo", "de-DE": "Logo"}, ["'de-DE'", "closest: 'es-ES', 'en-US'"]),
        ("collection", "codename/marketng", ["'codename/marketng'", "closest: 'codename/marketing'"]),
        ("collection", "external-id/coll-mark", ["'external-id/coll-mark'", "'external-id/coll-marketing'"]),
        ("collection", ABSENT_ID, [ABSENT_ID, "no collection"]),
        ("folder", "codename/logso", ["'codename/logso'", "closest: 'codename/logos'", "=<the Folder>"]),
        ("folder", "external-id/folder-brnd", ["'external-id/folder-brnd'", "'external-id/folder-brand'"]),
        ("folder", ABSENT_ID, [ABSENT_ID, "no folder", "run `pulumi refresh`"]),
        ("adopt_id", ABSENT_ID, [ABSENT_ID, "no asset"]),
    ],
)  # fmt: skip
def test_an_asset_referring_to_what_the_environment_lacks_fails_check(
    make_provider: Make, emulator: EmulatorServer, seeded: dict[str, str], image: Path, prop: str,
    value: Any, expected: list[str],
) -> None:  # fmt: skip
    assets: AssetProvider = make_provider(AssetProvider)
    found = reasons(assets.check({}, inputs(image, **{prop: value})))
    assert list(found) == [prop], found
    assert_names(found[prop], *expected)
    assert writes(emulator) == {}


@pytest.mark.parametrize(
    "overrides",
    [
        {"folder": "codename/logos", "collection": "codename/marketing"},
        {"folder": "external-id/folder-brand", "collection": "external-id/coll-marketing"},
        {"folder": "@logos", "collection": DEFAULT_COLLECTION_ID},
        {"folder": "@LOGOS"},
    ],
)
def test_an_asset_referring_to_what_exists_passes_in_every_form(
    make_provider: Make, seeded: dict[str, str], image: Path, overrides: dict[str, str]
) -> None:
    resolved = {k: _id(seeded, v) for k, v in overrides.items()}
    assets: AssetProvider = make_provider(AssetProvider)
    assert assets.check({}, inputs(image, **resolved)).failures == []


def test_each_kind_is_listed_once_however_many_resources_ask(
    make_provider: Make, emulator: EmulatorServer, seeded: dict[str, str], image: Path
) -> None:
    assets: AssetProvider = make_provider(AssetProvider)
    links: VariantAssetLinkProvider = make_provider(VariantAssetLinkProvider)
    for n in range(5):
        bad = inputs(image, identity_path=f"a{n}", folder="codename/logso", collection="codename/marketng")
        assert set(reasons(assets.check({}, bad))) == {"folder", "collection"}
        wrong = link_props(seeded["asset"], item="codename/hom", language="codename/de-DE")
        assert set(reasons(links.check({}, wrong))) == {"item", "language"}
        assert links.check({}, link_props(seeded["asset"], element="hero_imag")).failures != []
    asked = emulator.counters()["by_endpoint"]
    assert asked == {
        "GET /languages": 1,
        "GET /collections": 1,
        "GET /folders": 1,
        "GET /items": 1,
        "GET /items/{ref}": 2,
        "GET /types/{ref}": 1,
        "GET /assets/{ref}": 1,
    }, asked


# -- Folder and Rendition --------------------------------------------------------------------------


def test_a_folder_under_a_parent_the_environment_lacks_fails_check(
    make_provider: Make, emulator: EmulatorServer, seeded: dict[str, str]
) -> None:
    folders: FolderProvider = make_provider(FolderProvider)
    found = reasons(folders.check({}, folder_props("Icons", parent="codename/brnd")))
    assert_names(found["parent"], "'codename/brnd'", "closest: 'codename/brand'")
    assert folders.check({}, folder_props("Icons", parent="codename/brand")).failures == []
    assert folders.check({}, folder_props("Icons", parent=seeded["logos"])).failures == []
    missing = reasons(folders.check({}, {**folder_props("Old"), "adopt_id": ABSENT_ID}))
    assert_names(missing["adopt_id"], ABSENT_ID, "no folder")
    assert writes(emulator) == {}


def test_adopting_a_rendition_the_asset_lacks_fails_check(
    make_provider: Make, client: KontentClient, emulator: EmulatorServer, image: Path
) -> None:
    file = client.files.upload(image).to_request()
    asset = client.assets.add(AssetCreate(file_reference=file, codename="hero"))
    crop = client.renditions.add(asset.id, RenditionCreate(transformation=Transformation(**TRANSFORM)))
    emulator.reset_counters()
    renditions: RenditionProvider = make_provider(RenditionProvider)
    typo = crop.rendition_id[:-1] + ("0" if crop.rendition_id[-1] != "0" else "1")
    found = reasons(renditions.check({}, rendition_props(asset.id, adopt_id=typo)))
    assert_names(found["adopt_id"], typo, f"closest: '{crop.rendition_id}'")
    assert renditions.check({}, rendition_props(asset.id, adopt_id=crop.rendition_id)).failures == []
    assert reasons(renditions.check({}, rendition_props("codename/heor")))["asset"]
    assert writes(emulator) == {}
