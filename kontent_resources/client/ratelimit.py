"""Client-side rate limiting: one limiter per (base URL, environment), shared by every process.

The API allows 10 requests/s and 400/min per environment, counted across every key and
client. All clients in a process talking to the same environment therefore share one limiter,
and the limiters of every process of this user on this machine share a ledger file (two stacks
deploying into one environment from one machine no longer each spend the whole budget).

A request holds its slot from the moment it is admitted until its response has arrived, and
only then starts ageing out of the windows. The server sees each request at some instant
between those two points, so two requests counted as "W seconds apart" here are at least W
seconds apart there too, whatever the network latency: no 429 under normal conditions.
"""

from __future__ import annotations

import fcntl
import hashlib
import itertools
import json
import logging
import os
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kontent_resources._userstate import open_private, state_dir

logger = logging.getLogger("kontent_resources.client")

Clock = Callable[[], float]
Sleep = Callable[[float], None]

_IN_FLIGHT = float("inf")
_IN_FLIGHT_POLL = 0.05


@dataclass(frozen=True)
class Wait:
    """A request held back by a limiter: until when (its clock), and by which limit."""

    until: float
    reason: str


@dataclass(frozen=True)
class RateLimit:
    """Client-side limits. ``enabled=False`` (or ``rate_limit=None`` on the client) turns it off."""

    per_second: int = 10
    per_minute: int = 400
    enabled: bool = True

    def __post_init__(self) -> None:
        if self.per_second < 1 or self.per_minute < 1:
            raise ValueError("rate limits must be at least 1 request per window")


class _Window:
    """Completion times of recent requests within one window, oldest first."""

    __slots__ = ("allowed", "ends", "length")

    def __init__(self, length: float, allowed: int) -> None:
        self.length = length
        self.allowed = allowed
        self.ends: deque[float] = deque()

    def delay(self, now: float, in_flight: int) -> float:
        """Seconds until one more request fits (inf: only when an in-flight one finishes)."""
        while self.ends and self.ends[0] <= now - self.length:
            self.ends.popleft()
        excess = len(self.ends) + in_flight - self.allowed
        if excess < 0:
            return 0.0
        # Unfinished requests end last, so they are the last to age out.
        if excess >= len(self.ends):
            return _IN_FLIGHT
        return self.ends[excess] + self.length - now


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class MachineLedger:
    """The requests of every process of this machine to one environment, in a locked file.

    An entry is ``[pid, token, end]``: ``end`` is None while the request is in flight, then the
    time its answer arrived, as in :class:`BlockingRateLimiter` (so latency never squeezes two requests
    closer together at the server than here). Times are ``time.monotonic()``, one clock for every
    process on Linux. Entries of processes that died in flight are dropped; finished ones age out.
    """

    def __init__(self, path: Path, clock: Clock = time.monotonic) -> None:
        self._path = path
        self._clock = clock
        self._pid = os.getpid()
        # Unique per ledger object, not only per process: two in one process must not collide.
        self._tokens = itertools.count(int.from_bytes(os.urandom(6), "big") << 16 | 1)

    def admit(self, windows: tuple[_Window, ...]) -> tuple[float, int]:
        """``(0, token)`` after recording a new in-flight request, or ``(delay, 0)`` when the
        machine's requests leave no room in some window yet (``inf``: until one finishes)."""
        with self._locked() as entries:
            now = self._clock()
            delay = max(_ledger_delay(entries, window, now) for window in windows)
            if delay > 0:
                return delay, 0
            token = next(self._tokens)
            entries.append([self._pid, token, None])
            return 0.0, token

    def release(self, token: int) -> None:
        with self._locked() as entries:
            end = self._clock()
            for entry in entries:
                if entry[0] == self._pid and entry[1] == token:
                    entry[2] = end

    @contextmanager
    def _locked(self) -> Iterator[list[list[object]]]:
        with open_private(self._path) as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                handle.seek(0)
                entries = self._live(handle.read())
                yield entries
                handle.seek(0)
                handle.truncate()
                handle.write(json.dumps(entries))
                handle.flush()  # before the lock is released, or the next reader sees the old list
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _live(self, text: str) -> list[list[object]]:
        try:
            entries = json.loads(text) if text else []
        except ValueError:
            entries = []  # a torn write by a killed process: the windows restart
        now = self._clock()
        kept = []
        for entry in entries if isinstance(entries, list) else []:
            pid, end = entry[0], entry[2]
            in_flight = end is None and (pid == self._pid or _alive(int(pid)))
            # An end in the future is from before a reboot (the clock restarted): dropped.
            recent = isinstance(end, int | float) and now - _LONGEST_WINDOW < end <= now + 1.0
            if in_flight or recent:
                kept.append(entry)
        return kept


_LONGEST_WINDOW = 60.0


def _ledger_delay(entries: list[list[object]], window: _Window, now: float) -> float:
    ends = sorted(
        float(e[2]) for e in entries if isinstance(e[2], int | float) and e[2] > now - window.length
    )
    in_flight = sum(1 for e in entries if e[2] is None)
    excess = len(ends) + in_flight - window.allowed
    if excess < 0:
        return 0.0
    if excess >= len(ends):
        return _IN_FLIGHT
    return max(ends[excess] + window.length - now, 0.001)


def _machine_ledger(key: tuple[str, str]) -> MachineLedger | None:
    # The host is part of the name: times are this machine's monotonic clock, and a home folder
    # mounted on several machines must not mix their ledgers.
    name = hashlib.sha256("\0".join((socket.gethostname(), *key)).encode()).hexdigest()[:32]
    try:
        return MachineLedger(state_dir() / f"{name}.ratelimit.json")
    except OSError as error:  # no private folder for it: this process limits itself alone
        logger.warning("rate limit shared between processes is off: %s", error)
        return None


