"""Per-environment rate limits: N requests per rolling second and M per rolling minute.

Only admitted requests are counted, so a client that backs off as told by
``Retry-After`` always gets through on its next attempt.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from .config import RateLimitSettings


class RejectingRateLimiter:
    """The server side of the limits: never waits, answers 429 with the seconds to wait instead.

    (The client's :class:`~kontent_resources.client.ratelimit.BlockingRateLimiter` is the
    opposite: it makes the caller wait until a slot is free.)
    """

    def __init__(self, settings: RateLimitSettings, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self._clock = clock
        self._lock = threading.Lock()
        self._second: deque[float] = deque()
        self._minute: deque[float] = deque()

    def configure(
        self, enabled: bool | None = None, per_second: int | None = None, per_minute: int | None = None
    ) -> RateLimitSettings:
        with self._lock:
            if enabled is not None:
                self.settings.enabled = enabled
            if per_second is not None:
                self.settings.per_second = per_second
            if per_minute is not None:
                self.settings.per_minute = per_minute
            self._second.clear()
            self._minute.clear()
            return self.settings

    def acquire(self) -> int | None:
        """Admit one request (``None``) or return the seconds to wait (the ``Retry-After``)."""
        with self._lock:
            if not self.settings.enabled:
                return None
            now = self._clock()
            _trim(self._second, now - 1.0)
            _trim(self._minute, now - 60.0)
            wait = 0.0
            if len(self._second) >= self.settings.per_second:
                wait = max(wait, self._second[len(self._second) - self.settings.per_second] + 1.0 - now)
            if len(self._minute) >= self.settings.per_minute:
                wait = max(wait, self._minute[len(self._minute) - self.settings.per_minute] + 60.0 - now)
            if wait > 0:
                return max(1, math.ceil(wait))
            self._second.append(now)
            self._minute.append(now)
            return None


def _trim(window: deque[float], horizon: float) -> None:
    while window and window[0] <= horizon:
        window.popleft()
