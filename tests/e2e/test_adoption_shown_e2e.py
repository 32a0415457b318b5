"""Adoption shown as adoption (issue 34): what the preview of an imported environment says.

Pulumi's ``import_`` option cannot carry this package's adoptions (the engine's ``Read`` for an
import reaches the SDK's dynamic provider host without ``__provider``; the first test records it,
so that the day an engine or SDK changes this, the test says so). The program ``kontent-resources
import`` writes therefore adopts with ``adopt_id``/``adopt=True`` in create steps, and the preview
says so: one line per adopted object, and under the engine's count of creates, how many of them are
adoptions. The first ``up`` writes nothing (the emulator's counters), and the next preview has no
change at all (nothing to create, update or delete: the stack's ``StackIdentity`` stays).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.models.folders import FolderCreate
from tests.e2e.test_import_e2e import FOLDERS, ImportedProject, _client, _seed_asset, _writes

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(900)]

ASSETS = 120
_ADOPTING = re.compile(r"kontent: adopting (\S+ '[^']+'): ")
_PLAIN_PROGRAM = """
import pulumi
from pulumi.dynamic import CreateResult, ReadResult, Resource, ResourceProvider


class Plain(ResourceProvider):
    def create(self, props):
        return CreateResult("made-1", {"value": props["value"]})

    def read(self, id_, props):
        return ReadResult(id_, {"value": "v"}, {"value": "v"})


class Thing(Resource):
    def __init__(self, name, value, opts=None):
        super().__init__(Plain(), name, {"value": value}, opts)


Thing("adopted", "v", pulumi.ResourceOptions(import_="existing-42"))
"""


def test_import_option_fails_for_a_plain_dynamic_provider(tmp_path: Path) -> None:
    """What the engine sends to ``Read`` on ``import_``: the id and the URN, no properties and no
    inputs, so no ``__provider``; the SDK's host fails on it before any provider code is loaded."""
    project = tmp_path / "plain"
    project.mkdir()
    (project / "Pulumi.yaml").write_text("name: plain-import\nruntime: python\n")
    (project / "__main__.py").write_text(_PLAIN_PROGRAM)
    grpc_log = tmp_path / "grpc.json"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PULUMI_CONFIG_PASSPHRASE")},
        "PULUMI_CONFIG_PASSPHRASE": "plain",
        "PULUMI_DEBUG_GRPC": str(grpc_log),
    }
    command = [sys.executable, "-m", "kontent_resources.sandbox", "--project", str(project), "preview"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert re.search(r"^ = +pulumi-python:dynamic:Resource adopted import$", output, re.M), output[-3000:]
    assert "KeyError: '__provider'" in output, output[-3000:]
    reads = [
        entry["request"]
        for entry in map(json.loads, grpc_log.read_text().splitlines())
        if entry.get("method") == "/pulumirpc.ResourceProvider/Read" and entry.get("request")
    ]
    assert reads, "the engine asked the provider to read the object to import"
    request = reads[0]
    assert request["id"] == "existing-42"
    assert request["urn"].endswith("::pulumi-python:dynamic:Resource::adopted")
    assert not request.get("properties"), request
    assert "inputs" not in request, request
    calls = [
        entry["method"].rsplit("/", 1)[-1]
        for entry in map(json.loads, grpc_log.read_text().splitlines())
        if entry.get("method", "").startswith("/pulumirpc.ResourceProvider/")
    ]
    assert "Check" not in calls[: calls.index("Read")], "Read is the provider's first call for it"


def _seed(emulator: EmulatorServer, files: Path) -> None:
    files.mkdir()
    with _client(emulator) as client:
        tree = client.folders.add([*FOLDERS, FolderCreate(name="Legacy", external_id="legacy-folder")])
        folder_ids = [folder.id for folder, _parent in tree.walk()]
        languages = [language.codename for language in client.languages.list()]
        for n in range(ASSETS):
            _seed_asset(client, files, n, folder_ids, languages)


def _adopting(output: str) -> set[str]:
    return set(_ADOPTING.findall(output))


def test_preview_of_an_import_says_which_objects_are_adopted_and_the_up_writes_nothing(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    _seed(emulator, tmp_path / "seed-files")
    project = ImportedProject(tmp_path / "library", emulator)
    project.import_environment()
    manifest = project.manifest
    objects = [*manifest["folders"], *manifest["assets"], *manifest["renditions"]]
    assert len(objects) > 100
    project.connect()

    emulator.reset_counters()
    preview = project.run("preview")
    told = _adopting(preview)
    kinds = {"folders": "Folder", "assets": "Asset", "renditions": "Rendition"}
    expected = {f"{kinds[kind]} '{e['resource']}'" for kind in kinds for e in manifest[kind]}
    assert told == expected, sorted(told ^ expected)[:10]
    assert "(adopt=True)" in preview, "by external id"
    assert "(adopt_id)" in preview, "by internal id"
    assert f"= {len(objects)} of them adopt existing objects" in preview, preview[-3000:]
    assert _writes(emulator) == {}

    emulator.reset_counters()
    up = project.run("up", "--yes")
    assert "error" not in up.lower().replace("0 errored", "")
    summary = f"= {len(objects)} of them adopted existing objects: not created, taken over; nothing written"
    assert summary in up, up[-3000:]
    assert _writes(emulator) == {}, "the first up adopts everything without a write"

    after = project.run("preview")
    for change in ("to create", "to update", "to delete", "to replace"):
        assert change not in after, after[-3000:]
    assert not _adopting(after), "an object the stack manages is not adopted again"


def test_the_bookkeeping_resource_never_shows_as_a_delete(emulator: EmulatorServer, tmp_path: Path) -> None:
    """The stack's ``StackIdentity`` (the seed of generated external ids) is recorded by a run of its
    own before a new stack's first ``up``; a program whose resources all bring their own external id
    never declares it, and its ``up`` used to delete it again: ``- 1 deleted``, in the very first up."""
    project = ImportedProject(tmp_path / "own ids", emulator)
    project.folder.mkdir()
    (project.folder / "Pulumi.yaml").write_text("name: own-ids\nruntime: python\n")
    (project.folder / "__main__.py").write_text(
        'from kontent_resources import Folder\nFolder("brand", name="Brand", external_id="brand-own")\n'
    )
    project.connect()
    up = project.run("up", "--yes")
    assert "deleted" not in up, up[-3000:]
    assert "StackIdentity" not in up, "a stack that keeps none does not make one"
    preview = project.run("preview")
    for change in ("to create", "to update", "to delete", "to replace"):
        assert change not in preview, preview[-3000:]
