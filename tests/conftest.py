"""Suite-wide: tests that compare with the recorded reference run only where it exists; slow tests first."""

from __future__ import annotations

import os

import pytest

from tests.reference import REFERENCE_DIR, REQUIRED_VARIABLE, available

MARKER = "recorded_reference"
_not_run: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get(REQUIRED_VARIABLE) == "1" and not available():
        raise pytest.UsageError(
            f"{REQUIRED_VARIABLE}=1 but the recorded reference is missing: no {REFERENCE_DIR}. "
            "Put the shared reference folder beside the repository, or point KONTENT_REFERENCE_DIR at it."
        )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The long tests first: spread over the xdist workers, none of them is left running alone at the end.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    if available():
        return
    needing = [item for item in items if item.get_closest_marker(MARKER)]
    if needing:
        config.hook.pytest_deselected(items=needing)
        items[:] = [item for item in items if not item.get_closest_marker(MARKER)]
        _not_run.extend(item.nodeid for item in needing)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    # Under pytest-xdist the workers collect, so this process may not know how many were left out.
    if available():
        return
    count = f"{len(_not_run)} tests" if _not_run else f"The tests marked {MARKER}"
    terminalreporter.write_sep("=", "not run: the recorded reference is absent", yellow=True)
    terminalreporter.write_line(
        f"{count} compare with the recorded Kontent.ai reference, expected in "
        f"{REFERENCE_DIR}; it is not there, so they did not run (CI requires it)."
    )
