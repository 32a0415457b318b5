"""Issue 35, part 1: an image without alt text in an active language, through the sandbox's CLI.

The quickstart with the Spanish description of its logo left out. With ``kontent:altText`` set to
error the preview fails on the logo's ``descriptions``, naming the language and the fix, and writes
nothing; with warn (the default) preview and up succeed and print the warning line, which the
engine shows as a diagnostic of the provider; a preview without changes prints it no more.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kontent_resources.emulator.server import EmulatorServer
from tests.e2e.test_preview_environment_e2e import GOOD_DESCRIPTION, writes
from tests.e2e.test_sandbox_cli import UserProject

pytestmark = pytest.mark.e2e

WARNING = "kontent: warning: Asset 'logo': image 'logo.png' has no alt text in es-ES (no description)."
ERROR = "Asset 'logo': image 'logo.png' has no alt text in es-ES (no description) (kontent:altText is error)."


@pytest.fixture
def project(tmp_path: Path, emulator: EmulatorServer, engine_bin: Path) -> UserProject:
    user = UserProject(tmp_path, emulator)
    user.connect()
    program = user.folder / "__main__.py"
    source = program.read_text()
    assert f"{GOOD_DESCRIPTION},\n" in source, "the quickstart changed: update this test"
    program.write_text(source.replace(f"{GOOD_DESCRIPTION},\n", ""))
    return user


@pytest.mark.timeout(900)
def test_error_fails_the_preview_with_no_write_and_warn_prints_the_line(
    project: UserProject, emulator: EmulatorServer
) -> None:
    project.run("config", "set", "kontent:altText", "error")
    emulator.reset_counters()
    failed = project.run("preview", check=False)
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0, output
    assert "resource 'logo'" in output, output
    assert ERROR in output, output
    assert "fix: add a description in each of those languages" in output, output
    assert "Traceback" not in output, output
    assert writes(emulator) == {}, emulator.counters()
    project.assert_untouched()

    project.run("config", "rm", "kontent:altText")  # warn, the default
    previewed = project.run("preview")
    # One diagnostic, which the CLI shows on the progress line and again under "Diagnostics:".
    diagnostics = previewed.stdout.partition("Diagnostics:")[2]
    assert diagnostics.count(WARNING) == 1, previewed.stdout + previewed.stderr
    assert writes(emulator) == {}, emulator.counters()
    applied = project.run("up", "--yes")
    assert WARNING in applied.stdout + applied.stderr
    unchanged = project.run("preview", "--expect-no-changes")
    assert "kontent: warning:" not in unchanged.stdout + unchanged.stderr
