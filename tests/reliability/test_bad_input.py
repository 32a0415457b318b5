"""Issue 7.5: bad input is rejected early, with a message naming the resource, property and fix.

Whatever is knowable offline fails ``pulumi preview`` without a single API call; the rest fails
``pulumi up`` before the failing resource writes anything.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.models.common import RequestReference
from kontent_resources.models.variants import AssetElementValue, VariantElementUpsert
from kontent_resources.sandbox import HermeticPulumi
from tests.e2e.helpers import reads_at_most_the_languages
from tests.reliability.helpers import RawStack, diagnostics, uploads

pytestmark = pytest.mark.e2e

Spec = dict[str, Any]
THUMB = {"x": 0, "y": 0, "width": 100, "height": 100, "custom_width": 50, "custom_height": 50}


def _text(tmp_path: Path) -> str:
    path = tmp_path / "notes.txt"
    path.write_text("notes")
    return str(path)


def _image(tmp_path: Path) -> str:
    path = tmp_path / "logo.png"
    Image.new("RGB", (300, 200), "orange").save(path)
    return str(path)


def _asset(tmp_path: Path, **extra: Any) -> Spec:
    return {"assets": [{"key": "logo", "source": _text(tmp_path), "title": "Logo", **extra}]}


def _rendition(tmp_path: Path, **transformation: int) -> Spec:
    return {
        "assets": [{"key": "logo", "source": _image(tmp_path)}],
        "renditions": [{"key": "thumb", "asset": "@logo", "transformation": {**THUMB, **transformation}}],
    }


def _link(tmp_path: Path, **link: str) -> Spec:
    base = {"key": "hero", "item": "codename/home", "language": "codename/en-US", "element": "hero_image"}
    return {
        "assets": [{"key": "logo", "source": _image(tmp_path), "title": "Logo"}],
        "links": [{**base, "asset": "@logo", **link}],
    }


def _sparse(tmp_path: Path) -> str:
    path = tmp_path / "huge.bin"
    with path.open("wb") as handle:
        handle.truncate(100 * 1024**2 + 1)  # sparse: no disk space used
    return str(path)


# case -> (spec, the resource, fragments the message must contain)
PREVIEW_CASES: dict[str, tuple[Callable[[Path], Spec], str, tuple[str, ...]]] = {
    "missing file": (
        lambda p: {"assets": [{"key": "logo", "source": str(p / "nope.png")}]},
        "Asset (logo)",
        ("source", "does not exist", "fix the path"),
    ),
    "directory instead of file": (
        lambda p: {"assets": [{"key": "logo", "source": str(p)}]},
        "Asset (logo)",
        ("source", "is a directory", "point source at a file"),
    ),
    "file over the documented 100 MB (sparse)": (
        lambda p: {"assets": [{"key": "logo", "source": _sparse(p)}]},
        "Asset (logo)",
        ("source", "104,857,601 bytes", "at most 104,857,600", "kontent:maxFileSizeBytes"),
    ),
    "empty title": (
        lambda p: _asset(p, title=""),
        "Asset (logo)",
        ("title", "must not be empty", "omit it"),
    ),
    "folder reference by an external id with a dot": (
        lambda p: _asset(p, folder="external-id/brand.v2"),
        "Asset (logo)",
        ("folder", "refuses external ids with .", "by its id or codename"),
    ),
    "title over 200 characters": (
        lambda p: _asset(p, title="T" * 201),
        "Asset (logo)",
        ("title", "201 characters", "at most 200", "shorten it"),
    ),
    "external id with spaces around": (
        lambda p: _asset(p, external_id=" logo "),
        "Asset (logo)",
        ("external_id", "not a valid external id", "without leading or trailing spaces"),
    ),
    "external id over 200 characters": (
        lambda p: _asset(p, external_id="x" * 201),
        "Asset (logo)",
        ("external_id", "at most 200"),
    ),
    "malformed asset codename": (
        lambda p: _asset(p, codename="Brand Logo"),
        "Asset (logo)",
        ("codename", "'Brand Logo' is not a valid codename", "lowercase letters"),
    ),
    "folder name over 200 characters": (
        lambda p: {"folders": [{"key": "brand", "name": "F" * 201}]},
        "Folder (brand)",
        ("name", "201 characters", "at most 200", "shorten it"),
    ),
    "malformed folder codename": (
        lambda p: {"folders": [{"key": "brand", "name": "Brand", "codename": "Brand-1"}]},
        "Folder (brand)",
        ("codename", "'Brand-1' is not a valid codename"),
    ),
    "malformed folder reference": (
        lambda p: _asset(p, folder="brand"),
        "Asset (logo)",
        ("folder", "'brand' does not identify a folder", "codename/brand"),
    ),
    "rendition outside the image": (
        lambda p: _rendition(p, x=250),
        "Rendition (thumb)",
        ("transformation", "reaches (350, 100)", "image is 300x200", "keep x+width"),
    ),
    "rendition upscaling": (
        lambda p: _rendition(p, custom_width=200),
        "Rendition (thumb)",
        ("transformation", "exceeds the region 100x100", "does not upscale"),
    ),
    "malformed item reference in a link": (
        lambda p: _link(p, item="home"),
        "VariantAssetLink (hero)",
        ("item", "'home' does not identify a content item", "codename/home"),
    ),
    # R3-11: passed the preview, then `up` failed with a 404 naming no property
    "'..' as the item of a link": (
        lambda p: _link(p, item="codename/.."),
        "VariantAssetLink (hero)",
        ("item", "'codename/..' does not identify a content item", "is a path segment"),
    ),
    "path syntax in a folder reference": (
        lambda p: _asset(p, folder="external-id/brand%2F..%2Flogos"),
        "Asset (logo)",
        ("folder", "'%2F'", "is path syntax"),
    ),
    "path syntax in adopt_id": (
        lambda p: _asset(p, adopt_id="../assets/fcbb12e6-66a3-4672-85d9-d502d16b8d9c"),
        "Asset (logo)",
        ("adopt_id", "is not the internal id of an object", "8-4-4-4-12"),
    ),
}

MESSAGES: dict[str, str] = {}


def _preview_failure(stack: RawStack, spec: Spec) -> str:
    with pytest.raises(Exception) as failure:  # noqa: PT011 - the automation API's CommandError
        stack.preview(spec)
    return diagnostics(failure.value)


@pytest.mark.parametrize("case", list(PREVIEW_CASES))
def test_offline_problems_fail_preview_without_api_calls(
    raw_stack: RawStack, tmp_path: Path, case: str
) -> None:
    build, resource, fragments = PREVIEW_CASES[case]
    message = _preview_failure(raw_stack, build(tmp_path))
    MESSAGES[case] = message
    print(f"\n--- {case}\n{message}")
    assert reads_at_most_the_languages(raw_stack.emulator.counters()), "preview made no other API call"
    assert resource in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert "Traceback" not in message


def test_arguments_the_engine_cannot_carry_are_check_failures_naming_the_property(
    raw_stack: RawStack, tmp_path: Path
) -> None:
    """R3-9/10: a lone surrogate in a title, or a list for descriptions, ended the program with a bare
    Python error naming no property, in place of every other resource's problems."""
    source = _image(tmp_path)
    bad_arguments = {
        "title": "Logo \udcff",  # os.fsdecode(b"Logo \xff"): a file name that is not UTF-8
        "descriptions": ["Company logo"],
        "codename": "Company Logo",
    }
    message = _preview_failure(raw_stack, {"assets": [{"key": "logo", "source": source, **bad_arguments}]})
    print(f"\n--- surrogate, list and codename in one asset\n{message}")
    for fragment in (
        "Asset (logo)",
        "property title", "lone surrogate", "surrogateescape",
        "property descriptions", "must map language codenames to text",
        "property codename", "not a valid codename",
    ):  # fmt: skip
        assert fragment in message, (fragment, message)

    # The engine stops at the first resource it finds invalid: a folder declared before those assets
    # (with an external id of its own, so it registers first) is that one, and is what the user reads.
    spec = {
        "folders": [{"key": "brand", "name": "F" * 201, "external_id": "brand"}],
        "assets": [
            {"key": "surrogate", "source": source, "title": "Logo \udcff"},
            {"key": "listed", "source": source, "descriptions": ["Company logo"]},
        ],
    }
    message = _preview_failure(raw_stack, spec)
    print(f"\n--- a folder's problem before them\n{message}")
    assert "Folder (brand)" in message
    assert "201 characters" in message
    for raw in ("Traceback", "UnicodeEncodeError", "dictionary update sequence"):
        assert raw not in message, (raw, message)
    assert raw_stack.emulator.counters()["total"] == 0


