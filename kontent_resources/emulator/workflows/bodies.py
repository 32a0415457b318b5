"""Request bodies of workflows; the passages they follow are cited in the
package docstring and next to each rule."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..refs import Reference


class StepReference(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    id: str | None = None
    codename: str | None = None


class TransitionIn(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    step: StepReference


class StepIn(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    name: str = Field(min_length=1)
    codename: str = Field(min_length=1)
    color: str
    transitions_to: list[TransitionIn]
    role_ids: list[str]


class ScopeIn(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    content_types: list[Reference] = Field(default_factory=list)
    collections: list[Reference] = Field(default_factory=list)


class WorkflowBody(BaseModel):
    """Reference (Add a workflow): name, scopes, steps, published_step and archived_step are required."""

    model_config = ConfigDict(extra="ignore", strict=True)
    name: str = Field(min_length=1)
    codename: str | None = None
    scopes: list[ScopeIn]
    steps: list[StepIn] = Field(min_length=1)
    published_step: dict[str, Any]
    archived_step: dict[str, Any]
