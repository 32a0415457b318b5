"""Objects the import leaves out of the program, and why: one bad object never blocks the rest.

An object is left out when the providers would refuse what the program declares for it (the same
``check`` rules, from :mod:`kontent_resources.providers.validation`, run here before anything is
written: an external id with '/', a file name with a control character, ...), or when its file
could not be brought here (download refused or failed, a name the file system refuses, a symbolic
link in the way). What depends on it follows it out: the renditions of a skipped asset. Links and
folders inside a skipped folder refer to it by id instead, as to another stack's objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kontent_resources.api_limits import FOLDER_NAME_MAX_LENGTH, TITLE_MAX_LENGTH
from kontent_resources.importer.links import FoundLink
from kontent_resources.importer.snapshot import EnvironmentSnapshot
from kontent_resources.models import Asset, Folder, Rendition
from kontent_resources.providers.rendition import check_transformation
from kontent_resources.providers.validation import Failures


@dataclass(frozen=True)
class Skipped:
    kind: str  # folder, asset, rendition, link
    id: str
    name: str
    reason: str

    def entry(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id, "name": self.name, "reason": self.reason}

    def line(self) -> str:
        """One line, safe to print and to put in a comment: nothing unprintable comes through raw."""
        return shown(f"{self.kind} {self.name!r} (id {self.id}): {self.reason}")


def shown(text: str) -> str:
    """``text`` with control characters, line breaks and other unprintables escaped (``\\x07``):
    a name from the environment can neither end a comment line nor drive the terminal."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def refused_by_the_providers(snapshot: EnvironmentSnapshot) -> list[Skipped]:
    """Folders, assets and renditions whose declaration the providers' ``check`` would refuse."""
    images = {a.id: (a.image_width, a.image_height) for a in snapshot.assets}
    refused = [_folder(p.folder) for p in snapshot.folders]
    refused += [_asset(a) for a in snapshot.assets]
    refused += [
        _rendition(r, images.get(asset_id, (None, None)))
        for asset_id, found in snapshot.renditions.items()
        for r in found
    ]
    return [skipped for skipped in refused if skipped is not None]


def refused_link(link: FoundLink) -> Skipped | None:
    failures = Failures()
    failures.reference("item", f"codename/{link.item}", "content item")
    failures.reference("language", f"codename/{link.language}", "language")
    failures.codename("element", link.element)
    return _skipped("link", link_label(link), link_label(link), failures)


def link_label(link: FoundLink) -> str:
    return f"{link.item}/{link.language}/{link.element}/{link.asset_id}"


def with_dependents(snapshot: EnvironmentSnapshot, skipped: Iterable[Skipped]) -> list[Skipped]:
    """``skipped`` and the renditions of the assets among them."""
    result = list(skipped)
    listed = {s.id for s in result}
    assets = {s.id for s in result if s.kind == "asset"}
    for asset_id, found in snapshot.renditions.items():
        if asset_id not in assets:
            continue
        result.extend(
            Skipped("rendition", r.rendition_id, r.external_id or r.rendition_id, "its asset is skipped")
            for r in found
            if r.rendition_id not in listed
        )
    return result


_KINDS = ("folder", "asset", "rendition", "link")


def ordered(skipped: Sequence[Skipped]) -> list[Skipped]:
    """Folders first, then assets, renditions and links; by name within a kind."""
    return sorted(skipped, key=lambda s: (_KINDS.index(s.kind) if s.kind in _KINDS else 9, s.name, s.id))


def _folder(folder: Folder) -> Skipped | None:
    failures = Failures()  # as FolderProvider.check
    failures.text("name", folder.name, max_length=FOLDER_NAME_MAX_LENGTH, required=True)
    failures.codename("codename", folder.codename)
    failures.external_id("external_id", folder.external_id)
    return _skipped("folder", folder.id, folder.name or folder.id, failures)


def _asset(asset: Asset) -> Skipped | None:
    failures = Failures()  # as AssetProvider.check
    failures.text("title", asset.title, max_length=TITLE_MAX_LENGTH)
    failures.file_name("file_name", asset.file_name, max_length=TITLE_MAX_LENGTH)
    failures.content_type("content_type", asset.type)
    failures.codename("codename", asset.codename)
    failures.external_id("external_id", asset.external_id)
    return _skipped("asset", asset.id, asset.file_name or asset.codename or asset.id, failures)


def _rendition(rendition: Rendition, image: tuple[Any, Any]) -> Skipped | None:
    failures = Failures()  # as RenditionProvider.check
    failures.external_id("external_id", rendition.external_id)
    check_transformation(rendition.transformation.as_dict(), image, failures)
    name = rendition.external_id or rendition.rendition_id
    return _skipped("rendition", rendition.rendition_id, name, failures)


def _skipped(kind: str, object_id: str, name: str, failures: Failures) -> Skipped | None:
    if not failures.items:
        return None
    reason = "; ".join(f"{item.property}: {item.reason}" for item in failures.items)
    return Skipped(kind, object_id, name, f"the provider would refuse it: {reason}")