def test_unreadable_file_fails_preview(raw_stack: RawStack, tmp_path: Path) -> None:
    """chmod 000. Root reads anything (CAP_DAC_OVERRIDE), so as root the preview runs without the
    two capabilities that bypass file permissions: root then meets the mode bits like anyone."""
    source = tmp_path / "secret.png"
    Image.new("RGB", (10, 10)).save(source)
    source.chmod(0)
    raw_stack.runner.set_config({"spec": json.dumps({"assets": [{"key": "logo", "source": str(source)}]})})
    command = [
        sys.executable, "-m", "kontent_resources.sandbox",
        "--project", str(raw_stack.runner.work_dir), "--state-dir", str(raw_stack.runner.sandbox.root),
        "--stack", "test", "preview",
    ]  # fmt: skip
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "running as root: setpriv (util-linux) is needed to drop CAP_DAC_OVERRIDE"
        command = [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--", *command]
    env = {**os.environ, **raw_stack.runner.sandbox.passphrase_environment()}
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180, check=False)
    output = proc.stdout + proc.stderr
    MESSAGES["unreadable file (chmod 000)"] = diagnostics(Exception(output))
    print(f"\n--- unreadable\n{MESSAGES['unreadable file (chmod 000)']}")
    assert proc.returncode != 0
    assert "Asset (logo)" in output
    assert "is not readable by this user: fix its permissions (chmod a+r)" in output
    assert raw_stack.emulator.counters()["total"] == 0


