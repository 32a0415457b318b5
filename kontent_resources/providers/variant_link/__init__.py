"""VariantAssetLink: one asset referenced from one asset element of one language variant.

The provider class lives here (stacks' states name it as ``kontent_resources.providers.variant_link
.VariantAssetLinkProvider``); each concern has a module of its own:

* ``inputs``: the typed inputs (``LinkInputs``) and the outputs the state records (``LinkOutputs``);
* ``target``: the item, language, element, asset and renditions, each resolved to its internal id;
* ``elements``: the asset element's value, read and written through ``models/variants.py``;
* ``batch``: the read-modify-write per variant, one read and one write for the links changing it;
* ``workflow``: what the variant's workflow step allows (published, scheduled, archived);
* ``recovery``: carrying on when a new version or publish was applied but its answer was lost.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from kontent_resources.client import KontentError, KontentNotFoundError
from kontent_resources.providers.base import KontentProvider
from kontent_resources.providers.environment_checks import EnvironmentChecks
from kontent_resources.providers.errors import KontentResourceError
from kontent_resources.providers.props import applied, changed_keys, diff_result, with_applied
from kontent_resources.providers.validation import Failures
from kontent_resources.providers.variant_link import workflow
from kontent_resources.providers.variant_link.batch import EditResult, edit
from kontent_resources.providers.variant_link.elements import find, rendition_keys
from kontent_resources.providers.variant_link.inputs import LinkInputs, LinkOutputs
from kontent_resources.providers.variant_link.target import Target, rendition_ids, resolve

__all__ = ["LinkInputs", "LinkOutputs", "VariantAssetLinkProvider"]

log = logging.getLogger(__name__)


class VariantAssetLinkProvider(KontentProvider):
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        self.refuse_unusable_settings()
        failures = Failures()
        news = failures.unsendable(news)
        LinkInputs.check_values(news, failures)
        environment = EnvironmentChecks(self, olds, news, failures)
        environment.language()
        environment.item_element()
        environment.asset()
        if not failures.items:
            LinkInputs.parsed(news, failures)
        return CheckResult(news, failures.items)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changes = changed_keys(olds, news, LinkInputs.DIFFED)
        replace_on = LinkInputs.REPLACE_ON
        # Another form of the same reference (``codename/home`` → home's id) is the same link:
        # an update of the inputs, not a replacement that writes and then removes one entry.
        retargeted = any(key in replace_on for key in changes) and not self._same_target(olds, news)
        return self.keeping("link", id_, news, diff_result(changes, replace_on if retargeted else ()))

    def _same_target(self, olds: dict[str, Any], news: dict[str, Any]) -> bool:
        inputs = LinkInputs.of(news)
        if not all(inputs.is_known(key) for key in LinkInputs.REPLACE_ON) or self._settings is None:
            return False
        try:
            target = resolve(self.env, inputs)
        except (KontentError, KontentResourceError):
            return False  # unresolvable now: a replacement, whose create reports the problem
        old = LinkOutputs.of(olds)
        return (target.item_id, target.language_id, target.element.id, target.asset.id) == (
            old.item_id,
            old.language_id,
            old.element_id,
            old.asset_id,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = LinkInputs.of(props)
        with self.api_errors(f"link asset into {inputs.where} {inputs.element}"):
            target = resolve(self.env, inputs)
            result = edit(self.env, target, inputs, present=True)
        link_id = self.kept("link", target.link_id, inputs.recorded())
        return CreateResult(id_=link_id, outs=self._outs(target, result, inputs))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        inputs = LinkInputs.of(news)
        with self.api_errors(f"update link in {inputs.where} {inputs.element}"):
            target = resolve(self.env, inputs)
            # Whether the entry was found or made is settled at create; the update keeps that.
            result = replace(
                edit(self.env, target, inputs, present=True), found=LinkOutputs.of(olds).found_existing
            )
        self.kept("link", id_, inputs.recorded())
        return UpdateResult(outs=self._outs(target, result, inputs))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        inputs = LinkInputs.valid_part(applied(props) or props)
        if self.left_to_another("link", id_, props) or self._leave_found_entry(id_, props):
            return
        with self.api_errors(f"unlink asset from {inputs.where}"):
            try:
                edit(self.env, resolve(self.env, inputs), inputs, present=False)
            except KontentNotFoundError:
                return  # the item, variant or element is gone, and the link with it

    @staticmethod
    def _leave_found_entry(id_: str, props: dict[str, Any]) -> bool:
        """An entry that was in the element before this link made it is someone else's: it stays."""
        if not LinkOutputs.of(props).found_existing:
            return False
        log.warning(
            "left link %s in the content: the reference was in the element before this stack linked it, "
            "so it is not the stack's to remove",
            id_,
        )
        return True

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        inputs = LinkInputs.valid_part(applied(props))
        with self.api_errors(f"read link {id_}"):
            try:
                target = resolve(self.env, inputs)
                variant = self.env.client.variants.get(*target.variant)
            except KontentNotFoundError:
                return ReadResult(None, {})
        entry = find(variant.asset_values(target.element.id), target.asset)
        if entry is None:
            return ReadResult(None, {})
        # The inputs refresh reports: as written unless the element's renditions really differ.
        actual = rendition_keys(entry)
        if sorted(rendition_ids(self.env, target, inputs)) != actual:
            inputs = inputs.model_copy(update={"renditions": tuple(actual) or None})
        state = "published" if workflow.is_published(self.env, variant) else "draft"
        result = EditResult(state, True, LinkOutputs.of(props).found_existing)
        return ReadResult(id_, self._outs(target, result, inputs), inputs.recorded())

    @staticmethod
    def _outs(target: Target, result: EditResult, inputs: LinkInputs) -> dict[str, Any]:
        state = LinkOutputs(
            item_id=target.item_id,
            language_id=target.language_id,
            element_id=target.element.id,
            asset_id=target.asset.id,
            variant_state=result.state,
            found_existing=result.found,
        )
        recorded = inputs.recorded()
        shown = {k: v for k, v in recorded.items() if k in LinkInputs.DIFFED}
        return with_applied({**shown, **state.outputs()}, recorded)
