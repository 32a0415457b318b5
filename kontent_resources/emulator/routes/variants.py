"""Language variants: retrieve, upsert, and workflow actions (publish, unpublish, new version, change step).

A variant keeps its latest version (``elements`` + workflow step) and, once published, a
snapshot of the published version (``_published``). A variant whose latest version is in
the Published, Scheduled or Archived step cannot be upserted: create a new version (a
draft copy in the first step) or move it to another step first, as in the real API.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response

from .. import domain, errors
from ..errors import ApiError, invalid_body
from ..refs import Ref, Reference, find, parse_path_ref
from ..store import Doc, Tx
from ..util import derived_id, now_iso
from ..web import by_method, emulator_of, json_response, no_content, parse_model, path_param, read_json

_LIST_TYPES = {"asset", "modular_content", "taxonomy", "multiple_choice", "subpages"}
_STRING_TYPES = {"text", "rich_text", "url_slug", "custom", "date_time"}
_NO_VALUE_TYPES = {"guidelines", "snippet"}
_EMPTY_RICH_TEXT = "<p><br></p>"


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


# -- loading -----------------------------------------------------------------------------------
def _key(item_id: str, language_id: str) -> str:
    return f"{item_id}:{language_id}"


def _empty_schedule() -> dict[str, Any]:
    return {
        "publish_time": None,
        "publish_display_timezone": None,
        "unpublish_time": None,
        "unpublish_display_timezone": None,
    }


def _step(variant: Doc) -> str:
    return str(variant["workflow"]["step_identifier"]["id"])


def _set_step(variant: Doc, step_id: str, workflow_id: str | None = None) -> None:
    if workflow_id is not None:
        variant["workflow"]["workflow_identifier"] = {"id": workflow_id}
    variant["workflow"]["step_identifier"] = {"id": step_id}


def _publish_now(variant: Doc) -> None:
    _set_step(variant, domain.PUBLISHED_STEP)
    variant["_published"] = {
        "elements": copy.deepcopy(variant["elements"]),
        "last_modified": variant["last_modified"],
    }
    variant["schedule"] = _empty_schedule()


def _settle_schedule(tx: Tx, variant: Doc) -> Doc:
    """A scheduled publish or unpublish whose time has come happens when the variant is next looked at."""
    schedule = _schedule(variant)
    if _step(variant) == domain.SCHEDULED_STEP and _due(schedule.get("publish_time")):
        unpublish = {k: v for k, v in schedule.items() if k.startswith("unpublish_")}
        _publish_now(variant)
        variant["schedule"] |= unpublish
        _save(tx, variant)
    if _step(variant) == domain.PUBLISHED_STEP and _due(_schedule(variant).get("unpublish_time")):
        variant["_published"] = None
        _set_step(variant, domain.ARCHIVED_STEP)
        variant["schedule"] = _empty_schedule()
        _save(tx, variant)
    return variant


def _schedule(variant: Doc) -> dict[str, Any]:
    return variant.get("schedule") or _empty_schedule()  # seeded variants have none


def _due(when: str | None) -> bool:
    return when is not None and _parse_time(when) <= _utcnow()


def _save(tx: Tx, variant: Doc) -> None:
    item_id, language_id = variant["item"]["id"], variant["language"]["id"]
    tx.put(domain.VARIANT, variant, key=_key(item_id, language_id), parent=item_id)


def _context(tx: Tx, item_ref: Ref, language_ref: Ref) -> tuple[Doc, Doc]:
    item = domain.require(tx, domain.ITEM, item_ref)
    language = domain.require(tx, domain.LANGUAGE, language_ref)
    return item, language


def _require_variant(tx: Tx, item_ref: Ref, language_ref: Ref) -> Doc:
    item, language = _context(tx, item_ref, language_ref)
    variant = tx.get(domain.VARIANT, _key(item["id"], language["id"]))
    if variant is None:
        raise errors.not_found("The requested content item variant was not found.", errors.VARIANT_NOT_FOUND)
    return _settle_schedule(tx, variant)


# -- rendering ---------------------------------------------------------------------------------
def _default_value(element_type: str) -> Any:
    if element_type in _LIST_TYPES:
        return []
    if element_type == "rich_text":
        return _EMPTY_RICH_TEXT
    if element_type in {"text", "url_slug"}:
        return ""
    return None


def _render_element(definition: Doc, stored: Doc | None) -> dict[str, Any]:
    value = stored["value"] if stored is not None else _default_value(definition["type"])
    rendered: dict[str, Any] = {"element": {"id": definition["id"]}, "value": value}
    if definition["type"] == "rich_text":
        rendered["components"] = []
    elif definition["type"] == "url_slug":
        rendered["mode"] = (stored or {}).get("mode", "autogenerated")
    return rendered


def render_variant(tx: Tx, variant: Doc, published: bool = False) -> dict[str, Any]:
    """The API shape: every element of the item's type, in type order, referenced by id."""
    item = tx.get(domain.ITEM, variant["item"]["id"])
    type_doc = tx.get(domain.TYPE, item["type"]["id"]) if item else None
    version = variant["_published"] if published else variant
    stored = {entry["element"]["id"]: entry for entry in version["elements"]}
    definitions = [d for d in (type_doc or {}).get("elements", []) if d["type"] not in _NO_VALUE_TYPES]
    step = domain.PUBLISHED_STEP if published else _step(variant)
    return {
        "elements": [_render_element(d, stored.get(d["id"])) for d in definitions],
        "workflow_step": {"id": step},
        "workflow": {
            "workflow_identifier": dict(variant["workflow"]["workflow_identifier"]),
            "step_identifier": {"id": step},
        },
        "item": {"id": variant["item"]["id"]},
        "language": {"id": variant["language"]["id"]},
        "last_modified": version["last_modified"],
        "due_date": {"value": None},
        "note": None,
        "contributors": [],
        "schedule": variant.get("schedule") or _empty_schedule(),
    }


