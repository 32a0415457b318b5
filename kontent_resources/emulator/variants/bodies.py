"""Request bodies of the language variant endpoints (parsing only)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..refs import Reference


class ElementIn(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    element: Reference
    value: Any = None


class VariantBody(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    elements: list[ElementIn]


class AssetValueIn(Reference):
    renditions: list[Reference] = Field(default_factory=list)


class PublishBody(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    scheduled_to: str | None = None
    display_timezone: str | None = None


class ScheduleBody(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    publish_scheduled_to: str | None = None
    publish_display_timezone: str | None = None
    unpublish_scheduled_to: str | None = None
    unpublish_display_timezone: str | None = None

    def publishing(self) -> PublishBody:
        return PublishBody(
            scheduled_to=self.publish_scheduled_to, display_timezone=self.publish_display_timezone
        )

    def unpublishing(self) -> PublishBody:
        return PublishBody(
            scheduled_to=self.unpublish_scheduled_to, display_timezone=self.unpublish_display_timezone
        )


class ChangeWorkflowBody(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    workflow_identifier: Reference
    step_identifier: Reference
