"""``/items/{item}/variants/{language}``: read, upsert and move through the workflow."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from ..models.variants import (
    LanguageVariant,
    LanguageVariantList,
    PublishRequest,
    VariantElementUpsert,
    VariantListResponse,
    VariantUpsert,
    WorkflowReferences,
)
from ._http import ApiArea
from .errors import KontentNotFoundError
from .identifiers import Identifier, path_ref, to_reference
from .results import UpsertResult


class VariantsApi(ApiArea):
    def get(self, item: Identifier, language: Identifier) -> LanguageVariant:
        """The latest version of the variant."""
        return self._http.request_model("GET", _path(item, language), LanguageVariant)

    def get_published(self, item: Identifier, language: Identifier) -> LanguageVariant | None:
        """The published version, or ``None`` when the variant has none (the API answers 404)."""
        try:
            return self._http.request_model("GET", f"{_path(item, language)}/published", LanguageVariant)
        except KontentNotFoundError:
            return None

    def list_by_item(self, item: Identifier) -> list[LanguageVariant]:
        """Every language variant of the item (the API answers with one array, unpaginated)."""
        path = f"/items/{path_ref(item, what='content item')}/variants"
        return self._http.request_model("GET", path, LanguageVariantList).root

    def list_by_collection(self, collection: Identifier) -> Iterator[LanguageVariant]:
        """The latest version of every language variant of the items in ``collection`` (paginated)."""
        path = f"/collections/{path_ref(collection, what='collection')}/variants"
        yield from self._list(path, VariantListResponse, lambda page: page.variants)

    def upsert(
        self,
        item: Identifier,
        language: Identifier,
        elements: Sequence[VariantElementUpsert],
        *,
        workflow: WorkflowReferences | None = None,
    ) -> UpsertResult[LanguageVariant]:
        """Create or update the variant. Only the listed elements change.

        The API refuses this while the variant is Published, Scheduled or Archived: call
        :meth:`create_new_version` first.
        """
        body = VariantUpsert(elements=list(elements))
        if workflow is not None:
            body = body.with_changes(workflow=workflow)
        response = self._http.request("PUT", _path(item, language), json=body.to_api())
        variant = self._http.decode(response, LanguageVariant)
        return UpsertResult(variant, created=response.status_code == 201)

    def create_new_version(self, item: Identifier, language: Identifier) -> None:
        """Open a new draft of a published variant (the published one stays live)."""
        self._http.request("PUT", f"{_path(item, language)}/new-version")

    def publish(
        self,
        item: Identifier,
        language: Identifier,
        *,
        scheduled_to: datetime | None = None,
        display_timezone: str | None = None,
    ) -> None:
        """Publish now, or schedule publishing when ``scheduled_to`` is given."""
        given = {"scheduled_to": scheduled_to, "display_timezone": display_timezone}
        fields = {name: value for name, value in given.items() if value is not None}
        body = PublishRequest.model_validate(fields).to_api() if fields else None
        self._http.request("PUT", f"{_path(item, language)}/publish", json=body)

    def unpublish(self, item: Identifier, language: Identifier) -> None:
        """Unpublish; the variant goes back to the first workflow step."""
        self._http.request("PUT", f"{_path(item, language)}/unpublish")

    def change_workflow(
        self, item: Identifier, language: Identifier, workflow: Identifier, step: Identifier
    ) -> None:
        """Move the variant to ``step`` of ``workflow`` (ids, ``codename/…`` or References)."""
        body = WorkflowReferences(
            workflow_identifier=to_reference(workflow),
            step_identifier=to_reference(step),
        )
        self._http.request("PUT", f"{_path(item, language)}/change-workflow", json=body.to_api())


def _path(item: Identifier, language: Identifier) -> str:
    item_part = path_ref(item, what="content item")
    language_part = path_ref(language, allow=("id", "codename"), what="language (in a variant path)")
    return f"/items/{item_part}/variants/{language_part}"
