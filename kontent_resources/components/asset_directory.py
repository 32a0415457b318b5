"""``AssetDirectory``: a local directory tree mirrored into Kontent.ai folders and assets.

Identity: every child resource is named after its relative path (``<name>/photos/team.jpg``,
folders ``<name>/photos``), so the tree itself is the source of truth:

* a new file creates one asset; a deleted file deletes its asset;
* new content in a file updates its asset in place (upload + file swap: same id, same references);
* a renamed or moved file is a new path: its new asset is created, then the old one is deleted
  (only assets no content uses can be deleted, so nothing referenced is lost silently).

To keep an asset (its id and every reference to it) across a move, record the
earlier paths in the metadata file: ``"moved_from": ["old/path.png"]``, oldest first. They become
Pulumi aliases, so the asset is updated in place (new file name and folder), and the oldest path
stays the asset's identity (its external id). Keep the entry as long as the file exists: it also
reserves the old paths, so a new file there is refused instead of silently taking over the moved
asset's external id; removing it shows up in the preview as a replacement of that asset.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any, TypedDict, TypeVar, cast

import pulumi

from kontent_resources.api_limits import EXTERNAL_ID_FORBIDDEN_IN_REFERENCES
from kontent_resources.components._plan import (
    DEFAULT_METADATA_FILE,
    PlannedAsset,
    plan_directory,
)
from kontent_resources.resources.asset import Asset, asset_inputs
from kontent_resources.resources.asset_set import AssetSet
from kontent_resources.resources.folder import Folder

_TYPE = "kontent:components:AssetDirectory"


class _AssetArgs(TypedDict):
    source: Path
    title: str
    descriptions: dict[str, str] | None
    decorative: bool
    folder: pulumi.Input[str] | None


T = TypeVar("T")


class AssetDirectory(pulumi.ComponentResource):
    """Mirrors the files under ``path`` into a folder tree of assets.

    Each subdirectory holding an uploaded file becomes a ``Folder`` (named like the directory,
    inside its parent directory's folder, top level inside ``root_folder``); each file becomes an
    ``Asset`` in its directory's folder (or a member of one ``AssetSet`` with
    ``one_resource=True``). Hidden files and the metadata file are never uploaded. Titles and
    per-language descriptions come from the metadata file, else from the file name
    (``team-photo.jpg`` → "Team photo").

    Program values (not recorded as the component's outputs: export the ones you need):
    ``assets`` (relative path → asset id), ``urls`` (relative path → URL), ``folders``
    (relative directory → folder id). ``asset_resources`` and ``folder_resources`` give the child
    resources themselves, e.g. to make a ``Rendition`` of one of the images; ``asset_set`` is the
    ``AssetSet`` when ``one_resource=True`` (``asset_resources`` is then empty).

    Errors: ``AssetDirectoryError`` for a bad input (a name with ``/``, a missing directory, a
    bad pattern, a malformed metadata file, a ``moved_from`` clash), raised before anything is
    registered, so the preview fails with one message; then each child fails as its ``Folder``
    or ``Asset`` would.
    """

    def __init__(
        self,
        name: str,
        path: str | os.PathLike[str],
        *,
        include: Sequence[str] = ("**/*",),
        exclude: Sequence[str] = (),
        root_folder: Folder | pulumi.Input[str] | None = None,
        metadata_file: str | None = DEFAULT_METADATA_FILE,
        default_descriptions: Mapping[str, str] | None = None,
        one_resource: bool = False,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """
        :param name: the component's name; must not contain '/' (children are ``<name>/<path>``).
        :param path: the directory to mirror, relative to the program's folder or absolute.
        :param include: glob patterns of files to upload (``**`` spans folders; a pattern without
            '/' matches names at any depth; a matched directory covers its files).
        :param exclude: glob patterns of files to leave out, same rules.
        :param root_folder: a ``Folder`` or folder id to mount the tree under; the root if omitted.
        :param metadata_file: JSON file (relative to ``path``) with per-file ``title``,
            ``descriptions``, ``decorative`` (an image needing no alt text) and ``moved_from`` (earlier
            paths, oldest first: the asset follows the file); optional when left at ``assets.json``;
            None for none.
        :param default_descriptions: descriptions by language codename for files whose metadata
            gives none for that language.
        :param one_resource: declare the assets as the members of one ``AssetSet`` resource instead of
            one ``Asset`` each: the engine then writes its state twice for all of them, not twice per
            file, which a standard install with a file or S3 backend needs for large trees (docs:
            "Large libraries"). Each member behaves as its ``Asset`` would (same external id, adoption,
            errors); ``asset_resources`` is then empty, and renditions take ``assets[path]``.
        :param opts: Pulumi resource options for the component (its children are parented to it).
        :raises AssetDirectoryError: for any problem with the inputs, before anything is registered.
        """
        # Everything is read and validated before the component registers, so a bad input
        # fails the preview with one clear message and never half-declares a tree.
        plan = plan_directory(
            name,
            os.fspath(path),
            include=include,
            exclude=exclude,
            metadata_file=metadata_file,
            default_descriptions=default_descriptions,
        )
        super().__init__(_TYPE, name, None, opts)
        for warning in plan.warnings:
            pulumi.log.warn(f"AssetDirectory {name!r}: {warning}", resource=self)
        root = _root_reference(root_folder)
        self._folder_refs: dict[str, pulumi.Input[str] | None] = {"": root}
        self.folder_resources: dict[str, Folder] = {}
        for relative in plan.folders:  # parents come first
            self._declare_folder(name, relative, root)
        self.asset_resources: dict[str, Asset] = {}
        self.asset_set: AssetSet | None = None
        if one_resource:
            self.asset_set = self._declare_asset_set(name, plan.assets)
        else:
            self.asset_resources = {
                planned.path: self._declare_asset(name, planned) for planned in plan.assets
            }
        # The maps below stay program values (export what you need): as the component's recorded
        # outputs, every engine event about it would copy them key by key, once per key (O(N²):
        # 22 GB allocated by the engine in a no-change preview of 5,000 files).
        self.register_outputs({})

    # Each map waits on an output of every child: made when first asked for, not for every tree.
    @functools.cached_property
    def assets(self) -> pulumi.Output[dict[str, str]]:
        """Relative path → asset id."""
        if self.asset_set is not None:
            return self._by_path(self.asset_set.ids)
        return _collect({p: a.id for p, a in self.asset_resources.items()})

    @functools.cached_property
    def urls(self) -> pulumi.Output[dict[str, str]]:
        """Relative path → asset URL."""
        if self.asset_set is not None:
            return self._by_path(self.asset_set.member_field("url"))
        return _collect({p: a.url for p, a in self.asset_resources.items()})

    def _by_path(self, by_key: pulumi.Output[dict[str, Any]]) -> pulumi.Output[dict[str, str]]:
        paths = dict(self._member_paths)
        return by_key.apply(lambda values: {paths[k]: v for k, v in values.items() if k in paths})

    @functools.cached_property
    def folders(self) -> pulumi.Output[dict[str, str]]:
        """Relative directory → folder id."""
        return _collect({p: f.id for p, f in self.folder_resources.items()})

    def _declare_folder(self, name: str, relative: str, root: pulumi.Input[str] | None) -> None:
        parent_relative = _parent_of(relative)
        folder = Folder(
            f"{name}/{relative}",
            name=PurePosixPath(relative).name,
            parent=self._folder_refs[parent_relative],
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.folder_resources[relative] = folder
        self._folder_refs[relative] = _by_external_id(folder)

    def _declare_asset_set(self, name: str, planned_assets: Sequence[PlannedAsset]) -> AssetSet:
        # Keyed by the path each file was first created under, as its generated external id is:
        # a moved file (``moved_from``) stays the same member, updated in place.
        self._member_paths = {planned.identity: planned.path for planned in planned_assets}
        members = {
            planned.identity: asset_inputs(
                f"{name}/{planned.identity}",
                **self._asset_args(planned),
                opts=pulumi.ResourceOptions(parent=self),
            )
            for planned in planned_assets
        }
        return AssetSet(f"{name}/assets", members, opts=pulumi.ResourceOptions(parent=self))

    def _declare_asset(self, name: str, planned: PlannedAsset) -> Asset:
        return Asset(
            f"{name}/{planned.path}",
            **self._asset_args(planned),
            # A moved file's asset is found through its earlier names and keeps its external id.
            opts=pulumi.ResourceOptions(
                parent=self, aliases=[pulumi.Alias(name=f"{name}/{old}") for old in planned.moved_from]
            ),
        )

    def _asset_args(self, planned: PlannedAsset) -> _AssetArgs:
        """What a file's asset declares, as an ``Asset`` or as a member of the ``AssetSet``."""
        return _AssetArgs(
            source=planned.source,
            title=planned.title,
            descriptions=dict(planned.descriptions) or None,
            decorative=planned.decorative,
            folder=self._folder_refs[planned.folder],
        )


def _by_external_id(folder: Folder) -> pulumi.Output[str]:
    # By external id, as the component always referred to its folders: states written before
    # the ids were generated by the resources hold these references, and stay unchanged. An id
    # kept from older versions may hold a character references refuse ("must not contain /, .
    # or ;"): that folder is referred to by its internal id (an update of its assets, same folder).
    def reference(values: list[str]) -> str:
        folder_id, external_id = values
        unsafe = any(ch in external_id for ch in EXTERNAL_ID_FORBIDDEN_IN_REFERENCES)
        return folder_id if unsafe else f"external-id/{external_id}"

    return pulumi.Output.all(folder.id, folder.external_id).apply(reference)


def _root_reference(root_folder: Folder | pulumi.Input[str] | None) -> pulumi.Input[str] | None:
    """Where the tree is mounted: a Folder by its external id, or the reference the user gave."""
    if isinstance(root_folder, Folder):
        return _by_external_id(root_folder)
    return root_folder


def _parent_of(relative: str) -> str:
    parent = str(PurePosixPath(relative).parent)
    return "" if parent == "." else parent


def _collect(outputs: Mapping[str, pulumi.Output[T]]) -> pulumi.Output[dict[str, T]]:
    """One output of a dict from a dict of outputs (an empty dict for an empty tree)."""
    combined: pulumi.Output[Any] = pulumi.Output.from_input(dict(outputs))
    return cast("pulumi.Output[dict[str, T]]", combined)
