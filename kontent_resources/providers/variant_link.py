"""VariantAssetLink: one asset referenced from one asset element of one language variant.

Links edit a shared list (the element's value), so each change is a read-modify-write under a
per-variant lock, and touches only its own entry: other references in the element survive, and
concurrent links on one variant lose nothing. Published variants get a new version first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from kontent_resources.client import KontentBadRequestError, KontentError, KontentNotFoundError
from kontent_resources.client.identifiers import parse_ref, to_reference
from kontent_resources.models import ContentTypeElement, LanguageVariant, Workflow
from kontent_resources.models.common import RequestReference
from kontent_resources.models.variants import AssetElementValue, VariantElementUpsert
from kontent_resources.providers.base import KontentProvider
from kontent_resources.providers.claims import RESOURCE_PATH
from kontent_resources.providers.environment_checks import EnvironmentChecks, asset_id, item_target
from kontent_resources.providers.errors import KontentResourceError
from kontent_resources.providers.props import applied, changed_keys, diff_result, with_applied
from kontent_resources.providers.usage import variants_changed
from kontent_resources.providers.validation import Failures, is_unknown

log = logging.getLogger(__name__)

# Recorded at create: the element already held this reference (an editor's), so removing the
# link leaves it where it was found.
FOUND_EXISTING = "found_existing"
_DIFFED = ("item", "language", "element", "asset", "renditions", "publish")
_REPLACE_ON = ("item", "language", "element", "asset")


@dataclass(frozen=True)
class Target:
    """The resolved variant element a link lives in."""

    item_id: str
    language_id: str
    element: ContentTypeElement
    asset: RequestReference

    @property
    def link_id(self) -> str:
        asset_key = self.asset.id or f"external-id/{self.asset.external_id}"
        return f"{self.item_id}/{self.language_id}/{self.element.codename}/{asset_key}"


@dataclass(frozen=True)
class EditResult:
    state: str  # "draft" or "published": the variant's state after the edit
    present: bool
    found: bool = False  # the entry was in the element before this edit


@dataclass(eq=False)
class _Edit:
    """One link's change of one variant, waiting for (or done by) the variant's lock holder."""

    target: Target
    props: dict[str, Any]
    present: bool
    found: bool = False
    result: EditResult | None = None
    error: BaseException | None = None


def _same_asset(entry: dict[str, Any], asset: RequestReference) -> bool:
    # Never None == None: an unresolved reference must match no entry, not an editor's first one.
    if asset.id is not None:
        return entry.get("id") == asset.id
    return asset.external_id is not None and entry.get("external_id") == asset.external_id


def _entries(variant: LanguageVariant, element_id: str) -> list[dict[str, Any]]:
    for element in variant.elements:
        if element.element.id == element_id:
            return [dict(entry) for entry in (element.value or [])]
    return []


def _rendition_ids(entry: dict[str, Any]) -> list[str]:
    return sorted(r.get("id") or f"external-id/{r.get('external_id')}" for r in entry.get("renditions") or [])


def _same_renditions(wanted: list[str], actual: list[str], inputs: dict[str, Any]) -> dict[str, Any]:
    """The inputs refresh reports: as written unless the element's renditions really differ."""
    if sorted(wanted) == actual:
        return inputs
    return {**inputs, "renditions": actual or None}


