"""The engine's output for a person: each error once, with its fix, and no Python traceback.

The Automation API repeats a program's error (once as logged, once as "an unhandled error
occurred"), adds the traceback of the language runtime, and the non-interactive display writes every
error on its resource's row and again under Diagnostics. When a program fails inside an ``apply``,
the SDK's event loop can add an asyncio "invalid state" error after the real one: a consequence,
never a cause. From engine 3.277 a failed preview also reports "Resource monitor has terminated"
on the stack, listed before the error that stopped the program: it is held back, and shown (by
``finish``) only when no other error explains the failure. The lines are passed on in order; only
those repeats go (tracebacks stay with ``--debug``). Of a traceback, one line stays: where in the
user's program the error was raised (the innermost frame outside Python, its packages and this
package), as ``at FILE, line N: SOURCE`` under the error.
"""

from __future__ import annotations

import re
import sysconfig
from collections.abc import Callable
from pathlib import Path
from typing import Any

import kontent_resources
from kontent_resources.providers.adoption_notice import PREFIX as ADOPTING_PREFIX
from kontent_resources.providers.adoption_notice import WRITTEN_PREFIX

# Outside Diagnostics, an error is on a resource's row: "<op> <type> <name> <step>; error: …".
_ROW_ERROR = re.compile(r"^(\s*\S.*?);? +error: .*$")
_ERROR = re.compile(r"^(\s*)error: (.*)$")
_EXCEPTION_LINE = re.compile(r"^[\w.]+: ")
# Added by the Automation API's program runner and by gRPC around a provider's exception.
_FOLLOW_ON = "invalid state"
# The engine's note that the program stopped; the reason is another error, if there is one.
_MONITOR_GONE = "Resource monitor has terminated, shutting down"
_DIAGNOSTICS_HEADER = re.compile(r"^  \S.*\):$")
# A provider's line for each object a create takes over (providers/adoption_notice.py), and the
# engine's count of creates, under which the sandbox says how many of them are adoptions.
_ADOPTING = re.compile(re.escape(ADOPTING_PREFIX) + r"(.+)$")
_WRITTEN = re.compile(re.escape(WRITTEN_PREFIX) + r"(.+)$")
# The preview's row (or, with --diff, its heading) of a StackIdentity it would create.
_IDENTITY_CREATE = re.compile(r"^\s*\+\s+\S*kontent:StackIdentity\b.*\bcreate\b")
_CREATES = re.compile(r"^(\s+)\+ ([\d,]+) (to create|created)$")
# A frame of a traceback as Python formats it, and the frames that are not the user's program.
_CHAINED = (
    "The above exception was the direct cause of the following exception:",
    "During handling of the above exception, another exception occurred:",
)
_FRAME = re.compile(r'^\s*File "(.+)", line (\d+), in .*$')
_NOT_THE_PROGRAM = tuple(
    f"{folder}/"
    for folder in {
        str(Path(kontent_resources.__file__).resolve().parent),
        *(sysconfig.get_paths()[name] for name in ("stdlib", "platstdlib", "purelib", "platlib")),
    }
)
_WRAPPERS = (
    "an unhandled error occurred: ",
    "python inline source runtime error: ",
    "Exception calling application: ",
)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _in_the_program(file: str) -> bool:
    """A frame of the user's program: not Python's, nor an installed package's, nor this package's."""
    if file.startswith("<"):  # <frozen runpy>, <string>
        return False
    if "/site-packages/" in file or "/dist-packages/" in file:
        return False
    return not file.startswith(_NOT_THE_PROGRAM)


