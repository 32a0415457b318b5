"""Keeps this package's error messages readable under the dynamic provider SDK's error handling.

From Pulumi 3.272 (not in 3.259), ``pulumi.dynamic.__main__`` wraps Check, Diff, Create, Read,
Update and Delete in ``_abort_with_traceback``, which answers the engine with
``traceback.format_exc()``: every message a provider raises reaches the user as a Python traceback
of the SDK's and this package's frames, with the message on its last line. The errors this package
raises on purpose (``KontentResourceError``, ``SettingsError``) are already complete: they name the
operation and the fix. Only those are shown as their message; any other exception is a defect and
keeps its traceback for the bug report.

The SDK binds the servicer's methods into the gRPC server before any provider code is loaded, so
the methods cannot be replaced; the wrapper looks ``traceback`` up in its module at each call, and
that name is what is swapped, only in that module, only in the provider process.
"""

from __future__ import annotations

import sys
import traceback
import types

from kontent_resources.providers.errors import KontentResourceError
from kontent_resources.providers.settings import SettingsError

_COMPLETE_MESSAGES = (KontentResourceError, SettingsError)


class _MessagesOfOwnErrors(types.ModuleType):
    """The ``traceback`` module, except that ``format_exc`` of this package's errors is the message."""

    def __init__(self) -> None:
        super().__init__("traceback", traceback.__doc__)
        self.__dict__.update({k: v for k, v in vars(traceback).items() if not k.startswith("__")})
        self.format_exc = self._format_exc

    @staticmethod
    def _format_exc(limit: int | None = None, chain: bool = True) -> str:
        error = sys.exc_info()[1]
        if isinstance(error, _COMPLETE_MESSAGES):
            return str(error)
        return traceback.format_exc(limit, chain)


def show_own_errors_as_messages() -> bool:
    """In a provider process whose SDK answers with tracebacks, answer with the message instead.

    Returns whether the SDK needed it (False on SDKs without ``_abort_with_traceback`` and outside
    the provider process), so a test can tell when the upstream behaviour changes.
    """
    sdk_main = sys.modules.get("__main__")
    if getattr(getattr(sdk_main, "__spec__", None), "name", None) != "pulumi.dynamic.__main__":
        return False
    if not callable(getattr(sdk_main, "_abort_with_traceback", None)):
        return False
    if isinstance(getattr(sdk_main, "traceback", None), _MessagesOfOwnErrors):
        return True
    if getattr(sdk_main, "traceback", None) is not traceback:
        return False  # the SDK no longer formats errors this way: leave it alone
    sdk_main.traceback = _MessagesOfOwnErrors()  # type: ignore[union-attr]
    return True
