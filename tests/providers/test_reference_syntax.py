"""Path syntax in a reference fails the preview, naming the property (R3-11).

``item="codename/.."`` passed the preview and made ``up`` fail with a 404 that named no property:
the client encodes the value, but dots are not encoded and ``..`` is resolved away from the URL.
Every reference property of every resource, in every form, refuses such values in ``check``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.providers import (
    AssetProvider,
    FolderProvider,
    RenditionProvider,
    VariantAssetLinkProvider,
)
from tests.providers.conftest import unknown
from tests.providers.test_asset_provider import inputs
from tests.providers.test_folder_rendition_link_providers import folder_props, link_props, rendition_props

Make = Callable[[type[Any]], Any]
ID = "fcbb12e6-66a3-4672-85d9-d502d16b8d9c"

BAD_REFERENCES = [
    "codename/..",
    "external-id/..",
    "codename/.",
    "codename/home/..",
    "external-id/brand/../logo",
    "../x",
    f"{ID}/..",
    f"{{{ID}}}",
    f"urn:uuid:{ID}",
    "codename/home?x=1",
    "external-id/logo#top",
    "external-id/brand%2Flogo",
    "codename/home\\..",
    "codename/",
    "codename//home",
    "external-id/ logo",
    "external-id/logo\n",
    "codename/home page",
]


def _props(kind: str, prop: str, value: str, image: Path) -> dict[str, Any]:
    """``value`` in ``prop``; every other reference is an output not known yet (as at a first preview),
    so that no other property is looked up in the environment."""
    if kind == "asset":
        if prop == "elements":
            return inputs(image, elements={"tags": [value]}, descriptions=None)
        if prop == "adopt_id":
            return inputs(image, adopt_id=value, external_id_generated=False, descriptions=None)
        return inputs(image, **{prop: value}, descriptions=None)
    if kind == "folder":
        return {**folder_props("Brand"), prop: value}
    if kind == "rendition":
        return rendition_props(unknown(), **{prop: value})
    not_yet_known = {"item": unknown(), "language": unknown(), "asset": unknown()}
    if prop == "renditions":
        return {**link_props(ID), **not_yet_known, "renditions": [value]}
    return {**link_props(ID), **not_yet_known, prop: value}


PROPERTIES = [
    ("asset", "folder"),
    ("asset", "collection"),
    ("asset", "elements"),
    ("asset", "adopt_id"),
    ("folder", "parent"),
    ("folder", "adopt_id"),
    ("rendition", "asset"),
    ("rendition", "adopt_id"),
    ("link", "item"),
    ("link", "language"),
    ("link", "asset"),
    ("link", "renditions"),
]
PROVIDERS = {
    "asset": AssetProvider,
    "folder": FolderProvider,
    "rendition": RenditionProvider,
    "link": VariantAssetLinkProvider,
}


@pytest.mark.parametrize(("kind", "prop"), PROPERTIES, ids=[f"{k}.{p}" for k, p in PROPERTIES])
def test_path_syntax_in_a_reference_fails_the_check_naming_the_property(
    make_provider: Make, emulator: EmulatorServer, image: Path, kind: str, prop: str
) -> None:
    provider = make_provider(PROVIDERS[kind])
    emulator.reset_counters()
    for value in BAD_REFERENCES:
        if prop in ("renditions", "adopt_id") and value.startswith("codename/"):
            continue  # refused for having no codename form at all (tested elsewhere)
        failures = provider.check({}, _props(kind, prop, value, image)).failures
        assert [f.property for f in failures] == [prop], (value, [(f.property, f.reason) for f in failures])
        assert repr(value) in failures[0].reason, failures[0].reason
    assert emulator.counters()["total"] == 0, "refused without asking the API"


@pytest.mark.parametrize(
    "value",
    [ID, ID.upper(), "codename/home", "codename/en-US", "external-id/brand-logo", "external-id/my logo v1.2"],
)
def test_the_documented_forms_still_pass(value: str) -> None:
    # Unconfigured: the syntax alone is judged (whether such an item exists is test_environment_checks.py's).
    provider = VariantAssetLinkProvider()
    assert provider.check({}, {**link_props(ID), "item": value}).failures == []