def _shown_path(file: str) -> str:
    try:
        return str(Path(file).relative_to(Path.cwd()))
    except ValueError:
        return file


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
        self._adopting: dict[str, set[str]] = {}  # phase -> the objects its creates take over
        self._written: dict[str, set[str]] = {}  # phase -> the adopted objects written to at up
        # Whether the preview that ran would create the stack's StackIdentity (None: no preview seen).
        self.plans_identity: bool | None = None
        # Where the user's program raised the error shown last, read from the traceback being skipped
        # (its innermost frame of the program), written once under that error: "at FILE, line N: SOURCE".
        self._locate_at: int | None = None  # the shown error's indent, while it has no location
        self._frame: tuple[str, str] | None = None  # (file, line) of the program's frame just read
        self._location: str | None = None
        self._after_traceback: list[str] | None = None  # blank lines held after a skipped traceback

    def __call__(self, text: str) -> None:
        for line in text.splitlines():
            self._line(line)

    def _line(self, line: str) -> None:
        if self._skipped(line):
            return
        if self._after_traceback is not None and self._chained(line):
            return
        if (adopting := _ADOPTING.search(line)) is not None:
            self._adopting.setdefault(self.phase, set()).add(adopting.group(1))
        if self.phase == "preview" and self.plans_identity is not None and _IDENTITY_CREATE.match(line):
            self.plans_identity = True
        if (written := _WRITTEN.search(line)) is not None:
            self._written.setdefault(self.phase, set()).add(written.group(1))
        if (creates := _CREATES.match(line)) is not None and self._adopting.get(self.phase):
            self._emit(line)
            self._emit(self.adoption_summary(creates.group(1), creates.group(3) == "created"))
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
            self._frame = None
            return
        if (error := _ERROR.match(line)) is not None:
            self._location = None
            message = _unwrapped(error.group(2))
            if message == _MONITOR_GONE:
                if not self._seen:
                    self._held = [h for h in (self._header,) if h] + [line]
                self._skip_deeper_than = len(error.group(1))
                return
            if message in self._seen or (message == _FOLLOW_ON and self._seen):
                self._skip_deeper_than = len(error.group(1))
                self._locate_at = None
                return
            self._locate_at = len(error.group(1))
            self._seen.add(message)
            self._held = []
            self.errors += 1
            line = f"{error.group(1)}error: {message}"
        self._emit(line)

    def adoption_summary(self, indent: str, done: bool) -> str:
        """Under the engine's count of creates: how many of them take over existing objects."""
        adopted = len(self._adopting.get(self.phase, ()))
        if not done:
            return (
                f"{indent}= {adopted:,} of them adopt existing objects (listed above): not created, taken "
                "over; no upload, a write only where one differs from the program"
            )
        written = len(self._written.get(self.phase, ()))
        wrote = f"{written:,} written to match the program (listed above)" if written else "nothing written"
        return f"{indent}= {adopted:,} of them adopted existing objects: not created, taken over; {wrote}"

    def _emit(self, line: str) -> None:
        if self._header is not None and _indent(line) > _indent(self._header):
            self._write(self._header)
            self._header = None
        self._write(line)

    def finish(self) -> None:
        """At the end of the output: show a held-back engine error if nothing else explains it."""
        if self._after_traceback is not None:
            self._end_traceback()
        if self._held and not self._seen:
            for line in self._held:
                self._write(line)
            self.errors += 1
        self._held = []

    def _skipped(self, line: str) -> bool:
        if self._skip_deeper_than is None:
            return False
        if line.strip() and _indent(line) > self._skip_deeper_than:
            if self._traceback_at is not None:
                self._read_frame(line)
            return True
        self._skip_deeper_than = None
        if self._traceback_at is not None and _indent(line) == self._traceback_at:
            self._traceback_at = None
            if _EXCEPTION_LINE.match(line.strip()):
                self._after_traceback = []  # the location is written once the traceback (chain) ends
                # The traceback's last line repeats the message already shown, with its own continuation.
                self._skip_deeper_than = _indent(line)
                return True
        self._traceback_at = None
        return False

    def _read_frame(self, line: str) -> None:
        """Note the program's frames of a skipped traceback: a ``File`` line, then its source line."""
        if (frame := _FRAME.match(line)) is not None:
            self._frame = None
            if _in_the_program(frame.group(1)):
                self._location = f"at {_shown_path(frame.group(1))}, line {frame.group(2)}"
                self._frame = (frame.group(1), frame.group(2))
        elif self._frame is not None and self._location is not None:
            self._location += f": {line.strip()}"  # the frame's source line, when Python could read it
            self._frame = None

    def _chained(self, line: str) -> bool:
        """After a skipped traceback: its blank lines and a chained exception's heading are skipped
        with it (the next traceback is skipped as the first was); any other line ends it."""
        held = self._after_traceback or []
        if not line.strip():
            held.append(line)
            self._after_traceback = held
            return True
        if line.strip() in _CHAINED or line.strip() == "Traceback (most recent call last):":
            self._after_traceback = []
            return line.strip() in _CHAINED
        self._end_traceback()
        return False

    def _end_traceback(self) -> None:
        """The skipped traceback has ended: the location under its error, then the blank lines held."""
        held = self._after_traceback or []
        self._after_traceback = None
        self._write_location()
        for blank in held:
            self._emit(blank)

    def _write_location(self) -> None:
        """Under the error just shown, where its traceback left the user's program (once)."""
        if self._locate_at is not None and self._location is not None:
            self._emit(" " * (self._locate_at + 2) + self._location)
            self._locate_at = None
        self._location = None
