"""The sandbox's display of engine output: each error once, no traceback (issue 11)."""

from __future__ import annotations

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
