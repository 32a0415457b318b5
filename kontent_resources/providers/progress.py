"""Progress of long provider work, as lines the Pulumi CLI shows while the run goes on.

The engine relays each line a provider process writes to stderr as an info diagnostic as soon as
it arrives, in the CLI, the sandbox and CI logs alike. A run that waits on the API's per-minute
limit, or an ``AssetSet`` writing a thousand members in one step, would otherwise print nothing
for minutes. So while such work is under way, a line every ``INTERVAL`` seconds says how far it
is, and, while requests are held back by the rate limiter, for how long and why.

Only in a provider process the engine started (``base.started_by_engine``): anywhere else (tests,
scripts using the providers directly) nothing is printed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from kontent_resources.client.ratelimit import Wait, longest_wait
from kontent_resources.providers.diagnostics import tell

# Below the 10 s of silence a user takes for a hang; above the pace of the engine's own lines.
INTERVAL = 8.0
# A wait shorter than this is the per-second limit at work, not worth a line of its own.
_WAIT_WORTH_SAYING = 2.0
_TICK = 0.5

Write = Callable[[str], None]


class Task:
    """``done`` of ``total`` items of one step, e.g. the members an AssetSet creates."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, total, 0
        self._lock = threading.Lock()

    def advance(self) -> None:
        with self._lock:
            self.done += 1

    def line(self) -> str:
        return f"{self.label}: {self.done:,} of {self.total:,} done"


class Reporter:
    """Writes a progress line every ``INTERVAL`` seconds while a task runs or a request waits."""

    def __init__(
        self,
        write: Write,
        *,
        waits: Callable[[], Wait | None] = longest_wait,
        clock: Callable[[], float] = time.monotonic,
        interval: float = INTERVAL,
    ) -> None:
        self._write, self._waits, self._clock, self._interval = write, waits, clock, interval
        self._lock = threading.Lock()
        self._tasks: list[Task] = []
        self._last = clock()
        self._thread: threading.Thread | None = None

    @contextmanager
    def task(self, label: str, total: int) -> Iterator[Task]:
        task = Task(label, total)
        with self._lock:
            self._tasks.append(task)
        try:
            yield task
        finally:
            with self._lock:
                self._tasks.remove(task)

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="kontent-progress", daemon=True)
                self._thread.start()

    def tick(self) -> None:
        """Write the lines due now, if any (called every half second by the thread)."""
        now = self._clock()
        if now - self._last < self._interval:
            return
        lines = self.lines(now)
        if lines:
            self._last = now
            for line in lines:
                self._write(f"kontent: {line}")

    def lines(self, now: float) -> list[str]:
        with self._lock:
            lines = [task.line() for task in self._tasks]
        wait = self._waits()
        if wait is not None and wait.until - now >= _WAIT_WORTH_SAYING:
            lines.append(f"waiting {wait.until - now:.0f} s for {wait.reason}")
        return lines

    def _run(self) -> None:
        while True:
            time.sleep(_TICK)
            self.tick()


# Started by ``KontentProvider.configure`` in a provider process the engine started.
REPORTER = Reporter(tell)
