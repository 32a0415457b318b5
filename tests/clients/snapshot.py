"""An environment read object by object through the Management API, in identifiers that survive a
move between environments (codenames, names, language codenames, folder paths; never ids)."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx

from kontent_resources.emulator import EmulatorServer


def _all(http: httpx.Client, path: str, key: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        response = http.get(path, headers={"x-continuation": token} if token else {})
        response.raise_for_status()
        body = response.json()
        found.extend(body[key])
        token = body["pagination"]["continuation_token"]
        if not token:
            return found


def _folder_paths(folders: list[dict[str, Any]], parent: tuple[str, ...] = ()) -> dict[str, tuple[str, ...]]:
    paths: dict[str, tuple[str, ...]] = {}
    for folder in folders:
        path = (*parent, folder["codename"])
        paths[folder["id"]] = path
        paths |= _folder_paths(folder.get("folders", []), path)
    return paths


def _folder_tree(folders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "name": f["name"],
            "codename": f["codename"],
            "external_id": f.get("external_id"),
            "folders": _folder_tree(f.get("folders", [])),
        }
        for f in folders
    ]


def _model(doc: dict[str, Any], snippets: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A content type or snippet: its name, groups and elements, references by codename."""
    groups = {g["id"]: g["codename"] for g in doc.get("content_groups", [])}
    elements = []
    for element in doc["elements"]:
        entry = {
            k: v for k, v in element.items() if k not in {"id", "content_group", "snippet", "external_id"}
        }
        if "content_group" in element:
            entry["content_group"] = groups[element["content_group"]["id"]]
        if "snippet" in element:
            entry["snippet"] = snippets[element["snippet"]["id"]]["codename"]
        elements.append(entry)
    return {"name": doc["name"], "groups": sorted(groups.values()), "elements": elements}


def snapshot(emu: EmulatorServer) -> dict[str, Any]:
    with emu.client() as http, httpx.Client(timeout=30) as files:
        languages = {lang["id"]: lang["codename"] for lang in _all(http, "/languages", "languages")}
        folders = http.get("/folders").json()["folders"]
        paths = _folder_paths(folders)
        assets: dict[str, dict[str, Any]] = {}
        codename_of: dict[str, str] = {}
        for asset in _all(http, "/assets", "assets"):
            data = files.get(asset["url"])
            data.raise_for_status()
            codename_of[asset["id"]] = asset["codename"]
            assets[asset["codename"]] = {
                "title": asset["title"],
                "file_name": asset["file_name"],
                "size": asset["size"],
                "type": asset["type"],
                "sha256": hashlib.sha256(data.content).hexdigest(),
                "bytes_match_size": len(data.content) == asset["size"],
                "external_id": asset.get("external_id"),
                "folder": paths.get((asset.get("folder") or {}).get("id", ""), ()),
                "descriptions": {
                    languages[d["language"]["id"]]: d["description"] for d in asset["descriptions"]
                },
            }
        types = {t["id"]: t for t in _all(http, "/types", "types")}
        items: dict[str, dict[str, Any]] = {}
        for item in _all(http, "/items", "items"):
            type_doc = types[item["type"]["id"]]
            element_codename = {e["id"]: e["codename"] for e in type_doc["elements"]}
            variants = http.get(f"/items/{item['id']}/variants").json()
            items[item["codename"]] = {
                "name": item["name"],
                "type": type_doc["codename"],
                "variants": {
                    languages[v["language"]["id"]]: {
                        element_codename[e["element"]["id"]]: (
                            [codename_of.get(ref.get("id", ""), ref) for ref in e["value"]]
                            if isinstance(e["value"], list)
                            else e["value"]
                        )
                        for e in v["elements"]
                    }
                    for v in variants
                },
            }
        snippets = {s["id"]: s for s in _all(http, "/snippets", "snippets")}
    return {
        "snippets": {s["codename"]: _model(s, snippets) for s in snippets.values()},
        "content_types": {t["codename"]: _model(t, snippets) for t in types.values()},
        "languages": sorted(languages.values()),
        "folders": _folder_tree(folders),
        "assets": assets,
        "types": sorted(t["codename"] for t in types.values()),
        "items": items,
    }
