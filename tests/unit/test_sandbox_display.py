"""The sandbox's display of engine output: each error once, no traceback (issue 11)."""

from __future__ import annotations

from pathlib import Path

import kontent_resources
from kontent_resources.sandbox.display import EngineDisplay

PROGRAM_FAILURE = """\
Previewing update (dev):
 +  pulumi:pulumi:Stack shop-dev create error: python inline source runtime error: Could not read X
 +  pulumi:pulumi:Stack shop-dev create error: Exception calling application: invalid state
Diagnostics:
  pulumi:pulumi:Stack (shop-dev):
    error: python inline source runtime error: Could not read X
      fix: check the id
    Traceback (most recent call last):
      File "/site-packages/pulumi/automation/_server.py", line 95, in run
        loop.run_until_complete(run_in_stack(self.program))
    kontent_resources.client.errors.KontentNotFoundError: Could not read X
      fix: check the id
    error: an unhandled error occurred: python inline source runtime error: Could not read X
      fix: check the id
    error: invalid state

Resources:
    1 errored
"""

PROVIDER_FAILURE = """\
 ~  dynamic/kontent:Asset icon updating (5s) [diff: ~title]; error: Exception calling application: Boom
Diagnostics:
  pulumi-python:dynamic/kontent:Asset (icon):
    error: Exception calling application: Boom
      fix: run up again
  pulumi:pulumi:Stack (shop-dev):
    error: update failed
"""


def _shown(text: str, *, debug: bool = False) -> tuple[list[str], EngineDisplay]:
    lines: list[str] = []
    display = EngineDisplay(lines.append, debug=debug)
    display(text)
    return lines, display


def test_a_program_error_is_shown_once_with_its_fix_and_no_traceback() -> None:
    lines, display = _shown(PROGRAM_FAILURE)
    text = "\n".join(lines)
    assert text.count("Could not read X") == 1
    assert text.count("fix: check the id") == 1
    assert "Traceback" not in text
    assert "invalid state" not in text
    assert "inline source" not in text
    assert display.errors == 1
    assert lines[-1] == "    1 errored", "the summary after the diagnostics is kept"


def test_a_provider_error_on_its_row_points_to_the_diagnostics() -> None:
    lines, display = _shown(PROVIDER_FAILURE)
    assert lines[0].endswith("[diff: ~title]  error (see Diagnostics)")
    assert "    error: Boom" in lines
    assert "      fix: run up again" in lines
    assert display.errors == 2  # the resource's, and the engine's "update failed"


def test_debug_keeps_the_traceback() -> None:
    lines, _ = _shown(PROGRAM_FAILURE, debug=True)
    assert "    Traceback (most recent call last):" in lines


def test_an_invalid_state_error_alone_is_shown() -> None:
    lines, display = _shown("Diagnostics:\n  x:\n    error: invalid state\n")
    assert "    error: invalid state" in lines
    assert display.errors == 1


MONITOR_GONE_FIRST = """\
Diagnostics:
  pulumi:pulumi:Stack (shop-dev):
    error: Resource monitor has terminated, shutting down
  pulumi-python:dynamic/kontent:Asset (icon):
    error: property title has a problem: shorten it.
Resources:
    2 errored
"""


def test_the_engines_monitor_note_gives_way_to_the_error_that_caused_it() -> None:
    lines, display = _shown(MONITOR_GONE_FIRST)
    display.finish()
    assert "Resource monitor has terminated" not in "\n".join(lines)
    assert "  pulumi:pulumi:Stack (shop-dev):" not in lines, "no heading without an error under it"
    assert lines[1:3] == [
        "  pulumi-python:dynamic/kontent:Asset (icon):",
        "    error: property title has a problem: shorten it.",
    ]
    assert display.errors == 1


def test_the_engines_monitor_note_alone_is_shown_at_the_end() -> None:
    monitor_gone = "    error: Resource monitor has terminated, shutting down"
    lines, display = _shown(f"Diagnostics:\n  pulumi:pulumi:Stack (s):\n{monitor_gone}\n")
    assert display.errors == 0
    display.finish()
    assert lines[-2:] == [
        "  pulumi:pulumi:Stack (s):",
        "    error: Resource monitor has terminated, shutting down",
    ]
    assert display.errors == 1


