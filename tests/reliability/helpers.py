"""Shared pieces of the reliability tests: generated files, specs, and what the emulator holds."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kontent_resources.client import KontentClient, RateLimit
from kontent_resources.emulator.admin_client import AdminApi
from kontent_resources.models import Asset, FolderTree
from kontent_resources.sandbox import HermeticPulumi
from kontent_resources.sandbox.project import ProjectRunner
from tests.e2e.helpers import make_project
from tests.e2e.kontent_stack import KontentStack


def small_files(folder: Path, count: int, *, prefix: str = "doc") -> list[Path]:
    """``count`` tiny text files with distinct content (and so distinct hashes)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"{prefix}-{i:03}.txt"
        path.write_text(f"{prefix} number {i}\n")
        paths.append(path)
    return paths


def asset_spec(paths: Iterable[Path], *, folders: tuple[str, ...] = ()) -> dict[str, Any]:
    """A spec with one asset per file (titled after it), spread over ``folders`` (created at the root)."""
    assets = []
    for i, path in enumerate(paths):
        entry: dict[str, Any] = {"key": path.stem, "source": str(path), "title": f"Title {path.stem}"}
        if folders:
            entry["folder"] = folders[i % len(folders)]
        assets.append(entry)
    return {"folders": [{"key": f, "name": f.title()} for f in folders], "assets": assets}


@dataclass
class Inventory:
    """What the emulator holds, with the checks every reliability test makes."""

    assets: list[Asset]
    tree: FolderTree

    @classmethod
    def of(cls, client: KontentClient) -> Inventory:
        return cls(list(client.assets.list()), client.folders.get())

    def duplicates(self) -> dict[str, list[str]]:
        """External ids and titles that occur more than once (empty when there is none)."""
        external = Counter(a.external_id for a in self.assets)
        titles = Counter(a.title for a in self.assets)
        return {
            "external_id": sorted(str(k) for k, n in external.items() if n > 1),
            "title": sorted(str(k) for k, n in titles.items() if n > 1),
        }

    def folder_ids(self) -> set[str]:
        return {folder.id for folder, _ in self.tree.walk()}

    def asset_ids(self) -> set[str]:
        return {a.id for a in self.assets}


def state_ids(resources: list[dict[str, Any]]) -> set[str]:
    """Ids of the resources of a stack export (``KontentStack.resources``)."""
    return {str(r["id"]) for r in resources if r.get("id")}


def uploads(counters: dict[str, Any]) -> int:
    return int(counters["by_endpoint"].get("POST /files/{file_name}", 0))


def wait_until(condition: Callable[[], bool], *, timeout: float, interval: float = 0.1, what: str) -> None:
    """Poll ``condition`` until it holds; fail after ``timeout`` seconds (tests never hang)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


RELIABILITY_PROGRAMS = Path(__file__).parent / "programs"


class RawStack(KontentStack):
    """A ``KontentStack`` of the ``raw`` program: resource arguments straight from the spec."""

    def __init__(self, sandbox: HermeticPulumi, emulator: AdminApi, tmp_path: Path) -> None:
        self.emulator = emulator  # type: ignore[assignment]  # any emulator: thread or process
        project = make_project(tmp_path, RELIABILITY_PROGRAMS / "raw", "raw-stack")
        self.runner = ProjectRunner(project, sandbox, "test")
        self.runner.use_environment(emulator)
        self.client = KontentClient(
            emulator.environment_id, emulator.api_key, emulator.base_url, rate_limit=RateLimit(enabled=False)
        )
        self.log: list[str] = []


def diagnostics(error: BaseException) -> str:
    """The engine's "Diagnostics:" section of a failed command: what the user reads first."""
    text = str(error)
    start = text.find("Diagnostics:")
    end = text.find("Resources:", start)
    section = text[start : end if end != -1 else None] if start != -1 else text
    return "\n".join(line.rstrip() for line in section.splitlines() if line.strip())