# -- element values ------------------------------------------------------------------------------
def _asset_entry(tx: Tx, env: str, raw: Any, path: str) -> dict[str, Any]:
    """``{id}`` / ``{external_id}`` / ``{codename}`` (+ renditions) → ``{id, renditions}``.

    An external id of an asset that does not exist yet is accepted, as in the real API
    ("External IDs can point to non-existent (not yet imported) content"): the value
    stores the id the asset will get once it is created with that external id.
    """
    if not isinstance(raw, dict):
        raise invalid_body(("An asset reference must be an object with 'id' or 'external_id'.", path))
    entry = parse_model(AssetValueIn, raw, path)
    ref = entry.to_ref()
    asset = find(tx, domain.ASSET, ref)
    if asset is not None:
        renditions = [
            _rendition_id(tx, asset, r.to_ref(), f"{path}.renditions[{i}]")
            for i, r in enumerate(entry.renditions)
        ]
        return {"id": asset["id"], "renditions": [{"id": r} for r in renditions]}
    placeholder_id = _placeholder(tx, env, ref)
    if placeholder_id is None:
        raise invalid_body((f"The asset '{ref.describe()}' does not exist.", path))
    if entry.renditions:
        raise invalid_body(("Renditions can be referenced only for assets that exist.", f"{path}.renditions"))
    return {"id": placeholder_id, "renditions": []}


def _placeholder(tx: Tx, env: str, ref: Ref) -> str | None:
    if ref.by == "external_id":
        placeholder_id = derived_id(env, domain.ASSET, ref.value)
        tx.put(domain.ASSET_PLACEHOLDER, {"id": placeholder_id, "external_id": ref.value})
        return placeholder_id
    if ref.by == "id" and tx.get(domain.ASSET_PLACEHOLDER, ref.value) is not None:
        return ref.value
    return None


def _rendition_id(tx: Tx, asset: Doc, ref: Ref, path: str) -> str:
    rendition = find(tx, domain.RENDITION, ref, parent=asset["id"])
    if rendition is None:
        raise invalid_body(
            (f"The rendition '{ref.describe()}' of asset '{asset['id']}' does not exist.", path)
        )
    return str(rendition["rendition_id"])


def _asset_value(tx: Tx, env: str, value: Any, path: str) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise invalid_body(("The value of an asset element must be an array of asset references.", path))
    entries = [_asset_entry(tx, env, raw, f"{path}[{i}]") for i, raw in enumerate(value)]
    ids = [e["id"] for e in entries]
    if len(set(ids)) != len(ids):
        raise invalid_body(("The same asset is referenced more than once.", path))
    return entries


