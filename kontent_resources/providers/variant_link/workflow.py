"""What a variant's workflow step allows a link to do, told before anything is written.

Kontent.ai does not let Published, Scheduled or Archived variants change: a published one is
edited in a new version (and published again when the link asks for it), the other two are refused.
"""

from __future__ import annotations

import logging

from kontent_resources.models import LanguageVariant, Workflow
from kontent_resources.providers.errors import KontentResourceError
from kontent_resources.providers.runtime import Environment
from kontent_resources.providers.variant_link.elements import find
from kontent_resources.providers.variant_link.inputs import LinkInputs
from kontent_resources.providers.variant_link.target import Target

log = logging.getLogger(__name__)

_FIXED_STEPS = ("published", "scheduled", "archived")


def step_kind(env: Environment, variant: LanguageVariant) -> str | None:
    """ "published", "scheduled" or "archived" when the variant is in that fixed step, else None."""
    steps: dict[str, str] = {}
    for workflow in env.workflows.get():
        if variant.workflow_id in (None, workflow.id):
            for kind, step in zip(
                _FIXED_STEPS,
                (workflow.published_step, workflow.scheduled_step, workflow.archived_step),
                strict=True,
            ):
                if step is not None:
                    steps[step.id] = kind
    return steps.get(variant.step_id or "")


def is_published(env: Environment, variant: LanguageVariant) -> bool:
    return step_kind(env, variant) == "published"


def refuse_locked_step(env: Environment, variant: LanguageVariant) -> None:
    kind = step_kind(env, variant)
    if kind in ("scheduled", "archived"):
        raise KontentResourceError(
            f"the variant is {kind}, and Kontent.ai does not let {kind} variants change. "
            + (
                "Cancel the scheduled publishing first."
                if kind == "scheduled"
                else "Restore it to a workflow step first."
            )
        )


def refuse_publish_the_workflow_forbids(
    env: Environment, variant: LanguageVariant, inputs: LinkInputs
) -> None:
    """A published variant is edited in a new version, which starts in its workflow's first step;
    publishing it again is only possible when that step may go to Published. A workflow with a
    review step between them is there so that someone reviews: refused before anything changes."""
    workflow = _workflow_of(env, variant)
    if workflow is None or workflow.published_step is None or not workflow.steps:
        return
    first = workflow.steps[0]
    targets = [t.step.id for t in first.transitions_to]
    if workflow.published_step.id in targets:
        return
    names = {step.id: step.name for step in workflow.steps}
    allowed = ", ".join(repr(names.get(t or "", t)) for t in targets) or "no other step"
    raise KontentResourceError(
        f"publish: item {inputs.item!r} ({inputs.language}) is published, and its workflow "
        f"{workflow.name!r} starts a new version in step {first.name!r}, which cannot go to Published "
        f"(only to {allowed}). Publishing this change would skip that review. Nothing was changed.\n"
        "  fix: set publish=False on this link: the change goes into a new draft that follows the "
        "workflow, and the live version keeps its current assets until that draft is published."
    )


def refuse_unpublishable_removal(env: Environment, target: Target, inputs: LinkInputs) -> None:
    """Removing a link from a variant whose live version still shows the asset, below a newer draft.

    The draft is unpublished work (an editor's, usually): the removal can only edit it. With
    ``publish=True`` the user asked for the live page to follow, which would mean publishing
    that work: refused before anything changes. With ``publish=False`` the draft is edited and
    the live page keeps the asset until someone publishes, as that setting promises.
    """
    live = env.client.variants.get_published(*target.variant)
    if live is None or find(live.asset_values(target.element.id), target.asset) is None:
        return
    where = f"item {inputs.item!r} ({inputs.language})"
    if inputs.publish:
        raise KontentResourceError(
            f"cannot remove asset {target.asset.id} from the published version of {where}: the item "
            "has a newer draft that is not published, and taking the asset off the live page would "
            "publish that draft with it. Nothing was changed.\n  fix: ask whoever works on the draft "
            "to publish or discard it in Kontent.ai, then run again."
        )
    log.warning(
        "removed asset %s from the draft of %s only: its published version keeps showing the asset "
        "until that draft is published (publish=False), and the asset cannot be deleted until then",
        target.asset.id,
        where,
    )


def _workflow_of(env: Environment, variant: LanguageVariant) -> Workflow | None:
    return next((w for w in env.workflows.get() if w.id == variant.workflow_id), None)
