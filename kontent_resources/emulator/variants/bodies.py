"""Request bodies of the language variant endpoints (parsing only)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ..body import ApiBody
from ..refs import Reference


class ElementIn(ApiBody):
    element: Reference
    value: Any = None


class VariantBody(ApiBody):
    elements: list[ElementIn]


class AssetValueIn(Reference):
    renditions: list[Reference] = Field(default_factory=list)


class PublishBody(ApiBody):
    scheduled_to: str | None = None
    display_timezone: str | None = None


class ScheduleBody(ApiBody):
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


class ChangeWorkflowBody(ApiBody):
    workflow_identifier: Reference
    step_identifier: Reference
