"""Bad input is refused at preview where it is knowable offline, and before the upload where it
takes a read: a refused create leaves no orphan file in the environment."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from kontent_resources.client import KontentClient
from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.providers import AssetProvider, RenditionProvider
from kontent_resources.providers.errors import KontentResourceError
from kontent_resources.providers.localfile import sha256_of
from tests.providers.conftest import raw_config
from tests.providers.test_asset_provider import checked, inputs
from tests.providers.test_folder_rendition_link_providers import rendition_props

Make = Callable[[type[Any]], Any]


def stored_files(emulator: EmulatorServer) -> int:
    return int(emulator.state()["counts"]["file"])


def reasons(provider: AssetProvider, props: dict[str, Any]) -> dict[str, str]:
    return {f.property: f.reason for f in provider.check({}, props).failures}


@pytest.mark.parametrize(
    ("prop", "value", "message"),
    [
        ("external_id", "brand/logo", "contains '/'"),
        ("file_name", "   ", "at least one visible character"),
        ("file_name", "../../etc/passwd", "is a path, not a file name"),
        ("file_name", "logo\n.png", "control character"),
        ("content_type", "image/png\r\nX-Injected: 1", "is not a media type"),
        ("content_type", "png", "is not a media type"),
    ],
)
def test_refused_at_preview(make_provider: Make, image: Path, prop: str, value: str, message: str) -> None:
    provider: AssetProvider = make_provider(AssetProvider)
    found = reasons(provider, inputs(image, **{prop: value, "external_id_generated": prop != "external_id"}))
    assert message in found.get(prop, ""), found


def test_a_rendition_of_a_file_known_not_to_be_an_image_fails_preview(make_provider: Make) -> None:
    provider: RenditionProvider = make_provider(RenditionProvider)
    props = rendition_props("00000000-0000-0000-0000-000000000001", source_is_image=False)
    (failure,) = provider.check({}, props).failures
    assert failure.property == "asset"
    assert "not an image" in failure.reason


def test_symlink_loop_is_named_not_a_traceback(make_provider: Make, tmp_path: Path) -> None:
    loop = tmp_path / "loop.png"
    os.symlink(tmp_path / "other.png", loop)
    os.symlink(loop, tmp_path / "other.png")
    provider: AssetProvider = make_provider(AssetProvider)
    assert "a symlink that leads nowhere (a loop" in reasons(provider, inputs(loop))["source"]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"kontent:environmentId": "not an id!"}, "'not an id!' is not an environment id"),
        ({"kontent:apiKey": "key with\nnewline"}, "kontent:apiKey is not a usable key"),
        ({"kontent:maxRequestsPerSecond": "-5"}, "must be whole numbers of 0 or more"),
        ({"kontent:requestTimeoutSeconds": "0"}, "kontent:requestTimeoutSeconds must be a positive number"),
    ],
)
def test_unusable_settings_fail_the_preview(
    emulator: EmulatorServer, image: Path, config: dict[str, str], message: str
) -> None:
    provider = AssetProvider()
    raw = {**raw_config(emulator), **config}
    provider.configure(ConfigureRequest(Config(raw, project_name="provider-tests")))
    with pytest.raises(KontentResourceError) as refused:
        provider.check({}, inputs(image))
    assert message in str(refused.value)
    assert "newline" not in str(refused.value), "the key is never shown"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"collection": "codename/marketing"}, "'codename/marketing' is not a collection of this"),
        ({"codename": "taken"}, "'taken' is already the codename of asset"),
    ],
)
def test_refused_before_the_upload(
    make_provider: Make, emulator: EmulatorServer, image: Path, overrides: dict[str, str], message: str
) -> None:
    provider: AssetProvider = make_provider(AssetProvider)
    provider.create(checked(provider, inputs(image, codename="taken", identity_path="someone-elses")))
    files_before = stored_files(emulator)
    emulator.reset_counters()
    # Checked offline: a collection the environment lacks fails the preview too (test_environment_checks.py);
    # this is create's own refusal, for an environment changed between the preview and the up.
    with pytest.raises(KontentResourceError) as refused:
        provider.create(checked(AssetProvider(), inputs(image, **overrides)))
    assert message in str(refused.value)
    assert emulator.counters()["by_endpoint"].get("POST /files/{file_name}", 0) == 0, "nothing uploaded"
    assert stored_files(emulator) == files_before


def test_a_file_changed_during_up_is_not_stored(
    make_provider: Make, emulator: EmulatorServer, client: KontentClient, image: Path
) -> None:
    provider: AssetProvider = make_provider(AssetProvider)
    planned = checked(provider, inputs(image))
    Image.new("RGB", (10, 10), "red").save(image)  # edited between the plan and the upload
    assert sha256_of(image) != planned["content_sha256"]
    with pytest.raises(KontentResourceError) as refused:
        provider.create(planned)
    assert "changed while it was being uploaded" in str(refused.value)
    assert "run it again" in str(refused.value)
    assert stored_files(emulator) == 0, "the incomplete upload stored nothing"
    assert list(client.assets.list()) == []
