"""Lines for the user while a run goes on, from a provider process.

The engine relays each line a provider writes to stderr as a diagnostic of the run, as soon as it
arrives (a dynamic provider has no other way to warn from ``check``). Every warning, notice and
progress line of the providers goes through ``tell``.
"""

from __future__ import annotations

import contextlib
import sys


def tell(line: str) -> None:
    """``line`` on stderr, at once; nothing if the engine is gone (its watchdog ends this process)."""
    with contextlib.suppress(OSError):
        print(line, file=sys.stderr, flush=True)
