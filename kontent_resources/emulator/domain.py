"""Kinds of stored objects, the default workflow, and lookups that fail with the API's errors."""

from __future__ import annotations

from typing import Any

from . import errors
from .refs import Identifier, find
from .store import Doc, Tx
from .util import ZERO_ID

ASSET = "asset"
FILE = "file"
RENDITION = "rendition"
LANGUAGE = "language"
COLLECTION = "collection"
TYPE = "type"
ITEM = "item"
VARIANT = "variant"
WORKFLOW = "workflow"
#: Asset ids referenced by external id before the asset exists (see ``util.derived_id``).
ASSET_PLACEHOLDER = "asset_placeholder"

FOLDERS_META = "folders"
COLLECTIONS_MODIFIED_META = "collections_last_modified"

DEFAULT_WORKFLOW_ID = ZERO_ID
# Step ids as they appear in the reference payloads for the default workflow.
DRAFT_STEP = "eee6db3b-545a-4785-8e86-e3772c8756f9"
REVIEW_STEP = "dc87d7cf-424b-4b89-9519-c9f79a3458b7"
PUBLISHED_STEP = "c199950d-99f0-4983-b711-6c4c91624b22"
SCHEDULED_STEP = "9d2b0228-4d0d-4c23-8b49-01a698857709"
ARCHIVED_STEP = "7a535a69-ad34-47f8-806a-def1fdf4d391"
LOCKED_STEPS = {PUBLISHED_STEP: "Published", SCHEDULED_STEP: "Scheduled", ARCHIVED_STEP: "Archived"}


def public(doc: Doc) -> dict[str, Any]:
    """The API representation: internal bookkeeping keys start with ``_``."""
    return {k: v for k, v in doc.items() if not k.startswith("_")}


# The API's answer when a referenced object is missing, per kind ("{ref}": the identifier as given).
_MISSING: dict[str, tuple[str, type[errors.NotFoundError]]] = {
    ASSET: ("The requested asset '{ref}' was not found.", errors.AssetNotFoundError),
    ITEM: ("The requested content item '{ref}' was not found.", errors.ItemNotFoundError),
    LANGUAGE: ("The requested language was not found.", errors.LanguageNotFoundError),
    TYPE: ("The requested content type '{ref}' was not found.", errors.TypeNotFoundError),
    WORKFLOW: ("The requested workflow '{ref}' was not found.", errors.WorkflowNotFoundError),
}


def require(tx: Tx, kind: str, ref: Identifier) -> Doc:
    """The object ``ref`` names, or the API's 404 for that kind."""
    doc = find(tx, kind, ref)
    if doc is None:
        message, error = _MISSING[kind]
        raise error(message.format(ref=ref.value))
    return doc


def workflow_steps(workflow: Doc) -> list[dict[str, Any]]:
    """Every step of a workflow, the regular ones first, then Published, Scheduled, Archived."""
    special = [workflow["published_step"], workflow["scheduled_step"], workflow["archived_step"]]
    return [*workflow["steps"], *special]


def first_step_id(workflow: Doc) -> str:
    return str(workflow["steps"][0]["id"])


def allows_transition(workflow: Doc, from_step: str, to_step: str) -> bool:
    """Whether a variant in ``from_step`` may move to ``to_step`` of the same workflow.

    Reference: "The API follows the workflow transition limitations present in the UI"
    (Change the workflow step of a language variant) and "you can publish or schedule the
    variant … only if the workflow allows you to" (Publish or schedule a language variant);
    a step's ``transitions_to`` lists the steps it can go to (Add a workflow). Published,
    Scheduled and Archived list none: they are left by their own endpoints (new version,
    cancel schedule, unpublish) or, for Archived, by restoring it to a step (assumed: any).
    """
    if from_step == ARCHIVED_STEP:
        return any(step["id"] == to_step for step in workflow["steps"])
    step = next((s for s in workflow["steps"] if s["id"] == from_step), None)
    return step is not None and any(t["step"]["id"] == to_step for t in step["transitions_to"])


def workflow_for(tx: Tx, type_id: str, collection_id: str | None) -> Doc:
    """The workflow a new variant starts in: the first non-default one whose scope covers it.

    Reference (Add a workflow, ``scopes``): "the content types and collections that this
    workflow is limited to. If both content types and collections are empty, the workflow can
    be used for any type". Which workflow wins when several match is not stated: assumed the
    oldest, and the default workflow when none does.
    """
    for workflow in tx.all(WORKFLOW):
        if workflow["id"] != DEFAULT_WORKFLOW_ID and _in_scope(workflow, type_id, collection_id):
            return workflow
    default = tx.get(WORKFLOW, DEFAULT_WORKFLOW_ID)
    assert default is not None, "every environment has the default workflow"
    return default


def _in_scope(workflow: Doc, type_id: str, collection_id: str | None) -> bool:
    for scope in workflow["scopes"]:
        types = {ref["id"] for ref in scope.get("content_types", [])}
        collections = {ref["id"] for ref in scope.get("collections", [])}
        if (not types or type_id in types) and (not collections or collection_id in collections):
            return True
    return False


def step_name(tx: Tx, workflow_id: str, step_id: str) -> str:
    workflow = tx.get(WORKFLOW, workflow_id)
    for step in workflow_steps(workflow) if workflow else []:
        if step["id"] == step_id:
            return str(step["name"])
    return step_id
