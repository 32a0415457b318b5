"""What uses an asset: the content a delete or a replacement of the asset would break.

Kontent.ai deletes only unused assets ("Delete an unused asset from an environment", API
reference). An asset is used when the latest or the published version of a language variant
refers to it, in an asset element (``[{"id": …}]``) or in rich text (``<figure data-asset-id=…>``).
The lookup reads, through documented endpoints only:

1. the workflows (``GET /workflows``: which step is Published) and the collections
   (``GET /collections``), once each (shared snapshots of the ``Environment``);
2. every language variant, collection by collection (``GET /collections/{c}/variants``, paginated):
   ``⌈V_c / P⌉`` calls per collection for ``V_c`` variants and a page size ``P``;
3. the published version of each variant whose latest version is not in the Published step
   (``GET …/variants/{l}/published``; 404 when there is none): at most ``V`` calls;
4. for the variants that use one of the assets only, to name them: the item (``GET /items/{id}``,
   once per item), its content type (once per type) and the languages (once).

So for a stack of N assets in an environment of M items in L languages (``V ≤ M·L`` variants, C
collections, ``D ≤ V`` variants whose latest version is not published, U using items, T of their
types) one lookup makes at most ``3 + C + ⌈V/P⌉ + D + U + T`` calls, **whatever N is**: one scan
answers for every asset. It is made only when a run deletes or replaces an asset (``diff`` of a
replaced ``Asset``, of an ``AssetSet`` losing or replacing members; ``delete``), never on a preview
without such a change, and is shared by every asset of the run until this process writes to a
variant (a ``VariantAssetLink`` removing its reference), after which the next asking scans again.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from kontent_resources.client import KontentNotFoundError
from kontent_resources.models import LanguageVariant
from kontent_resources.providers.runtime import Environment

State = Literal["draft", "published"]
# Rich text refers to an asset as ``<figure data-asset-id="…">`` (the API answers with ids); the
# external-id form is what a client may have written (emulators keep it as written).
_RICH_TEXT_ASSET = re.compile(r'data-asset-(id|external-id)\s*=\s*"([^"]+)"')
_INDEX_KEY = ("asset usage index",)


@dataclass(frozen=True, order=True)
class AssetUser:
    """One version of one language variant whose element refers to the asset."""

    item: str  # item codename (its id when the item cannot be read)
    language: str  # language codename
    element: str  # element codename
    state: State

    def line(self) -> str:
        return f"item '{self.item}' ({self.language}), element '{self.element}', {self.state}"


@dataclass(frozen=True)
class _Use:
    """A use as the scan finds it, by ids; named only when asked for."""

    item_id: str
    language_id: str
    element_id: str
    state: State


class UsageIndex:
    """Asset id (or external id) → the variant versions using it, scanned at most once per
    generation; ``invalidate`` starts a new generation (this process wrote to a variant)."""

    def __init__(self, env: Environment) -> None:
        self._env = env
        self._lock = threading.Lock()
        self._uses: dict[str, list[_Use]] | None = None

    def invalidate(self) -> None:
        with self._lock:
            self._uses = None

    def users_of(self, asset_id: str, external_id: str | None = None) -> list[AssetUser]:
        """Who uses the asset (draft and published versions), sorted; empty when nobody does."""
        uses = self._scanned()
        found = {*uses.get(asset_id.lower(), []), *(uses.get(external_id, []) if external_id else [])}
        return sorted({self._named(use) for use in found})

    def _scanned(self) -> dict[str, list[_Use]]:
        with self._lock:
            if self._uses is None:
                self._uses = _index(self._scan())
            return self._uses

    def _scan(self) -> Iterator[tuple[str, _Use]]:
        client = self._env.client
        published_steps = {w.published_step.id for w in self._env.workflows.get() if w.published_step}
        for collection in self._env.collections.get():
            for variant in client.variants.list_by_collection(collection.id):
                latest: State = "published" if variant.step_id in published_steps else "draft"
                yield from _uses_in(variant, latest)
                if latest == "draft":
                    yield from self._published_uses(variant)

    def _published_uses(self, variant: LanguageVariant) -> Iterator[tuple[str, _Use]]:
        item_id, language_id = variant.item.id, variant.language.id
        if not item_id or not language_id:
            return
        published = self._env.client.variants.get_published(item_id, language_id)
        if published is not None:
            yield from _uses_in(published, "published")

    def _named(self, use: _Use) -> AssetUser:
        env = self._env

        def item() -> tuple[str, str]:
            try:
                found = env.client.items.get(use.item_id)
            except KontentNotFoundError:
                return use.item_id, ""
            return found.codename or use.item_id, found.type.id or ""

        codename, type_id = env.references.get(("usage item", use.item_id), item)
        languages = {language.id: language.codename for language in env.languages.get()}
        element = use.element_id
        if type_id:
            definition = next((e for e in env.content_type(type_id).elements if e.id == use.element_id), None)
            element = (definition.codename if definition else None) or use.element_id
        return AssetUser(codename, languages.get(use.language_id, use.language_id), element, use.state)


def usage_index(env: Environment) -> UsageIndex:
    """The environment's index (one per provider process and environment)."""
    return env.references.get(_INDEX_KEY, lambda: UsageIndex(env))


