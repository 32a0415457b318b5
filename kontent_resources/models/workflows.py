"""Workflows (``GET /workflows`` returns a bare JSON array)."""

from __future__ import annotations

from pydantic import Field, RootModel

from ._base import ResponseModel
from .common import ResponseReference


class WorkflowTransition(ResponseModel):
    step: ResponseReference


class _NamedObject(ResponseModel):
    """What every workflow object has: its id, display name and codename."""

    id: str
    name: str
    codename: str


class WorkflowStep(_NamedObject):
    color: str | None = None
    transitions_to: list[WorkflowTransition] = Field(default_factory=list)
    role_ids: list[str] = Field(default_factory=list)


class WorkflowFixedStep(_NamedObject):
    """The published, scheduled and archived steps every workflow has."""


class WorkflowScope(ResponseModel):
    content_types: list[ResponseReference] = Field(default_factory=list)
    collections: list[ResponseReference] = Field(default_factory=list)


class Workflow(_NamedObject):
    scopes: list[WorkflowScope] = Field(default_factory=list)
    steps: list[WorkflowStep] = Field(default_factory=list)
    published_step: WorkflowFixedStep | None = None
    scheduled_step: WorkflowFixedStep | None = None
    archived_step: WorkflowFixedStep | None = None

    def step_by_codename(self, codename: str) -> WorkflowStep | WorkflowFixedStep | None:
        steps: list[WorkflowStep | WorkflowFixedStep] = list(self.steps)
        steps.extend(s for s in (self.published_step, self.scheduled_step, self.archived_step) if s)
        return next((s for s in steps if s.codename == codename), None)


class WorkflowList(RootModel[list[Workflow]]):
    """Body of ``GET /workflows``: a bare array."""