class VariantAssetLinkProvider(KontentProvider):
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        self.refuse_unusable_settings()
        failures = Failures()
        news = failures.unsendable(news)
        for prop, what in (("item", "content item"), ("language", "language"), ("asset", "asset")):
            if news.get(prop) is None:
                failures.add(prop, f"is required: give the {what}'s id or 'codename/<x>'.")
            failures.reference(prop, news.get(prop), what)
        failures.codename("element", news.get("element"))
        if news.get("element") is None:
            failures.add("element", "is required: give the codename of an asset element, e.g. 'hero_image'.")
        renditions = news.get("renditions")
        if renditions is not None and not is_unknown(renditions):
            if not isinstance(renditions, list):
                failures.add("renditions", "must be a list of Rendition ids.")
            else:
                for rendition in renditions:
                    failures.reference("renditions", rendition, "rendition", codename=False)
        environment = EnvironmentChecks(self, olds, news, failures)
        environment.language()
        environment.item_element()
        environment.asset()
        return CheckResult(news, failures.items)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changes = changed_keys(olds, news, _DIFFED)
        # Another form of the same reference (``codename/home`` → home's id) is the same link:
        # an update of the inputs, not a replacement that writes and then removes one entry.
        retargeted = any(key in _REPLACE_ON for key in changes) and not self._same_target(olds, news)
        return self.keeping("link", id_, news, diff_result(changes, _REPLACE_ON if retargeted else ()))

    def _same_target(self, olds: dict[str, Any], news: dict[str, Any]) -> bool:
        if any(is_unknown(news.get(key)) for key in _REPLACE_ON) or self._settings is None:
            return False
        try:
            target = self._resolve(news)
        except (KontentError, KontentResourceError):
            return False  # unresolvable now: a replacement, whose create reports the problem
        return (target.item_id, target.language_id, target.element.id, target.asset.id) == (
            olds.get("item_id"),
            olds.get("language_id"),
            olds.get("element_id"),
            olds.get("asset_id"),
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        with self.api_errors(f"link asset into {props['item']} ({props['language']}) {props['element']}"):
            target = self._resolve(props)
            result = self._edit(target, props, present=True)
        return CreateResult(
            id_=self.kept("link", target.link_id, props), outs=self._outs(target, result, props)
        )

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        with self.api_errors(f"update link in {news['item']} ({news['language']}) {news['element']}"):
            target = self._resolve(news)
            # Whether the entry was found or made is settled at create; the update keeps that.
            result = replace(self._edit(target, news, present=True), found=bool(olds.get(FOUND_EXISTING)))
        self.kept("link", id_, news)
        return UpdateResult(outs=self._outs(target, result, news))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        inputs = applied(props) or props
        if self.left_to_another("link", id_, props) or self._leave_found_entry(id_, props):
            return
        with self.api_errors(f"unlink asset from {inputs.get('item')} ({inputs.get('language')})"):
            try:
                target = self._resolve(inputs)
                self._edit(target, inputs, present=False)
            except KontentNotFoundError:
                return  # the item, variant or element is gone, and the link with it

    @staticmethod
    def _leave_found_entry(id_: str, props: dict[str, Any]) -> bool:
        """An entry that was in the element before this link made it is someone else's: it stays."""
        if not props.get(FOUND_EXISTING):
            return False
        log.warning(
            "left link %s in the content: the reference was in the element before this stack linked it, "
            "so it is not the stack's to remove",
            id_,
        )
        return True

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        inputs = applied(props)
        with self.api_errors(f"read link {id_}"):
            try:
                target = self._resolve(inputs)
                variant = self.env.client.variants.get(target.item_id, target.language_id)
            except KontentNotFoundError:
                return ReadResult(None, {})
        entry = next((e for e in _entries(variant, target.element.id) if _same_asset(e, target.asset)), None)
        if entry is None:
            return ReadResult(None, {})
        inputs = _same_renditions(self._rendition_ids(target, inputs), _rendition_ids(entry), inputs)
        state = "published" if self._is_published(variant) else "draft"
        found = bool(props.get(FOUND_EXISTING))
        return ReadResult(id_, self._outs(target, EditResult(state, True, found), inputs), inputs)

    # -- resolution ------------------------------------------------------------------------

    def _resolve(self, props: dict[str, Any]) -> Target:
        """Every reference by internal id, each distinct one looked up once per deployment."""
        env = self.env
        item_id, type_id = item_target(env, props["item"])
        element = self._asset_element(type_id, props["element"])
        asset = self._asset_by_id(props["asset"])
        return Target(item_id, self._language_id(props["language"]), element, asset)

    def _asset_by_id(self, ref: str) -> RequestReference:
        """The API returns an element's asset references by internal id only: compare and write by id."""
        reference = to_reference(ref)
        if reference.id is not None:
            return reference
        return RequestReference(id=asset_id(self.env, ref))

    def _language_id(self, ref: str) -> str:
        kind, value = parse_ref(ref)
        languages = self.env.languages.get()
        for language in languages:
            if {"id": language.id, "codename": language.codename, "external_id": language.external_id}[
                kind
            ] == value:
                return language.id
        known = ", ".join(f"codename/{language.codename}" for language in languages)
        raise KontentResourceError(
            f"language: {ref!r} is not a language of this environment; use one of {known}."
        )

    def _asset_element(self, type_id: str, codename: str) -> ContentTypeElement:
        content_type = self.env.content_type(type_id)
        asset_elements = [e.codename for e in content_type.elements if e.type == "asset" and e.codename]
        element = next((e for e in content_type.elements if e.codename == codename), None)
        if element is None or element.type != "asset":
            problem = (
                f"has no element {codename!r}"
                if element is None
                else f"has element {codename!r} of type {element.type}, not an asset element"
            )
            raise KontentResourceError(
                f"element: content type {content_type.codename!r} {problem}. "
                f"Use one of its asset elements: {', '.join(asset_elements) or '(none)'}."
            )
        return element

    # -- the read-modify-write -------------------------------------------------------------

    def _edit(self, target: Target, props: dict[str, Any], *, present: bool) -> EditResult:
        """This link's change, done with every other change waiting for the same variant."""
        env = self.env
        key = (target.item_id, target.language_id)
        edit = _Edit(target, props, present)
        env.variant_edits.add(key, edit)
        with env.variant_lock(*key):
            batch = env.variant_edits.take(key)
            if batch:
                self._apply(key, batch)
        if edit.error is not None:
            raise edit.error
        assert edit.result is not None, "every queued edit is done by the lock holder that takes it"
        return edit.result

    def _apply(self, key: tuple[str, str], batch: list[_Edit]) -> None:
        """One read, one write (and at most one new version and one publish) for ``batch``."""
        first = batch[0].target
        try:
            variant = self.env.client.variants.get(first.item_id, first.language_id)
            published = self._is_published(variant)
            if published:  # a new version and a publish per write: worth a moment for other links
                batch.extend(self.env.variant_edits.take(key, wait=True))
            before: dict[str, list[dict[str, Any]]] = {}
            wanted: dict[str, list[dict[str, Any]]] = {}
            accepted = [edit for edit in batch if self._plan(edit, variant, published, before, wanted)]
            changed = {
                element_id: entries for element_id, entries in wanted.items() if entries != before[element_id]
            }
            state = "published" if published else "draft"
            if changed:
                state = self._write(
                    first, variant, changed, publish=any(e.props.get("publish") for e in accepted)
                )
        except BaseException as error:  # every waiting link must be released with the outcome
            for edit in batch:
                if edit.result is None and edit.error is None:
                    edit.error = error
            return
        for edit in accepted:
            edit.result = EditResult(state, edit.present, edit.found)

    def _plan(
        self,
        edit: _Edit,
        variant: LanguageVariant,
        published: bool,
        before: dict[str, list[dict[str, Any]]],
        wanted: dict[str, list[dict[str, Any]]],
    ) -> bool:
        """Add ``edit``'s change to ``wanted``; False (with the edit's error) when it is refused."""
        target = edit.target
        element_id = target.element.id
        try:
            if published and edit.props.get("publish"):
                self._refuse_publish_the_workflow_forbids(variant, edit.props)
            if not edit.present and not published:
                self._refuse_unpublishable_removal(target, edit.props)
            renditions = self._rendition_ids(target, edit.props) if edit.present else []
        except (KontentError, KontentResourceError) as error:
            edit.error = error
            return False
        current = wanted.setdefault(element_id, before.setdefault(element_id, _entries(variant, element_id)))
        edit.found = any(_same_asset(entry, target.asset) for entry in current)
        wanted[element_id] = self._wanted_entries(current, target.asset, renditions, present=edit.present)
        return True

    def _write(
        self,
        target: Target,
        variant: LanguageVariant,
        changed: dict[str, list[dict[str, Any]]],
        *,
        publish: bool,
    ) -> str:
        """Write the changed elements; returns the variant's state afterwards."""
        client = self.env.client
        self._refuse_locked_step(variant)
        published = self._is_published(variant)
        if published:
            self._step(target, client.variants.create_new_version, published_after=False)
        elements = [
            VariantElementUpsert.assets(
                RequestReference(id=element_id),
                [AssetElementValue.model_validate(entry) for entry in entries],
            )
            for element_id, entries in changed.items()
        ]
        client.variants.upsert(target.item_id, target.language_id, elements)
        variants_changed(self.env)  # what uses an asset changed: the next lookup scans again
        if published and publish:
            self._step(target, client.variants.publish, published_after=True)
            variants_changed(self.env)
            return "published"
        if published:
            log.warning(
                "item %s is published; its change is in a new draft (publish=False), and the live version "
                "keeps the previous assets until that draft is published",
                target.item_id,
            )
        return "draft"

    def _refuse_publish_the_workflow_forbids(self, variant: LanguageVariant, props: dict[str, Any]) -> None:
        """A published variant is edited in a new version, which starts in its workflow's first step;
        publishing it again is only possible when that step may go to Published. A workflow with a
        review step between them is there so that someone reviews: refused before anything changes."""
        workflow = self._workflow_of(variant)
        if workflow is None or workflow.published_step is None or not workflow.steps:
            return
        first = workflow.steps[0]
        targets = [t.step.id for t in first.transitions_to]
        if workflow.published_step.id in targets:
            return
        names = {step.id: step.name for step in workflow.steps}
        allowed = ", ".join(repr(names.get(t or "", t)) for t in targets) or "no other step"
        raise KontentResourceError(
            f"publish: item {props.get('item')!r} ({props.get('language')}) is published, and its workflow "
            f"{workflow.name!r} starts a new version in step {first.name!r}, which cannot go to Published "
            f"(only to {allowed}). Publishing this change would skip that review. Nothing was changed.\n"
            "  fix: set publish=False on this link: the change goes into a new draft that follows the "
            "workflow, and the live version keeps its current assets until that draft is published."
        )

    def _refuse_unpublishable_removal(self, target: Target, props: dict[str, Any]) -> None:
        """Removing a link from a variant whose live version still shows the asset, below a newer draft.

        The draft is unpublished work (an editor's, usually): the removal can only edit it. With
        ``publish=True`` the user asked for the live page to follow, which would mean publishing
        that work: refused before anything changes. With ``publish=False`` the draft is edited and
        the live page keeps the asset until someone publishes, as that setting promises.
        """
        live = self.env.client.variants.get_published(target.item_id, target.language_id)
        if live is None or not any(_same_asset(e, target.asset) for e in _entries(live, target.element.id)):
            return
        where = f"item {props.get('item')!r} ({props.get('language')})"
        if props.get("publish"):
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

    def _step(self, target: Target, step: Callable[[str, str], None], *, published_after: bool) -> None:
        """New version or publish. The client retries a request whose answer was lost; when the
        first attempt was applied, the retry is refused (400: "not published" / "already
        published"). The variant then already is where we wanted it: carry on."""
        try:
            step(target.item_id, target.language_id)
        except KontentBadRequestError:
            variant = self.env.client.variants.get(target.item_id, target.language_id)
            if self._is_published(variant) != published_after:
                raise

    def _rendition_ids(self, target: Target, props: dict[str, Any]) -> list[str]:
        """The link's renditions by internal id: the API answers them by id only, so an
        ``external-id/<x>`` written as given would read back as drift on every refresh."""
        asset_id = target.asset.id or ""
        return [self._rendition_id(asset_id, ref) for ref in props.get("renditions") or []]

    def _rendition_id(self, asset_id: str, ref: str) -> str:
        kind, value = parse_ref(ref)
        if kind == "id":
            return value
        load = lambda: self.env.client.renditions.get(asset_id, ref).rendition_id  # noqa: E731
        return self.env.references.get(("rendition", asset_id, ref), load)

    @staticmethod
    def _wanted_entries(
        entries: list[dict[str, Any]], asset: RequestReference, renditions: list[str], *, present: bool
    ) -> list[dict[str, Any]]:
        others = [e for e in entries if not _same_asset(e, asset)]
        if not present:
            return others
        current = next((e for e in entries if _same_asset(e, asset)), None)
        entry: dict[str, Any] = dict(current) if current else asset.model_dump(exclude_none=True)
        if renditions:
            entry["renditions"] = [{"id": rendition_id} for rendition_id in renditions]
        elif entry.get("renditions"):
            entry.pop("renditions")  # an empty list read back is the same as none: no write for it
        if current is not None:
            return [entry if _same_asset(e, asset) else e for e in entries]
        return [*entries, entry]

    @staticmethod
    def _workflow_id(variant: LanguageVariant) -> str | None:
        identifier = variant.workflow.workflow_identifier if variant.workflow else None
        return identifier.id if identifier else None

    def _workflow_of(self, variant: LanguageVariant) -> Workflow | None:
        workflow_id = self._workflow_id(variant)
        return next((w for w in self.env.workflows.get() if w.id == workflow_id), None)

    def _fixed_steps(self, variant: LanguageVariant) -> dict[str, str]:
        workflow_id = self._workflow_id(variant)
        steps: dict[str, str] = {}
        for workflow in self.env.workflows.get():
            if workflow_id in (None, workflow.id):
                for kind in ("published", "scheduled", "archived"):
                    step = getattr(workflow, f"{kind}_step")
                    if step is not None:
                        steps[step.id] = kind
        return steps

    def _step_kind(self, variant: LanguageVariant) -> str | None:
        step = (
            variant.workflow.step_identifier
            if variant.workflow and variant.workflow.step_identifier
            else None
        )
        step_id = step.id if step else (variant.workflow_step.id if variant.workflow_step else None)
        return self._fixed_steps(variant).get(step_id or "")

    def _is_published(self, variant: LanguageVariant) -> bool:
        return self._step_kind(variant) == "published"

    def _refuse_locked_step(self, variant: LanguageVariant) -> None:
        kind = self._step_kind(variant)
        if kind in ("scheduled", "archived"):
            raise KontentResourceError(
                f"the variant is {kind}, and Kontent.ai does not let {kind} variants change. "
                + (
                    "Cancel the scheduled publishing first."
                    if kind == "scheduled"
                    else "Restore it to a workflow step first."
                )
            )

    def _outs(self, target: Target, result: EditResult, inputs: dict[str, Any]) -> dict[str, Any]:
        outs = {
            **{k: v for k, v in inputs.items() if k != RESOURCE_PATH},
            "item_id": target.item_id,
            "language_id": target.language_id,
            "element_id": target.element.id,
            "asset_id": target.asset.id,
            "variant_state": result.state,
            FOUND_EXISTING: result.found,
        }
        return with_applied(outs, inputs)
