"""The base of every request body the emulator parses."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ApiBody(BaseModel):
    """A request body read as the API reads it: unknown fields are ignored, and values are not
    coerced (``"1"`` is not a number, ``1`` is not a string)."""

    model_config = ConfigDict(extra="ignore", strict=True)
