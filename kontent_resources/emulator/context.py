"""What a handler can reach: settings, state store and the runtime switches of the admin API."""

from __future__ import annotations

from dataclasses import dataclass

from .config import EmulatorConfig
from .counters import Counters
from .faults import FaultInjector
from .ratelimit import RejectingRateLimiter
from .store import Store


@dataclass
class Emulator:
    config: EmulatorConfig
    store: Store
    limiter: RejectingRateLimiter
    faults: FaultInjector
    counters: Counters

    def close(self) -> None:
        self.store.close()
