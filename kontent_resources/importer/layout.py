"""Stable, readable names and local paths for what an environment holds.

Resource names come from codenames (unique per kind in an environment, and never changed by the
API), so importing the same environment again gives the same names and a small diff. Local paths
mirror the folder tree; a name that cannot be a path component, or that two siblings share, gets
its codename appended, decided in codename order so that it is the same every time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from kontent_resources.importer.snapshot import EnvironmentSnapshot
from kontent_resources.models import ZERO_ID, Asset, Rendition

FILES_DIR = "files"
_UNSAFE_IN_PATHS = str.maketrans({"/": "_", "\\": "_", "\0": ""})


@dataclass(frozen=True)
class PlannedFile:
    asset: Asset
    path: str  # relative to the project, '/'-separated


def path_component(name: str) -> str:
    """``name`` as one path component: separators replaced, never empty, '.' or '..'."""
    cleaned = name.translate(_UNSAFE_IN_PATHS).strip()
    return "_" if cleaned in ("", ".", "..") else cleaned


def _unique(names: Iterable[tuple[str, str]], with_suffix: bool) -> dict[str, str]:
    """key -> a name no sibling has (case-insensitively: macOS and Windows folders ignore case)."""
    taken: set[str] = set()
    chosen: dict[str, str] = {}
    for key, name in names:
        candidate = name
        if candidate.casefold() in taken:
            stem, suffix = (
                (PurePosixPath(name).stem, PurePosixPath(name).suffix) if with_suffix else (name, "")
            )
            candidate = f"{stem} ({key}){suffix}"
        taken.add(candidate.casefold())
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
        names = _unique(((resource_key(f.codename, f.id), path_component(f.name)) for f in siblings), False)
        base = dirs.get(parent_id, FILES_DIR)
        for folder in siblings:
            dirs[folder.id] = f"{base}/{names[resource_key(folder.codename, folder.id)]}"
    return dirs


def folder_of(asset: Asset) -> str | None:
    folder_id = asset.folder.id if asset.folder else None
    return None if folder_id in (None, ZERO_ID) else folder_id


def planned_files(snapshot: EnvironmentSnapshot) -> list[PlannedFile]:
    """Every asset's local path, in codename order."""
    dirs = folder_dirs(snapshot)
    by_dir: dict[str, list[Asset]] = {}
    for asset in sorted(snapshot.assets, key=lambda a: resource_key(a.codename, a.id)):
        folder_id = folder_of(asset)
        by_dir.setdefault(dirs.get(folder_id or "", FILES_DIR), []).append(asset)
    planned: list[PlannedFile] = []
    for directory, assets in by_dir.items():
        names = _unique(
            ((resource_key(a.codename, a.id), path_component(a.file_name or a.id)) for a in assets), True
        )
        planned.extend(PlannedFile(a, f"{directory}/{names[resource_key(a.codename, a.id)]}") for a in assets)
    return sorted(planned, key=lambda p: resource_key(p.asset.codename, p.asset.id))


def identity(external_id: str | None, object_id: str) -> dict[str, Any]:
    """How the program names an existing object: by external id when it has one, else by id."""
    return {"external_id": external_id} if external_id else {"id": object_id}


def rendition_key(asset_key: str, rendition: Rendition) -> str:
    return f"{asset_key}/{rendition.external_id or rendition.rendition_id}"
