"""Arguments the engine cannot carry become check failures naming the property (R3-9/10).

A lone surrogate in a title (a file name decoded with ``surrogateescape``), or a list where a dict
is expected, used to end the program with a bare ``UnicodeEncodeError`` / ``ValueError`` naming no
resource or property, hiding every other resource's problem. Through the SDK's registration path
(Pulumi's mocks in place of the engine), then the provider's ``check`` on what the engine received.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest
from PIL import Image
from pulumi.runtime import settings

from kontent_resources import Asset, Folder, Rendition, VariantAssetLink
from kontent_resources.models.renditions import RenditionTransformation
from kontent_resources.providers import (
    AssetProvider,
    FolderProvider,
    RenditionProvider,
    VariantAssetLinkProvider,
)
from kontent_resources.providers.base import KontentProvider
from kontent_resources.resources._sendable import problem_of
from tests.unit.test_outputs_on_first_use import run_program

SURROGATE_TITLE = "Logo \udcff"  # os.fsdecode(b"Logo \xff")


class RecordingMocks(pulumi.runtime.Mocks):
    """The engine's side: records the inputs each resource arrived with (and answers no outputs:
    the real engine's check refuses such a resource before it has any)."""

    def __init__(self) -> None:
        self.inputs: dict[str, dict[str, Any]] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.inputs[args.name] = dict(args.inputs)
        return f"{args.name}-id", {}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@pytest.fixture
def engine() -> Iterator[RecordingMocks]:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    mocks = RecordingMocks()
    pulumi.runtime.set_mocks(mocks, preview=False)
    yield mocks
    settings.reset_options()
    asyncio.set_event_loop(None)
    loop.close()


def _failures(provider: KontentProvider, props: dict[str, Any]) -> dict[str, str]:
    return {f.property: f.reason for f in provider.check({}, props).failures}


def test_bad_arguments_reach_check_and_each_is_named(engine: RecordingMocks, tmp_path: Path) -> None:
    image = tmp_path / "logo.png"
    Image.new("RGB", (40, 40)).save(image)

    def program() -> None:
        Asset("surrogate", source=str(image), title=SURROGATE_TITLE, external_id="a")
        Asset("listed", source=str(image), descriptions=["Company logo"], external_id="b")  # type: ignore[arg-type]
        Asset("nested", source=str(image), descriptions={"en-US": SURROGATE_TITLE}, external_id="c")
        Folder("set-name", name={"Brand"}, external_id="d")  # type: ignore[arg-type]
        Rendition("square", asset="external-id/a", transformation="square", external_id="e")  # type: ignore[arg-type]
        VariantAssetLink(
            "one", item="codename/home", language="codename/en-US", element="hero", asset="external-id/a",
            renditions="external-id/e",
        )  # fmt: skip

    run_program(program)  # before: UnicodeEncodeError / ValueError out of the program, naming nothing

    received = engine.inputs
    asset_failures = _failures(AssetProvider(), received["surrogate"])
    assert list(asset_failures) == ["title"]
    assert "lone surrogate ('\\udcff' at position 5)" in asset_failures["title"]
    assert (
        "must map language codenames to text"
        in _failures(AssetProvider(), received["listed"])["descriptions"]
    )
    nested = _failures(AssetProvider(), received["nested"])
    assert "the value at ['en-US']" in nested["descriptions"], nested
    folder = _failures(FolderProvider(), received["set-name"])
    assert list(folder) == ["name"]
    assert "is a set, which a Pulumi resource cannot carry" in folder["name"]
    rendition = _failures(RenditionProvider(), received["square"])
    assert "must be a kontent_resources.Transformation(" in rendition["transformation"], rendition
    link = _failures(VariantAssetLinkProvider(), received["one"])
    assert link == {"renditions": "must be a list of Rendition ids."}


def test_a_source_path_that_is_not_utf8_is_reported_once_as_source(
    engine: RecordingMocks, tmp_path: Path
) -> None:
    name = tmp_path / "logo-\udcff.png"  # a file whose name is not UTF-8 on disk
    Image.new("RGB", (40, 40)).save(name)
    run_program(lambda: Asset("raw-name", source=str(name), external_id="a"))
    failures = _failures(AssetProvider(), engine.inputs["raw-name"])
    assert list(failures) == ["source"], failures
    assert "lone surrogate" in failures["source"]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("fine", None),
        ({"en-US": "fine", "es-ES": ["x", 1, 2.5, True, None]}, None),
        ({1: "x"}, "has the key 1, a int"),
        ([["a\ud800"]], "the value at [0][0] 'a\\ud800' holds a lone surrogate"),
        (Path("x"), "is a PosixPath"),
    ],
)
def test_problem_of(value: object, problem: str | None) -> None:
    found = problem_of(value, "")
    assert (found is None) if problem is None else (found is not None and problem in found), found


def test_a_transformation_read_from_the_api_is_declared_by_its_six_numbers(engine: RecordingMocks) -> None:
    numbers = {"x": 0, "y": 0, "width": 40, "height": 40, "custom_width": 20, "custom_height": 20}
    read = RenditionTransformation(**numbers, mode="rect", fit="clip")

    def program() -> None:
        Rendition("again", asset="external-id/a", transformation=read, external_id="f")

    run_program(program)
    assert engine.inputs["again"]["transformation"] == read.as_dict()
    assert _failures(RenditionProvider(), engine.inputs["again"]) == {}