def _up_failure(stack: RawStack, spec: Spec) -> str:
    with pytest.raises(Exception) as failure:  # noqa: PT011 - the automation API's CommandError
        stack.apply(spec)
    return diagnostics(failure.value)


def _writes(counters: dict[str, Any]) -> dict[str, int]:
    return {k: n for k, n in counters["by_endpoint"].items() if not k.startswith("GET ")}


def test_a_valid_new_stack_previews_cleanly(raw_stack: RawStack, tmp_path: Path) -> None:
    """The control case: references to resources not created yet are unknown at preview, not bad;
    the link's item, language and element are read once each (issue 34), and nothing is written."""
    spec = {
        "folders": [{"key": "brand", "name": "Brand"}, {"key": "logos", "name": "Logos", "parent": "@brand"}],
        "assets": [{"key": "logo", "source": _image(tmp_path), "folder": "@logos", "title": "Logo"}],
        "renditions": [{"key": "thumb", "asset": "@logo", "transformation": THUMB}],
        "links": [
            {"key": "hero", "item": "codename/home", "language": "codename/en-US", "element": "hero_image",
             "asset": "@logo", "renditions": ["@thumb"]}
        ],
    }  # fmt: skip
    # 5 resources, the stack, and the StackIdentity that seeds generated external ids
    assert raw_stack.preview(spec) == {"create": 7}
    assert raw_stack.emulator.counters()["by_endpoint"] == {
        "GET /languages": 1,
        "GET /items/{ref}": 1,
        "GET /types/{ref}": 1,
    }


