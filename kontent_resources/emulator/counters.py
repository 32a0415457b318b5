"""Request counters the admin API exposes (``GET /_emulator/counters``)."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any


class Counters:
    """Counts Management API requests (never admin or file-download requests)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._total = 0
            self._by_endpoint: Counter[str] = Counter()
            self._by_status: Counter[str] = Counter()
            self._rate_limited = 0
            self._faults_injected = 0

    def record(self, endpoint: str, status: int | None) -> None:
        """One finished request; ``status`` is None for a dropped connection."""
        with self._lock:
            self._total += 1
            self._by_endpoint[endpoint] += 1
            self._by_status["dropped" if status is None else str(status)] += 1

    def rate_limited(self) -> None:
        with self._lock:
            self._rate_limited += 1

    def fault_injected(self) -> None:
        with self._lock:
            self._faults_injected += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": self._total,
                "by_endpoint": dict(sorted(self._by_endpoint.items())),
                "by_status": dict(sorted(self._by_status.items())),
                "rate_limited": self._rate_limited,
                "faults_injected": self._faults_injected,
            }
