"""The generated project: ``Pulumi.yaml``, ``__main__.py`` and ``environment.json``.

``environment.json`` lists every folder, asset and rendition with what the program declares for
it; ``__main__.py`` turns each entry into its resource. Objects with an external id are adopted by
it (``adopt=True``), the others by their internal id (``adopt_id``). The entries hold exactly what
the environment holds, so the first ``up`` adopts everything without writing anything.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kontent_resources.importer.layout import (
    identity,
    planned_files,
    rendition_key,
    resource_key,
)
from kontent_resources.importer.snapshot import EnvironmentSnapshot
from kontent_resources.models import Asset, Rendition

MANIFEST = "environment.json"

PROGRAM = '''"""Kontent.ai environment {environment_id}, taken over by `kontent-resources import`.

Every folder, asset and rendition listed in environment.json is managed by this stack: edit an
entry (a title, a description, a file under files/) and run `pulumi up`; remove an entry and the
next `up` deletes that object. What the file does not list is never touched. Running the import
again on the same environment rewrites environment.json with the same names.
"""

import json
from pathlib import Path

import pulumi

from kontent_resources import Asset, Folder, Rendition, Transformation

environment = json.loads(Path(__file__).with_name("environment.json").read_text(encoding="utf-8"))


def existing(entry: dict) -> dict:
    """Adopt the object by its external id when it has one, otherwise by its internal id."""
    if "external_id" in entry:
        return {{"external_id": entry["external_id"], "adopt": True}}
    return {{"adopt_id": entry["id"]}}


folders: dict[str, Folder] = {{}}
for entry in environment["folders"]:  # parents come first
    folders[entry["resource"]] = Folder(
        entry["resource"],
        name=entry["name"],
        parent=folders[entry["parent"]] if entry["parent"] else None,
        codename=entry["codename"],
        **existing(entry),
    )

assets: dict[str, Asset] = {{}}
for entry in environment["assets"]:
    assets[entry["resource"]] = Asset(
        entry["resource"],
        source=entry["source"],
        file_name=entry["file_name"],
        content_type=entry["content_type"],
        title=entry.get("title"),
        descriptions=entry.get("descriptions"),
        folder=folders[entry["folder"]] if entry.get("folder") else None,
        collection=entry.get("collection"),
        codename=entry["codename"],
        **existing(entry),
    )

for entry in environment["renditions"]:
    Rendition(
        entry["resource"],
        asset=assets[entry["asset"]],
        transformation=Transformation(**entry["transformation"]),
        **existing(entry),
    )

pulumi.export("assets", {{key: asset.id for key, asset in assets.items()}})
pulumi.export("folders", {{key: folder.id for key, folder in folders.items()}})
'''


def manifest_of(snapshot: EnvironmentSnapshot, environment_id: str) -> dict[str, Any]:
    folder_keys = {p.folder.id: resource_key(p.folder.codename, p.folder.id) for p in snapshot.folders}
    folders = [
        {
            "resource": folder_keys[p.folder.id],
            "name": p.folder.name,
            "parent": folder_keys[p.parent.id] if p.parent else None,
            "codename": p.folder.codename,
            **identity(p.folder.external_id, p.folder.id),
        }
        for p in snapshot.folders
    ]
    languages = {language.id: language.codename for language in snapshot.languages}
    collections = {collection.id: collection.codename for collection in snapshot.collections}
    assets: list[dict[str, Any]] = []
    renditions: list[dict[str, Any]] = []
    for planned in planned_files(snapshot):
        asset = planned.asset
        key = resource_key(asset.codename, asset.id)
        assets.append(_asset_entry(asset, key, planned.path, folder_keys, languages, collections))
        renditions.extend(_rendition_entry(r, key) for r in snapshot.renditions.get(asset.id, ()))
    return {
        "environment_id": environment_id,
        "folders": folders,
        "assets": assets,
        "renditions": renditions,
    }


def _asset_entry(
    asset: Asset,
    key: str,
    path: str,
    folder_keys: dict[str, str],
    languages: dict[str, str],
    collections: dict[str, str],
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "resource": key,
        "source": path,
        "file_name": asset.file_name,
        "content_type": asset.type,
        "codename": asset.codename,
    }
    if asset.title is not None:
        entry["title"] = asset.title
    descriptions = {
        languages[d.language.id]: d.description
        for d in asset.descriptions
        if d.description and d.language.id in languages
    }
    if descriptions:
        entry["descriptions"] = dict(sorted(descriptions.items()))
    folder_id = asset.folder.id if asset.folder else None
    if folder_id in folder_keys:
        entry["folder"] = folder_keys[folder_id]
    collection_id = asset.collection.reference.id if asset.collection and asset.collection.reference else None
    if collection_id in collections:
        entry["collection"] = f"codename/{collections[collection_id]}"
    return {**entry, **identity(asset.external_id, asset.id)}


def _rendition_entry(rendition: Rendition, asset_key: str) -> dict[str, Any]:
    fields = ("x", "y", "width", "height", "custom_width", "custom_height")
    return {
        "resource": rendition_key(asset_key, rendition),
        "asset": asset_key,
        "transformation": {name: getattr(rendition.transformation, name) for name in fields},
        **identity(rendition.external_id, rendition.rendition_id),
    }


def write_project(folder: Path, manifest: dict[str, Any], project_name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (folder / "__main__.py").write_text(
        PROGRAM.format(environment_id=manifest["environment_id"]), encoding="utf-8"
    )
    pulumi_yaml = folder / "Pulumi.yaml"
    if not pulumi_yaml.exists():  # the user's own settings in it survive a re-import
        pulumi_yaml.write_text(
            f"name: {project_name}\nruntime: python\n"
            "description: Kontent.ai assets, taken over by kontent-resources import\n",
            encoding="utf-8",
        )
    requirements = folder / "requirements.txt"
    if not requirements.exists():
        requirements.write_text("kontent-resources\n", encoding="utf-8")
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*.part\n__pycache__/\nvenv/\n", encoding="utf-8")
