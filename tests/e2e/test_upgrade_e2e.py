"""Issue 12, the upgrade test (as pulumi-random has): a stack deployed by an older version of this
package (``tests/fixtures/upgrade``, made by ``make_fixture.py`` at commit 423ea47) is previewed and
updated by today's code. Existing stacks keep their objects: no replace, update or delete, no write
reaches the emulator, and the only new resource is the stack's identity seed, which lives in the
state alone.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml

from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.emulator.store import Store
from kontent_resources.sandbox import HermeticPulumi
from kontent_resources.sandbox.project import ProjectRunner
from tests.e2e.kontent_stack import no_changes, op_counts
from tests.fixtures.upgrade.make_fixture import BASE_MARK, KEY_MARK, PROJECT, SOURCES_MARK, STACK
from tests.fixtures.upgrade.sources import write_sources

pytestmark = pytest.mark.e2e

FIXTURE = Path(__file__).parents[1] / "fixtures" / "upgrade"


def _restore_emulator(data_dir: Path, sources: Path) -> None:
    """The emulator's contents as the old stack left them: documents, then each file's bytes."""
    dump = json.loads((FIXTURE / "emulator.json").read_text(encoding="utf-8"))
    Store(data_dir).close()  # creates the schema
    with sqlite3.connect(data_dir / "emulator.sqlite3") as conn:
        conn.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?)", dump["docs"])
        conn.executemany("INSERT INTO meta VALUES (?, ?)", dump["meta"])
    for file_id, source in dump["files"].items():
        shutil.copyfile(sources / source, data_dir / "files" / file_id)


def _writes(counters: dict[str, Any]) -> dict[str, int]:
    return {k: n for k, n in counters["by_endpoint"].items() if not k.startswith("GET ")}


@pytest.mark.timeout(600)
def test_a_stack_deployed_by_the_previous_version_keeps_every_object(
    pulumi_sandbox: HermeticPulumi, tmp_path: Path
) -> None:
    project = tmp_path / PROJECT
    shutil.copytree(FIXTURE / "program", project)
    (project / "Pulumi.yaml").write_text(f"name: {PROJECT}\nruntime: python\n")
    sources = write_sources(project)
    data_dir = tmp_path / "emulator"
    data_dir.mkdir()
    _restore_emulator(data_dir, sources)

    with EmulatorServer(data_dir=data_dir, rate_limit=False) as emulator:
        state = (FIXTURE / "state.json").read_text(encoding="utf-8")
        for mark, value in (
            (SOURCES_MARK, str(sources)),
            (BASE_MARK, emulator.base_url.removesuffix("/v2")),
            (KEY_MARK, emulator.api_key),
        ):
            state = state.replace(mark, value)
        runner = ProjectRunner(project, pulumi_sandbox, STACK)
        runner.use_environment(emulator, client_rate_limit=False)
        runner.set_config({"sources": str(sources)})
        # The fixture's secrets (the emulator's key) are plaintext; this stack's passphrase keeps them.
        salt = yaml.safe_load((project / f"Pulumi.{STACK}.yaml").read_text())["encryptionsalt"]
        deployment = json.loads(state) | {
            "secrets_providers": {"type": "passphrase", "state": {"salt": salt}}
        }
        exported = {"version": 3, "deployment": deployment}  # `pulumi stack export`'s shape
        (tmp_path / "state.json").write_text(json.dumps(exported), encoding="utf-8")
        pulumi_sandbox.run(
            ["stack", "import", "--file", str(tmp_path / "state.json"), "--stack", STACK], project
        )
        with emulator.client() as api:
            assets_before, folders_before = api.get("/assets").json(), api.get("/folders").json()
        outputs_before = runner.outputs()

        preview = runner.preview()
        changes = op_counts(preview.change_summary)
        created = [line.split()[1] for line in preview.stdout.splitlines() if line.startswith(" +  ")]
        # The stack's identity seed is new (it talks to no API); every object is unchanged.
        assert changes == {"create": 1, "same": 12}, preview.stdout
        assert created == ["pulumi-python:dynamic/kontent:StackIdentity"], preview.stdout
        runner.up()
        assert no_changes(op_counts(runner.preview().change_summary))
        assert no_changes(op_counts(runner.refresh().summary.resource_changes))

        assert _writes(emulator.counters()) == {}, "no create, update or delete reached the emulator"
        assert runner.outputs() == outputs_before, "the same ids and URLs"
        with emulator.client() as api:
            assert api.get("/assets").json() == assets_before
            assert api.get("/folders").json() == folders_before
