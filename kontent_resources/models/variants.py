"""Language variants: the content of an item in one language."""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, Field, RootModel, model_validator

from ._base import KontentDateTime, RequestModel, ResponseModel
from .common import PagedResponse, RequestReference, ResponseReference, require_one_identifier


class AssetElementEntry(ResponseModel):
    """One asset in an asset element's value, with the renditions chosen for it."""

    id: str | None = None
    codename: str | None = None
    external_id: str | None = None
    renditions: list[ResponseReference] | None = None

    def to_request(self) -> AssetElementValue:
        ref = ResponseReference(id=self.id, codename=self.codename, external_id=self.external_id)
        fields: dict[str, object] = {**ref.to_reference().model_dump(exclude_none=True)}
        if self.renditions is not None:
            fields["renditions"] = [r.to_reference() for r in self.renditions]
        return AssetElementValue.model_validate(fields)


class _ElementFields(BaseModel):
    """The fields of one element, read or sent (the reference to the element is typed by each side)."""

    element: Any
    value: Any = None
    mode: str | None = None
    display_timezone: str | None = None
    searchable_value: str | None = None
    components: list[dict[str, Any]] | None = None


class VariantElement(ResponseModel, _ElementFields):
    """An element value; its shape depends on the element type, so ``value`` is untyped."""

    element: ResponseReference

    def asset_entries(self) -> list[AssetElementEntry]:
        """The value read as an asset element (a list of asset references)."""
        if not isinstance(self.value, list):
            return []
        return [AssetElementEntry.model_validate(v) for v in self.value if isinstance(v, dict)]


class VariantWorkflow(ResponseModel):
    workflow_identifier: ResponseReference | None = None
    step_identifier: ResponseReference | None = None


class DueDate(ResponseModel):
    value: KontentDateTime | None = None


class VariantSchedule(ResponseModel):
    publish_time: KontentDateTime | None = None
    publish_display_timezone: str | None = None
    unpublish_time: KontentDateTime | None = None
    unpublish_display_timezone: str | None = None


class LanguageVariant(ResponseModel):
    item: ResponseReference
    language: ResponseReference
    elements: list[VariantElement] = Field(default_factory=list)
    workflow_step: ResponseReference | None = None
    workflow: VariantWorkflow | None = None
    last_modified: KontentDateTime | None = None
    due_date: DueDate | None = None
    schedule: VariantSchedule | None = None
    contributors: list[ResponseReference] | None = None
    note: str | None = None

    def element(self, element_id: str) -> VariantElement | None:
        """The element whose reference has this id (the API always answers with ids)."""
        return next((e for e in self.elements if e.element.id == element_id), None)

    def asset_values(self, element_id: str) -> list[AssetElementValue]:
        """The asset references in element ``element_id``, as an upsert writes them back."""
        element = self.element(element_id)
        return [entry.to_request() for entry in element.asset_entries()] if element else []

    @property
    def workflow_id(self) -> str | None:
        identifier = self.workflow.workflow_identifier if self.workflow else None
        return identifier.id if identifier else None

    @property
    def step_id(self) -> str | None:
        """The variant's workflow step: ``workflow.step_identifier``, or the older ``workflow_step``."""
        if self.workflow and self.workflow.step_identifier:
            return self.workflow.step_identifier.id
        return self.workflow_step.id if self.workflow_step else None


class LanguageVariantList(RootModel[list[LanguageVariant]]):
    """Body of ``GET /items/{item}/variants``: a bare array."""


class VariantListResponse(PagedResponse):
    variants: list[LanguageVariant]


class AssetElementValue(RequestModel):
    """An asset in an asset element, by exactly one identifier, optionally with renditions."""

    id: str | None = None
    codename: str | None = None
    external_id: str | None = None
    renditions: list[RequestReference] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        require_one_identifier(self, "an asset reference")
        return self

    @classmethod
    def of(
        cls, asset: RequestReference, renditions: list[RequestReference] | None = None
    ) -> AssetElementValue:
        fields: dict[str, object] = {**asset.model_dump(exclude_none=True)}
        if renditions is not None:
            fields["renditions"] = renditions
        return cls.model_validate(fields)

    @property
    def reference(self) -> RequestReference:
        """The asset alone, without its renditions."""
        return RequestReference.model_validate(self.model_dump(exclude={"renditions"}, exclude_none=True))

    def with_renditions(self, renditions: list[RequestReference] | None) -> AssetElementValue:
        """The same asset with ``renditions`` (None: without any)."""
        return AssetElementValue.of(self.reference, renditions)


class VariantElementUpsert(RequestModel, _ElementFields):
    """One element in an upsert body. ``value`` is whatever the element type takes."""

    element: RequestReference

    @classmethod
    def assets(cls, element: RequestReference, values: list[AssetElementValue]) -> VariantElementUpsert:
        """An asset element set to exactly ``values``."""
        return cls(element=element, value=values)


class WorkflowReferences(RequestModel):
    """Body of ``PUT …/change-workflow`` (also the ``workflow`` of an upsert)."""

    workflow_identifier: RequestReference
    step_identifier: RequestReference


class VariantUpsert(RequestModel):
    """Body of ``PUT /items/{item}/variants/{language}``; only the given elements change."""

    elements: list[VariantElementUpsert]
    workflow: WorkflowReferences | None = None
    note: str | None = None


class PublishRequest(RequestModel):
    """Body of ``PUT …/publish`` when scheduling; publishing now sends no body."""

    scheduled_to: KontentDateTime | None = None
    display_timezone: str | None = None
