"""Asset: a binary file plus its metadata.

A new file content (seen through ``content_sha256``) is uploaded and swapped into the same asset
with ``file_reference``: the asset keeps its id, URL path prefix and every reference to it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from kontent_resources.api_limits import MAX_FILE_SIZE, TITLE_MAX_LENGTH
from kontent_resources.client import (
    InvalidIdentifierError,
    KontentError,
    KontentNotFoundError,
    by_external_id,
)
from kontent_resources.client.files import guess_content_type
from kontent_resources.client.identifiers import parse_ref, to_reference
from kontent_resources.client.results import UpsertResult
from kontent_resources.client.upload_journal import UploadJournal, journal_for
from kontent_resources.models import Asset, Collection, FileReference
from kontent_resources.models.assets import (
    AssetCollectionRequest,
    AssetDescriptionRequest,
    AssetElementRequest,
    AssetUpsert,
)
from kontent_resources.models.common import ROOT_FOLDER_ID, RequestReference
from kontent_resources.providers import adoption, ownership, usage
from kontent_resources.providers.adoption_notice import tell_written
from kontent_resources.providers.alt_text import check_alt_text, resource_label
from kontent_resources.providers.asset_file import upsert_with_file
from kontent_resources.providers.base import KontentProvider
from kontent_resources.providers.environment_checks import EnvironmentChecks, find_asset
from kontent_resources.providers.errors import KontentResourceError
from kontent_resources.providers.identity import IDENTITY_KEYS, settle_external_id
from kontent_resources.providers.localfile import file_problem
from kontent_resources.providers.props import applied, changed_keys, diff_result, with_applied
from kontent_resources.providers.validation import Failures, is_unknown

log = logging.getLogger(__name__)

_CONTENT_KEYS = ("content_sha256", "file_name", "content_type")
_METADATA_KEYS = ("title", "descriptions", "folder", "collection", "codename", "elements")
_REPLACE_ON = ("external_id",)
# Marks content replaced outside Pulumi: never equal to a real hash, so the next up re-uploads.
CONTENT_DRIFT = "replaced-outside-pulumi"
_IN_USE_FIX = (
    "the asset is still used in content (a language variant's asset or rich text element, in its draft or "
    "its published version). Remove those references first; VariantAssetLink resources of this stack are "
    "removed before their assets. A link with publish=False removes its reference from the item's draft "
    "only: the published version keeps the asset until that draft is published in Kontent.ai; then run "
    "again (the asset stays in the stack until it is deleted)."
)


class AssetProvider(KontentProvider):
    """CRUD of one asset: upload + upsert by external id, file swap on content change."""

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        self.refuse_unusable_settings()
        failures = Failures()
        news = settle_external_id("asset", olds, failures.unsendable(news))
        self._check_source(news, failures)
        _check_title(olds, news.get("title"), failures)
        failures.file_name("file_name", news.get("file_name"), max_length=TITLE_MAX_LENGTH)
        failures.content_type("content_type", news.get("content_type"))
        failures.reference("folder", news.get("folder"), "folder", in_body=True)
        failures.reference("collection", news.get("collection"), "collection", in_body=True)
        failures.codename("codename", news.get("codename"))
        failures.external_id("external_id", news.get("external_id"))
        failures.adopt_id(news)
        ownership.check_adoption(
            "asset",
            olds,
            news,
            failures,
            external_id_of=self._read_external_id(),
            exists_by_external_id=self._exists,
        )
        _check_descriptions(news.get("descriptions"), failures)
        _check_decorative(news.get("decorative"), failures)
        _check_elements(news.get("elements"), failures)
        environment = EnvironmentChecks(self, olds, news, failures)
        environment.folder("folder")
        environment.collection()
        environment.description_languages()
        environment.adopted_asset()
        inputs = _with_defaults(news)
        check_alt_text(environment, self._alt_text_mode(), olds, inputs)
        return CheckResult(inputs, failures.items)

    def _alt_text_mode(self) -> str:
        return self._settings.alt_text if self._settings is not None else "off"

    def _exists(self, external_id: str) -> bool | None:
        """Whether ``adopt=True`` finds an asset with this external id (one listing per run)."""
        if self._settings is None:
            return None
        try:
            return find_asset(self.env, f"external-id/{external_id}") is not None
        except (KontentError, InvalidIdentifierError):
            return None  # not known: not told (create still adopts it if it is there)

    def _read_external_id(self) -> Callable[[str], str | None] | None:
        """How ``check`` reads an adopted asset's external id (a read: allowed at preview)."""
        if self._settings is None:
            return None

        def external_id_of(asset_id: str) -> str | None:
            asset = find_asset(self.env, asset_id)
            return asset.external_id if isinstance(asset, Asset) else None

        return external_id_of

    def _check_source(self, news: dict[str, Any], failures: Failures) -> None:
        path = news.get("source_path")
        if is_unknown(path):
            return
        if not isinstance(path, str) or not path:
            failures.add("source", "is required: give the path of the file to upload.")
            return
        max_size = self._settings.max_file_size if self._settings else MAX_FILE_SIZE
        problem = file_problem(Path(path), max_size=max_size)
        if problem:
            failures.add("source", problem)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        result = self.changes(_id, olds, news)
        if result.replaces:
            self._refuse_replacing_used(_id, olds, news)
        return result

    def changes(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """What differs, and whether it forces a replacement; reads nothing."""
        changes = changed_keys(
            olds, news, (*_CONTENT_KEYS, *_METADATA_KEYS, "external_id"), api_chooses=["codename"]
        )
        return self.keeping("asset", _id, news, diff_result(changes, _REPLACE_ON))

    def _refuse_replacing_used(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> None:
        """Fail the preview of a replacement whose old asset content uses: Kontent.ai would refuse
        to delete it after the new one was made (``usage.py``; one scan per run, reads only)."""
        if self._settings is None or self._settings.delete_in_use == "keep":
            return
        users = self.users_of(id_, olds)
        if users:
            asset = usage.asset_words(id_, olds.get("file_name"))
            raise KontentResourceError(usage.replace_refusal(resource_label(news), asset, users))

    def users_of(self, id_: str, props: dict[str, Any]) -> list[usage.AssetUser]:
        """The content that uses asset ``id_`` (latest and published versions of every variant)."""
        external_id = props.get("external_id")
        with self.api_errors(f"find the content that uses asset {_label(applied(props) or props)}"):
            index = usage.usage_index(self.env)
            return index.users_of(id_, external_id if isinstance(external_id, str) else None)

    def create(self, props: dict[str, Any]) -> CreateResult:
        action = f"create asset {_label(props)}"
        with self.api_errors(action):
            existing = self._asked_to_adopt(props)
            if existing is not None:
                adopted = self._adopt(existing, props)
                self.env.assets.remember(adopted)
                return CreateResult(
                    id_=self.kept("asset", adopted.id, props), outs=self._outs(adopted, props)
                )
            self._refuse_unasked_adoption(props)
            body = self._metadata(props, previous={})  # checks folder, collection and languages
            self._refuse_taken_codename(props)
            # Uploaded only once nothing the API can see argues against it, right before the write.
            result = self._upsert_with_file(by_external_id(props["external_id"]), body, props)
        if not result.created:
            # An earlier attempt of this very create (crashed, or its answer lost) made it, or
            # adopt=True asked for it: either way the asset now carries this stack's file.
            log.warning(
                "adopted existing asset %s (external id %s); if it held another file before, that "
                "file is no longer referenced",
                result.value.id,
                props["external_id"],
            )
        self.env.assets.remember(result.value)
        return CreateResult(
            id_=self.kept("asset", result.value.id, props), outs=self._outs(result.value, props)
        )

    def _asked_to_adopt(self, props: dict[str, Any]) -> Asset | None:
        """The existing asset ``adopt_id`` or ``adopt=True`` names, if there is one."""
        if props.get("adopt_id"):
            try:
                existing = self.env.client.assets.get(props["adopt_id"])
            except KontentNotFoundError:
                raise KontentResourceError(
                    f"adopt_id: there is no asset with id {props['adopt_id']!r} in this environment. "
                    "Give the id of an existing asset, or remove adopt_id to create a new one."
                ) from None
            what = f"asset {existing.id} ({existing.file_name!r})"
            ownership.refuse_in_create("asset", "adopt_id", what, existing.external_id, props)
            return existing
        if not props.get("adopt"):
            return None
        ownership.refuse_foreign_external_id("asset", props)
        try:
            return self.env.client.assets.get(by_external_id(props["external_id"]))
        except KontentNotFoundError:
            return None  # nothing to adopt: created like any other asset

    def _adopt(self, existing: Asset, props: dict[str, Any]) -> Asset:
        """Manage ``existing`` as ``props`` declare it, writing only what differs.

        Taking over an environment (``kontent-resources import``) must leave every matching asset
        as it is: the file is compared by its bytes (downloaded from the asset's URL, which the
        API's limits do not count), the metadata field by field.
        """
        body = self._metadata(props, previous={})
        same_file = adoption.same_file(existing, props, self.env.downloads)
        if same_file and adoption.same_metadata(
            self._state_of(existing),
            body,
            folder_id=self._resolved_folder_id(body),
            collection_id=self._resolved_collection_id(props),
        ):
            return existing
        log.warning("adopted asset %s: updated it to what the program declares", existing.id)
        changed = "its file and metadata" if not same_file else "its metadata"
        tell_written("asset", props, f"asset {existing.id} differs from the program: {changed} written")
        if not same_file:
            return self._upsert_with_file(existing.id, body, props).value
        return self.env.client.assets.upsert(existing.id, body).value

    def _state_of(self, asset: Asset) -> adoption.AssetState:
        return adoption.AssetState(
            title=asset.title,
            folder_id=_folder_id(asset),
            collection_id=_collection_id(asset),
            codename=asset.codename,
            descriptions=self._descriptions_by_codename(asset),
            has_elements=bool(asset.elements),
        )

    def _resolved_folder_id(self, body: AssetUpsert) -> str | None:
        if body.folder is None:
            return None
        found = self.env.folders.get().find(body.folder)
        return found[0].id if found else None

    def _resolved_collection_id(self, props: dict[str, Any]) -> str | None:
        found = self._find_collection(props["collection"]) if props.get("collection") else None
        return found.id if found else None

    def _refuse_unasked_adoption(self, props: dict[str, Any]) -> None:
        if props.get("adopt") or props.get("external_id_generated"):
            return
        try:
            existing = self.env.client.assets.get(by_external_id(props["external_id"]))
        except KontentNotFoundError:
            return
        raise KontentResourceError(
            f"an asset with external id {props['external_id']!r} already exists (id {existing.id}, "
            f"file {existing.file_name!r}). Set adopt=True to manage it from this stack, or choose another "
            "external_id. If a resource of this stack made it and you renamed that resource or moved it "
            "into a component, add aliases=[pulumi.Alias(...)] naming where it was, so it stays the same "
            "resource."
        )

    def _refuse_taken_codename(self, props: dict[str, Any]) -> None:
        codename = props.get("codename")
        if not codename:
            return
        try:
            holder = self.env.client.assets.get(f"codename/{codename}")
        except KontentNotFoundError:
            return
        if holder.external_id == props["external_id"]:
            return  # this very asset, from an earlier attempt of this create
        raise KontentResourceError(
            f"codename: {codename!r} is already the codename of asset {holder.id} (file "
            f"{holder.file_name!r}); codenames are unique in an environment. Choose another codename, or "
            "leave it unset to have one generated. Nothing was uploaded."
        )

    def _upload(self, props: dict[str, Any]) -> FileReference:
        return self.env.client.files.upload(
            props["source_path"],
            file_name=props["file_name"],
            content_type=props["content_type"],
            expected_sha256=props.get("content_sha256"),
        )

    def _upsert_with_file(self, ref: str, body: AssetUpsert, props: dict[str, Any]) -> UpsertResult[Asset]:
        """The write with the file of ``props``: reuses the file an interrupted attempt uploaded."""
        journal = self._upload_journal()
        return upsert_with_file(self.env.client, journal, ref, body, props, lambda: self._upload(props))

    def _upload_journal(self) -> UploadJournal | None:
        settings = self._settings
        return journal_for(settings.base_url, settings.environment_id) if settings else None

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        with self.api_errors(f"update asset {_label(news)}"):
            body = self._metadata(news, previous=applied(olds))
            new_file = bool(changed_keys(olds, news, _CONTENT_KEYS))
            held = self._holding_already(id_, body, news, new_file=new_file)
            if held is not None:
                asset = held
            elif new_file:
                asset = self._upsert_with_file(id_, body, news).value
            else:
                asset = self.env.client.assets.upsert(id_, body).value
        self.env.assets.remember(asset)
        self.kept("asset", id_, news)
        return UpdateResult(outs=self._outs(asset, news))

    def _holding_already(
        self, id_: str, body: AssetUpsert, news: dict[str, Any], *, new_file: bool
    ) -> Asset | None:
        """The asset, when it already is what ``news`` declares: the update then writes nothing.

        The state can be older than the environment: a re-import (``kontent-resources import``)
        declares what the environment holds now, after edits in Kontent.ai that no refresh brought
        into the state. The comparison is the adoption's: metadata field by field, a new file by
        its bytes.
        """
        existing = self.env.assets.get(id_)
        if existing is None:
            return None
        if new_file and not adoption.same_file(existing, news, self.env.downloads):
            return None
        same = adoption.same_metadata(
            self._state_of(existing),
            body,
            folder_id=self._resolved_folder_id(body),
            collection_id=self._resolved_collection_id(news),
        )
        return existing if same else None

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        label = _label(applied(props) or props)
        if self.left_to_another("asset", id_, props):
            return
        with (
            self.api_errors(f"delete asset {label}", bad_request_fix=_IN_USE_FIX),
            contextlib.suppress(KontentNotFoundError),  # already gone: deleting is idempotent
        ):
            # Gone already (deleted in Kontent.ai since the last refresh): nothing to send.
            there = self.env.assets.get(id_) is not None
            if there and self._kept_in_use(id_, props):
                return
            self.env.assets.forget(id_)
            if there:
                self.env.client.assets.delete(id_)
        external_id = props.get("external_id")
        journal = self._upload_journal()
        if journal is not None and isinstance(external_id, str):
            journal.forget_asset(external_id)  # its files went with it: none is to be reused

    def _kept_in_use(self, id_: str, props: dict[str, Any]) -> bool:
        """Before the DELETE: refuse when content uses the asset (nothing is sent), or, with
        ``kontent:deleteInUse keep``, leave it in Kontent.ai (True: the stack forgets it)."""
        users = self.users_of(id_, props)
        if not users:
            return False
        label = resource_label(applied(props) or props)
        asset = usage.asset_words(id_, props.get("file_name"))
        if self._settings is not None and self._settings.delete_in_use == "keep":
            usage.warn(usage.kept_warning(label, asset, users))
            return True
        raise KontentResourceError(usage.delete_refusal(label, asset, users))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        with self.api_errors(f"read asset {_label(applied(props) or props)}"):
            asset = self.env.assets.get(id_)
            if asset is None:
                return ReadResult(None, {})
            inputs = self._inputs_after_drift(asset, props)
        return ReadResult(id_, self._outs(asset, inputs), inputs)

    def _inputs_after_drift(self, asset: Asset, props: dict[str, Any]) -> dict[str, Any]:
        inputs = applied(props)
        if asset.title != inputs.get("title"):
            inputs["title"] = asset.title
        descriptions = self._descriptions_by_codename(asset)
        if descriptions != _described(inputs.get("descriptions")):
            inputs["descriptions"] = descriptions
        if _folder_id(asset) != props.get("folder_id") and not self._declared_folder_holds(asset, inputs):
            inputs["folder"] = _folder_id(asset)
        if _collection_id(asset) != props.get("collection_id"):
            inputs["collection"] = _collection_id(asset)
        if inputs.get("codename") is not None and asset.codename != inputs["codename"]:
            inputs["codename"] = asset.codename
        if _file_id(asset) != props.get("file_reference"):
            inputs["content_sha256"] = CONTENT_DRIFT
        return inputs

    def _declared_folder_holds(self, asset: Asset, inputs: dict[str, Any]) -> bool:
        """The folder declared by codename or external id is where the asset is, though its id
        changed: a moved folder is a new folder with the old codename (``folder_move.py``)."""
        folder = inputs.get("folder")
        if not isinstance(folder, str) or parse_ref(folder)[0] == "id" or _folder_id(asset) is None:
            return False
        found = self.env.folders.get().find(to_reference(folder))
        return found is not None and found[0].id == _folder_id(asset)

    # -- request bodies and outputs -------------------------------------------------------

    def _metadata(self, props: dict[str, Any], previous: dict[str, Any]) -> AssetUpsert:
        body = AssetUpsert(
            folder=self._folder_reference(props.get("folder")),
            descriptions=self._description_requests(props, previous),
        )
        if props.get("title") is not None:  # an untitled asset is sent no title, not "title": null
            body = body.with_changes(title=props["title"])
        if props.get("codename"):
            body = body.with_changes(codename=props["codename"])
        if props.get("collection") or previous.get("collection"):
            collection = self._collection_reference(props["collection"]) if props.get("collection") else None
            body = body.with_changes(collection=AssetCollectionRequest(reference=collection))
        if props.get("elements") or previous.get("elements"):
            body = body.with_changes(elements=_element_requests(props.get("elements") or {}))
        return body

    def _find_collection(self, collection: str) -> Collection | None:
        kind, value = parse_ref(collection)
        return next((c for c in self.env.collections.get() if getattr(c, kind) == value), None)

    def _collection_reference(self, collection: str) -> RequestReference:
        if self._find_collection(collection) is None:
            known = ", ".join(f"codename/{c.codename}" for c in self.env.collections.get())
            raise KontentResourceError(
                f"collection: {collection!r} is not a collection of this environment; use one of {known}."
            )
        return to_reference(collection)

    def _folder_reference(self, folder: str | None) -> RequestReference:
        if not folder:
            return RequestReference.root_folder()
        reference = to_reference(folder)
        if self.env.folders.get().find(reference) is None:
            raise KontentResourceError(_missing_folder(folder, self.env.claims.is_kept("folder", folder)))
        return reference

    def _description_requests(
        self, props: dict[str, Any], previous: dict[str, Any]
    ) -> list[AssetDescriptionRequest]:
        wanted: dict[str, str] = props.get("descriptions") or {}
        known = {language.codename for language in self.env.languages.get()}
        unknown = sorted(set(wanted) - known)
        if unknown:
            raise KontentResourceError(
                f"descriptions: unknown language codename(s) {', '.join(unknown)}; the environment has "
                f"{', '.join(sorted(known))}. Use one of those as the key."
            )
        # Languages described before but not now are cleared explicitly: absence means "keep".
        cleared = {code: "" for code in (previous.get("descriptions") or {}) if code not in wanted}
        merged = {**cleared, **wanted}
        return [AssetDescriptionRequest.for_language(code, text) for code, text in sorted(merged.items())]

    def _descriptions_by_codename(self, asset: Asset) -> dict[str, str]:
        codenames = {language.id: language.codename for language in self.env.languages.get()}
        return {
            codenames.get(d.language.id or "", d.language.id or "?"): d.description
            for d in asset.descriptions
            if d.description
        }

    def _outs(self, asset: Asset, inputs: dict[str, Any]) -> dict[str, Any]:
        visible = {k: v for k, v in inputs.items() if k != "source_path" and k not in IDENTITY_KEYS}
        api = asset.model_dump(mode="json")
        outs = {
            **visible,
            "title": asset.title,
            "codename": asset.codename,
            "external_id": asset.external_id,
            "url": asset.url,
            "size": asset.size,
            "type": asset.type,
            "image_width": asset.image_width,
            "image_height": asset.image_height,
            "file_reference": _file_id(asset),
            "folder_id": _folder_id(asset),
            "collection_id": _collection_id(asset),
            "last_modified": api.get("last_modified"),
        }
        return with_applied(outs, inputs)


def _with_defaults(news: dict[str, Any]) -> dict[str, Any]:
    """file_name defaults to the source's name and content_type to the type that name implies."""
    inputs = dict(news)
    source = inputs.get("source")
    if not inputs.get("file_name") and isinstance(source, str) and not is_unknown(source):
        inputs["file_name"] = Path(source).name
    name = inputs.get("file_name")
    if not inputs.get("content_type") and isinstance(name, str) and not is_unknown(name):
        inputs["content_type"] = guess_content_type(name)
    return inputs


def _check_title(olds: dict[str, Any], title: Any, failures: Failures) -> None:
    """ "title: string [ 1 .. 200 ] characters" (Upsert an asset): no empty title, and none to remove."""
    if title == "":
        failures.add("title", "must not be empty: omit it to leave the asset untitled.")
        return
    failures.text("title", title, max_length=TITLE_MAX_LENGTH)
    if title is None and applied(olds).get("title"):
        failures.add(
            "title",
            f"cannot be removed: the API keeps an asset's title ({applied(olds)['title']!r}) when none is "
            "sent and accepts no empty one. Give the title it should have instead.",
        )


def _described(descriptions: dict[str, str] | None) -> dict[str, str]:
    """The languages ``descriptions`` gives a text: Kontent.ai stores an empty one as none at all,
    so ``{"en-US": ""}`` and ``{}`` are the same asset (and refresh must not tell them apart)."""
    return {language: text for language, text in (descriptions or {}).items() if text}


def _check_descriptions(value: Any, failures: Failures) -> None:
    if value is None or is_unknown(value):
        return
    if not isinstance(value, dict) or not all(isinstance(k, str) and k for k in value):
        failures.add("descriptions", "must map language codenames to text, e.g. {'en-US': 'Company logo'}.")
        return
    for language, text in value.items():
        if not is_unknown(text) and not isinstance(text, str):
            failures.add("descriptions", f"the description for {language!r} must be a string.")


def _check_decorative(value: Any, failures: Failures) -> None:
    if value is None or is_unknown(value) or isinstance(value, bool):
        return
    failures.add(
        "decorative",
        "must be True or False: True marks an image that carries no meaning (it then needs no alt text).",
    )


def _check_elements(value: Any, failures: Failures) -> None:
    if value is None or is_unknown(value):
        return
    if not isinstance(value, dict):
        failures.add(
            "elements",
            "must map taxonomy element codenames to lists of term references, "
            "e.g. {'brand_tags': ['codename/logo']}.",
        )
        return
    for element, terms in value.items():
        failures.codename("elements", element)
        if not isinstance(terms, list):
            failures.add("elements", f"the terms of {element!r} must be a list of term references.")
            continue
        for term in terms:
            failures.reference("elements", term, "taxonomy term", in_body=True)


def _element_requests(elements: dict[str, list[str]]) -> list[AssetElementRequest]:
    return [
        AssetElementRequest(
            element=RequestReference(codename=element), value=[to_reference(t) for t in terms]
        )
        for element, terms in sorted(elements.items())
    ]


def _label(props: dict[str, Any]) -> str:
    return repr(props.get("title") or props.get("file_name") or props.get("source") or "?")


def _missing_folder(folder: str, of_this_stack: bool) -> str:
    """What to do about a folder reference the environment does not have; ``of_this_stack`` when a
    Folder resource of this deployment keeps that id (so the folder was deleted outside Pulumi)."""
    refresh = (
        "run `pulumi refresh`, which finds the folder gone and drops it from the stack, then `pulumi up`, "
        "which makes it again and puts the asset in it"
    )
    if of_this_stack:
        return (
            f"folder: folder {folder} of this stack no longer exists in Kontent.ai (deleted there?).\n"
            f"  fix: {refresh}."
        )
    if parse_ref(folder)[0] == "id":
        return (
            f"folder: there is no folder with id {folder!r} in this environment (deleted in Kontent.ai?).\n"
            f"  fix: if it is the id of a Folder resource of this stack, {refresh}; otherwise give the id, "
            "'codename/<x>' or 'external-id/<x>' of an existing folder."
        )
    return (
        f"folder: {folder!r} does not exist in the environment. Use the id output of a Folder "
        "resource, or 'codename/<x>' / 'external-id/<x>' of an existing folder."
    )


def _folder_id(asset: Asset) -> str | None:
    folder_id = asset.folder.id if asset.folder else None
    return None if folder_id in (None, ROOT_FOLDER_ID) else folder_id


def _collection_id(asset: Asset) -> str | None:
    reference = asset.collection.reference if asset.collection else None
    return reference.id if reference else None


def _file_id(asset: Asset) -> str | None:
    return asset.file_reference.id if asset.file_reference else None
