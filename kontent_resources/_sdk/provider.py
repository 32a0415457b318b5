"""Repairs in the dynamic provider process (``install("provider")``, from ``KontentProvider.configure``).

* ``provider-error-messages``: from Pulumi 3.272, ``pulumi.dynamic.__main__`` wraps Check, Diff,
  Create, Read, Update and Delete in ``_abort_with_traceback``, which answers the engine with
  ``traceback.format_exc()``: every message a provider raises reaches the user as a Python traceback
  of the SDK's and this package's frames, with the message on its last line. The errors this
  package raises on purpose (``KontentResourceError``, ``SettingsError``) are already complete:
  they name the operation and the fix. Only those are shown as their message; any other exception
  (this package's defects, and every error of other dynamic providers in the same process) keeps
  the SDK's traceback.

The SDK binds the servicer's methods into the gRPC server before any provider code is loaded, so
the methods cannot be replaced; the wrapper looks ``traceback`` up in its module at each call, and
that name is what is swapped, only in that module, only in the provider process.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
import traceback
import types
from pathlib import Path
from typing import Any

from kontent_resources._sdk._core import Repair, Target, register, replace

_PROVIDER_MAIN = "pulumi.dynamic.__main__"


def _provider_main() -> types.ModuleType | None:
    """The SDK's provider entry point, when this process is a dynamic provider."""
    main = sys.modules.get("__main__")
    if getattr(getattr(main, "__spec__", None), "name", None) == _PROVIDER_MAIN:
        return main
    return None


def _locate_wrapper() -> Any:
    """``_abort_with_traceback`` in the provider process; elsewhere its source, read from the SDK's file.

    (Importing ``pulumi.dynamic.__main__`` outside the provider would start a provider server.)
    """
    main = _provider_main()
    if main is not None:
        return getattr(main, "_abort_with_traceback")  # noqa: B009 - AttributeError: not in the SDK
    spec = importlib.util.find_spec(_PROVIDER_MAIN)
    if spec is None or spec.origin is None:
        raise LookupError(_PROVIDER_MAIN)
    source = Path(spec.origin).read_text()
    lines = source.splitlines(keepends=True)
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == "_abort_with_traceback":
            return "".join(lines[node.lineno - 1 : node.end_lineno])
    raise LookupError("_abort_with_traceback")


def _complete_messages() -> tuple[type[BaseException], ...]:
    from kontent_resources.providers.errors import KontentResourceError
    from kontent_resources.providers.settings import SettingsError

    return (KontentResourceError, SettingsError)


class _MessagesOfOwnErrors(types.ModuleType):
    """The ``traceback`` module, except that ``format_exc`` of this package's errors is the message."""

    def __init__(self) -> None:
        super().__init__("traceback", traceback.__doc__)
        self.__dict__.update({k: v for k, v in vars(traceback).items() if not k.startswith("__")})
        self.format_exc = self._format_exc

    @staticmethod
    def _format_exc(limit: int | None = None, chain: bool = True) -> str:
        error = sys.exc_info()[1]
        if isinstance(error, _complete_messages()):
            return str(error)
        return traceback.format_exc(limit, chain)


def _precondition() -> str | None:
    main = _provider_main()
    if main is None:
        return "not a dynamic provider process"
    if getattr(main, "traceback", None) is not traceback:
        return f"{_PROVIDER_MAIN}.traceback is no longer the traceback module"
    return None


def _apply() -> list[tuple[Any, str, Any]]:
    return [replace(_provider_main(), "traceback", _MessagesOfOwnErrors())]


register(
    Repair(
        "provider-error-messages",
        "provider",
        "this package's own errors reach the user as their message, not a traceback",
        "a refused asset (unknown language): 1 line instead of a 17-line traceback of 5 frames",
        (Target(_PROVIDER_MAIN, "_abort_with_traceback", "dea5382495899809", _locate_wrapper),),
        _apply,
        _precondition,
        status_checks_precondition=False,
    )
)
