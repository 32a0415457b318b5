"""Issue 7.4: the API process dies (SIGKILL) and comes back on the same port in the middle of an ``up``."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kontent_resources.client import KontentClient, RateLimit, RetryPolicy
from kontent_resources.emulator.server import EmulatorProcess
from kontent_resources.sandbox import HermeticPulumi
from tests.e2e.kontent_stack import KontentStack, no_changes
from tests.reliability.helpers import Inventory, asset_spec, diagnostics, small_files, state_ids

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ASSETS = 30


class Restarter:
    """Kills the emulator process once some assets exist, and starts it again on the same port."""

    def __init__(self, emulator: EmulatorProcess, data_dir: Path, at_least: int) -> None:
        self.emulator = emulator
        self.data_dir = data_dir
        self.at_least = at_least
        self.restarted: EmulatorProcess | None = None
        self.assets_at_kill = -1
        self.down_seconds = 0.0
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="emulator-restarter", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def join(self) -> None:
        self._thread.join(timeout=120)
        assert not self._thread.is_alive(), "the restarter finished"
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        try:
            with KontentClient(
                self.emulator.environment_id,
                self.emulator.api_key,
                self.emulator.base_url,
                rate_limit=RateLimit(enabled=False),
                retry=RetryPolicy(max_attempts=1),
                timeout=5.0,
            ) as client:
                deadline = time.monotonic() + 90
                while time.monotonic() < deadline:
                    count = len(list(client.assets.list()))
                    if count >= self.at_least:
                        break
                    time.sleep(0.1)
                else:
                    raise AssertionError("the up never created its first assets")
            self.assets_at_kill = count
            killed = time.monotonic()
            self.emulator.kill()  # SIGKILL: no shutdown, connections reset mid-request
            time.sleep(1.0)  # down for a moment: requests meet "connection refused"
            self.restarted = EmulatorProcess(
                port=self.emulator.port, data_dir=self.data_dir, rate_limit=False
            ).start()
            self.down_seconds = time.monotonic() - killed
        except BaseException as error:  # reported by join() in the test's thread
            self.error = error


@pytest.fixture
def process_emulator(tmp_path: Path) -> Iterator[EmulatorProcess]:
    emulator = EmulatorProcess(data_dir=tmp_path / "emulator-data", rate_limit=False).start()
    yield emulator
    emulator.stop()


@pytest.mark.timeout(240)
def test_api_killed_and_restarted_mid_up(
    pulumi_sandbox: HermeticPulumi, process_emulator: EmulatorProcess, tmp_path: Path
) -> None:
    stack = KontentStack(pulumi_sandbox, process_emulator, tmp_path)  # type: ignore[arg-type]
    spec = asset_spec(small_files(tmp_path / "files", ASSETS), folders=("alpha", "beta"))
    # Slow writes, so the kill lands while several of them are in flight.
    process_emulator.add_fault(latency_ms=700, path_contains="/assets/", methods=["PUT"])
    restarter = Restarter(process_emulator, tmp_path / "emulator-data", at_least=6)
    outcome = "succeeded"
    try:
        restarter.start()
        try:
            stack.apply(spec)
        except Exception as error:  # allowed, if it says clearly what happened and what to do
            outcome = diagnostics(error)
        restarter.join()
        assert restarter.restarted is not None

        print(
            f"\nAPI killed with {restarter.assets_at_kill} of {ASSETS} assets created, back after "
            f"{restarter.down_seconds:.1f}s; the up {'succeeded' if outcome == 'succeeded' else 'failed:'}"
        )
        if outcome != "succeeded":
            print(outcome)
            assert "Traceback" not in outcome
            assert "run `pulumi up` again" in outcome, outcome

        # No acknowledged write is lost: everything the state records exists in the API.
        for resource in stack.resources("Asset"):
            assert stack.client.assets.get(resource["id"]).id == resource["id"]
        folders = Inventory.of(stack.client).folder_ids()
        assert state_ids(stack.resources("Folder")) <= folders

        stack.apply(spec)  # converges, whatever the first up did
        inventory = Inventory.of(stack.client)
        assert len(inventory.assets) == ASSETS
        assert inventory.duplicates() == {"external_id": [], "title": []}
        assert inventory.asset_ids() == state_ids(stack.resources("Asset"))
        assert inventory.folder_ids() == state_ids(stack.resources("Folder"))
        assert no_changes(stack.preview())
    finally:
        stack.close()
        if restarter.restarted is not None:
            restarter.restarted.stop()


def test_an_unreachable_api_fails_clearly(
    pulumi_sandbox: HermeticPulumi, process_emulator: EmulatorProcess, tmp_path: Path
) -> None:
    """The API is not running: the up fails in seconds, not after the ~30 s of every retry, naming
    the address and the config key that set it (issue 34)."""
    stack = KontentStack(pulumi_sandbox, process_emulator, tmp_path)  # type: ignore[arg-type]
    process_emulator.kill()
    # Bound and never listening: every connection is refused, and no other test's server (an
    # engine's gRPC port, say) can take the port and answer in its place.
    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    holder.bind(("127.0.0.1", urlsplit(process_emulator.base_url).port or 0))
    started = time.monotonic()
    try:
        with pytest.raises(Exception) as failure:  # noqa: PT011 - the automation API's CommandError
            stack.apply(asset_spec(small_files(tmp_path / "files", 1)))
    finally:
        stack.close()
        holder.close()
    took = time.monotonic() - started
    message = diagnostics(failure.value)
    print(f"\nAPI down: the up failed after {took:.0f}s:\n{message}")
    assert "Asset (doc-000)" in message
    assert f"nothing answers at {process_emulator.base_url} (ConnectError" in message
    assert "fix: check the address set by kontent:baseUrl" in message
    assert "run `pulumi up` again" in message
    # The engine's own start and stop vary with the machine's load; the request's time does not.
    gave_up = re.search(r"retries: gave up after \d+ failed attempts in (\d+) s", message)
    assert gave_up is not None, message
    assert int(gave_up.group(1)) <= 10
