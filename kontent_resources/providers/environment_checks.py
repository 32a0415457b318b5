"""What the environment can tell about a resource's references, told by ``check``.

``pulumi preview`` runs ``check`` and ``diff`` only. A reference to a language, content item,
element, collection, folder or adopted object the environment does not have would otherwise
surface in ``create`` during ``up``, after other changes of the run were applied. Here each such
reference is looked up with reads only (never a write) and a miss becomes a ``CheckFailure`` that
names the value, the closest values the environment has (difflib) and the fix; the engine adds the
resource and the property.

What it costs, so that a preview stays cheap:

* only values that are new or changed since the last ``up`` are looked up: on a preview without
  changes ``check`` sees the inputs it returned last time, and asks nothing;
* languages, collections and the folder tree are listed at most once per provider process, through
  the ``Environment`` snapshots that ``create`` uses as well;
* items and assets are read one distinct reference at a time (shared with ``create`` and ``read``):
  their listings grow with the environment, so they are listed only after a miss, once, to say
  which values come closest; content types are read once per type;
* values unknown at preview (outputs of resources not made yet) are left to ``up``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from kontent_resources.client import KontentNotFoundError
from kontent_resources.client.identifiers import IdentifierKind, parse_ref
from kontent_resources.models import Asset, ContentItem, ContentType
from kontent_resources.models.common import RequestReference
from kontent_resources.providers.base import KontentProvider
from kontent_resources.providers.inputs import RenditionInputs
from kontent_resources.providers.runtime import Environment
from kontent_resources.providers.validation import Failures, is_unknown

T = TypeVar("T")
# How many of the closest values a failure shows.
CLOSEST = 3
_PREFIX: dict[IdentifierKind, str] = {"id": "", "codename": "codename/", "external_id": "external-id/"}


class Named(Protocol):
    """Anything the API refers to in the three forms: language, collection, folder, item, asset."""

    @property
    def id(self) -> str: ...
    @property
    def codename(self) -> str | None: ...
    @property
    def external_id(self) -> str | None: ...


def closest(value: str, candidates: Iterable[str], n: int = CLOSEST) -> list[str]:
    """The ``n`` candidates most like ``value``, however unlike: a failure always offers some."""
    unique = sorted({c for c in candidates if c})
    wanted = value.casefold()

    def likeness(candidate: str) -> float:
        return difflib.SequenceMatcher(None, wanted, candidate.casefold()).ratio()

    return sorted(unique, key=likeness, reverse=True)[:n]


def closest_refs(ref: str, objects: Sequence[Named]) -> str:
    """The references to ``objects`` most like ``ref``, written in its form (codename/…, external-id/…,
    id); objects without a value in that form are offered by codename."""
    kind, value = parts(ref)
    pool = {getattr(o, kind): o for o in objects if getattr(o, kind)}
    if not pool:
        kind, pool = "codename", {o.codename: o for o in objects if o.codename}
    if not pool:
        return "the environment has none"
    shown = []
    for match in closest(value, pool):
        codename = pool[match].codename
        # An id alone says nothing to the reader: the codename says which object it is.
        extra = f" (codename/{codename})" if kind == "id" and codename else ""
        shown.append(f"'{_PREFIX[kind]}{match}'{extra}")
    return "closest: " + ", ".join(shown)


def parts(ref: str) -> tuple[IdentifierKind, str]:
    """``parse_ref``, with an internal id in the lowercase the API answers with (it takes either)."""
    kind, value = parse_ref(ref)
    return kind, value.lower() if kind == "id" else value


def matches(ref: str, obj: Named) -> bool:
    kind, value = parts(ref)
    return bool(getattr(obj, kind) == value)


def item_target(env: Environment, ref: str) -> tuple[str, str]:
    """The item's id and its content type's id; read once per deployment (``create`` shares it)."""

    def load() -> tuple[str, str]:
        item = env.client.items.get(ref)
        return item.id, item.type.id or ""

    return env.references.get(("item", ref), load)


def asset_id(env: Environment, ref: str) -> str:
    """The internal id of the asset ``ref`` names (``codename/…``, ``external-id/…``), read once."""
    return env.references.get(("asset", ref), lambda: env.client.assets.get(ref).id)


def found(env: Environment, key: tuple[Any, ...], load: Callable[[], T]) -> T | None:
    """``load()``, or None when the API has no such object; a miss is remembered for the deployment
    too, so every resource naming the same missing object is told without asking again."""

    def attempt() -> tuple[T | None]:
        try:
            return (load(),)
        except KontentNotFoundError:
            return (None,)

    return env.references.get(("found", *key), attempt)[0]


def find_asset(env: Environment, ref: str) -> Asset | str | None:
    """The asset ``ref`` names: by id through the asset index (as ``read`` reads it), otherwise its id."""
    if parse_ref(ref)[0] == "id":
        return found(env, ("asset", ref), lambda: env.assets.get(ref))
    return found(env, ("asset", ref), lambda: asset_id(env, ref))


def _made_here(kind: IdentifierKind, what: str, resource: str, prop: str) -> str:
    """The fix for a missing folder or asset, which a resource of the program may be meant to make."""
    article = "an" if what[0] in "aeiou" else "a"
    if kind == "id":
        # An id is usually another resource's output: one the stack made, deleted in Kontent.ai since.
        return (
            f"if it is the id of a {resource} resource of this stack, the {what} was deleted in Kontent.ai: "
            f"run `pulumi refresh` (it drops the {what} from the stack), then `pulumi up` makes it again; "
            f"otherwise refer to {article} {what} that exists."
        )
    return (
        f"for {article} {what} this program makes, pass the {resource} resource itself ({prop}=<the "
        f"{resource}>) so that Pulumi creates it first; otherwise refer to {article} {what} that exists."
    )


@dataclass
class EnvironmentChecks:
    """The lookups of one ``check`` of ``provider``, which adds a failure for each miss to ``failures``."""

    provider: KontentProvider
    olds: Mapping[str, Any]
    news: Mapping[str, Any]
    failures: Failures

    def __post_init__(self) -> None:
        # None: nothing is looked up. Without settings there is nothing to ask with; and a resource
        # already refused offline fails the preview anyway, without a request (what is knowable
        # offline never costs one): its references are looked up once the rest of it is right.
        self.env = None if self.failures.items else self.provider.env_if_configured()
        self._refused: set[str] = set()

    def asks(self, *props: str) -> bool:
        """``props`` hold values the environment can judge, and one of them is new or changed."""
        if self.env is None or any(p in self._refused for p in props):
            return False
        if any(self.news.get(p) is None or is_unknown(self.news.get(p)) for p in props):
            return False
        return not self.olds or any(self.olds.get(p) != self.news.get(p) for p in props)

    @property
    def _env(self) -> Environment:
        assert self.env is not None, "asks() is False without an environment"
        return self.env

    def reading(self, prop: str) -> AbstractContextManager[None]:
        """An API failure other than a miss stops the check: its message says what to fix."""
        return self.provider.api_errors(f"check {prop} {self.news.get(prop)!r} against the environment")

    def refused(self, prop: str) -> bool:
        """``prop`` was refused already: its value is not judged further."""
        return prop in self._refused

    def refuse(self, prop: str, reason: str) -> None:
        self._refused.add(prop)
        self.failures.add(prop, reason)

    # -- the kinds ---------------------------------------------------------------------------

    def language(self, prop: str = "language") -> None:
        self._one_listed(
            prop,
            lambda env: env.languages.get(),
            lambda ref, closest: (
                f"{ref!r} is not a language of this environment; {closest}.\n"
                "  fix: refer to a language the environment has, or add this one in Kontent.ai "
                "(Environment settings > Localization) first."
            ),
        )

    def _one_listed(
        self,
        prop: str,
        listed: Callable[[Environment], Sequence[Named]],
        refusal: Callable[[str, str], str],
    ) -> None:
        """``prop`` names one of the objects ``listed`` gives, or is refused with ``refusal(ref,
        closest)``, ``closest`` naming the nearest of them."""
        if not self.asks(prop):
            return
        ref = self.news[prop]
        with self.reading(prop):
            objects = listed(self._env)
        if not any(matches(ref, obj) for obj in objects):
            self.refuse(prop, refusal(ref, closest_refs(ref, objects)))

    def description_languages(self, prop: str = "descriptions") -> None:
        """The keys are language codenames; a text the engine does not know yet has a known key."""
        descriptions = self.news.get(prop)
        if self.env is None or prop in self._refused or not isinstance(descriptions, dict):
            return
        before = self.olds.get(prop)
        new_keys = set(descriptions) - (set(before) if self.olds and isinstance(before, dict) else set())
        if not new_keys:
            return
        with self.reading(prop):
            known = [language.codename for language in self._env.languages.get()]
        for code in sorted(k for k in new_keys if k not in known):
            near = ", ".join(f"'{c}'" for c in closest(code, known))
            self.refuse(
                prop,
                f"{code!r} is not a language codename of this environment; closest: {near}.\n"
                "  fix: key each description by a language codename the environment has, or add the "
                "language in Kontent.ai (Environment settings > Localization) first.",
            )

    def item_element(self, item: str = "item", element: str = "element") -> None:
        """The item exists; the element is an asset element of its content type."""
        if self.asks(item):
            self._item(item)
        if item in self._refused or not self.asks(item, element):
            return
        ref, codename = self.news[item], self.news[element]
        with self.reading(item):
            target = found(self._env, ("item", ref), lambda: item_target(self._env, ref))
            if target is None:
                return
            content_type = self._env.content_type(target[1])
        self._element(element, ref, codename, content_type)

    def _item(self, prop: str) -> None:
        ref = self.news[prop]
        with self.reading(prop):
            if found(self._env, ("item", ref), lambda: item_target(self._env, ref)) is not None:
                return
            items: list[ContentItem] = self._env.items.get()
        self.refuse(
            prop,
            f"there is no content item {ref!r} in this environment; {closest_refs(ref, items)}.\n"
            "  fix: refer to an item that exists, or create the item in Kontent.ai first: a "
            "VariantAssetLink links assets into existing items.",
        )

    def _element(self, prop: str, item: str, codename: str, content_type: ContentType) -> None:
        element = content_type.element(codename)
        if element is not None and element.type == "asset":
            return
        asset_elements = [e.codename for e in content_type.elements if e.type == "asset" and e.codename]
        where = f"content type {content_type.codename!r} (of item {item!r})"
        if element is None:
            problem = f"{where} has no element {codename!r}"
        else:
            kind = element.type.replace("_", " ")
            article = "an" if kind[:1] in "aeiou" else "a"
            problem = (
                f"element {codename!r} of {where} is {article} {kind} element; a VariantAssetLink puts "
                "assets into asset elements only"
            )
            if element.type == "rich_text":
                problem += " (an asset in rich text is part of the text: edit it in Kontent.ai)"
        if asset_elements:
            near = ", ".join(f"'{c}'" for c in closest(codename, asset_elements))
            self.refuse(
                prop,
                f"{problem}; closest: {near} (its asset elements).\n  fix: use an asset element of the "
                "type, or add one to the content type in Kontent.ai first.",
            )
        else:
            self.refuse(
                prop,
                f"{problem}, and the type has no asset element.\n  fix: add an asset element to the "
                "content type in Kontent.ai, or link into an item of another type.",
            )

    def collection(self, prop: str = "collection") -> None:
        self._one_listed(
            prop,
            lambda env: env.collections.get(),
            lambda ref, closest: (
                f"there is no collection {ref!r} in this environment; {closest}.\n"
                "  fix: refer to a collection that exists, or create it in Kontent.ai (Environment "
                "settings > Collections) first."
            ),
        )

    def folder(self, prop: str) -> None:
        if not self.asks(prop):
            return
        kind, value = parts(self.news[prop])
        closest = self._closest_if_no_folder(prop, RequestReference.model_validate({kind: value}))
        if closest is not None:
            self.refuse(
                prop,
                f"there is no folder {self.news[prop]!r} in this environment; {closest}.\n"
                f"  fix: {_made_here(kind, 'folder', 'Folder', prop)}",
            )

    def _closest_if_no_folder(self, prop: str, reference: RequestReference) -> str | None:
        """None when the folder tree has the folder ``reference`` names; else the closest folders."""
        with self.reading(prop):
            tree = self._env.folders.get()
        if tree.find(reference) is not None:
            return None
        return closest_refs(self.news[prop], [folder for folder, _ in tree.walk()])

    def asset(self, prop: str = "asset") -> None:
        closest = self._closest_if_no_asset(prop)
        if closest is not None:
            ref = self.news[prop]
            self.refuse(
                prop,
                f"there is no asset {ref!r} in this environment; {closest}.\n"
                f"  fix: {_made_here(parse_ref(ref)[0], 'asset', 'Asset', prop)}",
            )

    def adopted_asset(self, prop: str = "adopt_id") -> None:
        closest = self._closest_if_no_asset(prop)
        if closest is not None:
            self.refuse(
                prop,
                f"there is no asset with id {self.news[prop]!r} in this environment; {closest}.\n"
                "  fix: give the id of an existing asset, or remove adopt_id to create a new one.",
            )

    def _closest_if_no_asset(self, prop: str) -> str | None:
        """None when ``prop`` needs no look-up or names an asset; else the closest references."""
        if not self.asks(prop):
            return None
        ref = self.news[prop]
        with self.reading(prop):
            if find_asset(self._env, ref) is not None:
                return None
            return closest_refs(ref, self._env.assets.listed())

    def adopted_folder(self, prop: str = "adopt_id") -> None:
        if not self.asks(prop):
            return
        closest = self._closest_if_no_folder(prop, RequestReference(id=parts(self.news[prop])[1]))
        if closest is not None:
            self.refuse(
                prop,
                f"there is no folder with id {self.news[prop]!r} in this environment; {closest}.\n"
                "  fix: give the id of an existing folder, or remove adopt_id to create a new one.",
            )

    def adopted_rendition(
        self, inputs: RenditionInputs, renditions_of: Callable[[str], Mapping[str, str | None]]
    ) -> None:
        """``inputs``: the rendition's, as ``check`` parsed ``news``; ``renditions_of(asset)``:
        rendition id → external id, listed once per asset."""
        if "asset" in self._refused or not self.asks("adopt_id", "asset"):
            return
        ref, asset = inputs.adopt_id, inputs.asset
        if ref is None or asset is None:
            return  # not reached: asks() saw both, and the offline checks let only strings through
        with self.reading("adopt_id"):
            listed = found(self._env, ("renditions of", asset), lambda: renditions_of(asset))
        if listed is None or ref in listed:
            return  # no such asset: told under "asset"
        near = ", ".join(f"'{r}'" for r in closest(ref, listed)) or "it has none"
        self.refuse(
            "adopt_id",
            f"asset {asset!r} has no rendition with id {ref!r}; closest: {near}.\n"
            "  fix: give the id of one of its renditions, or remove adopt_id to create a new one.",
        )
