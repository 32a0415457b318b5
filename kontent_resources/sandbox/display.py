"""The engine's output for a person: each error once, with its fix, and no Python traceback.

The Automation API repeats a program's error (once as logged, once as "an unhandled error
occurred"), adds the traceback of the language runtime, and the non-interactive display writes every
error on its resource's row and again under Diagnostics. When a program fails inside an ``apply``,
the SDK's event loop can add an asyncio "invalid state" error after the real one: a consequence,
never a cause. From engine 3.277 a failed preview also reports "Resource monitor has terminated"
on the stack, listed before the error that stopped the program: it is held back, and shown (by
``finish``) only when no other error explains the failure. The lines are passed on in order; only
those repeats go (tracebacks stay with ``--debug``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# Outside Diagnostics, an error is on a resource's row: "<op> <type> <name> <step>; error: …".
_ROW_ERROR = re.compile(r"^(\s*\S.*?);? +error: .*$")
_ERROR = re.compile(r"^(\s*)error: (.*)$")
_EXCEPTION_LINE = re.compile(r"^[\w.]+: ")
# Added by the Automation API's program runner and by gRPC around a provider's exception.
_FOLLOW_ON = "invalid state"
# The engine's note that the program stopped; the reason is another error, if there is one.
_MONITOR_GONE = "Resource monitor has terminated, shutting down"
_DIAGNOSTICS_HEADER = re.compile(r"^  \S.*\):$")
_WRAPPERS = (
    "an unhandled error occurred: ",
    "python inline source runtime error: ",
    "Exception calling application: ",
)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _unwrapped(message: str) -> str:
    while (wrapper := next((w for w in _WRAPPERS if message.startswith(w)), None)) is not None:
        message = message.removeprefix(wrapper)
    return message


class EngineDisplay:
    """A line filter in front of ``write`` (``on_output`` of the Automation API)."""

    def __init__(self, write: Callable[[str], Any], *, debug: bool = False) -> None:
        self._write = write
        self._debug = debug
        self._seen: set[str] = set()
        self._skip_deeper_than: int | None = None
        self._traceback_at: int | None = None
        self.errors = 0
        self.phase = "preview"
        self._in_diagnostics = False
        self._header: str | None = None  # a Diagnostics heading, written with its first line
        self._held: list[str] = []

    def __call__(self, text: str) -> None:
        for line in text.splitlines():
            self._line(line)

    def _line(self, line: str) -> None:
        if self._skipped(line):
            return
        if line and not line[0].isspace():
            self._in_diagnostics = line == "Diagnostics:"
            self._header = None
        if self._in_diagnostics and _DIAGNOSTICS_HEADER.match(line):
            self._header = line
            return
        if not self._in_diagnostics and (row := _ROW_ERROR.match(line)) is not None:
            self._emit(f"{row.group(1).rstrip(';')}  error (see Diagnostics)")
            return
        if line.strip() == "Traceback (most recent call last):" and not self._debug:
            self._traceback_at = self._skip_deeper_than = _indent(line)
            return
        if (error := _ERROR.match(line)) is not None:
            message = _unwrapped(error.group(2))
            if message == _MONITOR_GONE:
                if not self._seen:
                    self._held = [h for h in (self._header,) if h] + [line]
                self._skip_deeper_than = len(error.group(1))
                return
            if message in self._seen or (message == _FOLLOW_ON and self._seen):
                self._skip_deeper_than = len(error.group(1))
                return
            self._seen.add(message)
            self._held = []
            self.errors += 1
            line = f"{error.group(1)}error: {message}"
        self._emit(line)

    def _emit(self, line: str) -> None:
        if self._header is not None and _indent(line) > _indent(self._header):
            self._write(self._header)
            self._header = None
        self._write(line)

    def finish(self) -> None:
        """At the end of the output: show a held-back engine error if nothing else explains it."""
        if self._held and not self._seen:
            for line in self._held:
                self._write(line)
            self.errors += 1
        self._held = []

    def _skipped(self, line: str) -> bool:
        if self._skip_deeper_than is None:
            return False
        if line.strip() and _indent(line) > self._skip_deeper_than:
            return True
        self._skip_deeper_than = None
        if self._traceback_at is not None and _indent(line) == self._traceback_at:
            self._traceback_at = None
            if _EXCEPTION_LINE.match(line.strip()):
                # The traceback's last line repeats the message already shown, with its own continuation.
                self._skip_deeper_than = _indent(line)
                return True
        self._traceback_at = None
        return False
