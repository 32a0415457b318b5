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

Any entry may carry ``"opts"``: ``{"component": "group"}`` declares it inside a component of that
name, and ``{"aliases": [{"name": "old"}, {"root": true}, {"component": "group"}]}`` names where it
was before (another name; the stack itself, for a resource moved into a component; a component,
for one moved out of it).
"""

import json
from typing import Any

import pulumi

from kontent_resources import Asset, Folder, Rendition, Transformation, VariantAssetLink

spec: dict[str, Any] = json.loads(pulumi.Config().require("spec"))
declared: dict[str, Any] = {}
components: dict[str, pulumi.ComponentResource] = {}


def resolve(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("@") and value.endswith(".id"):
        return declared[value[1:-3]].id
    if isinstance(value, str) and value.startswith("@"):
        return declared[value[1:]]
    if isinstance(value, list):
        return [resolve(v).id if isinstance(resolve(v), Rendition) else resolve(v) for v in value]
    return value


def alias(given: dict[str, Any]) -> pulumi.Alias:
    if given.get("root"):
        return pulumi.Alias(parent=pulumi.ROOT_STACK_RESOURCE)
    if given.get("component"):  # it was inside that component (which may be gone from the program)
        stack, project = pulumi.get_stack(), pulumi.get_project()
        return pulumi.Alias(parent=f"urn:pulumi:{stack}::{project}::tests:index:Group::{given['component']}")
    return pulumi.Alias(name=given["name"])


def options(given: dict[str, Any]) -> pulumi.ResourceOptions:
    name = given.get("component")
    parent = None
    if name:
        parent = components.get(name) or components.setdefault(
            name, pulumi.ComponentResource("tests:index:Group", name)
        )
    return pulumi.ResourceOptions(parent=parent, aliases=[alias(a) for a in given.get("aliases", [])])


def args(entry: dict[str, Any]) -> dict[str, Any]:
    kwargs = {k: resolve(v) for k, v in entry.items() if k not in ("key", "opts", "name_as")}
    return {**kwargs, "opts": options(entry.get("opts", {}))}


def name(entry: dict[str, Any]) -> str:
    """The resource name: ``"name_as"`` when given, so a test can rename a resource and keep its key."""
    return str(entry.get("name_as", entry["key"]))


for f in spec.get("folders", []):
    declared[f["key"]] = Folder(name(f), **args(f))
for a in spec.get("assets", []):
    declared[a["key"]] = Asset(name(a), **args(a))
for r in spec.get("renditions", []):
    kwargs = args(r)
    kwargs["transformation"] = Transformation(**kwargs["transformation"])
    declared[r["key"]] = Rendition(name(r), **kwargs)
for link in spec.get("links", []):
    declared[link["key"]] = VariantAssetLink(name(link), **args(link))

pulumi.export("ids", {key: resource.id for key, resource in declared.items()})
