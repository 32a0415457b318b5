"""Small result types shared by the API areas."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class UpsertResult(Generic[T]):
    """What a PUT-upsert returned, and whether it created the object (201) or updated it (200)."""

    value: T
    created: bool
