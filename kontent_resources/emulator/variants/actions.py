"""Language variants: the workflow actions (publish, schedule, unpublish, archive, cancel, new
version, change workflow, delete) and the rules each follows; every rule cites its passage."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from .. import domain, errors
from ..errors import invalid_body
from ..refs import Identifier, find
from ..store import Doc, Tx
from .bodies import ChangeWorkflowBody, PublishBody, ScheduleBody
from .models import (
    empty_schedule,
    iso,
    parse_time,
    publish_now,
    require_variant,
    save_variant,
    schedule_of,
    set_step,
    step_of,
    utcnow,
    variant_key,
)


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
        when = parse_time(body.scheduled_to)
    except ValueError as exc:
        message = f"The provided value '{body.scheduled_to}' is not a valid datetime string."
        raise invalid_body((message, f"{prefix}scheduled_to")) from exc
    if when <= utcnow():
        raise invalid_body(
            ("The provided date-time value needs to be in the future.", f"{prefix}scheduled_to")
        )
    return when


def publish(tx: Tx, item_ref: Identifier, language_ref: Identifier, body: PublishBody) -> None:
    when = _validated_schedule(body)
    variant = require_variant(tx, item_ref, language_ref)
    step = step_of(variant)
    if step in domain.LOCKED_STEPS:
        raise errors.bad_request(
            f"The language variant is in the {domain.LOCKED_STEPS[step]} workflow step and cannot be "
            "published."
        )
    require_transition(tx, variant, domain.PUBLISHED_STEP, "published")
    if when is None:
        publish_now(variant)
    else:
        set_step(variant, domain.SCHEDULED_STEP)
        variant["schedule"] = empty_schedule() | {
            "publish_time": iso(when),
            "publish_display_timezone": body.display_timezone,
        }
    save_variant(tx, variant)


def unpublish(tx: Tx, item_ref: Identifier, language_ref: Identifier) -> None:
    variant = require_variant(tx, item_ref, language_ref)
    if not variant.get("_published"):
        raise errors.bad_request(
            "Cannot unpublish a language variant that is not published.", errors.NOT_PUBLISHED_UNPUBLISH
        )
    variant["_published"] = None
    if step_of(variant) == domain.PUBLISHED_STEP:
        _back_to_first_step(tx, variant)
    save_variant(tx, variant)


def unpublish_and_archive(tx: Tx, item_ref: Identifier, language_ref: Identifier, body: PublishBody) -> None:
    """Reference (Unpublish and archive a language variant): "You can unpublish only a published
    language variant"; "You can schedule for unpublishing only variants that are published or
    scheduled for publishing"."""
    when = _validated_schedule(body)
    variant = require_variant(tx, item_ref, language_ref)
    step = step_of(variant)
    if when is None:
        if step != domain.PUBLISHED_STEP:
            raise errors.bad_request(
                "Cannot unpublish a language variant that is not published.", errors.NOT_PUBLISHED_UNPUBLISH
            )
        variant["_published"] = None
        set_step(variant, domain.ARCHIVED_STEP)
        variant["schedule"] = empty_schedule()
    else:
        if step not in (domain.PUBLISHED_STEP, domain.SCHEDULED_STEP):
            raise errors.bad_request(
                "Only a published language variant or one scheduled for publishing can be scheduled for "
                "unpublishing.",
                errors.NOT_PUBLISHED_UNPUBLISH,
            )
        variant["schedule"] = schedule_of(variant) | {
            "unpublish_time": iso(when),
            "unpublish_display_timezone": body.display_timezone,
        }
    save_variant(tx, variant)


def schedule_publish_and_unpublish(
    tx: Tx, item_ref: Identifier, language_ref: Identifier, body: ScheduleBody
) -> None:
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
    variant = require_variant(tx, item_ref, language_ref)
    step = step_of(variant)
    if publish_at is not None and step != domain.PUBLISHED_STEP:
        if step != domain.SCHEDULED_STEP:  # as publish with scheduled_to: a step that may go to Published
            require_transition(tx, variant, domain.PUBLISHED_STEP, "scheduled")
        set_step(variant, domain.SCHEDULED_STEP)
        step = domain.SCHEDULED_STEP
        variant["schedule"] = schedule_of(variant) | {
            "publish_time": iso(publish_at),
            "publish_display_timezone": body.publish_display_timezone,
        }
    if unpublish_at is not None and step not in (domain.PUBLISHED_STEP, domain.SCHEDULED_STEP):
        raise errors.bad_request(
            "Only a published language variant or one scheduled for publishing can be scheduled for "
            "unpublishing.",
            errors.NOT_PUBLISHED_UNPUBLISH,
        )
    variant["schedule"] = schedule_of(variant) | {
        "unpublish_time": None if unpublish_at is None else iso(unpublish_at),
        "unpublish_display_timezone": None if unpublish_at is None else body.unpublish_display_timezone,
    }
    save_variant(tx, variant)


