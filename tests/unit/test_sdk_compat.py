"""The provider's own error messages reach the user as messages (``provider-error-messages``).

``pulumi.dynamic.__main__`` starts a provider server when imported, so the tests run the SDK's own
``_abort_with_traceback`` (read from the installed SDK's source) in a stand-in ``__main__``.
"""

from __future__ import annotations

import ast
import importlib.machinery
import importlib.util
import sys
import traceback
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest

from kontent_resources import _sdk
from kontent_resources.providers.errors import KontentResourceError


def _sdk_wrapper_source() -> ast.Module:
    spec = importlib.util.find_spec("pulumi.dynamic.__main__")
    assert spec is not None
    assert spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text())
    found: list[ast.stmt] = [
        n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "_abort_with_traceback"
    ]
    assert found, "the installed SDK no longer has _abort_with_traceback: re-check _sdk/provider.py"
    return ast.Module(body=found, type_ignores=[])


class _Context:
    def __init__(self) -> None:
        self.details: str | None = None

    def abort(self, _code: grpc.StatusCode, details: str) -> None:
        self.details = details


@pytest.fixture
def provider_main(monkeypatch: pytest.MonkeyPatch) -> Iterator[types.ModuleType]:
    """A ``__main__`` holding the SDK's wrapper, named like the dynamic provider's entry point."""
    module = types.ModuleType("__main__")
    module.__spec__ = importlib.machinery.ModuleSpec("pulumi.dynamic.__main__", None)
    module.__dict__.update(traceback=traceback, grpc=grpc)
    # The SDK's own source, so the test follows whatever the installed version does.
    origin = importlib.util.find_spec("pulumi.dynamic.__main__").origin  # type: ignore[union-attr]
    code = compile(_sdk_wrapper_source(), str(origin), "exec")  # its lines: the source hash matches
    exec(code, module.__dict__)  # noqa: S102
    monkeypatch.setitem(sys.modules, "__main__", module)
    _sdk.uninstall("provider")
    yield module
    _sdk.uninstall("provider")


def _answer(module: types.ModuleType, error: Exception) -> str:
    def method(_self: Any, _request: Any, _context: Any) -> None:
        raise error

    wrapped: Callable[[Any, Any, Any], None] = module._abort_with_traceback(method)
    context = _Context()
    wrapped(None, None, context)
    assert context.details is not None
    return context.details


def test_without_it_the_sdk_answers_with_a_traceback(provider_main: types.ModuleType) -> None:
    """The upstream behaviour the workaround exists for, checked on the installed SDK."""
    text = _answer(provider_main, KontentResourceError("title: shorten it."))
    assert text.startswith("Traceback (most recent call last):")


def test_own_errors_become_their_message_and_others_keep_the_traceback(
    provider_main: types.ModuleType,
) -> None:
    _sdk.install("provider")
    _sdk.install("provider")  # a second configure leaves it as it is
    assert _state("provider-error-messages") == "on"
    assert _answer(provider_main, KontentResourceError("title: shorten it.")) == "title: shorten it."
    other = _answer(provider_main, ZeroDivisionError("boom"))
    assert other.startswith("Traceback (most recent call last):")
    assert "ZeroDivisionError: boom" in other
    assert provider_main.traceback is not traceback, "only the provider module's name is swapped"


def _state(name: str) -> str:
    return next(s.state for s in _sdk.status() if s.name == name)


def test_nothing_changes_outside_the_provider_process(capsys: pytest.CaptureFixture[str]) -> None:
    _sdk.uninstall("provider")
    _sdk.install("provider")
    assert _state("provider-error-messages") == "skipped"
    assert "not a dynamic provider process" in capsys.readouterr().err
    _sdk.uninstall("provider")


def test_a_changed_sdk_wrapper_is_left_alone(
    provider_main: types.ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    def _abort_with_traceback(fn: Any) -> Any:  # another SDK's wrapper, of another shape
        return fn

    provider_main._abort_with_traceback = _abort_with_traceback  # type: ignore[attr-defined]
    _sdk.install("provider")
    assert provider_main.traceback is traceback
    assert _state("provider-error-messages") == "skipped"
    lines = [line for line in capsys.readouterr().err.splitlines() if "provider-error-messages" in line]
    assert len(lines) == 1
    assert "_abort_with_traceback is not the code it was written against" in lines[0]


def test_the_figure_a_refused_asset_is_one_line_not_a_traceback(provider_main: types.ModuleType) -> None:
    """The figure docs/upstream.md gives for this repair."""
    error = KontentResourceError("asset 'logo': title is longer than 200 characters; shorten it.")
    shipped = _answer(provider_main, error)
    _sdk.install("provider")
    repaired = _answer(provider_main, error)
    assert repaired.splitlines() == [str(error)]
    assert len(shipped.splitlines()) >= 4
