"""A VariantAssetLink's inputs and the outputs its state records: one typed model each.

``LinkInputs`` is the typed view of the inputs (``providers/inputs.py`` says how ``check`` parses
them); ``resources/variant_link.py`` builds its props from the same field names. ``LinkOutputs``
reads what ``create`` recorded, so no provider code reads the state by key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import field_serializer

from kontent_resources.providers.claims import RESOURCE_PATH
from kontent_resources.providers.inputs import ResourceInputs, ResourceOutputs
from kontent_resources.providers.validation import Failures, SentValues, is_unknown

_REFERENCES = (("item", "content item"), ("language", "language"), ("asset", "asset"))


@dataclass(frozen=True)
class SentLink(SentValues):
    """The values ``check_values`` reports by more than a reference check, as sent."""

    element: Any = None
    renditions: Any = None


class LinkOutputs(ResourceOutputs):
    """The outputs of a link besides its inputs (``outputs`` writes them, ``of`` reads them back;
    a state written before ``found_existing`` existed reads False)."""

    item_id: str | None = None
    language_id: str | None = None
    element_id: str | None = None
    asset_id: str | None = None
    variant_state: str | None = None
    """``"draft"`` or ``"published"``: the variant's state after the link's last change."""
    found_existing: bool = False
    """The element already held this reference (an editor's) at create: removing the link leaves it."""

    def outputs(self) -> dict[str, Any]:
        return self.model_dump()


class LinkInputs(ResourceInputs):
    item: str = ""
    """The content item: id, ``codename/x`` or ``external-id/x``."""
    language: str = ""
    element: str = ""
    """Codename of an asset element of the item's content type."""
    asset: str = ""
    renditions: tuple[str, ...] | None = None
    publish: bool | None = False

    OUTPUT_MODEL: ClassVar[type[ResourceOutputs]] = LinkOutputs
    DIFFED: ClassVar[tuple[str, ...]] = ("item", "language", "element", "asset", "renditions", "publish")
    REPLACE_ON: ClassVar[tuple[str, ...]] = ("item", "language", "element", "asset")
    # The inputs a link records: its own and the resource path (no external id: a link has none).
    RECORDED: ClassVar[tuple[str, ...]] = (*DIFFED, RESOURCE_PATH)

    @field_serializer("renditions")
    def _as_list(self, renditions: tuple[str, ...] | None) -> list[str] | None:
        return None if renditions is None else list(renditions)

    @staticmethod
    def check_values(props: Mapping[str, Any], failures: Failures) -> None:
        """The link's own values, in the order the failures have always been listed."""
        for prop, what in _REFERENCES:
            if props.get(prop) is None:
                failures.add(prop, f"is required: give the {what}'s id or 'codename/<x>'.")
            failures.reference(prop, props.get(prop), what)
        sent = SentLink.of(props)
        failures.codename("element", sent.element)
        if sent.element is None:
            failures.add("element", "is required: give the codename of an asset element, e.g. 'hero_image'.")
        renditions = sent.renditions
        if renditions is not None and not is_unknown(renditions):
            if not isinstance(renditions, list):
                failures.add("renditions", "must be a list of Rendition ids.")
            else:
                for rendition in renditions:
                    failures.reference("renditions", rendition, "rendition", codename=False)

    def recorded(self) -> dict[str, Any]:
        """The inputs as the state records them: the keys given, renditions as a list."""
        return self.model_dump(include=set(self.RECORDED), exclude_unset=True)

    @property
    def where(self) -> str:
        """``<item> (<language>)``, for messages."""
        return f"{self.item} ({self.language})"
