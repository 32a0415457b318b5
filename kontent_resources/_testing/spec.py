"""A program whose resources come from the JSON stack config ``spec``: tests and benchmarks change
config, not code, between runs.

    {"folders":   [{"key": "brand", "name": "Brand", "parent": null}],
     "assets":    [{"key": "logo", "source": "/abs/logo.png", "title": "Logo", "folder": "brand",
                    "descriptions": {"en-US": "…"}, "external_id": null}],
     "renditions":[{"key": "thumb", "asset": "logo", "transformation": {…}}],
     "links":     [{"key": "hero", "item": "codename/home", "language": "codename/en-US",
                    "element": "hero_image", "asset": "logo", "renditions": ["thumb"], "publish": false}]}

Any folder or asset may also give ``"resource_name"`` and ``"alias"`` (the name it had before).
With ``"asset_set": true`` the assets are the members of one ``AssetSet`` named ``assets`` instead
(keyed by their keys; no renditions or links then).
"""

from __future__ import annotations

import json
from typing import Any

import pulumi

from kontent_resources.resources import Asset, Folder, Rendition, Transformation, VariantAssetLink
from kontent_resources.resources.asset import asset_inputs
from kontent_resources.resources.asset_set import AssetSet


def spec_program() -> None:
    """Declare the resources of the ``spec`` config and export their ids."""
    spec: dict[str, Any] = json.loads(pulumi.Config().require("spec"))
    folders = _folders(spec.get("folders", []))
    if spec.get("asset_set"):
        asset_set = _asset_set(spec.get("assets", []), folders)
        pulumi.export("folders", {k: v.id for k, v in folders.items()})
        pulumi.export("assets", asset_set.ids)
        return
    assets = _assets(spec.get("assets", []), folders)
    renditions = _renditions(spec.get("renditions", []), assets)
    _links(spec.get("links", []), assets, renditions)
    pulumi.export("folders", {k: v.id for k, v in folders.items()})
    pulumi.export("assets", {k: v.id for k, v in assets.items()})
    pulumi.export("file_references", {k: v.file_reference for k, v in assets.items()})
    pulumi.export("renditions", {k: v.id for k, v in renditions.items()})


def _renamed(entry: dict[str, Any]) -> pulumi.ResourceOptions | None:
    """``"resource_name"`` renames a resource; ``"alias"`` names what it was called before."""
    return pulumi.ResourceOptions(aliases=[pulumi.Alias(name=entry["alias"])]) if entry.get("alias") else None


def _folders(specs: list[dict[str, Any]]) -> dict[str, Folder]:
    folders: dict[str, Folder] = {}
    for f in specs:
        parent = folders.get(f["parent"]) if f.get("parent") else None
        folders[f["key"]] = Folder(
            f.get("resource_name", f["key"]),
            name=f["name"],
            parent=parent,
            codename=f.get("codename"),
            external_id=f.get("external_id"),
            opts=_renamed(f),
        )
    return folders


def _assets(specs: list[dict[str, Any]], folders: dict[str, Folder]) -> dict[str, Asset]:
    return {
        a["key"]: Asset(
            a.get("resource_name", a["key"]),
            source=a["source"],
            title=a.get("title"),
            descriptions=a.get("descriptions"),
            folder=folders[a["folder"]] if a.get("folder") else None,
            external_id=a.get("external_id"),
            adopt=a.get("adopt", False),
            opts=_renamed(a),
        )
        for a in specs
    }


def _asset_set(specs: list[dict[str, Any]], folders: dict[str, Folder]) -> AssetSet:
    members = {
        a["key"]: asset_inputs(
            a["key"],
            source=a["source"],
            title=a.get("title"),
            descriptions=a.get("descriptions"),
            folder=folders[a["folder"]] if a.get("folder") else None,
        )
        for a in specs
    }
    return AssetSet("assets", members)


def _renditions(specs: list[dict[str, Any]], assets: dict[str, Asset]) -> dict[str, Rendition]:
    return {
        r["key"]: Rendition(
            r["key"], asset=assets[r["asset"]], transformation=Transformation(**r["transformation"])
        )
        for r in specs
    }


def _links(specs: list[dict[str, Any]], assets: dict[str, Asset], renditions: dict[str, Rendition]) -> None:
    for link in specs:
        VariantAssetLink(
            link["key"],
            item=link["item"],
            language=link["language"],
            element=link["element"],
            asset=assets[link["asset"]],
            renditions=[renditions[k].id for k in link.get("renditions", [])] or None,
            publish=link.get("publish", False),
        )
