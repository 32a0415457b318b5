"""Where a link lives: its item, language, element and asset, each by internal id.

The API answers an element's references by internal id only, so a link compares and writes by
id. Each distinct reference is looked up once per deployment (``Environment.references``).
"""

from __future__ import annotations

from dataclasses import dataclass

from kontent_resources.client.identifiers import parse_ref, to_reference
from kontent_resources.models import ContentTypeElement
from kontent_resources.models.common import RequestReference
from kontent_resources.providers.environment_checks import asset_id, item_target
from kontent_resources.providers.errors import KontentResourceError
from kontent_resources.providers.runtime import Environment
from kontent_resources.providers.variant_link.inputs import LinkInputs


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

    @property
    def variant(self) -> tuple[str, str]:
        return self.item_id, self.language_id


def resolve(env: Environment, inputs: LinkInputs) -> Target:
    """Every reference by internal id, each distinct one looked up once per deployment."""
    item_id, type_id = item_target(env, inputs.item)
    element = _asset_element(env, type_id, inputs.element)
    return Target(item_id, _language_id(env, inputs.language), element, _asset_by_id(env, inputs.asset))


def rendition_ids(env: Environment, target: Target, inputs: LinkInputs) -> list[str]:
    """The link's renditions by internal id: the API answers them by id only, so an
    ``external-id/<x>`` written as given would read back as drift on every refresh."""
    asset = target.asset.id or ""
    return [_rendition_id(env, asset, ref) for ref in inputs.renditions or ()]


def _rendition_id(env: Environment, asset: str, ref: str) -> str:
    kind, value = parse_ref(ref)
    if kind == "id":
        return value
    return env.references.get(
        ("rendition", asset, ref), lambda: env.client.renditions.get(asset, ref).rendition_id
    )


def _asset_by_id(env: Environment, ref: str) -> RequestReference:
    reference = to_reference(ref)
    if reference.id is not None:
        return reference
    return RequestReference(id=asset_id(env, ref))


def _language_id(env: Environment, ref: str) -> str:
    kind, value = parse_ref(ref)
    languages = env.languages.get()
    for language in languages:
        if getattr(language, kind) == value:
            return language.id
    known = ", ".join(f"codename/{language.codename}" for language in languages)
    raise KontentResourceError(
        f"language: {ref!r} is not a language of this environment; use one of {known}."
    )


def _asset_element(env: Environment, type_id: str, codename: str) -> ContentTypeElement:
    content_type = env.content_type(type_id)
    element = content_type.element(codename)
    if element is not None and element.type == "asset":
        return element
    asset_elements = [e.codename for e in content_type.elements if e.type == "asset" and e.codename]
    problem = (
        f"has no element {codename!r}"
        if element is None
        else f"has element {codename!r} of type {element.type}, not an asset element"
    )
    raise KontentResourceError(
        f"element: content type {content_type.codename!r} {problem}. "
        f"Use one of its asset elements: {', '.join(asset_elements) or '(none)'}."
    )
