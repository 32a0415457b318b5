"""What an environment holds, read once: folders, assets, renditions, languages, collections.

Calls: one for the folder tree, the language and collection lists, one per page of assets, and
one rendition list per image asset (the API lists renditions per asset only).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from kontent_resources.client import KontentClient
from kontent_resources.models import Asset, Collection, Folder, Language, Rendition


@dataclass(frozen=True)
class PlacedFolder:
    folder: Folder
    parent: Folder | None


@dataclass(frozen=True)
class EnvironmentSnapshot:
    folders: tuple[PlacedFolder, ...]  # parents before children
    assets: tuple[Asset, ...]
    renditions: dict[str, tuple[Rendition, ...]]  # by asset id
    languages: tuple[Language, ...]
    collections: tuple[Collection, ...]


def read_environment(
    client: KontentClient,
    *,
    renditions: bool = True,
    workers: int = 4,
    progress: Callable[[int, int], None] | None = None,
) -> EnvironmentSnapshot:
    tree = client.folders.get()
    assets = tuple(client.assets.list())
    images = [a for a in assets if a.image_width is not None] if renditions else []
    finished: list[str] = []
    lock = threading.Lock()

    def renditions_of(asset: Asset) -> tuple[str, tuple[Rendition, ...]]:
        found = tuple(sorted(client.renditions.list(asset.id), key=lambda r: r.rendition_id))
        with lock:
            finished.append(asset.id)
            if progress is not None:
                progress(len(finished), len(images))
        return asset.id, found

    with ThreadPoolExecutor(max_workers=workers) as pool:
        by_asset = dict(pool.map(renditions_of, images))
    return EnvironmentSnapshot(
        folders=tuple(_parents_first(tree.folders)),
        assets=assets,
        renditions={k: v for k, v in by_asset.items() if v},
        languages=tuple(client.languages.list()),
        collections=tuple(client.collections.list()),
    )


def _parents_first(roots: list[Folder]) -> list[PlacedFolder]:
    placed: list[PlacedFolder] = []
    level: list[PlacedFolder] = [PlacedFolder(f, None) for f in roots]
    while level:
        placed.extend(level)
        level = [PlacedFolder(child, p.folder) for p in level for child in p.folder.folders]
    return placed
