"""A create or update retried after a crash reuses the file its first attempt uploaded.

The API cannot list or delete binary files, so every upload that no asset ends up referencing stays
in the environment for good. The engine killed between an upload and the asset write that uses it,
or after that write but before the state recorded it, used to leave one such file per interrupted
create: the retry uploaded the same bytes again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from kontent_resources.client import KontentClient
from kontent_resources.client import upload_journal as journal_module
from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.models.assets import AssetUpsert
from kontent_resources.providers import AssetProvider, invalidate_caches
from tests.providers.conftest import outs_of
from tests.providers.test_asset_provider import Make, checked, inputs
from tests.reliability.helpers import uploads


class Killed(BaseException):
    """The provider process dying mid-call (nothing after this point runs)."""


@pytest.fixture(autouse=True)
def own_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "state"
    monkeypatch.setenv("KONTENT_STATE_DIR", str(folder))
    monkeypatch.setattr(journal_module, "_journals", {})
    return folder


def _unreferenced(emulator: EmulatorServer) -> int:
    return int(emulator.state()["unreferenced_files"])


def _kill_the_next_asset_write(provider: AssetProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    """The process dies once the upload is answered, before the asset write is sent."""

    def die(*_: Any, **__: Any) -> None:
        raise Killed

    monkeypatch.setattr(provider.env.client.assets, "upsert", die)


def _fresh_process(make_provider: Make, monkeypatch: pytest.MonkeyPatch, state: Path) -> AssetProvider:
    """The next provider process: a new client, nothing cached; only the disk remembers."""
    monkeypatch.undo()
    monkeypatch.setenv("KONTENT_STATE_DIR", str(state))
    monkeypatch.setattr(journal_module, "_journals", {})
    invalidate_caches()
    return make_provider(AssetProvider)


def test_create_killed_between_upload_and_write_reuses_the_upload(
    make_provider: Make,
    emulator: EmulatorServer,
    client: KontentClient,
    image: Path,
    monkeypatch: pytest.MonkeyPatch,
    own_state_dir: Path,
) -> None:
    provider = make_provider(AssetProvider)
    props = checked(provider, inputs(image))
    _kill_the_next_asset_write(provider, monkeypatch)
    with pytest.raises(Killed):
        provider.create(props)
    assert uploads(emulator.counters()) == 1
    assert list(client.assets.list()) == []

    retried = _fresh_process(make_provider, monkeypatch, own_state_dir).create(props)

    assert uploads(emulator.counters()) == 1, "the retry uploaded the file again"
    assert _unreferenced(emulator) == 0
    assert client.assets.get(retried.id).file_reference is not None


def test_create_whose_write_was_never_recorded_reuses_the_upload(
    make_provider: Make, emulator: EmulatorServer, client: KontentClient, image: Path
) -> None:
    """The engine killed after the write: the state has nothing, the next up creates it again."""
    props = checked(make_provider(AssetProvider), inputs(image))
    first = make_provider(AssetProvider).create(props)
    invalidate_caches()
    again = make_provider(AssetProvider).create(props)

    assert again.id == first.id, "adopted, not duplicated"
    assert uploads(emulator.counters()) == 1
    assert _unreferenced(emulator) == 0


def test_update_killed_between_upload_and_write_reuses_the_upload(
    make_provider: Make,
    emulator: EmulatorServer,
    image: Path,
    monkeypatch: pytest.MonkeyPatch,
    own_state_dir: Path,
) -> None:
    provider = make_provider(AssetProvider)
    created = provider.create(checked(provider, inputs(image)))
    Image.new("RGB", (300, 200), "navy").save(image)
    news = checked(provider, inputs(image))
    _kill_the_next_asset_write(provider, monkeypatch)
    with pytest.raises(Killed):
        provider.update(created.id, outs_of(created), news)

    updated = _fresh_process(make_provider, monkeypatch, own_state_dir).update(
        created.id, outs_of(created), news
    )

    assert outs_of(updated)["image_width"] == 300
    assert uploads(emulator.counters()) == 2, "one upload per content, none repeated"
    assert _unreferenced(emulator) == 1, "only the replaced content's file, which the API cannot delete"


def test_a_reference_the_api_no_longer_has_is_uploaded_again(
    make_provider: Make, emulator: EmulatorServer, client: KontentClient, image: Path
) -> None:
    """The asset and its file deleted behind the journal's back: the create still succeeds."""
    props = checked(make_provider(AssetProvider), inputs(image))
    first = make_provider(AssetProvider).create(props)
    client.assets.delete(first.id)  # outside Pulumi: the journal still names the file
    invalidate_caches()

    again = make_provider(AssetProvider).create(props)

    assert client.assets.get(again.id).file_reference is not None
    assert uploads(emulator.counters()) == 2
    assert _unreferenced(emulator) == 0


def test_deleting_the_asset_forgets_its_uploads(
    make_provider: Make, emulator: EmulatorServer, image: Path
) -> None:
    provider = make_provider(AssetProvider)
    props = checked(provider, inputs(image))
    created = provider.create(props)
    provider.delete(created.id, outs_of(created))
    invalidate_caches()

    make_provider(AssetProvider).create(props)

    by_status = emulator.counters()["by_status"]
    assert "400" not in by_status, "no write was tried with the deleted asset's file"
    assert uploads(emulator.counters()) == 2


def test_the_journal_holds_no_names_and_is_private(
    make_provider: Make, image: Path, own_state_dir: Path
) -> None:
    provider = make_provider(AssetProvider)
    provider.create(checked(provider, inputs(image)))
    [journal] = own_state_dir.glob("uploads-*.jsonl")
    text = journal.read_text()
    assert "logo" not in text
    assert "pulumi:" not in text
    assert journal.stat().st_mode & 0o077 == 0


def test_an_unchanged_metadata_update_uploads_nothing(
    make_provider: Make, emulator: EmulatorServer, client: KontentClient, image: Path
) -> None:
    provider = make_provider(AssetProvider)
    created = provider.create(checked(provider, inputs(image)))
    client.assets.upsert(created.id, AssetUpsert(title="Edited"))
    provider.update(created.id, outs_of(created), checked(provider, inputs(image, title="Logo 2")))
    assert uploads(emulator.counters()) == 1