def variants_changed(env: Environment) -> None:
    """This process wrote to a variant: the next lookup scans again."""
    usage_index(env).invalidate()


def _uses_in(variant: LanguageVariant, state: State) -> Iterator[tuple[str, _Use]]:
    """(asset id or external id, use) for every asset reference in ``variant``'s elements."""
    item_id, language_id = variant.item.id or "", variant.language.id or ""
    for element in variant.elements:
        use = _Use(item_id, language_id, element.element.id or "", state)
        for asset in _assets_in(element.value):
            yield asset, use


def _assets_in(value: object) -> Iterable[str]:
    if isinstance(value, list):  # an asset element: [{"id": …, "renditions": […]}]
        return [str(entry["id"]).lower() for entry in value if isinstance(entry, dict) and entry.get("id")]
    if isinstance(value, str):  # rich text
        return [
            match[1].lower() if match[0] == "id" else match[1]
            for match in _RICH_TEXT_ASSET.findall(html.unescape(value))
        ]
    return []


def _index(found: Iterable[tuple[str, _Use]]) -> dict[str, list[_Use]]:
    uses: dict[str, list[_Use]] = {}
    for asset, use in found:
        uses.setdefault(asset, []).append(use)
    return uses


# -- what the user is told ------------------------------------------------------------------------
CONFIG_KEY = "kontent:deleteInUse"
WARNING_PREFIX = "kontent: warning:"
NOTHING_WRITTEN = "Nothing was written."
REPLACE_FIX = (
    "remove those references first (in Kontent.ai, or the VariantAssetLink resources of this stack in an "
    "earlier `pulumi up`), then run again; or `pulumi config set kontent:deleteInUse keep` to leave the old "
    "asset in Kontent.ai, out of the stack, while the new one is created"
)
DELETE_FIX = (
    "remove those references first (in Kontent.ai, or the VariantAssetLink resources of this stack), then "
    "run again; or keep the asset in Kontent.ai: retain_on_delete=True on the resource (set in a `pulumi up` "
    "before the resource is removed or destroyed), or `pulumi config set kontent:deleteInUse keep`"
)


def used_by_lines(users: Iterable[AssetUser], prefix: str = "") -> list[str]:
    """``  used by item 'home' (en-US), element 'hero_image', published``: one line per user."""
    return [f"  {prefix}used by {user.line()}" for user in users]


def replace_refusal(label: str, asset: str, users: list[AssetUser]) -> str:
    """Why the preview of a replacement fails (``diff``)."""
    return "\n".join(
        [
            f"{label} would be replaced (its external_id changed), but content uses the asset it replaces "
            f"({asset}), and Kontent.ai deletes only unused assets:",
            *used_by_lines(users),
            f"  fix: {REPLACE_FIX}. {NOTHING_WRITTEN}",
        ]
    )


def delete_refusal(label: str, asset: str, users: list[AssetUser]) -> str:
    """Why a delete is refused before its write (``delete``)."""
    return "\n".join(
        [
            f"cannot delete {label} ({asset}): content uses it, and Kontent.ai deletes only unused assets:",
            *used_by_lines(users),
            f"  fix: {DELETE_FIX}. Nothing was deleted.",
        ]
    )


def kept_warning(label: str, asset: str, users: list[AssetUser]) -> str:
    """What ``kontent:deleteInUse keep`` prints instead of deleting a used asset."""
    where = "; ".join(user.line() for user in users)
    return (
        f"{WARNING_PREFIX} {label} ({asset}) is used by content ({where}): kept in Kontent.ai and removed "
        f"from the stack, as {CONFIG_KEY} is keep."
    )


def members_refusal(label: str, used: list[tuple[str, str, list[AssetUser]]]) -> str:
    """Why an ``AssetSet`` run that removes or replaces used members fails: ``used`` holds
    (member key, asset, users) per member."""
    lines = [
        f"{label} would delete or replace {len(used)} member(s) whose asset content uses, and Kontent.ai "
        "deletes only unused assets:"
    ]
    for key, asset, users in used:
        lines += used_by_lines(users, prefix=f'members["{key}"] ({asset}) ')
    lines.append(f"  fix: {DELETE_FIX}. {NOTHING_WRITTEN}")
    return "\n".join(lines)


def asset_words(asset_id: str, file_name: object) -> str:
    """``asset 3f0c… 'logo.png'``: how a message names the asset in Kontent.ai."""
    return f"asset {asset_id}, {file_name!r}" if isinstance(file_name, str) else f"asset {asset_id}"