def _program_failure(message: str, frames: str, exception: str) -> str:
    """The Automation API's report of an exception raised while the program ran (as the SDK words it)."""
    runner = """\
      File "/venv/lib/python3.11/site-packages/pulumi/automation/_server.py", line 95, in run
        loop.run_until_complete(run_in_stack(self.program))
      File "/venv/lib/python3.11/site-packages/pulumi/runtime/stack.py", line 237, in run
        result = func()
                 ^^^^^^
      File "<frozen runpy>", line 88, in _run_code
"""
    report = (
        f"    error: python inline source runtime error: {message}\n    Traceback (most recent call last):\n"
    )
    report += runner + frames + f"    {exception}: {message}\n"
    return (
        "Diagnostics:\n  pulumi:pulumi:Stack (shop-dev):\n"
        + report
        + report.replace("error: python inline", "error: an unhandled error occurred: python inline", 1)
        + "Resources:\n    1 errored\n"
    )


TYPO = _program_failure(
    "name 'undefined_name' is not defined",
    """\
      File "/home/me/shop/__main__.py", line 6, in <module>
        pulumi.export("a", undefined_name)
                           ^^^^^^^^^^^^^^
""",
    "NameError",
)


def test_an_error_in_the_program_names_its_file_and_line() -> None:
    lines, display = _shown(TYPO)
    assert lines[2:4] == [
        "    error: name 'undefined_name' is not defined",
        '      at /home/me/shop/__main__.py, line 6: pulumi.export("a", undefined_name)',
    ]
    assert "Traceback" not in "\n".join(lines)
    assert sum("__main__.py" in line for line in lines) == 1, "once, as the error itself"
    assert display.errors == 1


def test_an_error_raised_inside_this_package_names_the_programs_line_that_called_it() -> None:
    """A ValueError from a constructor of this package: the line is the program's, not the package's."""
    package = Path(kontent_resources.__file__).parent
    frames = f"""\
      File "/home/me/shop/__main__.py", line 3, in <module>
        library = make_library()
      File "/home/me/shop/library.py", line 9, in make_library
        return AssetDirectory("library", path="no-such-folder")
      File "{package}/components/asset_directory.py", line 100, in __init__
        plan = plan_directory(
      File "{package}/components/_plan.py", line 118, in _check_root
        raise AssetDirectoryError(
"""
    failure = _program_failure(
        "AssetDirectory 'library': path 'no-such-folder' does not exist: fix path",
        frames,
        "kontent_resources.components._plan.AssetDirectoryError",
    )
    lines, _ = _shown(failure)
    assert lines[3] == (
        '      at /home/me/shop/library.py, line 9: return AssetDirectory("library", path="no-such-folder")'
    )
    assert "asset_directory.py" not in "\n".join(lines)


def test_a_traceback_without_a_frame_of_the_program_adds_no_line() -> None:
    lines, _ = _shown(PROGRAM_FAILURE)
    assert not any(line.strip().startswith("at ") for line in lines)


def test_a_chained_exception_is_skipped_whole_and_located_where_the_last_one_was_raised() -> None:
    chained = _program_failure(
        "bad entry",
        """\
      File "/home/me/shop/library.py", line 4, in load
        return json.loads(text)
    json.decoder.JSONDecodeError: Expecting value

    The above exception was the direct cause of the following exception:

    Traceback (most recent call last):
      File "/home/me/shop/__main__.py", line 3, in <module>
        load()
      File "/home/me/shop/library.py", line 6, in load
        raise ValueError("bad entry") from error
""",
        "ValueError",
    )
    lines, _ = _shown(chained)
    assert lines[2:4] == [
        "    error: bad entry",
        '      at /home/me/shop/library.py, line 6: raise ValueError("bad entry") from error',
    ]
    assert not any("above exception" in line for line in lines)
