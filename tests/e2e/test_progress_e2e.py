"""Long runs keep the user informed: an ``up`` of 300 files at the API's real limits is never silent
for more than 10 s, whether the files are an ``Asset`` each or the members of one ``AssetSet``.

At 400 requests per minute the 600 calls of 300 new files take about 90 s, and for half a minute
of it every request waits on the per-minute window: before, the run printed nothing then (20.5 s
of silence in the issue's run of an ``Asset`` each; an ``AssetSet`` printed nothing between its
first line and its last).
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from kontent_resources.emulator.server import EmulatorServer

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

FILES = 300
PROGRAM = """\
import pulumi
from kontent_resources import AssetDirectory

library = AssetDirectory("library", "library", one_resource=pulumi.Config().get_bool("one_resource") or False)
pulumi.export("assets", library.assets.apply(len))
"""


@pytest.fixture
def limited_emulator(tmp_path: Path) -> Iterator[EmulatorServer]:
    with EmulatorServer(data_dir=tmp_path / "emulator", rate_limit=True) as server:
        yield server


def _project(root: Path, emulator: EmulatorServer, *, one_resource: bool) -> tuple[Path, dict[str, str]]:
    project = root / "project"
    for i in range(FILES):
        folder = project / "library" / f"folder-{i % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (8, 8), (i % 256, i // 256, 90)).save(folder / f"image-{i:03d}.png")
    (project / "Pulumi.yaml").write_text("name: progress\nruntime: python\n")
    (project / "__main__.py").write_text(PROGRAM)
    env = {
        **os.environ,
        "PULUMI_CONFIG_PASSPHRASE": "test-only passphrase",
        "KONTENT_API_KEY": emulator.api_key,
    }
    env.pop("PULUMI_CONFIG_PASSPHRASE_FILE", None)
    env["KONTENT_STATE_DIR"] = str(root / "kontent-state")  # no other run's calls in this one's budget
    for key, value in (
        ("kontent:environmentId", emulator.environment_id),
        ("kontent:baseUrl", emulator.base_url),
        ("one_resource", str(one_resource).lower()),
    ):
        _sandbox(project, env, "config", "set", key, value)
    return project, env


def _sandbox(project: Path, env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "-m", "kontent_resources.sandbox", "--project", str(project), *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"{args}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


def _timed_lines(project: Path, env: dict[str, str], *args: str) -> tuple[list[tuple[float, str]], int]:
    """The command's output lines, each with the time it arrived, and its exit code."""
    command = [sys.executable, "-m", "kontent_resources.sandbox", "--project", str(project), *args]
    lines: list[tuple[float, str]] = []
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append((time.monotonic(), line.rstrip()))
        code = proc.wait(timeout=600)
    return lines, code


@pytest.mark.timeout(600)
@pytest.mark.parametrize("one_resource", [False, True], ids=["asset-per-file", "one-asset-set"])
def test_an_up_at_the_real_limits_is_never_silent_for_more_than_10_s(
    limited_emulator: EmulatorServer, tmp_path: Path, one_resource: bool
) -> None:
    project, env = _project(tmp_path, limited_emulator, one_resource=one_resource)

    lines, code = _timed_lines(project, env, "up", "--yes", "--skip-preview")

    output = "\n".join(text for _, text in lines)
    assert code == 0, output[-4000:]
    assert limited_emulator.counters()["total"] >= 2 * FILES
    times = [at for at, _ in lines]
    gaps = [(later - earlier, text) for (earlier, _), (later, text) in itertools.pairwise(lines)]
    longest, after = max(gaps)
    start = times[0]
    print("\n".join(f"{at - start:6.1f} {text}" for at, text in lines))
    print(
        f"{len(lines)} lines in {times[-1] - start:.1f} s; longest silence {longest:.1f} s, ended by: {after}"
    )
    assert times[-1] - times[0] > 45, "the run was held back by the per-minute limit"
    assert longest <= 10.0, f"{longest:.1f} s without a line, ended by {after!r}:\n{output[-3000:]}"
    assert "kontent: waiting" in output, "the wait on the API's limit is said, with its reason"
    assert "requests per minute" in output
