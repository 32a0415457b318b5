"""The source environment the client tests move: 40 assets (some untitled, some without a description,
binary and image files of different sizes) in nested folders, descriptions in two languages, and four
content items whose asset elements reference ten assets each (the migration toolkit exports assets
through the items that use them)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import httpx

from kontent_resources.emulator import EmulatorServer

ASSET_COUNT = 40
ITEM_COUNT = 4
LANGUAGES = ("en-US", "es-ES")  # both in the emulator's sample seed
#: root → nested three levels deep, plus a sibling tree
FOLDERS: list[dict[str, Any]] = [
    {
        "name": "Photos",
        "codename": "photos",
        "external_id": "f-photos",
        "folders": [
            {
                "name": "Events",
                "codename": "events",
                "external_id": "f-events",
                "folders": [
                    {"name": "2024", "codename": "events_2024", "external_id": "f-2024", "folders": []}
                ],
            },
            {"name": "Team", "codename": "team", "external_id": "f-team", "folders": []},
        ],
    },
    {"name": "Documents", "codename": "documents", "external_id": "f-documents", "folders": []},
]
FOLDER_CODENAMES = ("photos", "events", "events_2024", "team", "documents", None)
#: a snippet and a content type with content groups that uses it (data-ops carries the content model)
SNIPPET: dict[str, Any] = {
    "name": "Metadata",
    "codename": "metadata",
    "elements": [
        {"name": "Meta title", "codename": "metadata__meta_title", "type": "text"},
        {"name": "Meta description", "codename": "metadata__meta_description", "type": "text"},
    ],
}
LANDING_PAGE: dict[str, Any] = {
    "name": "Landing page",
    "codename": "landing_page",
    "content_groups": [{"name": "Content", "codename": "content"}, {"name": "SEO", "codename": "seo"}],
    "elements": [
        {"name": "Headline", "codename": "headline", "type": "text",
         "content_group": {"codename": "content"}},
        {"name": "Gallery", "codename": "gallery", "type": "asset", "content_group": {"codename": "content"}},
        {"type": "snippet", "codename": "metadata", "snippet": {"codename": "metadata"},
         "content_group": {"codename": "seo"}},
    ],
}  # fmt: skip


@dataclass(frozen=True)
class SourceAsset:
    codename: str
    title: str | None
    file_name: str
    data: bytes
    folder: str | None
    descriptions: dict[str, str]


def source_assets() -> list[SourceAsset]:
    assets = []
    for n in range(ASSET_COUNT):
        # every fifth asset is untitled (null title), every seventh has the empty title
        title: str | None = None if n % 5 == 0 else ("" if n % 7 == 0 else f"Asset {n} · ñ")
        descriptions = {"en-US": f"Description {n}", "es-ES": f"Descripción {n}"}
        if n % 3 == 0:
            descriptions = {"en-US": f"Only English {n}"}
        elif n % 4 == 0:
            descriptions = {}
        data = hashlib.sha256(str(n).encode()).digest() * (n + 1)
        assets.append(
            SourceAsset(
                codename=f"asset_{n:02d}",
                title=title,
                file_name=f"file {n:02d}.bin" if n % 2 else f"file_{n:02d}.txt",
                data=data,
                folder=FOLDER_CODENAMES[n % len(FOLDER_CODENAMES)],
                descriptions=descriptions,
            )
        )
    return assets


def seeded(asset: SourceAsset) -> dict[str, Any]:
    """What ``snapshot`` reads for ``asset`` in the source (uploaded as application/octet-stream)."""
    return {
        "title": asset.title,
        "file_name": asset.file_name,
        "size": len(asset.data),
        "type": "application/octet-stream",
        "sha256": hashlib.sha256(asset.data).hexdigest(),
        "bytes_match_size": True,
        "external_id": f"ext-{asset.codename}",
        "folder": _FOLDER_PATHS[asset.folder] if asset.folder else (),
        "descriptions": asset.descriptions,
    }


def _paths(folders: list[dict[str, Any]], parent: tuple[str, ...] = ()) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for folder in folders:
        path = (*parent, folder["codename"])
        found[folder["codename"]] = path
        found |= _paths(folder["folders"], path)
    return found


_FOLDER_PATHS = _paths(FOLDERS)


def seed_source(emu: EmulatorServer) -> list[SourceAsset]:
    """Folders, assets and items in the source emulator, through the Management API."""
    assets = source_assets()
    ids: dict[str, str] = {}
    with emu.client() as http:
        _ok(http.post("/snippets", json=SNIPPET))
        _ok(http.post("/types", json=LANDING_PAGE))
        _ok(http.post("/folders", json={"folders": FOLDERS}))
        for asset in assets:
            file_ref = _ok(
                http.post(
                    f"/files/{asset.file_name}",
                    content=asset.data,
                    headers={"Content-Type": "application/octet-stream"},
                )
            ).json()
            body: dict[str, Any] = {
                "file_reference": file_ref,
                "title": asset.title,
                "codename": asset.codename,
                "external_id": f"ext-{asset.codename}",
                "descriptions": [
                    {"language": {"codename": lang}, "description": text}
                    for lang, text in asset.descriptions.items()
                ],
            }
            if asset.folder:
                body["folder"] = {"codename": asset.folder}
            ids[asset.codename] = _ok(http.post("/assets", json=body)).json()["id"]
    items = []
    per_item = ASSET_COUNT // ITEM_COUNT
    for i in range(ITEM_COUNT):
        refs = [{"id": ids[a.codename]} for a in assets[i * per_item : (i + 1) * per_item]]
        items.append(
            {
                "codename": f"gallery_{i}",
                "name": f"Gallery {i}",
                "type": "article",
                "variants": {"en-US": {"elements": {"title": f"Gallery {i}", "hero_image": refs}}},
            }
        )
    emu.seed_content({"items": items})
    return assets


def _ok(response: httpx.Response) -> httpx.Response:
    if response.is_error:
        raise AssertionError(
            f"{response.request.method} {response.request.url}: {response.status_code} {response.text}"
        )
    return response
