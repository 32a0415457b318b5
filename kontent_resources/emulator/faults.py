"""Fault injection: make a share of Management API requests fail, stall or lose their connection.

A fault is configured through ``POST /_emulator/faults`` (see ``admin.py`` for the body).
Several faults may be active; for every request each matching fault fires with its
``rate`` probability: its latency is added, and the first firing fault that carries a
status or ``drop_connection`` decides the outcome. ``count`` and ``duration_s`` bound
how long a fault stays active.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .util import new_id

INJECTABLE_STATUSES = (408, 429, 500, 502, 503, 504)


class FaultSpec(BaseModel):
    """Body of ``POST /_emulator/faults``."""

    model_config = ConfigDict(extra="forbid")

    status: int | None = None
    rate: float = Field(default=1.0, ge=0.0, le=1.0)
    retry_after: int | None = Field(default=1, ge=0)
    latency_ms: int = Field(default=0, ge=0, le=600_000)
    drop_connection: bool = False
    count: int | None = Field(default=None, ge=1)
    duration_s: float | None = Field(default=None, gt=0)
    path_contains: str | None = None
    methods: list[str] | None = None

    @model_validator(mode="after")
    def _does_something(self) -> FaultSpec:
        if self.status is not None and self.status not in INJECTABLE_STATUSES:
            raise ValueError(f"status must be one of {list(INJECTABLE_STATUSES)}")
        if self.status is None and not self.drop_connection and self.latency_ms == 0:
            raise ValueError("a fault needs a status, drop_connection or latency_ms")
        return self


@dataclass
class Fault:
    spec: FaultSpec
    id: str = field(default_factory=new_id)
    created: float = field(default_factory=time.monotonic)
    fired: int = 0

    def active(self, now: float) -> bool:
        if self.spec.count is not None and self.fired >= self.spec.count:
            return False
        return self.spec.duration_s is None or now - self.created < self.spec.duration_s

    def matches(self, method: str, path: str) -> bool:
        if self.spec.path_contains and self.spec.path_contains not in path:
            return False
        return not self.spec.methods or method.upper() in {m.upper() for m in self.spec.methods}

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            **self.spec.model_dump(),
            "fired": self.fired,
            "active": self.active(time.monotonic()),
        }


@dataclass
class Decision:
    """What the gateway must do with one request."""

    latency_s: float = 0.0
    status: int | None = None
    retry_after: int | None = None
    drop: bool = False
    fault_ids: list[str] = field(default_factory=list)

    @property
    def fired(self) -> bool:
        return bool(self.fault_ids)


class FaultInjector:
    def __init__(self, rng: random.Random | None = None) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        # Not for security: a reproducible share of failing requests.
        self._rng = rng or random.Random()  # noqa: S311

    def add(self, spec: FaultSpec) -> Fault:
        fault = Fault(spec)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def remove(self, fault_id: str) -> bool:
        with self._lock:
            before = len(self._faults)
            self._faults = [f for f in self._faults if f.id != fault_id]
            return len(self._faults) != before

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            return [f.describe() for f in self._faults]

    def decide(self, method: str, path: str) -> Decision:
        decision = Decision()
        now = time.monotonic()
        with self._lock:
            self._faults = [f for f in self._faults if f.active(now)]
            for fault in self._faults:
                if not fault.matches(method, path) or self._rng.random() >= fault.spec.rate:
                    continue
                fault.fired += 1
                decision.fault_ids.append(fault.id)
                decision.latency_s += fault.spec.latency_ms / 1000.0
                if fault.spec.drop_connection or fault.spec.status is not None:
                    decision.drop = fault.spec.drop_connection
                    decision.status = fault.spec.status
                    decision.retry_after = fault.spec.retry_after
                    break
        return decision
