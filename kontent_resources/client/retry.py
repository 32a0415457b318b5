"""When and how long to wait before retrying, and the counters that show it happened."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal

RETRY_STATUSES: frozenset[int] = frozenset({408, 429, 500, 502, 503, 504})

# Up to this Retry-After (seconds) the wait is of the order of the per-second window's period.
_JITTERED_RETRY_AFTER = 2.0


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries with jittered exponential backoff; ``Retry-After`` wins when present.

    ``max_attempts`` bounds the tries that end in a 5xx, 408 or transport error (the first try
    included). A 429 means the request was not processed, so 429 answers do not use up those
    attempts: they have their own, larger bound ``max_rate_limited_attempts``. ``deadline`` bounds
    one request's whole time, its attempts and the waits between them together: no wait starts
    that would end past it, and each attempt waits for an answer at most the time left (but at
    least ``min_attempt_time``, so that a slow answer near the end still has a chance).

    ``unreachable_deadline`` bounds the retries of a connection that cannot be made (refused, host
    name not resolved) to an address that has not answered once since the client was made: that is
    a wrong base URL or a server that is not running, and waiting the whole schedule (about 30 s
    per request) only hides it. An address that answered before keeps the whole schedule: it may
    be restarting.

    ``retry_after_jitter``: a ``Retry-After`` of a few seconds is waited out plus up to this many
    seconds more, at random. The API rounds its wait up to whole seconds, so a client told "1 s"
    comes back at the same point of the second each time; when another machine's client keeps the
    environment's windows full at that point (it paces itself to the slots freeing, as this
    client's limiter does), every retry would meet a full window again and the request would be
    starved until the other run ends. The random extra moves each retry to another point of the
    second, where a slot is sometimes free. Longer waits (a full minute window) and 0 are kept exact.
    """

    max_attempts: int = 6
    max_rate_limited_attempts: int = 60
    deadline: float = 300.0
    unreachable_deadline: float = 8.0
    min_attempt_time: float = 10.0
    base_delay: float = 1.0
    max_delay: float = 30.0
    jitter: float = 0.25
    retry_after_jitter: float = 0.25

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.max_rate_limited_attempts < 1:
            raise ValueError("max_attempts and max_rate_limited_attempts must be at least 1")
        if self.deadline <= 0 or self.unreachable_deadline <= 0:
            raise ValueError("deadline and unreachable_deadline must be positive numbers of seconds")

    def after_retry_after(self, seconds: float) -> float:
        """How long to wait when the server said ``Retry-After: seconds`` (at least that)."""
        if not 0.0 < seconds <= _JITTERED_RETRY_AFTER:
            return seconds  # "now", or a wait for a minute window: kept as said
        return seconds + random.uniform(0.0, self.retry_after_jitter)  # noqa: S311

    def backoff(self, retry_number: int) -> float:
        """Delay before retry number ``retry_number`` (1-based) when the server gave no hint."""
        delay = min(self.max_delay, self.base_delay * 2.0 ** (retry_number - 1))
        factor = random.uniform(1 - self.jitter, 1 + self.jitter)  # noqa: S311
        return max(0.0, delay * factor)


RetryStop = Literal["not_retryable", "unreachable", "attempts", "rate_limited", "deadline"]
"""Why a request stopped being retried: it cannot succeed as it is, nothing has ever answered at
the address, ``max_attempts`` or ``max_rate_limited_attempts`` was used up, or the next attempt
would start past the request's ``deadline``."""


@dataclass(frozen=True)
class GiveUp:
    """The end of one request's retries: why (for code to tell apart) and a line for people."""

    why: RetryStop
    text: str


class RetryBudget:
    """What one request has used of its :class:`RetryPolicy` so far."""

    def __init__(self, policy: RetryPolicy, clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy
        self.failures = 0
        self.rate_limited = 0
        self._clock = clock
        self._started = clock()

    @property
    def elapsed(self) -> float:
        return self._clock() - self._started

    def remaining(self) -> float:
        """How long the next attempt may wait for an answer."""
        return max(self.policy.min_attempt_time, self.policy.deadline - self.elapsed)

    def record(self, reason: str) -> int:
        """Count a failed attempt; returns its number within its class (429 or other)."""
        if reason == "429":
            self.rate_limited += 1
            return self.rate_limited
        self.failures += 1
        return self.failures

    def refusal(self, delay: float, *, unreachable: bool = False) -> GiveUp | None:
        """Why no attempt may follow after waiting ``delay``, or None when one may; ``unreachable``
        when the address has never answered and the connection could not be made."""
        if unreachable and self.elapsed + delay > self.policy.unreachable_deadline:
            return GiveUp(
                "unreachable",
                f"gave up after {self.failures} failed attempts in {self.elapsed:.0f} s: nothing has "
                "answered at this address since the client started",
            )
        if self.failures >= self.policy.max_attempts:
            return GiveUp(
                "attempts", f"gave up after {self.failures} failed attempts in {self.elapsed:.0f} s"
            )
        if self.rate_limited >= self.policy.max_rate_limited_attempts:
            return GiveUp(
                "rate_limited",
                f"gave up after {self.rate_limited} rate-limited answers in {self.elapsed:.0f} s",
            )
        if self.elapsed + delay > self.policy.deadline:
            return GiveUp(
                "deadline",
                f"gave up after {self.elapsed:.0f} s: the next attempt would start after {delay:.0f} s more, "
                f"past the request's deadline of {self.policy.deadline:.0f} s",
            )
        return None


NO_RETRY = RetryPolicy(max_attempts=1, max_rate_limited_attempts=1)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), or ``None``."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass
class ClientStats:
    """Thread-safe counters of one client's HTTP traffic."""

    requests: int = 0
    attempts: int = 0
    retries: Counter[str] = field(default_factory=Counter)
    retry_wait_seconds: float = 0.0
    rate_limit_wait_seconds: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count_request(self) -> None:
        with self._lock:
            self.requests += 1

    def count_attempt(self, rate_limit_wait: float) -> None:
        with self._lock:
            self.attempts += 1
            self.rate_limit_wait_seconds += rate_limit_wait

    def count_retry(self, reason: str, wait: float) -> None:
        with self._lock:
            self.retries[reason] += 1
            self.retry_wait_seconds += wait

    def snapshot(self) -> dict[str, object]:
        """A consistent copy, safe to read while other threads keep counting."""
        with self._lock:
            return {
                "requests": self.requests,
                "attempts": self.attempts,
                "retries": dict(self.retries),
                "retry_wait_seconds": self.retry_wait_seconds,
                "rate_limit_wait_seconds": self.rate_limit_wait_seconds,
            }

    def reset(self) -> None:
        with self._lock:
            self.requests = self.attempts = 0
            self.retries.clear()
            self.retry_wait_seconds = self.rate_limit_wait_seconds = 0.0