class BlockingRateLimiter:
    """Sliding-window limiter over several windows; thread-safe; blocks until a slot is free.

    (The emulator's :class:`~kontent_resources.emulator.ratelimit.RejectingRateLimiter` is the
    opposite: it never waits and answers 429 with the seconds to wait.)

    With a ``ledger``, a slot also needs room in the machine-wide windows of that ledger.
    """

    def __init__(
        self,
        limit: RateLimit,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        ledger: MachineLedger | None = None,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._ledger = ledger
        self._cond = threading.Condition()
        self._in_flight = 0
        self._blocked_until = 0.0
        self._windows: tuple[_Window, ...] = ()
        self._held: dict[int, int] = {}  # thread → its in-flight request's ledger token
        self._waits: dict[int, Wait] = {}  # thread → why and until when it sleeps
        self.configure(limit)

    @property
    def limit(self) -> RateLimit:
        return self._limit

    def configure(self, limit: RateLimit) -> None:
        """Replace the limits (applies to every client sharing this limiter)."""
        with self._cond:
            old = {w.length: w.ends for w in self._windows}
            self._limit = limit
            self._windows = (_Window(1.0, limit.per_second), _Window(60.0, limit.per_minute))
            for window in self._windows:
                window.ends = old.get(window.length, window.ends)
            self._cond.notify_all()

    def block_for(self, seconds: float) -> None:
        """Hold every request back for ``seconds`` (after the server answered 429)."""
        with self._cond:
            self._blocked_until = max(self._blocked_until, self._clock() + seconds)

    @contextmanager
    def slot(self) -> Iterator[float]:
        """Wait for a slot and hold it while the block runs; yields the seconds waited."""
        waited = self._acquire()
        try:
            yield waited
        finally:
            self._release()

    def acquire(self) -> float:
        """Take a slot and release it at once (the request is treated as instantaneous)."""
        waited = self._acquire()
        self._release()
        return waited

    def longest_wait(self) -> Wait | None:
        """The request held back longest from now, if any is (for progress reports)."""
        with self._cond:
            return max(self._waits.values(), key=lambda wait: wait.until, default=None)

    def _acquire(self) -> float:
        start = self._clock()
        me = threading.get_ident()
        try:
            while True:
                with self._cond:
                    now = self._clock()
                    delay = self._delay(now)
                    reason = self._reason(now, delay)
                    if delay == 0.0 and self._ledger is not None:
                        delay, self._held[me] = self._machine_admission()
                        reason = "the budget this machine's other runs share with it"
                    if delay == 0.0:
                        self._in_flight += 1
                        return self._clock() - start
                    if delay == _IN_FLIGHT:
                        # Only unfinished requests block us: a release (here or elsewhere) frees a slot.
                        self._cond.wait(_IN_FLIGHT_POLL)
                        continue
                    self._waits[me] = Wait(now + delay, reason)
                self._sleep(delay)
        finally:
            with self._cond:
                self._waits.pop(me, None)

    def _release(self) -> None:
        with self._cond:
            self._in_flight -= 1
            end = self._clock()
            for window in self._windows:
                window.ends.append(end)
            token = self._held.pop(threading.get_ident(), 0)
            if self._ledger is not None and token:
                try:
                    self._ledger.release(token)
                except OSError:
                    self._ledger = None
            self._cond.notify_all()

    def _machine_admission(self) -> tuple[float, int]:
        assert self._ledger is not None
        try:
            return self._ledger.admit(self._windows)
        except OSError as error:  # no private folder for it: this process limits itself alone
            logger.warning("rate limit shared between processes is off: %s", error)
            self._ledger = None
            return 0.0, 0

    def _reason(self, now: float, delay: float) -> str:
        if delay > 0.0 and self._blocked_until - now >= delay:
            return "the API's Retry-After (it answered 429 Too Many Requests)"
        window = max(self._windows, key=lambda w: w.delay(now, self._in_flight))
        unit = "second" if window.length == 1.0 else "minute"
        return f"the API's limit of {window.allowed} requests per {unit}"

    def _delay(self, now: float) -> float:
        """Seconds until a request may start (0: now; inf: when an in-flight request ends)."""
        delay = max(0.0, self._blocked_until - now)
        for window in self._windows:
            delay = max(delay, window.delay(now, self._in_flight))
        return delay


_registry: dict[tuple[str, str], BlockingRateLimiter] = {}
_registry_lock = threading.Lock()


def longest_wait() -> Wait | None:
    """The longest wait of any request in this process, on any environment's limiter."""
    with _registry_lock:
        limiters = list(_registry.values())
    waits = [wait for wait in (limiter.longest_wait() for limiter in limiters) if wait is not None]
    return max(waits, key=lambda wait: wait.until, default=None)


def shared_limiter(base_url: str, environment_id: str, limit: RateLimit) -> BlockingRateLimiter:
    """The process-wide limiter for this environment, created on first use.

    The most recent explicit configuration wins: limits are a property of the environment,
    not of one client, so a client asking for different limits changes them for all.
    """
    key = (base_url.rstrip("/").lower(), environment_id.lower())
    with _registry_lock:
        limiter = _registry.get(key)
        if limiter is None:
            limiter = _registry[key] = BlockingRateLimiter(limit, ledger=_machine_ledger(key))
        elif limiter.limit != limit:
            logger.debug("rate limit for environment %s changed to %s", environment_id, limit)
            limiter.configure(limit)
        return limiter
