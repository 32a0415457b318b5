"""Stable, readable names and local paths for what an environment holds.

Resource names come from codenames (unique per kind in an environment, and never changed by the
API), so importing the same environment again gives the same names and a small diff. Local paths
mirror the folder tree; a name that cannot be a path component, or that two siblings share, gets
its codename appended, decided in codename order so that it is the same every time.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from kontent_resources.importer.snapshot import EnvironmentSnapshot
from kontent_resources.models import Asset, Rendition
from kontent_resources.models.common import ROOT_FOLDER_ID

FILES_DIR = "files"
#: Suffix of a download in progress (``<name>.part``); no asset file is given a name ending in it.
PARTIAL_SUFFIX = ".part"
#: Longest name component most file systems take (ext4, APFS, NTFS: 255 bytes or UTF-16 units).
MAX_NAME_BYTES = 255
#: Asset files leave room for their ``.part`` while they are downloaded.
MAX_FILE_NAME_BYTES = MAX_NAME_BYTES - len(PARTIAL_SUFFIX)
#: An extension longer than this is part of the name (it is only kept whole to keep the file's type).
_MAX_EXTENSION_BYTES = 16

# Windows refuses these characters in names (and '/' or '\\' separate paths everywhere).
_UNSAFE_IN_NAMES = frozenset('<>:"/\\|?*')
# Windows device names, reserved whatever the extension or case (CON, con.txt, Com1.tar.gz, ...).
_DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"{port}{n}" for port in ("com", "lpt") for n in (*"0123456789", "\u00b9", "\u00b2", "\u00b3")}
)


@dataclass(frozen=True)
class PlannedFile:
    asset: Asset
    path: str  # relative to the project, '/'-separated


def path_component(name: str, *, max_bytes: int = MAX_NAME_BYTES) -> str:
    """``name`` as one path component that Linux, macOS and Windows all accept.

    Separators, characters Windows refuses and anything unprintable (controls, bidi overrides that
    disguise an extension) become '_'; a Windows device name (CON, aux.txt) gets a '_'; trailing dots
    and spaces (dropped by Windows) go; the result fits ``max_bytes``, extension kept; never empty,
    '.' or '..'.
    """
    cleaned = "".join("_" if _unsafe(ch) else ch for ch in name).strip(" ").rstrip(". ")
    if cleaned in ("", ".", ".."):
        return "_"
    first, dot, rest = cleaned.partition(".")
    if first.rstrip(" ").casefold() in _DEVICE_NAMES:
        cleaned = f"{first}_{dot}{rest}"
    if cleaned.casefold().endswith(PARTIAL_SUFFIX):  # would pass for another file's download
        cleaned += "_"
    return fitted(cleaned, max_bytes)


def file_name_component(name: str) -> str:
    """An asset's file name as a path component, with room left for its ``.part``."""
    return path_component(name, max_bytes=MAX_FILE_NAME_BYTES)


def _unsafe(ch: str) -> bool:
    return ch in _UNSAFE_IN_NAMES or (not ch.isprintable() and ch != " ")


def encoded_size(name: str) -> int:
    """The most room ``name`` takes on any of the three: its UTF-8 bytes once decomposed, as macOS
    stores names (never fewer than the composed form's bytes, nor than its UTF-16 units)."""
    return len(unicodedata.normalize("NFD", name).encode("utf-8", "surrogatepass"))


def fitted(name: str, max_bytes: int, marker: str = "") -> str:
    """``name`` with ``marker`` before its extension, the name shortened until it fits ``max_bytes``."""
    stem, extension = _split_extension(name)
    while stem and encoded_size(stem + marker + extension) > max_bytes:
        stem = stem[:-1].rstrip(". ")
    if not stem:  # not even one character fits beside the extension: shorten the whole instead
        stem, extension = name, ""
        while stem and encoded_size(stem + marker) > max_bytes:
            stem = stem[:-1].rstrip(". ")
    return (stem or "_") + marker + extension


