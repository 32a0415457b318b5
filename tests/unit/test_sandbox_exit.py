"""The sandbox process ends without the collector's shutdown passes over what the program made."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from kontent_resources import _sdk
from kontent_resources.sandbox import __main__ as sandbox_main


@pytest.fixture
def sandbox_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``run_and_exit`` in this process, whose GC settings are put back afterwards."""
    monkeypatch.setattr(sandbox_main, "main", lambda doc: 3)
    threshold = gc.get_threshold()
    _sdk.uninstall("sandbox")
    gc.unfreeze()
    yield
    gc.unfreeze()
    _sdk.uninstall("sandbox")
    gc.set_threshold(*threshold)


def test_exit_freezes_the_heap_and_keeps_the_exit_code(sandbox_process: None) -> None:
    with pytest.raises(SystemExit) as exited:
        sandbox_main.run_and_exit()
    assert exited.value.code == 3
    assert gc.get_freeze_count() > 0


def test_with_the_repairs_off_the_sandbox_keeps_pythons_gc(
    sandbox_process: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(_sdk.SWITCH, "off")
    threshold = gc.get_threshold()
    with pytest.raises(SystemExit) as exited:
        sandbox_main.run_and_exit()
    assert exited.value.code == 3
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == threshold