def cancel_scheduled_publish(tx: Tx, item_ref: Identifier, language_ref: Identifier) -> None:
    """Reference (Cancel scheduled publishing): 204 "Scheduled publishing was canceled and the variant
    moved to the first workflow step"; 400 "The specified language variant was not scheduled", error
    218 "Cannot cancel scheduling of a language variant that is not scheduled to publish."."""
    variant = _require_in_step(
        tx,
        item_ref,
        language_ref,
        domain.SCHEDULED_STEP,
        "Cannot cancel scheduling of a language variant that is not scheduled to publish.",
        errors.NOTHING_TO_CANCEL,
    )
    _back_to_first_step(tx, variant)
    variant["schedule"] = empty_schedule()
    save_variant(tx, variant)


def cancel_scheduled_unpublish(tx: Tx, item_ref: Identifier, language_ref: Identifier) -> None:
    """Reference (Cancel scheduled unpublishing): "The scheduled unpublishing date will be removed";
    400 "The specified language variant was not scheduled for unpublishing", error 218 "Nothing to
    cancel. The specified language variant is not scheduled for unpublishing."."""
    variant = require_variant(tx, item_ref, language_ref)
    if schedule_of(variant).get("unpublish_time") is None:
        raise errors.bad_request(
            "Nothing to cancel. The specified language variant is not scheduled for unpublishing.",
            errors.NOTHING_TO_CANCEL,
        )
    variant["schedule"] = schedule_of(variant) | {"unpublish_time": None, "unpublish_display_timezone": None}
    save_variant(tx, variant)


def delete_variant(tx: Tx, item_ref: Identifier, language_ref: Identifier) -> None:
    """Reference (Delete a language variant): 204, or 404 when the variant does not exist."""
    variant = require_variant(tx, item_ref, language_ref)
    tx.delete(domain.VARIANT, variant_key(variant["item"]["id"], variant["language"]["id"]))


def new_version(tx: Tx, item_ref: Identifier, language_ref: Identifier) -> None:
    variant = _require_in_step(
        tx,
        item_ref,
        language_ref,
        domain.PUBLISHED_STEP,
        "Cannot create a new version of a language variant that is not published.",
        errors.NOT_PUBLISHED_NEW_VERSION,
    )
    # Where the new version starts is not stated: assumed the workflow's first step, as in the UI.
    _back_to_first_step(tx, variant)
    save_variant(tx, variant)


def _require_in_step(
    tx: Tx, item_ref: Identifier, language_ref: Identifier, step: str, refusal: str, code: int
) -> Doc:
    """The variant, or the API's 400 ``refusal`` (error ``code``) when it is not in ``step``."""
    variant = require_variant(tx, item_ref, language_ref)
    if step_of(variant) != step:
        raise errors.bad_request(refusal, code)
    return variant


def _back_to_first_step(tx: Tx, variant: Doc) -> None:
    set_step(variant, domain.first_step_id(workflow_of(tx, variant)))


def workflow_of(tx: Tx, variant: Doc) -> Doc:
    workflow = tx.get(domain.WORKFLOW, variant["workflow"]["workflow_identifier"]["id"])
    assert workflow is not None, "workflows in use cannot be deleted"
    return workflow


def require_transition(tx: Tx, variant: Doc, target: str, action: str) -> None:
    workflow = workflow_of(tx, variant)
    current = step_of(variant)
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


def _target_step(workflow: Doc, ref: Identifier) -> str:
    for step in domain.workflow_steps(workflow):
        if (ref.by == "id" and step["id"] == ref.value.lower()) or step.get(ref.by) == ref.value:
            return str(step["id"])
    raise invalid_body(
        (f"The workflow step '{ref.describe()}' does not exist in the workflow.", "step_identifier")
    )


def change_workflow(tx: Tx, item_ref: Identifier, language_ref: Identifier, body: ChangeWorkflowBody) -> None:
    variant = require_variant(tx, item_ref, language_ref)
    workflow = find(tx, domain.WORKFLOW, body.workflow_identifier.to_identifier())
    if workflow is None:
        message = f"The workflow '{body.workflow_identifier.to_identifier().describe()}' does not exist."
        raise invalid_body((message, "workflow_identifier"))
    target = _target_step(workflow, body.step_identifier.to_identifier())
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
    if step_of(variant) == domain.PUBLISHED_STEP:
        raise errors.bad_request(
            "The workflow step of a published language variant cannot be changed. Create a new version or "
            "unpublish it first.",
            errors.INVALID_WORKFLOW_CHANGE,
        )
    if workflow["id"] == variant["workflow"]["workflow_identifier"]["id"] and target != step_of(variant):
        require_transition(tx, variant, target, f"moved to '{domain.step_name(tx, workflow['id'], target)}'")
    set_step(variant, target, workflow["id"])
    variant["schedule"] = empty_schedule()
    save_variant(tx, variant)
