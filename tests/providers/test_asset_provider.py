"""AssetProvider: check, diff and CRUD against the emulator, after a dill round-trip."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dill
import pytest
from PIL import Image
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.dynamic.dynamic import serialize_provider

from kontent_resources.api_limits import MAX_FILE_SIZE
from kontent_resources.client import KontentClient
from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.models.assets import AssetUpsert
from kontent_resources.providers import AssetProvider, invalidate_caches
from kontent_resources.providers.asset import CONTENT_DRIFT
from kontent_resources.providers.errors import KontentResourceError
from kontent_resources.providers.identity import derive_external_id
from kontent_resources.providers.localfile import sha256_of
from kontent_resources.providers.props import applied
from kontent_resources.providers.validation import UNKNOWN
from tests.providers.conftest import outs_of

Make = Callable[[type[AssetProvider]], AssetProvider]


TEST_SEED = "seed-of-the-provider-tests"
LOGO_PATH = "pulumi-python:dynamic/kontent:Asset::logo"


def inputs(path: Path, **overrides: Any) -> dict[str, Any]:
    props = {
        "source": path.name,
        "source_path": str(path),
        "content_sha256": sha256_of(path) if path.is_file() else None,
        "file_name": None,
        "content_type": None,
        "title": "Logo",
        "descriptions": {"en-US": "Company logo", "es-ES": "Logotipo"},
        "folder": None,
        "collection": None,
        "codename": None,
        "elements": None,
        "external_id": None,
        "external_id_generated": True,
        "identity_seed": TEST_SEED,
        "identity_path": LOGO_PATH,
        "adopt": False,
    }
    return {**props, **overrides}


def checked(provider: AssetProvider, props: dict[str, Any]) -> dict[str, Any]:
    result = provider.check({}, props)
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return result.inputs


def test_pickled_provider_carries_no_settings(make_provider: Make) -> None:
    provider = make_provider(AssetProvider)
    pickled = base64.b64decode(serialize_provider(provider))
    assert b"kontent-emulator-dev-key" not in pickled
    assert dill.loads(pickled)._settings is None


def test_check_fills_defaults_and_reports_problems(make_provider: Make, image: Path, tmp_path: Path) -> None:
    provider = make_provider(AssetProvider)
    good = checked(provider, inputs(image))
    assert (good["file_name"], good["content_type"]) == ("logo.png", "image/png")

    bad = provider.check(
        {}, inputs(tmp_path / "missing.png", title="x" * 201, codename="Bad Name", folder="brand")
    )
    reasons = {f.property: f.reason for f in bad.failures}
    assert "does not exist" in reasons["source"]
    assert "201 characters" in reasons["title"]
    assert "not a valid codename" in reasons["codename"]
    assert "codename/brand" in reasons["folder"]
    assert "is a directory" in provider.check({}, inputs(tmp_path)).failures[0].reason


def test_check_and_diff_tolerate_unknowns(make_provider: Make, image: Path) -> None:
    provider = make_provider(AssetProvider)
    result = provider.check({}, inputs(image, folder=UNKNOWN, title=UNKNOWN))
    assert result.failures == []
    olds = {"_inputs": checked(provider, inputs(image))}
    diff = provider.diff("id", olds, checked(provider, inputs(image, folder=UNKNOWN)))
    assert diff.changes
    assert diff.replaces == []


def test_diff_reports_exactly_the_changed_inputs(make_provider: Make, image: Path) -> None:
    provider = make_provider(AssetProvider)
    applied = checked(provider, inputs(image))
    olds = {"_inputs": applied, "codename": "logo"}
    assert not provider.diff("id", olds, dict(applied)).changes
    moved = provider.diff(
        "id", olds, {**applied, "source": "elsewhere/logo.png", "source_path": "/x/logo.png"}
    )
    assert not moved.changes, "the same content at another path is no change"
    assert provider.diff("id", olds, {**applied, "title": "New"}).changes
    assert provider.diff("id", olds, {**applied, "external_id": "other"}).replaces == ["external_id"]


def test_create_read_update_delete(make_provider: Make, client: KontentClient, image: Path) -> None:
    provider = make_provider(AssetProvider)
    props = checked(provider, inputs(image))
    created = provider.create(props)
    asset = client.assets.get(created.id)
    expected_id = derive_external_id("asset", TEST_SEED, LOGO_PATH)
    assert (asset.title, asset.external_id, asset.image_width) == ("Logo", expected_id, 800)
    assert outs_of(created)["url"] == asset.url

    read = provider.read(created.id, outs_of(created))
    assert read.outs == created.outs
    assert read.inputs == applied(outs_of(created))

    Image.new("RGB", (300, 200), "navy").save(image)
    news = checked(provider, inputs(image, title="New logo"))
    updated = provider.update(created.id, outs_of(created), news)
    asset = client.assets.get(created.id)
    assert (asset.title, asset.image_width, asset.image_height) == ("New logo", 300, 200)
    assert outs_of(updated)["file_reference"] != outs_of(created)["file_reference"]

    provider.delete(created.id, outs_of(updated))
    assert list(client.assets.list()) == []
    provider.delete(created.id, outs_of(updated))  # idempotent


def test_read_finds_drift_and_deletion(make_provider: Make, client: KontentClient, image: Path) -> None:
    provider = make_provider(AssetProvider)
    created = provider.create(checked(provider, inputs(image)))
    client.assets.upsert(created.id, AssetUpsert(title="Edited elsewhere"))
    invalidate_caches()
    drifted = provider.read(created.id, outs_of(created))
    assert drifted.inputs is not None
    assert drifted.inputs["title"] == "Edited elsewhere"
    assert provider.diff(created.id, drifted.outs or {}, checked(provider, inputs(image))).changes

    other = client.files.upload(image)
    client.assets.upsert(created.id, AssetUpsert(file_reference=other.to_request()))
    invalidate_caches()
    swapped = provider.read(created.id, outs_of(created))
    assert swapped.inputs is not None
    assert swapped.inputs["content_sha256"] == CONTENT_DRIFT

    client.assets.delete(created.id)
    invalidate_caches()
    assert provider.read(created.id, outs_of(created)).id is None


def test_create_adopts_its_own_crashed_attempt(
    make_provider: Make, client: KontentClient, image: Path
) -> None:
    provider = make_provider(AssetProvider)
    first = provider.create(checked(provider, inputs(image)))
    again = provider.create(checked(provider, inputs(image)))
    assert again.id == first.id
    assert len(list(client.assets.list())) == 1


def test_user_external_id_is_not_adopted_unless_asked(
    make_provider: Make, client: KontentClient, image: Path
) -> None:
    provider = make_provider(AssetProvider)
    props = checked(provider, inputs(image, external_id="brand-logo", external_id_generated=False))
    first = provider.create(props)
    with pytest.raises(KontentResourceError, match="adopt=True"):
        provider.create(props)
    adopted = provider.create({**props, "adopt": True})
    assert adopted.id == first.id


def test_unknown_language_fails_with_the_choices(make_provider: Make, image: Path) -> None:
    provider = make_provider(AssetProvider)
    # Checked offline: the preview refuses it as well (test_environment_checks.py); this is create's
    # own refusal, for a language removed between the preview and the up.
    offline = AssetProvider()
    with pytest.raises(KontentResourceError, match=r"descriptions: unknown language.*fr-FR.*en-US, es-ES"):
        provider.create(checked(offline, inputs(image, descriptions={"fr-FR": "Logo"})))


def test_a_file_over_the_documented_100_mb_fails_the_preview_unless_the_limit_is_raised(
    make_provider: Make, emulator: EmulatorServer, tmp_path: Path
) -> None:
    """Issue 15: "Maximum size limit for binary files is 100 MB." (Upload a binary file)."""
    big = tmp_path / "video.mp4"
    with big.open("wb") as sparse:
        sparse.truncate(MAX_FILE_SIZE + 1)
    props = {**inputs(big), "content_sha256": "0" * 64}
    provider: AssetProvider = make_provider(AssetProvider)
    failures = provider.check({}, props).failures
    assert [f.property for f in failures] == ["source"]
    assert "at most 104,857,600 bytes" in failures[0].reason
    assert "kontent:maxFileSizeBytes" in failures[0].reason

    raw = {
        "kontent:environmentId": emulator.environment_id,
        "kontent:apiKey": emulator.api_key,
        "kontent:baseUrl": emulator.base_url,
        "kontent:maxFileSizeBytes": str(2 * MAX_FILE_SIZE),
    }
    provider.configure(ConfigureRequest(Config(raw, project_name="provider-tests")))
    assert provider.check({}, props).failures == []


def test_an_empty_title_or_a_removed_one_fails_the_preview(make_provider: Make, image: Path) -> None:
    provider: AssetProvider = make_provider(AssetProvider)
    empty = provider.check({}, inputs(image, title="")).failures
    assert [(f.property, "must not be empty" in f.reason) for f in empty] == [("title", True)]
    created = provider.create(checked(provider, inputs(image)))
    removed = provider.check(outs_of(created), inputs(image, title=None)).failures
    assert [(f.property, "cannot be removed" in f.reason) for f in removed] == [("title", True)]


def test_a_folder_reference_by_an_external_id_with_a_dot_fails_the_preview(
    make_provider: Make, image: Path
) -> None:
    """ "The value of the external_id property must not contain the following characters: /, ., ;."
    (the Reference object): said at preview, before the file is uploaded."""
    provider: AssetProvider = make_provider(AssetProvider)
    failures = provider.check({}, inputs(image, folder="external-id/brand.v2")).failures
    assert [(f.property, "refuses external ids with ." in f.reason) for f in failures] == [("folder", True)]
