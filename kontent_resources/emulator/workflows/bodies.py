"""Request bodies of workflows; the passages they follow are cited in the
package docstring and next to each rule."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ..body import ApiBody
from ..refs import Reference


class StepReference(ApiBody):
    id: str | None = None
    codename: str | None = None


class TransitionIn(ApiBody):
    step: StepReference


class StepIn(ApiBody):
    name: str = Field(min_length=1)
    codename: str = Field(min_length=1)
    color: str
    transitions_to: list[TransitionIn]
    role_ids: list[str]


class ScopeIn(ApiBody):
    content_types: list[Reference] = Field(default_factory=list)
    collections: list[Reference] = Field(default_factory=list)


class WorkflowBody(ApiBody):
    """Reference (Add a workflow): name, scopes, steps, published_step and archived_step are required."""

    name: str = Field(min_length=1)
    codename: str | None = None
    scopes: list[ScopeIn]
    steps: list[StepIn] = Field(min_length=1)
    published_step: dict[str, Any]
    archived_step: dict[str, Any]
