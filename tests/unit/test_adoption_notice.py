"""Adoption shown as adoption (issue 34): the provider's line per adopted object, the sandbox's count."""

from __future__ import annotations

from typing import Any

from kontent_resources.providers.adoption_notice import adoption_line, tell_adoption, tell_written
from kontent_resources.sandbox.display import EngineDisplay

ASSET = "pulumi-python:dynamic/kontent:Asset"


def _news(**props: Any) -> dict[str, Any]:
    return {"resource_path": f"{ASSET}::logo", **props}


def test_an_adopt_id_is_told_with_the_resource_and_the_id() -> None:
    line = adoption_line("asset", _news(adopt_id="0f2e"), None)
    assert line is not None
    assert line.startswith("kontent: adopting Asset 'logo': the existing asset 0f2e (adopt_id), ")
    assert "no upload" in line


def test_adopt_true_is_told_only_for_an_object_that_exists_or_may() -> None:
    news = _news(adopt=True, external_id="legacy-1")
    assert adoption_line("asset", news, lambda _x: False) is None, "nothing there: a real create"
    found = adoption_line("asset", news, lambda _x: True)
    assert found is not None
    assert "the existing asset with external id 'legacy-1' (adopt=True)" in found
    unknown = adoption_line("rendition", {**news, "resource_path": "x:Rendition::crop"}, None)
    assert unknown is not None
    assert (
        "Rendition 'crop': the rendition with external id 'legacy-1' (adopt=True), if there is one" in unknown
    )


def test_a_component_childs_label_is_its_own_class() -> None:
    news = {"resource_path": f"kontent:index:AssetDirectory${ASSET}::site/a.png", "adopt_id": "1"}
    line = adoption_line("asset", news, None)
    assert line is not None
    assert "adopting Asset 'site/a.png'" in line


def test_each_object_is_told_once_per_run() -> None:
    lines: list[str] = []
    news = _news(adopt_id="told-once")
    for _ in range(3):
        tell_adoption("asset", news, write=lines.append)
    assert len(lines) == 1


PREVIEW = """\
Previewing update (dev):
 +  pulumi-python:dynamic/kontent:Asset logo create
 +  pulumi:pulumi:Stack lib-dev create kontent: adopting Asset 'logo': the existing asset 1 (adopt_id), taken
 +  pulumi:pulumi:Stack lib-dev create kontent: adopting Folder 'brand': the existing folder 2 (adopt_id), x
Diagnostics:
  pulumi:pulumi:Stack (lib-dev):
    kontent: adopting Asset 'logo': the existing asset 1 (adopt_id), taken
    kontent: adopting Folder 'brand': the existing folder 2 (adopt_id), x
Resources:
    + 4 to create
"""


def test_the_sandbox_counts_the_adoptions_under_the_creates() -> None:
    shown: list[str] = []
    display = EngineDisplay(shown.append)
    display(PREVIEW)
    at = shown.index("    + 4 to create")
    assert shown[at + 1].startswith("    = 2 of them adopt existing objects (listed above): not created")
    display.phase = "up"
    display(PREVIEW.replace("+ 4 to create", "+ 4 created"))
    assert shown[-1] == "    = 2 of them adopted existing objects: not created, taken over; nothing written"


def test_the_up_summary_counts_the_adopted_objects_written_to() -> None:
    shown: list[str] = []
    display = EngineDisplay(shown.append)
    display.phase = "up"
    lines: list[str] = []
    tell_written("folder", {"resource_path": "x:Folder::brand"}, "renamed", write=lines.append)
    assert lines == ["kontent: adopted Folder 'brand': renamed"]
    display(
        PREVIEW.replace("+ 4 to create", "+ 4 created").replace("Resources:", f"    {lines[0]}\nResources:")
    )
    assert shown[-1].endswith("taken over; 1 written to match the program (listed above)"), shown[-3:]


def test_no_adoption_no_line() -> None:
    shown: list[str] = []
    EngineDisplay(shown.append)("Resources:\n    + 3 to create\n")
    assert shown == ["Resources:", "    + 3 to create"]
