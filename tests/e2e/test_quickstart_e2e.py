"""The root stack (programs/quickstart) as a newcomer runs it: preview, up, preview, destroy."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pulumi import automation as auto

from kontent_resources.client import KontentClient, RateLimit
from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.sandbox import HermeticPulumi
from kontent_resources.sandbox.project import ProjectRunner

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
FILES = REPO_ROOT / "programs" / "quickstart" / "files"


@pytest.fixture
def quickstart(pulumi_sandbox: HermeticPulumi, emulator: EmulatorServer) -> ProjectRunner:
    runner = ProjectRunner(REPO_ROOT, pulumi_sandbox, "dev", isolated=True)
    runner.use_environment(emulator, client_rate_limit=False)
    return runner


def test_quickstart_up_preview_destroy(quickstart: ProjectRunner, emulator: EmulatorServer) -> None:
    fresh = quickstart.preview().change_summary
    # every resource, the stack, and the StackIdentity that seeds its generated external ids
    assert fresh == {auto.OpType.CREATE: 13}, "a fresh stack previews every resource (and the stack)"
    # Issue 34: the environment is asked what only it can tell (the descriptions' languages, the link's
    # item, language and element), once per kind; nothing is written.
    asked = emulator.counters()["by_endpoint"]
    assert asked == {"GET /languages": 1, "GET /items/{ref}": 1, "GET /types/{ref}": 1}, asked

    quickstart.up()
    outputs = quickstart.outputs()
    assert set(outputs["asset_ids"]) == {"logo", "icon", "hero", "team", "guidelines"}
    served = httpx.get(outputs["asset_urls"]["guidelines"], timeout=10)
    assert served.content == (FILES / "brand-guidelines.pdf").read_bytes()

    with KontentClient(
        emulator.environment_id, emulator.api_key, emulator.base_url, rate_limit=RateLimit(enabled=False)
    ) as client:
        logo = client.assets.get(outputs["asset_ids"]["logo"])
        assert (logo.image_width, logo.image_height) == (800, 400)
        assert len([d for d in logo.descriptions if d.description]) == 2

        emulator.reset_counters()
        assert quickstart.preview().change_summary == {auto.OpType.SAME: 13}
        assert emulator.counters()["total"] == 0

        quickstart.destroy()
        assert list(client.assets.list()) == []
        assert client.folders.get().folders == []