def _reference_list(env: str, value: Any, path: str) -> list[dict[str, str]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise invalid_body(("The value must be an array of references.", path))
    refs = [parse_model(Reference, v, f"{path}[{i}]").to_ref() for i, v in enumerate(value)]
    return [{"id": r.value if r.by == "id" else derived_id(env, "ref", f"{r.by}:{r.value}")} for r in refs]


def _normalize(tx: Tx, env: str, definition: Doc, value: Any, path: str) -> Any:
    element_type = definition["type"]
    if element_type == "asset":
        return _asset_value(tx, env, value, path)
    if element_type in _LIST_TYPES:
        return _reference_list(env, value, path)
    if element_type in _STRING_TYPES and value is not None and not isinstance(value, str):
        raise invalid_body((f"The value of a {element_type} element must be a string.", path))
    if element_type == "number" and (isinstance(value, bool) or not isinstance(value, int | float | None)):
        raise invalid_body(("The value of a number element must be a number.", path))
    return value


def _definition(type_doc: Doc, ref: Reference, path: str) -> Doc:
    wanted = ref.to_ref()
    for definition in type_doc["elements"]:
        if definition.get(wanted.by) == wanted.value or (
            wanted.by == "id" and definition["id"] == wanted.value.lower()
        ):
            return dict(definition)
    raise invalid_body((f"The element '{wanted.describe()}' is not an element of the content type.", path))


# -- operations ----------------------------------------------------------------------------------
def _ensure_editable(tx: Tx, item: Doc, language: Doc, variant: Doc) -> None:
    step = _step(variant)
    if step not in domain.LOCKED_STEPS:
        return
    hint = (
        "Create a new version first (PUT …/new-version)."
        if step == domain.PUBLISHED_STEP
        else "Move it to another workflow step first (PUT …/change-workflow)."
    )
    raise errors.bad_request(
        f"The language variant of content item '{item['codename']}' in language '{language['codename']}' "
        "is in "
        f"the {domain.LOCKED_STEPS[step]} workflow step and cannot be modified. {hint}"
    )


def _new_variant(tx: Tx, item: Doc, language: Doc) -> Doc:
    workflow = domain.workflow_for(tx, item["type"]["id"], (item.get("collection") or {}).get("id"))
    return {
        "item": {"id": item["id"]},
        "language": {"id": language["id"]},
        "elements": [],
        "workflow": {
            "workflow_identifier": {"id": workflow["id"]},
            "step_identifier": {"id": domain.first_step_id(workflow)},
        },
        "schedule": _empty_schedule(),
        "_published": None,
    }


def _merge(tx: Tx, env: str, variant: Doc, type_doc: Doc, language: Doc, body: VariantBody) -> None:
    """Replace only the elements in ``body``; non-localizable ones are skipped for non-default languages."""
    current = {entry["element"]["id"]: entry for entry in variant["elements"]}
    for index, element in enumerate(body.elements):
        path = f"elements[{index}]"
        definition = _definition(type_doc, element.element, f"{path}.element")
        if definition.get("is_non_localizable") and not language.get("is_default"):
            continue
        value = _normalize(tx, env, definition, element.value, f"{path}.value")
        current[definition["id"]] = {"element": {"id": definition["id"]}, "value": value}
    variant["elements"] = list(current.values())


def upsert_variant(tx: Tx, env: str, item_ref: Ref, language_ref: Ref, body: VariantBody) -> tuple[Doc, bool]:
    item, language = _context(tx, item_ref, language_ref)
    if not language.get("is_active", True):
        raise errors.bad_request(f"The language '{language['codename']}' is not active.")
    type_doc = domain.require(tx, domain.TYPE, Ref("id", item["type"]["id"]))
    existing = tx.get(domain.VARIANT, _key(item["id"], language["id"]))
    variant = _settle_schedule(tx, existing) if existing is not None else _new_variant(tx, item, language)
    if existing is not None:
        _ensure_editable(tx, item, language, variant)
    _merge(tx, env, variant, type_doc, language, body)
    variant["last_modified"] = now_iso()
    _save(tx, variant)
    return variant, existing is None


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _parse_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _validated_schedule(body: PublishBody, prefix: str = "") -> datetime | None:
    """``prefix`` names the body's fields in errors: "" for publish, "publish_"/"unpublish_" for the
    schedule endpoint."""
    if body.display_timezone is not None:
        try:
            ZoneInfo(body.display_timezone)
        except (KeyError, ValueError) as exc:
            message = "Time zone name must be valid according to the IANA specification."
            raise invalid_body((message, f"{prefix}display_timezone")) from exc
    if body.scheduled_to is None:
        return None
    try:
        when = _parse_time(body.scheduled_to)
    except ValueError as exc:
        message = f"The provided value '{body.scheduled_to}' is not a valid datetime string."
        raise invalid_body((message, f"{prefix}scheduled_to")) from exc
    if when <= _utcnow():
        raise invalid_body(
            ("The provided date-time value needs to be in the future.", f"{prefix}scheduled_to")
        )
    return when


def publish(tx: Tx, item_ref: Ref, language_ref: Ref, body: PublishBody) -> None:
    when = _validated_schedule(body)
    variant = _require_variant(tx, item_ref, language_ref)
    step = _step(variant)
    if step in domain.LOCKED_STEPS:
        raise errors.bad_request(
            f"The language variant is in the {domain.LOCKED_STEPS[step]} workflow step and cannot be "
            "published."
        )
    _require_transition(tx, variant, domain.PUBLISHED_STEP, "published")
    if when is None:
        _publish_now(variant)
    else:
        _set_step(variant, domain.SCHEDULED_STEP)
        variant["schedule"] = _empty_schedule() | {
            "publish_time": _iso(when),
            "publish_display_timezone": body.display_timezone,
        }
    _save(tx, variant)


def unpublish(tx: Tx, item_ref: Ref, language_ref: Ref) -> None:
    variant = _require_variant(tx, item_ref, language_ref)
    if not variant.get("_published"):
        raise errors.bad_request(
            "Cannot unpublish a language variant that is not published.", errors.NOT_PUBLISHED_UNPUBLISH
        )
    variant["_published"] = None
    if _step(variant) == domain.PUBLISHED_STEP:
        _set_step(variant, domain.first_step_id(_workflow_of(tx, variant)))
    _save(tx, variant)


def unpublish_and_archive(tx: Tx, item_ref: Ref, language_ref: Ref, body: PublishBody) -> None:
    """Reference (Unpublish and archive a language variant): "You can unpublish only a published
    language variant"; "You can schedule for unpublishing only variants that are published or
    scheduled for publishing"."""
    when = _validated_schedule(body)
    variant = _require_variant(tx, item_ref, language_ref)
    step = _step(variant)
    if when is None:
        if step != domain.PUBLISHED_STEP:
            raise errors.bad_request(
                "Cannot unpublish a language variant that is not published.", errors.NOT_PUBLISHED_UNPUBLISH
            )
        variant["_published"] = None
        _set_step(variant, domain.ARCHIVED_STEP)
        variant["schedule"] = _empty_schedule()
    else:
        if step not in (domain.PUBLISHED_STEP, domain.SCHEDULED_STEP):
            raise errors.bad_request(
                "Only a published language variant or one scheduled for publishing can be scheduled for "
                "unpublishing.",
                errors.NOT_PUBLISHED_UNPUBLISH,
            )
        variant["schedule"] = _schedule(variant) | {
            "unpublish_time": _iso(when),
            "unpublish_display_timezone": body.display_timezone,
        }
    _save(tx, variant)


def schedule_publish_and_unpublish(tx: Tx, item_ref: Ref, language_ref: Ref, body: ScheduleBody) -> None:
    """Reference (Schedule publishing and unpublishing of a language variant): "If the language variant
    has already been scheduled ... it will be rescheduled to the specified dates"; "you can schedule the
    variant (that is, move the variant to the Scheduled step) only if the workflow allows you to";
    "Scheduling a published language variant has no effect"; "Scheduling an unpublish date works only
    when the variant is published or scheduled for publishing"; publish_scheduled_to "If omitted, the
    specified variant's workflow step is kept as-is"; unpublish_scheduled_to "If omitted, the specified
    variant isn't scheduled for unpublishing".

    Assumed: "has no effect" concerns the publish date (a published variant still takes an unpublish
    date, as the third rule says), and an omitted unpublish date removes an earlier one.
    """
    publish_at = _validated_schedule(body.publishing(), "publish_")
    unpublish_at = _validated_schedule(body.unpublishing(), "unpublish_")
    variant = _require_variant(tx, item_ref, language_ref)
    step = _step(variant)
    if publish_at is not None and step != domain.PUBLISHED_STEP:
        if step != domain.SCHEDULED_STEP:  # as publish with scheduled_to: a step that may go to Published
            _require_transition(tx, variant, domain.PUBLISHED_STEP, "scheduled")
        _set_step(variant, domain.SCHEDULED_STEP)
        step = domain.SCHEDULED_STEP
        variant["schedule"] = _schedule(variant) | {
            "publish_time": _iso(publish_at),
            "publish_display_timezone": body.publish_display_timezone,
        }
    if unpublish_at is not None and step not in (domain.PUBLISHED_STEP, domain.SCHEDULED_STEP):
        raise errors.bad_request(
            "Only a published language variant or one scheduled for publishing can be scheduled for "
            "unpublishing.",
            errors.NOT_PUBLISHED_UNPUBLISH,
        )
    variant["schedule"] = _schedule(variant) | {
        "unpublish_time": None if unpublish_at is None else _iso(unpublish_at),
        "unpublish_display_timezone": None if unpublish_at is None else body.unpublish_display_timezone,
    }
    _save(tx, variant)


def cancel_scheduled_publish(tx: Tx, item_ref: Ref, language_ref: Ref) -> None:
    """Reference (Cancel scheduled publishing): 204 "Scheduled publishing was canceled and the variant
    moved to the first workflow step"; 400 "The specified language variant was not scheduled", error
    218 "Cannot cancel scheduling of a language variant that is not scheduled to publish."."""
    variant = _require_variant(tx, item_ref, language_ref)
    if _step(variant) != domain.SCHEDULED_STEP:
        raise errors.bad_request(
            "Cannot cancel scheduling of a language variant that is not scheduled to publish.",
            errors.NOTHING_TO_CANCEL,
        )
    _set_step(variant, domain.first_step_id(_workflow_of(tx, variant)))
    variant["schedule"] = _empty_schedule()
    _save(tx, variant)


def cancel_scheduled_unpublish(tx: Tx, item_ref: Ref, language_ref: Ref) -> None:
    """Reference (Cancel scheduled unpublishing): "The scheduled unpublishing date will be removed";
    400 "The specified language variant was not scheduled for unpublishing", error 218 "Nothing to
    cancel. The specified language variant is not scheduled for unpublishing."."""
    variant = _require_variant(tx, item_ref, language_ref)
    if _schedule(variant).get("unpublish_time") is None:
        raise errors.bad_request(
            "Nothing to cancel. The specified language variant is not scheduled for unpublishing.",
            errors.NOTHING_TO_CANCEL,
        )
    variant["schedule"] = _schedule(variant) | {"unpublish_time": None, "unpublish_display_timezone": None}
    _save(tx, variant)


def delete_variant(tx: Tx, item_ref: Ref, language_ref: Ref) -> None:
    """Reference (Delete a language variant): 204, or 404 when the variant does not exist."""
    variant = _require_variant(tx, item_ref, language_ref)
    tx.delete(domain.VARIANT, _key(variant["item"]["id"], variant["language"]["id"]))


def new_version(tx: Tx, item_ref: Ref, language_ref: Ref) -> None:
    variant = _require_variant(tx, item_ref, language_ref)
    if _step(variant) != domain.PUBLISHED_STEP:
        raise errors.bad_request(
            "Cannot create a new version of a language variant that is not published.",
            errors.NOT_PUBLISHED_NEW_VERSION,
        )
    # Where the new version starts is not stated: assumed the workflow's first step, as in the UI.
    _set_step(variant, domain.first_step_id(_workflow_of(tx, variant)))
    _save(tx, variant)


def _workflow_of(tx: Tx, variant: Doc) -> Doc:
    workflow = tx.get(domain.WORKFLOW, variant["workflow"]["workflow_identifier"]["id"])
    assert workflow is not None, "workflows in use cannot be deleted"
    return workflow


def _require_transition(tx: Tx, variant: Doc, target: str, action: str) -> None:
    workflow = _workflow_of(tx, variant)
    current = _step(variant)
    if domain.allows_transition(workflow, current, target):
        return
    allowed = [
        domain.step_name(tx, workflow["id"], t["step"]["id"])
        for step in workflow["steps"]
        if step["id"] == current
        for t in step["transitions_to"]
    ]
    raise errors.bad_request(
        f"The language variant cannot be {action} from the workflow step "
        f"'{domain.step_name(tx, workflow['id'], current)}': the workflow '{workflow['name']}' allows moving "
        f"it only to {', '.join(repr(a) for a in allowed) or 'no other step'}.",
        errors.INVALID_WORKFLOW_CHANGE,
    )


def _target_step(workflow: Doc, ref: Ref) -> str:
    for step in domain.workflow_steps(workflow):
        if (ref.by == "id" and step["id"] == ref.value.lower()) or step.get(ref.by) == ref.value:
            return str(step["id"])
    raise invalid_body(
        (f"The workflow step '{ref.describe()}' does not exist in the workflow.", "step_identifier")
    )


def change_workflow(tx: Tx, item_ref: Ref, language_ref: Ref, body: ChangeWorkflowBody) -> None:
    variant = _require_variant(tx, item_ref, language_ref)
    workflow = find(tx, domain.WORKFLOW, body.workflow_identifier.to_ref())
    if workflow is None:
        message = f"The workflow '{body.workflow_identifier.to_ref().describe()}' does not exist."
        raise invalid_body((message, "workflow_identifier"))
    target = _target_step(workflow, body.step_identifier.to_ref())
    if target == domain.PUBLISHED_STEP:
        raise errors.bad_request(
            "Cannot change workflow step to Published. If you want to publish a language variant via the "
            "Management API, use the '/publish' endpoint instead.",
            errors.INVALID_WORKFLOW_CHANGE,
        )
    if target == domain.SCHEDULED_STEP:
        raise errors.bad_request(
            "Cannot change workflow step to Scheduled. Use the '/publish' endpoint with 'scheduled_to' "
            "instead.",
            errors.INVALID_WORKFLOW_CHANGE,
        )
    if _step(variant) == domain.PUBLISHED_STEP:
        raise errors.bad_request(
            "The workflow step of a published language variant cannot be changed. Create a new version or "
            "unpublish it first.",
            errors.INVALID_WORKFLOW_CHANGE,
        )
    if workflow["id"] == variant["workflow"]["workflow_identifier"]["id"] and target != _step(variant):
        _require_transition(tx, variant, target, f"moved to '{domain.step_name(tx, workflow['id'], target)}'")
    _set_step(variant, target, workflow["id"])
    variant["schedule"] = _empty_schedule()
    _save(tx, variant)


# -- handlers ------------------------------------------------------------------------------------
def _refs(request: Request) -> tuple[Ref, Ref]:
    return parse_path_ref(path_param(request, "ref")), parse_path_ref(path_param(request, "language_ref"))


async def _optional_json(request: Request) -> Any:
    """Workflow actions accept an empty body."""
    body = await request.body()
    return await read_json(request) if body.strip() else {}


async def get_variant(request: Request) -> Response:
    item_ref, language_ref = _refs(request)

    def read(tx: Tx) -> dict[str, Any]:
        return render_variant(tx, _require_variant(tx, item_ref, language_ref))

    return json_response(await emulator_of(request).store.run(read))


async def get_published_variant(request: Request) -> Response:
    item_ref, language_ref = _refs(request)

    def read(tx: Tx) -> dict[str, Any]:
        variant = _require_variant(tx, item_ref, language_ref)
        if not variant.get("_published"):
            raise ApiError(404, 122, "The requested variant has no published version.")
        return render_variant(tx, variant, published=True)

    return json_response(await emulator_of(request).store.run(read))


async def put_variant(request: Request) -> Response:
    emu = emulator_of(request)
    item_ref, language_ref = _refs(request)
    body = parse_model(VariantBody, await read_json(request))
    env = emu.config.environment_id

    def write(tx: Tx) -> tuple[dict[str, Any], bool]:
        variant, created = upsert_variant(tx, env, item_ref, language_ref, body)
        return render_variant(tx, variant), created

    rendered, created = await emu.store.run(write)
    return json_response(rendered, 201 if created else 200)


async def list_variants(request: Request) -> Response:
    item_ref = parse_path_ref(path_param(request, "ref"))

    def read(tx: Tx) -> list[dict[str, Any]]:
        item = domain.require(tx, domain.ITEM, item_ref)
        variants = [_settle_schedule(tx, v) for v in tx.all(domain.VARIANT, parent=item["id"])]
        return [render_variant(tx, v) for v in variants]

    return json_response(await emulator_of(request).store.run(read))


async def put_publish(request: Request) -> Response:
    body = parse_model(PublishBody, await _optional_json(request))
    item_ref, language_ref = _refs(request)
    await emulator_of(request).store.run(lambda tx: publish(tx, item_ref, language_ref, body))
    return no_content()


async def put_unpublish(request: Request) -> Response:
    item_ref, language_ref = _refs(request)
    await emulator_of(request).store.run(lambda tx: unpublish(tx, item_ref, language_ref))
    return no_content()


async def put_unpublish_and_archive(request: Request) -> Response:
    body = parse_model(PublishBody, await _optional_json(request))
    item_ref, language_ref = _refs(request)
    await emulator_of(request).store.run(lambda tx: unpublish_and_archive(tx, item_ref, language_ref, body))
    return no_content()


async def put_cancel_scheduled_publish(request: Request) -> Response:
    item_ref, language_ref = _refs(request)
    await emulator_of(request).store.run(lambda tx: cancel_scheduled_publish(tx, item_ref, language_ref))
    return no_content()


async def put_schedule_publish_and_unpublish(request: Request) -> Response:
    body = parse_model(ScheduleBody, await _optional_json(request))
    item_ref, language_ref = _refs(request)
    await emulator_of(request).store.run(
        lambda tx: schedule_publish_and_unpublish(tx, item_ref, language_ref, body)
    )
    return no_content()


async def put_cancel_scheduled_unpublish(request: Request) -> Response:
    item_ref, language_ref = _refs(request)
    await emulator_of(request).store.run(lambda tx: cancel_scheduled_unpublish(tx, item_ref, language_ref))
    return no_content()


async def delete_variant_handler(request: Request) -> Response:
    item_ref, language_ref = _refs(request)
    await emulator_of(request).store.run(lambda tx: delete_variant(tx, item_ref, language_ref))
    return no_content()


async def put_new_version(request: Request) -> Response:
    item_ref, language_ref = _refs(request)
    await emulator_of(request).store.run(lambda tx: new_version(tx, item_ref, language_ref))
    return no_content()


async def put_change_workflow(request: Request) -> Response:
    body = parse_model(ChangeWorkflowBody, await read_json(request))
    item_ref, language_ref = _refs(request)
    await emulator_of(request).store.run(lambda tx: change_workflow(tx, item_ref, language_ref, body))
    return no_content()


_VARIANT = "/items/{ref:ref}/variants/{language_ref:ref}"
routes = [
    by_method(_VARIANT + "/publish", PUT=put_publish),
    by_method(_VARIANT + "/unpublish", PUT=put_unpublish),
    by_method(_VARIANT + "/unpublish-and-archive", PUT=put_unpublish_and_archive),
    by_method(_VARIANT + "/cancel-scheduled-publish", PUT=put_cancel_scheduled_publish),
    by_method(_VARIANT + "/schedule-publish-and-unpublish", PUT=put_schedule_publish_and_unpublish),
    by_method(_VARIANT + "/cancel-scheduled-unpublish", PUT=put_cancel_scheduled_unpublish),
    by_method(_VARIANT + "/new-version", PUT=put_new_version),
    by_method(_VARIANT + "/change-workflow", PUT=put_change_workflow),
    by_method(_VARIANT + "/published", GET=get_published_variant),
    by_method(_VARIANT, GET=get_variant, PUT=put_variant, DELETE=delete_variant_handler),
    by_method("/items/{ref:ref}/variants", GET=list_variants),
]
