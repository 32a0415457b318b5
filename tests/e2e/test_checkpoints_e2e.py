"""The sandbox writes the state once per run (PULUMI_SKIP_CHECKPOINTS), and loses nothing by it.

A run that fails records what it did before failing; a crashed run is covered by
tests/reliability/test_engine_killed.py, in both checkpoint modes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pulumi import automation as auto

from kontent_resources.sandbox import HermeticPulumi
from tests.e2e.kontent_stack import KontentStack, no_changes
from tests.reliability.helpers import Inventory, asset_spec, small_files, state_ids, uploads

pytestmark = [pytest.mark.e2e]


def test_the_sandbox_skips_per_step_checkpoints_unless_told_otherwise(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PULUMI_SKIP_CHECKPOINTS", raising=False)
    with HermeticPulumi(tmp_path / "default") as sandbox:
        assert sandbox.env["PULUMI_SKIP_CHECKPOINTS"] == "true"
    monkeypatch.setenv("PULUMI_SKIP_CHECKPOINTS", "false")
    with HermeticPulumi(tmp_path / "own-choice") as sandbox:
        assert sandbox.env["PULUMI_SKIP_CHECKPOINTS"] == "false"


def test_an_up_that_fails_midway_records_what_it_made(stack: KontentStack, tmp_path: Path) -> None:
    spec = asset_spec(small_files(tmp_path / "files", 6))
    spec["assets"][3]["external_id"] = "refused-by-the-api"
    stack.emulator.add_fault(status=403, path_contains="external-id/refused-by-the-api", methods=["PUT"])

    with pytest.raises(auto.CommandError):
        stack.apply(spec)

    # The engine wrote its state once, at the end of the failed run: the five assets the API made
    # are in it, the refused one is in neither the state nor the environment.
    made = Inventory.of(stack.client)
    assert len(made.assets) == 5
    assert made.asset_ids() == state_ids(stack.resources("Asset"))

    stack.emulator.clear_faults()
    stack.emulator.reset_counters()
    stack.apply(spec)
    assert uploads(stack.emulator.counters()) == 1, "only the refused asset is made again"
    final = Inventory.of(stack.client)
    assert len(final.assets) == 6
    assert final.duplicates() == {"external_id": [], "title": []}
    assert final.asset_ids() == state_ids(stack.resources("Asset"))
    assert no_changes(stack.preview())
