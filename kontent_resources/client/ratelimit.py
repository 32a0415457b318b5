"""Process-wide client-side rate limiting: one limiter per (base URL, environment).

The API allows 10 requests/s and 400/min per environment, counted across every key and
client. All clients in a process talking to the same environment therefore share one limiter.

A request holds its slot from the moment it is admitted until its response has arrived, and
only then starts ageing out of the windows. The server sees each request at some instant
between those two points, so two requests counted as "W seconds apart" here are at least W
seconds apart there too, whatever the network latency: no 429 under normal conditions.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

logger = logging.getLogger("kontent_resources.client")

Clock = Callable[[], float]
Sleep = Callable[[float], None]

_IN_FLIGHT = float("inf")
_IN_FLIGHT_POLL = 0.05


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


class RateLimiter:
    """Sliding-window limiter over several windows; thread-safe; blocks until a slot is free."""

    def __init__(self, limit: RateLimit, *, clock: Clock = time.monotonic, sleep: Sleep = time.sleep) -> None:
        self._clock = clock
        self._sleep = sleep
        self._cond = threading.Condition()
        self._in_flight = 0
        self._blocked_until = 0.0
        self._windows: tuple[_Window, ...] = ()
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

    def _acquire(self) -> float:
        start = self._clock()
        while True:
            with self._cond:
                delay = self._delay(self._clock())
                if delay == 0.0:
                    self._in_flight += 1
                    return self._clock() - start
                if delay == _IN_FLIGHT:
                    # Only unfinished requests block us: a release wakes us up.
                    self._cond.wait(_IN_FLIGHT_POLL)
                    continue
            self._sleep(delay)

    def _release(self) -> None:
        with self._cond:
            self._in_flight -= 1
            end = self._clock()
            for window in self._windows:
                window.ends.append(end)
            self._cond.notify_all()

    def _delay(self, now: float) -> float:
        """Seconds until a request may start (0: now; inf: when an in-flight request ends)."""
        delay = max(0.0, self._blocked_until - now)
        for window in self._windows:
            delay = max(delay, window.delay(now, self._in_flight))
        return delay


_registry: dict[tuple[str, str], RateLimiter] = {}
_registry_lock = threading.Lock()


def shared_limiter(base_url: str, environment_id: str, limit: RateLimit) -> RateLimiter:
    """The process-wide limiter for this environment, created on first use.

    The most recent explicit configuration wins: limits are a property of the environment,
    not of one client, so a client asking for different limits changes them for all.
    """
    key = (base_url.rstrip("/").lower(), environment_id.lower())
    with _registry_lock:
        limiter = _registry.get(key)
        if limiter is None:
            limiter = _registry[key] = RateLimiter(limit)
        elif limiter.limit != limit:
            logger.debug("rate limit for environment %s changed to %s", environment_id, limit)
            limiter.configure(limit)
        return limiter
