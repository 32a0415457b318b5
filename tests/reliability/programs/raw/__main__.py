"""A program that passes the JSON stack config ``spec`` to the resources as raw keyword arguments.

Unlike ``tests/e2e/programs/spec``, every argument is passed through as given (a codename, an
unknown folder reference, a malformed external id…), so tests can declare exactly the bad input
they want. ``"@key"`` stands for the earlier resource with that key (for ``asset``/``folder``/
``parent``) or its id (inside ``renditions``), ``"@key.id"`` for its ``id`` output anywhere::

    {"folders": [{"key": "brand", "name": "Brand", "codename": "Bad Codename"}],
     "assets": [{"key": "logo", "source": "/abs/logo.png", "folder": "@brand"}],
     "renditions": [{"key": "thumb", "asset": "@logo", "transformation": {...}}],
     "links": [{"key": "hero", "item": "codename/home", "language": "codename/en-US",
                "element": "hero_image", "asset": "@logo", "renditions": ["@thumb"]}]}
"""

import json
from typing import Any

import pulumi

from kontent_resources import Asset, Folder, Rendition, Transformation, VariantAssetLink

spec: dict[str, Any] = json.loads(pulumi.Config().require("spec"))
declared: dict[str, Any] = {}


def resolve(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("@") and value.endswith(".id"):
        return declared[value[1:-3]].id
    if isinstance(value, str) and value.startswith("@"):
        return declared[value[1:]]
    if isinstance(value, list):
        return [resolve(v).id if isinstance(resolve(v), Rendition) else resolve(v) for v in value]
    return value


def args(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: resolve(v) for k, v in entry.items() if k != "key"}


for f in spec.get("folders", []):
    declared[f["key"]] = Folder(f["key"], **args(f))
for a in spec.get("assets", []):
    declared[a["key"]] = Asset(a["key"], **args(a))
for r in spec.get("renditions", []):
    kwargs = args(r)
    kwargs["transformation"] = Transformation(**kwargs["transformation"])
    declared[r["key"]] = Rendition(r["key"], **kwargs)
for link in spec.get("links", []):
    declared[link["key"]] = VariantAssetLink(link["key"], **args(link))

pulumi.export("ids", {key: resource.id for key, resource in declared.items()})
