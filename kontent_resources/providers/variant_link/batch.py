"""The read-modify-write of one variant, shared by every link that changes it at once.

Links edit a shared list (an asset element's value), so each change is queued per variant and the
holder of the variant's lock does every queued change in one read and one write (and at most one
new version and one publish). Each link touches only its own entry: concurrent links on one
variant lose nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kontent_resources.client import KontentError
from kontent_resources.models import LanguageVariant
from kontent_resources.models.common import RequestReference
from kontent_resources.models.variants import AssetElementValue, VariantElementUpsert
from kontent_resources.providers.errors import KontentResourceError
from kontent_resources.providers.runtime import Environment
from kontent_resources.providers.usage import variants_changed
from kontent_resources.providers.variant_link import recovery, workflow
from kontent_resources.providers.variant_link.elements import find, wanted_values
from kontent_resources.providers.variant_link.inputs import LinkInputs
from kontent_resources.providers.variant_link.target import Target, rendition_ids

log = logging.getLogger(__name__)

Values = dict[str, list[AssetElementValue]]  # element id → the element's asset references


@dataclass(frozen=True)
class EditResult:
    state: str  # "draft" or "published": the variant's state after the edit
    present: bool
    found: bool = False  # the entry was in the element before this edit


@dataclass(eq=False)
class _Edit:
    """One link's change of one variant, waiting for (or done by) the variant's lock holder."""

    target: Target
    inputs: LinkInputs
    present: bool
    found: bool = False
    result: EditResult | None = None
    error: BaseException | None = None


def edit(env: Environment, target: Target, inputs: LinkInputs, *, present: bool) -> EditResult:
    """This link's change, done with every other change waiting for the same variant."""
    key = target.variant
    change = _Edit(target, inputs, present)
    env.variant_edits.add(key, change)
    with env.variant_lock(*key):
        batch = env.variant_edits.take(key)
        if batch:
            _apply(env, key, batch)
    if change.error is not None:
        raise change.error
    assert change.result is not None, "every queued edit is done by the lock holder that takes it"
    return change.result


def _apply(env: Environment, key: tuple[str, str], batch: list[_Edit]) -> None:
    """One read, one write (and at most one new version and one publish) for ``batch``."""
    first = batch[0].target
    try:
        variant = env.client.variants.get(*first.variant)
        published = workflow.is_published(env, variant)
        if published:  # a new version and a publish per write: worth a moment for other links
            batch.extend(env.variant_edits.take(key, wait=True))
        before: Values = {}
        wanted: Values = {}
        accepted = [change for change in batch if _plan(env, change, variant, published, before, wanted)]
        changed = {
            element_id: values for element_id, values in wanted.items() if values != before[element_id]
        }
        state = "published" if published else "draft"
        if changed:
            state = _write(env, first, variant, changed, publish=any(c.inputs.publish for c in accepted))
    except BaseException as error:  # every waiting link must be released with the outcome
        for change in batch:
            if change.result is None and change.error is None:
                change.error = error
        return
    for change in accepted:
        change.result = EditResult(state, change.present, change.found)


def _plan(
    env: Environment, change: _Edit, variant: LanguageVariant, published: bool, before: Values, wanted: Values
) -> bool:
    """Add ``change`` to ``wanted``; False (with the change's error) when it is refused."""
    target = change.target
    element_id = target.element.id
    try:
        if published and change.inputs.publish:
            workflow.refuse_publish_the_workflow_forbids(env, variant, change.inputs)
        if not change.present and not published:
            workflow.refuse_unpublishable_removal(env, target, change.inputs)
        renditions = rendition_ids(env, target, change.inputs) if change.present else []
    except (KontentError, KontentResourceError) as error:
        change.error = error
        return False
    current = wanted.setdefault(element_id, before.setdefault(element_id, variant.asset_values(element_id)))
    change.found = find(current, target.asset) is not None
    wanted[element_id] = wanted_values(current, target.asset, renditions, present=change.present)
    return True


def _write(
    env: Environment, target: Target, variant: LanguageVariant, changed: Values, *, publish: bool
) -> str:
    """Write the changed elements; returns the variant's state afterwards."""
    client = env.client
    workflow.refuse_locked_step(env, variant)
    published = workflow.is_published(env, variant)
    if published:
        recovery.step(env, target, client.variants.create_new_version, published_after=False)
    elements = [
        VariantElementUpsert.assets(RequestReference(id=element_id), values)
        for element_id, values in changed.items()
    ]
    client.variants.upsert(*target.variant, elements)
    variants_changed(env)  # what uses an asset changed: the next lookup scans again
    if published and publish:
        recovery.step(env, target, client.variants.publish, published_after=True)
        variants_changed(env)
        return "published"
    if published:
        log.warning(
            "item %s is published; its change is in a new draft (publish=False), and the live version "
            "keeps the previous assets until that draft is published",
            target.item_id,
        )
    return "draft"