def _split_extension(name: str) -> tuple[str, str]:
    extension = PurePosixPath(name).suffix
    if not extension or len(extension.encode()) > _MAX_EXTENSION_BYTES:
        return name, ""
    return name[: -len(extension)], extension


def _same_on_disk(name: str) -> str:
    """The key under which macOS and Windows see two names as one (case and Unicode form ignored)."""
    return unicodedata.normalize("NFC", name).casefold()


def _unique(
    names: Iterable[tuple[str, str]], max_bytes: int, neighbours: Iterable[str] = ()
) -> dict[str, str]:
    """key -> a name no sibling has, even where folders ignore case and Unicode form (macOS,
    Windows). A name taken already gets its key before the extension; ``names`` come in key order,
    so a second import decides the same way."""
    taken = set(neighbours)  # names (as _same_on_disk keys) that are not these siblings' to take
    chosen: dict[str, str] = {}
    for key, name in names:
        candidate, tried = name, 0
        while _same_on_disk(candidate) in taken:
            tried += 1
            marker = f" ({path_component(key)})" if tried == 1 else f" ({path_component(key)} {tried})"
            candidate = fitted(name, max_bytes, marker)
        taken.add(_same_on_disk(candidate))
        chosen[key] = candidate
    return chosen


def resource_key(codename: str | None, object_id: str) -> str:
    return codename or object_id


def folder_dirs(snapshot: EnvironmentSnapshot) -> dict[str, str]:
    """Folder id -> its directory under ``files/``."""
    dirs: dict[str, str] = {}
    for parent_id in dict.fromkeys(p.parent.id if p.parent else "" for p in snapshot.folders):
        siblings = sorted(
            (p.folder for p in snapshot.folders if (p.parent.id if p.parent else "") == parent_id),
            key=lambda f: resource_key(f.codename, f.id),
        )
        named = ((resource_key(f.codename, f.id), path_component(f.name)) for f in siblings)
        names = _unique(named, MAX_NAME_BYTES)
        base = dirs.get(parent_id, FILES_DIR)
        for folder in siblings:
            dirs[folder.id] = f"{base}/{names[resource_key(folder.codename, folder.id)]}"
    return dirs


def folder_of(asset: Asset) -> str | None:
    folder_id = asset.folder.id if asset.folder else None
    return None if folder_id in (None, ROOT_FOLDER_ID) else folder_id


def planned_files(snapshot: EnvironmentSnapshot) -> list[PlannedFile]:
    """Every asset's local path, in codename order."""
    dirs = folder_dirs(snapshot)
    by_dir: dict[str, list[Asset]] = {}
    for asset in sorted(snapshot.assets, key=lambda a: resource_key(a.codename, a.id)):
        folder_id = folder_of(asset)
        by_dir.setdefault(dirs.get(folder_id or "", FILES_DIR), []).append(asset)
    subfolders: dict[str, set[str]] = {}
    for path in dirs.values():
        parent, _, name = path.rpartition("/")
        subfolders.setdefault(parent, set()).add(_same_on_disk(name))
    planned: list[PlannedFile] = []
    for directory, assets in by_dir.items():
        named = ((resource_key(a.codename, a.id), file_name_component(a.file_name or a.id)) for a in assets)
        # A file is never named as a folder beside it: the two would be one path.
        names = _unique(named, MAX_FILE_NAME_BYTES, subfolders.get(directory, ()))
        planned.extend(PlannedFile(a, f"{directory}/{names[resource_key(a.codename, a.id)]}") for a in assets)
    return sorted(planned, key=lambda p: resource_key(p.asset.codename, p.asset.id))


def identity(external_id: str | None, object_id: str) -> dict[str, Any]:
    """How the program names an existing object: by external id when it has one, else by id."""
    return {"external_id": external_id} if external_id else {"id": object_id}


def rendition_key(asset_key: str, rendition: Rendition) -> str:
    return f"{asset_key}/{rendition.external_id or rendition.rendition_id}"
