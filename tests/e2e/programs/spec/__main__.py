"""A program whose resources come from the JSON stack config ``spec``, so tests change config, not code.

{"folders":   [{"key": "brand", "name": "Brand", "parent": null}],
 "assets":    [{"key": "logo", "source": "/abs/logo.png", "title": "Logo", "folder": "brand",
                "descriptions": {"en-US": "…"}, "external_id": null}],
 "renditions":[{"key": "thumb", "asset": "logo", "transformation": {…}}],
 "links":     [{"key": "hero", "item": "codename/home", "language": "codename/en-US",
                "element": "hero_image", "asset": "logo", "renditions": ["thumb"], "publish": false}]}
"""

import json
from typing import Any

import pulumi

from kontent_resources import Asset, Folder, Rendition, Transformation, VariantAssetLink

spec: dict[str, Any] = json.loads(pulumi.Config().require("spec"))
folders: dict[str, Folder] = {}
assets: dict[str, Asset] = {}
renditions: dict[str, Rendition] = {}

for f in spec.get("folders", []):
    parent = folders.get(f["parent"]) if f.get("parent") else None
    folders[f["key"]] = Folder(f["key"], name=f["name"], parent=parent, codename=f.get("codename"))

for a in spec.get("assets", []):
    assets[a["key"]] = Asset(
        a["key"],
        source=a["source"],
        title=a.get("title"),
        descriptions=a.get("descriptions"),
        folder=folders[a["folder"]] if a.get("folder") else None,
        external_id=a.get("external_id"),
        adopt=a.get("adopt", False),
    )

for r in spec.get("renditions", []):
    renditions[r["key"]] = Rendition(
        r["key"], asset=assets[r["asset"]], transformation=Transformation(**r["transformation"])
    )

for link in spec.get("links", []):
    VariantAssetLink(
        link["key"],
        item=link["item"],
        language=link["language"],
        element=link["element"],
        asset=assets[link["asset"]],
        renditions=[renditions[k].id for k in link.get("renditions", [])] or None,
        publish=link.get("publish", False),
    )

pulumi.export("folders", {k: v.id for k, v in folders.items()})
pulumi.export("assets", {k: v.id for k, v in assets.items()})
pulumi.export("file_references", {k: v.file_reference for k, v in assets.items()})
pulumi.export("renditions", {k: v.id for k, v in renditions.items()})
