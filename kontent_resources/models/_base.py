"""Shared base classes and field types for the Management API models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, PlainSerializer


def _assume_utc(value: datetime) -> datetime:
    # The API emits some timestamps without an offset (folders, schedules); they are UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _format_datetime(value: datetime) -> str:
    text = value.astimezone(UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"


def api_datetime(value: datetime | None) -> str | None:
    """A ``KontentDateTime`` as its JSON serialisation writes it (UTC, ``Z``), without dumping the
    whole model for one field."""
    return None if value is None else _format_datetime(value)


KontentDateTime = Annotated[
    datetime,
    AfterValidator(_assume_utc),
    PlainSerializer(_format_datetime, return_type=str, when_used="json"),
]
"""A timezone-aware datetime.

The API writes 7 fractional digits (100 ns ticks) and sometimes no offset. Parsing keeps
microsecond precision (the 7th digit is dropped: Python datetimes stop at microseconds and
nothing in the API compares timestamps at that precision) and treats a missing offset as UTC.
"""


# defer_build: a model's validator is built when it first validates, not at import. Every process
# of a run imports all of them (the program, the provider) and uses a few; about 45 ms per process.


class ResponseModel(BaseModel):
    """An object the API returns. Unknown fields are kept, so new API fields never break parsing."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)

    def to_api(self) -> dict[str, Any]:
        """The object as the API spelled it: only the fields that were present."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


class RequestModel(BaseModel):
    """A body the client sends. Unknown fields are rejected at construction time.

    Serialisation sends exactly the fields that were set, including explicit ``None``: the API
    gives meaning to both absence ("leave unchanged") and null (e.g. ``collection.reference``).
    Fields listed in ``_always_send`` go out even when left at their default (constant
    discriminators such as ``op`` or ``mode``).
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)

    _always_send: ClassVar[frozenset[str]] = frozenset()

    def model_post_init(self, context: Any, /) -> None:
        self.__pydantic_fields_set__.update(self._always_send)

    def to_api(self) -> dict[str, Any]:
        """The JSON body for the API."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)

    def with_changes(self, **changes: Any) -> Self:
        """A validated copy with ``changes`` applied (and marked as set)."""
        data = self.model_dump(exclude_unset=True)
        data.update(changes)
        return self.model_validate(data)
