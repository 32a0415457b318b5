"""The sandbox writes the state once per run (PULUMI_SKIP_CHECKPOINTS), and loses nothing by it.

A run that fails records what it did before failing; a crashed run is covered by
tests/reliability/test_engine_killed.py, in both checkpoint modes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pulumi import automation as auto

from kontent_resources.providers.identity import stack_identity_urn
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
    # Known only to the API: the environment has no such language, so this create fails at up.
    spec["assets"][5]["descriptions"] = {"xx-XX": "a language the environment does not have"}

    with pytest.raises(auto.CommandError, match="xx-XX"):
        stack.apply(spec)

    # The engine wrote its state once, at the end of the failed run: every asset the API made
    # before the engine stopped on the error is in it, the refused one in neither.
    made = Inventory.of(stack.client)
    assert 1 <= len(made.assets) <= 5
    assert made.asset_ids() == state_ids(stack.resources("Asset"))

    del spec["assets"][5]["descriptions"]
    stack.emulator.reset_counters()
    stack.apply(spec)
    assert uploads(stack.emulator.counters()) == 6 - len(made.assets), "only what is missing is made"
    final = Inventory.of(stack.client)
    assert len(final.assets) == 6
    assert final.duplicates() == {"external_id": [], "title": []}
    assert final.asset_ids() == state_ids(stack.resources("Asset"))
    assert no_changes(stack.preview())


def test_the_identity_urn_a_first_up_is_told_to_target_is_the_identity_s(
    stack: KontentStack, tmp_path: Path
) -> None:
    """The warning of a standard CLI's first up with PULUMI_SKIP_CHECKPOINTS names this URN for
    ``pulumi up --target`` (providers/identity.py): it must be the one the engine gives the identity."""
    stack.apply(asset_spec(small_files(tmp_path / "files", 1)))
    (asset,) = stack.resources("Asset")
    (identity,) = stack.resources("StackIdentity")
    assert stack_identity_urn(asset["inputs"]["identity_owner"]) == identity["urn"]
