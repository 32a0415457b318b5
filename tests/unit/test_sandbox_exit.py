"""The sandbox process ends without the collector's shutdown passes over what the program made."""

from __future__ import annotations

import gc

import pytest

from kontent_resources.sandbox import __main__ as sandbox_main


def test_exit_freezes_the_heap_and_keeps_the_exit_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox_main, "main", lambda doc: 3)
    gc.unfreeze()
    try:
        with pytest.raises(SystemExit) as exited:
            sandbox_main.run_and_exit()
        assert exited.value.code == 3
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