# case -> (spec, fragments the message must contain). Issue 34: each of these passed the preview and
# failed `up` (after the other changes of the run were applied); the preview now reads the
# environment and fails, naming the value and the closest ones, with nothing written.
ENVIRONMENT_CASES: dict[str, tuple[Callable[[Path], Spec], tuple[str, ...]]] = {
    "unknown folder": (
        lambda p: _asset(p, folder="codename/no_such_folder"),
        ("Asset (logo)", "property folder", "there is no folder 'codename/no_such_folder'",
         "Folder resource"),
    ),
    "unknown language in descriptions": (
        lambda p: _asset(p, descriptions={"en-US": "Logo", "fr-FR": "Logo"}),
        ("Asset (logo)", "property descriptions", "'fr-FR' is not a language codename",
         "closest: 'en-US', 'es-ES'"),
    ),
    "unknown item": (
        lambda p: _link(p, item="codename/no_such_item"),
        ("VariantAssetLink (hero)", "property item", "no content item 'codename/no_such_item'", "closest: "),
    ),
    "unknown language": (
        lambda p: _link(p, language="codename/fr-FR"),
        ("VariantAssetLink (hero)", "property language", "'codename/fr-FR' is not a language",
         "codename/en-US"),
    ),
    "unknown element": (
        lambda p: _link(p, element="gallery"),
        ("VariantAssetLink (hero)", "content type 'article' (of item 'codename/home')",
         "has no element 'gallery'", "closest: 'hero_image'"),
    ),
    "element that is not an asset element": (
        lambda p: _link(p, element="title"),
        ("VariantAssetLink (hero)", "element 'title' of content type 'article'", "is a text element",
         "asset elements only", "'hero_image'"),
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(ENVIRONMENT_CASES))
def test_what_the_environment_lacks_fails_preview_without_writing(
    raw_stack: RawStack, tmp_path: Path, case: str
) -> None:
    build, fragments = ENVIRONMENT_CASES[case]
    spec = build(tmp_path)
    before = raw_stack.client.variants.get("codename/home", "codename/en-US")
    raw_stack.emulator.reset_counters()
    message = _preview_failure(raw_stack, spec)
    MESSAGES[case] = message
    print(f"\n--- {case}\n{message}")
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert "fix: " in message
    assert "Traceback" not in message
    assert _writes(raw_stack.emulator.counters()) == {}, "the preview only read"
    assert raw_stack.client.variants.get("codename/home", "codename/en-US") == before
    assert list(raw_stack.client.assets.list()) == []


def test_deleting_an_asset_still_used_in_content_fails_and_keeps_it(
    raw_stack: RawStack, tmp_path: Path
) -> None:
    spec = _asset(tmp_path)
    raw_stack.apply(spec)
    asset_id = raw_stack.outputs()["ids"]["logo"]
    used = VariantElementUpsert.assets(
        RequestReference(codename="hero_image"), [AssetElementValue.of(RequestReference(id=asset_id))]
    )
    raw_stack.client.variants.upsert("codename/contact", "codename/en-US", [used])  # outside the stack

    message = _up_failure(raw_stack, {"assets": []})
    print(f"\n--- asset still used\n{message}")
    # Refused by the provider before its delete is sent, naming who uses the asset.
    for fragment in (
        "Asset (logo)",
        "cannot delete Asset 'logo'",
        "content uses it",
        "used by item 'contact' (en-US), element 'hero_image', draft",
        "fix: remove those references",
        "Nothing was deleted.",
    ):
        assert fragment in message, (fragment, message)
    assert raw_stack.client.assets.get(asset_id).id == asset_id, "the asset is kept"
    assert [r["id"] for r in raw_stack.resources("Asset")] == [asset_id], "and stays in the state"


def _config_failure(raw_stack: RawStack, tmp_path: Path, **config: str) -> str:
    spec = _asset(tmp_path)
    raw_stack.runner.set_config(config)
    raw_stack.preview(spec)  # offline checks pass: only the API can judge a key or an environment
    message = _up_failure(raw_stack, spec)
    assert list(raw_stack.client.assets.list()) == []
    assert uploads(raw_stack.emulator.counters()) == 0
    return message


def test_wrong_api_key(raw_stack: RawStack, tmp_path: Path) -> None:
    wrong = "wrong-key-7d1e0c"
    message = _config_failure(raw_stack, tmp_path, **{"kontent:apiKey": wrong})
    print(f"\n--- wrong key\n{message}")
    for fragment in ("Asset (logo)", "401", "pulumi config set", "kontent:apiKey"):
        assert fragment in message, (fragment, message)
    assert wrong not in message


def test_wrong_environment_id(raw_stack: RawStack, tmp_path: Path) -> None:
    wrong = "22222222-2222-4222-8222-222222222222"
    message = _config_failure(raw_stack, tmp_path, **{"kontent:environmentId": wrong})
    print(f"\n--- wrong environment\n{message}")
    for fragment in ("Asset (logo)", "404", "kontent:environmentId"):
        assert fragment in message, (fragment, message)


def test_key_without_permission(pulumi_sandbox: HermeticPulumi, tmp_path: Path) -> None:
    """403: a key whose role may only read (the emulator's ``read_only_key``)."""
    with EmulatorServer(
        data_dir=tmp_path / "restricted", rate_limit=False, read_only_key="reader-key"
    ) as api:
        stack = RawStack(pulumi_sandbox, api, tmp_path / "restricted-stack")
        try:
            stack.runner.set_config(
                {"kontent:apiKey": "reader-key"}, secret_keys=frozenset({"kontent:apiKey"})
            )
            message = _up_failure(stack, _asset(tmp_path))
            assert list(stack.client.assets.list()) == []
            assert api.counters()["by_status"].get("403", 0) >= 1
        finally:
            stack.close()
    print(f"\n--- 403\n{message}")
    for fragment in ("Asset (logo)", "403", "permission"):
        assert fragment in message, (fragment, message)
