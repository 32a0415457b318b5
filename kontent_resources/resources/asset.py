"""``Asset``: a local file uploaded to Kontent.ai with its title, descriptions and folder."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pulumi

from kontent_resources import models
from kontent_resources.providers.asset import AssetProvider
from kontent_resources.providers.inputs import AssetInputs
from kontent_resources.providers.localfile import ImageSize, file_problem, image_size, real_path, sha256_of
from kontent_resources.resources._base import KontentResource
from kontent_resources.resources._identity import claim_identity, identity_inputs
from kontent_resources.resources._lookup import lookup
from kontent_resources.resources.folder import Folder, folder_id_of


class Asset(KontentResource, module="kontent", name="Asset"):
    """A binary file and its metadata, managed from a local ``source`` file.

    Changing the file's content uploads it again and swaps it into the same asset (same ``id``),
    seen through the SHA-256 of the file computed when the program runs. Title, descriptions,
    folder, collection, codename and taxonomy elements update in place; a new ``external_id``
    replaces the asset. Only assets no content uses can be deleted.

    Outputs: ``id`` (the asset's internal id), ``url``, ``size``, ``type`` (MIME),
    ``image_width``, ``image_height``, ``file_reference``, ``content_sha256``, ``title``,
    ``codename``, ``external_id``, ``folder_id``, ``collection_id``, ``last_modified``.

    Errors (at preview when the program or the environment's answers can tell, otherwise at
    ``up`` before anything is written; each names the property and its fix): a missing,
    unreadable or too large ``source`` (over ``kontent:maxFileSizeBytes``, 100 MB by default), a
    title over 200 characters, a malformed reference in ``folder`` or ``collection`` or one the
    environment does not have, a description keyed by a language the environment does not have,
    an image without alt text when ``kontent:altText`` is ``error``, an ``adopt_id`` that is no
    asset, adopting another stack's asset without ``take_over``, an external id that exists
    without ``adopt=True`` ("already exists … Set adopt=True"), a codename another asset has. At
    ``up``: a file edited while it uploads ("changed while it was being uploaded"), a delete
    refused because content uses the asset, and the API's errors (401, 403, 404, 429, 5xx).
    Every message and its fix: the troubleshooting page.
    """

    url: pulumi.Output[str]
    """Where the file is served (Kontent.ai's asset host, or the emulator's file server)."""
    size: pulumi.Output[int]
    """Size of the stored file in bytes."""
    type: pulumi.Output[str]
    """MIME type of the stored file, e.g. ``image/png``."""
    image_width: pulumi.Output[int | None]
    """Width in pixels of an image; ``None`` for other files."""
    image_height: pulumi.Output[int | None]
    """Height in pixels of an image; ``None`` for other files."""
    file_reference: pulumi.Output[str]
    """Id of the uploaded binary file the asset holds; a new content swaps it."""
    content_sha256: pulumi.Output[str]
    """SHA-256 of the local ``source`` when the program ran: how a new content is seen."""
    title: pulumi.Output[str | None]
    """The asset's title, as the API holds it."""
    codename: pulumi.Output[str]
    """The asset's codename: the one given, or the one the API generated."""
    external_id: pulumi.Output[str]
    """The given external id, or the generated ``pulumi:asset:…`` one (unique to this stack)."""
    folder_id: pulumi.Output[str | None]
    """Internal id of the asset's folder; ``None`` at the root."""
    collection_id: pulumi.Output[str | None]
    """Internal id of the asset's collection, when it has one."""
    last_modified: pulumi.Output[str]
    """When the API last changed the asset (ISO 8601)."""

    def __init__(
        self,
        resource_name: str,
        *,
        source: str | Path,
        title: pulumi.Input[str] | None = None,
        descriptions: Mapping[str, pulumi.Input[str]] | None = None,
        decorative: bool = False,
        folder: Folder | pulumi.Input[str] | None = None,
        file_name: str | None = None,
        content_type: str | None = None,
        collection: pulumi.Input[str] | None = None,
        codename: pulumi.Input[str] | None = None,
        elements: Mapping[str, Sequence[str]] | None = None,
        external_id: pulumi.Input[str] | None = None,
        adopt: bool = False,
        adopt_id: str | None = None,
        take_over: bool = False,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """
        :param resource_name: the resource's name, unique in the stack for its type (part of its URN).
        :param source: path of the file to upload, relative to the program's folder.
        :param title: display title (at most 200 characters).
        :param descriptions: alt texts by language codename, e.g. ``{"en-US": "Logo"}``. An image
            needs one in every active language of the environment (``kontent:altText``: warn by
            default, error fails the preview, off; docs/alt-text.md).
        :param decorative: the image carries no meaning (WCAG F38): it needs no alt text.
        :param folder: a ``Folder``, its ``id``, or ``codename/x`` / ``external-id/x``; root if omitted.
        :param file_name: name shown in Kontent.ai and used in the URL; defaults to the source's name.
        :param content_type: MIME type; guessed from the file name when omitted.
        :param collection: ``codename/x``, ``external-id/x`` or id of a collection.
        :param codename: the asset's codename; generated by the API when omitted.
        :param elements: taxonomy elements of the asset type: ``{"tags": ["codename/logo"]}``.
        :param external_id: generated when omitted: unique to this stack's state, kept through renames.
        :param adopt: manage an existing asset that already has ``external_id``.
        :param adopt_id: manage the existing asset with this internal id (for one without an external
            id; ``kontent-resources import`` writes these). Nothing is written to it when it already is
            as declared: its file is compared by its bytes.
        :param take_over: with ``adopt``/``adopt_id``, adopt even an asset another stack of
            kontent_resources made (its generated external id names that stack). Set it only after
            that stack let go of it (docs: "Adopting and importing"); without it, adopting
            another stack's asset fails the preview.
        :param opts: Pulumi resource options (``parent``, ``aliases``, ``retain_on_delete`` …).
        :raises DuplicateResourceError: when another ``Asset`` of the program already declares the
            same ``external_id``, ``codename`` or ``adopt_id`` (as the program runs: the preview
            fails).
        """
        claim_identity(
            "Asset", self, resource_name, external_id=external_id, codename=codename, adopt_id=adopt_id
        )
        props = asset_inputs(
            resource_name,
            source=source,
            title=title,
            descriptions=descriptions,
            decorative=decorative,
            folder=folder,
            file_name=file_name,
            content_type=content_type,
            collection=collection,
            codename=codename,
            elements=elements,
            external_id=external_id,
            adopt=adopt,
            adopt_id=adopt_id,
            take_over=take_over,
            opts=opts,
        )
        super().__init__(AssetProvider(), resource_name, props, opts)
        self._source = Path(props["source_path"])

    @staticmethod
    def lookup(ref: str) -> pulumi.Output[models.Asset]:
        """An existing asset as data: ``Asset.lookup("codename/logo").apply(lambda a: a.url)``.

        ``ref`` is an internal id, ``codename/<x>`` or ``external-id/<x>``.
        """
        return lookup(f"Asset.lookup({ref!r})", lambda client: client.assets.get(ref))

    @functools.cached_property
    def _source_readable(self) -> bool:
        return file_problem(self._source, max_size=None) is None

    @functools.cached_property
    def local_image_size(self) -> ImageSize | None:
        """Dimensions of the local source image (``None`` for other files): lets a Rendition
        check its rectangle at preview time. Read on first use: most assets have no rendition."""
        return image_size(self._source) if self._source_readable else None

    @property
    def local_is_image(self) -> bool | None:
        """Whether the local source is an image Pillow can read; ``None`` when it cannot be read."""
        return self.local_image_size is not None if self._source_readable else None


def asset_inputs(
    resource_name: str,
    *,
    source: str | Path,
    title: pulumi.Input[str] | None = None,
    descriptions: Mapping[str, pulumi.Input[str]] | None = None,
    decorative: bool = False,
    folder: Folder | pulumi.Input[str] | None = None,
    file_name: str | None = None,
    content_type: str | None = None,
    collection: pulumi.Input[str] | None = None,
    codename: pulumi.Input[str] | None = None,
    elements: Mapping[str, Sequence[str]] | None = None,
    external_id: pulumi.Input[str] | None = None,
    adopt: bool = False,
    adopt_id: str | None = None,
    take_over: bool = False,
    opts: pulumi.ResourceOptions | None = None,
) -> dict[str, Any]:
    """The inputs of the asset ``resource_name`` would declare (also a member of an ``AssetSet``)."""
    path = real_path(Path(source).expanduser())
    return AssetInputs.props(
        source=str(source),
        source_path=str(path),
        content_sha256=_hash_if_readable(path),
        file_name=file_name,
        content_type=content_type,
        title=title,
        # Anything but a mapping goes as it is: check says what it should be, by property.
        descriptions=dict(descriptions) if isinstance(descriptions, Mapping) else descriptions or None,
        # Unset rather than false, as "adopt": the state stores each input three times over.
        decorative=decorative if decorative is not False else None,
        folder=folder_id_of(folder),
        collection=collection,
        codename=codename,
        elements=_terms_by_element(elements),
        **identity_inputs(Asset.type_token(), resource_name, external_id, opts, adopt, adopt_id, take_over),
    )


def _terms_by_element(elements: object) -> object:
    """``{element: [terms]}``; anything of another shape as it is, for check to say what it should be."""
    if not elements:
        return None
    if not isinstance(elements, Mapping):
        return elements
    return {k: v if isinstance(v, str) else list(v) for k, v in elements.items()}


def _hash_if_readable(path: Path) -> str | None:
    """None when the file is missing or unreadable: the provider's check reports why, by property."""
    if file_problem(path, max_size=None) is not None:
        return None
    return sha256_of(path)
