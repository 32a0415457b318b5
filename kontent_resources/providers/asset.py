"""Asset: a binary file plus its metadata.

A new file content (seen through ``content_sha256``) is uploaded and swapped into the same asset
with ``file_reference``: the asset keeps its id, URL path prefix and every reference to it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from kontent_resources.api_limits import MAX_FILE_SIZE
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
from kontent_resources.models._base import api_datetime
from kontent_resources.models.assets import (
    AssetCollectionRequest,
    AssetDescriptionRequest,
    AssetElementRequest,
    AssetUpsert,
)
from kontent_resources.models.common import ROOT_FOLDER_ID, RequestReference
from kontent_resources.providers import adoption, ownership, usage
from kontent_resources.providers.adoption_notice import tell_written
from kontent_resources.providers.alt_text import Write, check_alt_text, resource_label
from kontent_resources.providers.asset_file import upsert_with_file
from kontent_resources.providers.base import KontentProvider
from kontent_resources.providers.diagnostics import tell
from kontent_resources.providers.environment_checks import EnvironmentChecks, find_asset
from kontent_resources.providers.errors import KontentResourceError
from kontent_resources.providers.identity import IDENTITY_KEYS
from kontent_resources.providers.inputs import AssetInputs, AssetOutputs
from kontent_resources.providers.props import applied, changed_keys, diff_result, with_applied

log = logging.getLogger(__name__)

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
        return self.check_telling(olds, news, tell)

    def check_telling(self, olds: dict[str, Any], news: dict[str, Any], alt_text_write: Write) -> CheckResult:
        """``check``, with a missing alt text told to ``alt_text_write`` (an ``AssetSet`` collects
        its members' lines)."""
        news, failures = self.start_check("asset", olds, news)
        max_size = self._settings.max_file_size if self._settings else MAX_FILE_SIZE
        AssetInputs.check_values(olds, news, failures, max_file_size=max_size)
        ownership.check_adoption(
            "asset",
            olds,
            news,
            failures,
            external_id_of=self._read_external_id(),
            exists_by_external_id=self._exists,
        )
        AssetInputs.check_contents(news, failures)
        environment = EnvironmentChecks(self, olds, news, failures)
        environment.folder("folder")
        environment.collection()
        environment.description_languages()
        environment.adopted_asset()
        inputs = AssetInputs.with_defaults(news, guess_content_type)
        check_alt_text(environment, self._alt_text_mode(), olds, inputs, write=alt_text_write)
        if not failures.items:
            AssetInputs.parsed(inputs, failures)
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

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        result = self.changes(_id, olds, news)
        if result.replaces:
            self._refuse_replacing_used(_id, olds, news)
        return result

    def changes(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """What differs, and whether it forces a replacement; reads nothing."""
        changes = changed_keys(olds, news, AssetInputs.DIFFED, api_chooses=["codename"])
        return self.keeping("asset", _id, news, diff_result(changes, AssetInputs.REPLACE_ON))

    def _refuse_replacing_used(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> None:
        """Fail the preview of a replacement whose old asset content uses: Kontent.ai would refuse
        to delete it after the new one was made (``usage.py``; one scan per run, reads only)."""
        if self._settings is None or self._settings.delete_in_use == "keep":
            return
        users = self.users_of(id_, olds)
        if users:
            asset = usage.asset_words(id_, AssetInputs.valid_part(olds).file_name)
            raise KontentResourceError(
                usage.replace_refusal(resource_label(AssetInputs.valid_part(news)), asset, users)
            )

    def users_of(self, id_: str, props: dict[str, Any]) -> list[usage.AssetUser]:
        """The content that uses asset ``id_`` (latest and published versions of every variant)."""
        external_id = AssetInputs.valid_part(props).external_id
        with self.api_errors(f"find the content that uses asset {_label(applied(props) or props)}"):
            index = usage.usage_index(self.env)
            return index.users_of(id_, external_id)

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = AssetInputs.of(props)
        with self.api_errors(f"create asset {inputs.label}"):
            existing = self._asked_to_adopt(inputs, props)
            if existing is not None:
                adopted = self._adopt(existing, inputs, props)
                self.env.assets.remember(adopted)
                return CreateResult(
                    id_=self.kept("asset", adopted.id, props), outs=self._outs(adopted, props)
                )
            external_id = _external_id(inputs)
            self._refuse_unasked_adoption(inputs, external_id)
            body = self._metadata(inputs, previous=AssetInputs())  # checks folder, collection, languages
            self._refuse_taken_codename(inputs.codename, external_id)
            # Uploaded only once nothing the API can see argues against it, right before the write.
            result = self._upsert_with_file(by_external_id(external_id), body, props)
        if not result.created:
            # An earlier attempt of this very create (crashed, or its answer lost) made it, or
            # adopt=True asked for it: either way the asset now carries this stack's file.
            log.warning(
                "adopted existing asset %s (external id %s); if it held another file before, that "
                "file is no longer referenced",
                result.value.id,
                external_id,
            )
        self.env.assets.remember(result.value)
        return CreateResult(
            id_=self.kept("asset", result.value.id, props), outs=self._outs(result.value, props)
        )

    def _asked_to_adopt(self, inputs: AssetInputs, props: dict[str, Any]) -> Asset | None:
        """The existing asset ``adopt_id`` or ``adopt=True`` names, if there is one."""
        if inputs.adopt_id:
            try:
                existing = self.env.client.assets.get(inputs.adopt_id)
            except KontentNotFoundError:
                raise KontentResourceError(
                    f"adopt_id: there is no asset with id {inputs.adopt_id!r} in this environment. "
                    "Give the id of an existing asset, or remove adopt_id to create a new one."
                ) from None
            what = f"asset {existing.id} ({existing.file_name!r})"
            ownership.refuse_in_create("asset", "adopt_id", what, existing.external_id, props)
            return existing
        if not inputs.adopt:
            return None
        ownership.refuse_foreign_external_id("asset", props)
        try:
            return self.env.client.assets.get(by_external_id(_external_id(inputs)))
        except KontentNotFoundError:
            return None  # nothing to adopt: created like any other asset

    def _adopt(self, existing: Asset, inputs: AssetInputs, props: dict[str, Any]) -> Asset:
        """Manage ``existing`` as ``props`` declare it, writing only what differs.

        Taking over an environment (``kontent-resources import``) must leave every matching asset
        as it is: the file is compared by its bytes (downloaded from the asset's URL, which the
        API's limits do not count), the metadata field by field.
        """
        body = self._metadata(inputs, previous=AssetInputs())
        same_file = adoption.same_file(existing, inputs, self.env.downloads)
        if same_file and adoption.same_metadata(
            self._state_of(existing),
            body,
            folder_id=self._resolved_folder_id(body),
            collection_id=self._resolved_collection_id(inputs.collection),
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

    def _resolved_collection_id(self, collection: str | None) -> str | None:
        found = self._find_collection(collection) if collection else None
        return found.id if found else None

    def _refuse_unasked_adoption(self, inputs: AssetInputs, external_id: str) -> None:
        if inputs.adopt or inputs.external_id_generated:
            return
        try:
            existing = self.env.client.assets.get(by_external_id(external_id))
        except KontentNotFoundError:
            return
        raise KontentResourceError(
            f"an asset with external id {external_id!r} already exists (id {existing.id}, "
            f"file {existing.file_name!r}). Set adopt=True to manage it from this stack, or choose another "
            "external_id. If a resource of this stack made it and you renamed that resource or moved it "
            "into a component, add aliases=[pulumi.Alias(...)] naming where it was, so it stays the same "
            "resource."
        )

    def _refuse_taken_codename(self, codename: str | None, external_id: str) -> None:
        if not codename:
            return
        try:
            holder = self.env.client.assets.get(f"codename/{codename}")
        except KontentNotFoundError:
            return
        if holder.external_id == external_id:
            return  # this very asset, from an earlier attempt of this create
        raise KontentResourceError(
            f"codename: {codename!r} is already the codename of asset {holder.id} (file "
            f"{holder.file_name!r}); codenames are unique in an environment. Choose another codename, or "
            "leave it unset to have one generated. Nothing was uploaded."
        )

    def _upload(self, inputs: AssetInputs) -> FileReference:
        if inputs.source_path is None or inputs.file_name is None or inputs.content_type is None:
            raise KontentResourceError("an asset needs its source, file name and type (check sets them)")
        return self.env.client.files.upload(
            inputs.source_path,
            file_name=inputs.file_name,
            content_type=inputs.content_type,
            expected_sha256=inputs.content_sha256,
        )

    def _upsert_with_file(self, ref: str, body: AssetUpsert, props: dict[str, Any]) -> UpsertResult[Asset]:
        """The write with the file of ``props``: reuses the file an interrupted attempt uploaded."""
        journal = self._upload_journal()
        inputs = AssetInputs.of(props)
        return upsert_with_file(self.env.client, journal, ref, body, inputs, lambda: self._upload(inputs))

    def _upload_journal(self) -> UploadJournal | None:
        settings = self._settings
        return journal_for(settings.base_url, settings.environment_id) if settings else None

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        inputs = AssetInputs.of(news)
        with self.api_errors(f"update asset {inputs.label}"):
            body = self._metadata(inputs, previous=AssetInputs.valid_part(applied(olds)))
            new_file = bool(changed_keys(olds, news, AssetInputs.CONTENT))
            held = self._holding_already(id_, body, inputs, new_file=new_file)
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
        self, id_: str, body: AssetUpsert, inputs: AssetInputs, *, new_file: bool
    ) -> Asset | None:
        """The asset, when it already is what ``inputs`` declare: the update then writes nothing.

        The state can be older than the environment: a re-import (``kontent-resources import``)
        declares what the environment holds now, after edits in Kontent.ai that no refresh brought
        into the state. The comparison is the adoption's: metadata field by field, a new file by
        its bytes.
        """
        existing = self.env.assets.get(id_)
        if existing is None:
            return None
        if new_file and not adoption.same_file(existing, inputs, self.env.downloads):
            return None
        same = adoption.same_metadata(
            self._state_of(existing),
            body,
            folder_id=self._resolved_folder_id(body),
            collection_id=self._resolved_collection_id(inputs.collection),
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
        external_id = AssetInputs.valid_part(props).external_id
        journal = self._upload_journal()
        if journal is not None and external_id is not None:
            journal.forget_asset(external_id)  # its files went with it: none is to be reused

    def _kept_in_use(self, id_: str, props: dict[str, Any]) -> bool:
        """Before the DELETE: refuse when content uses the asset (nothing is sent), or, with
        ``kontent:deleteInUse keep``, leave it in Kontent.ai (True: the stack forgets it)."""
        users = self.users_of(id_, props)
        if not users:
            return False
        label = resource_label(AssetInputs.valid_part(applied(props) or props))
        asset = usage.asset_words(id_, AssetInputs.valid_part(props).file_name)
        if self._settings is not None and self._settings.delete_in_use == "keep":
            tell(usage.kept_warning(label, asset, users))
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
        declared, recorded = AssetInputs.valid_part(inputs), AssetOutputs.of(props)
        update = AssetInputs.updated
        if asset.title != declared.title:
            inputs = update(inputs, title=asset.title)
        descriptions = self._descriptions_by_codename(asset)
        if descriptions != _described(declared.descriptions):
            inputs = update(inputs, descriptions=descriptions)
        folder_id = _folder_id(asset)
        if folder_id != recorded.folder_id and not self._declared_folder_holds(asset, declared.folder):
            inputs = update(inputs, folder=folder_id)
        if _collection_id(asset) != recorded.collection_id:
            inputs = update(inputs, collection=_collection_id(asset))
        if declared.codename is not None and asset.codename != declared.codename:
            inputs = update(inputs, codename=asset.codename)
        if _file_id(asset) != recorded.file_reference:
            inputs = update(inputs, content_sha256=CONTENT_DRIFT)
        return inputs

    def _declared_folder_holds(self, asset: Asset, folder: str | None) -> bool:
        """The folder declared by codename or external id is where the asset is, though its id
        changed: a moved folder is a new folder with the old codename (``folder_move.py``)."""
        if folder is None or parse_ref(folder)[0] == "id" or _folder_id(asset) is None:
            return False
        found = self.env.folders.get().find(to_reference(folder))
        return found is not None and found[0].id == _folder_id(asset)

    # -- request bodies and outputs -------------------------------------------------------

    def _metadata(self, inputs: AssetInputs, previous: AssetInputs) -> AssetUpsert:
        body = AssetUpsert(
            folder=self._folder_reference(inputs.folder),
            descriptions=self._description_requests(inputs, previous),
        )
        if inputs.title is not None:  # an untitled asset is sent no title, not "title": null
            body = body.with_changes(title=inputs.title)
        if inputs.codename:
            body = body.with_changes(codename=inputs.codename)
        if inputs.collection or previous.collection:
            collection = self._collection_reference(inputs.collection) if inputs.collection else None
            body = body.with_changes(collection=AssetCollectionRequest(reference=collection))
        if inputs.elements or previous.elements:
            body = body.with_changes(elements=_element_requests(inputs.elements or {}))
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
        self, inputs: AssetInputs, previous: AssetInputs
    ) -> list[AssetDescriptionRequest]:
        wanted = inputs.descriptions or {}
        known = {language.codename for language in self.env.languages.get()}
        unknown = sorted(set(wanted) - known)
        if unknown:
            raise KontentResourceError(
                f"descriptions: unknown language codename(s) {', '.join(unknown)}; the environment has "
                f"{', '.join(sorted(known))}. Use one of those as the key."
            )
        # Languages described before but not now are cleared explicitly: absence means "keep".
        cleared = {code: "" for code in (previous.descriptions or {}) if code not in wanted}
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
        hidden = {*AssetInputs.HIDDEN, *IDENTITY_KEYS}
        visible = {k: v for k, v in inputs.items() if k not in hidden}
        outs = {
            **visible,
            **AssetOutputs(
                title=asset.title,
                codename=asset.codename,
                external_id=asset.external_id,
                url=asset.url,
                size=asset.size,
                type=asset.type,
                image_width=asset.image_width,
                image_height=asset.image_height,
                file_reference=_file_id(asset),
                folder_id=_folder_id(asset),
                collection_id=_collection_id(asset),
                last_modified=api_datetime(asset.last_modified),
            ).model_dump(),
        }
        return with_applied(outs, inputs)


def _described(descriptions: dict[str, str] | None) -> dict[str, str]:
    """The languages ``descriptions`` gives a text: Kontent.ai stores an empty one as none at all,
    so ``{"en-US": ""}`` and ``{}`` are the same asset (and refresh must not tell them apart)."""
    return {language: text for language, text in (descriptions or {}).items() if text}


def _element_requests(elements: dict[str, list[str]]) -> list[AssetElementRequest]:
    return [
        AssetElementRequest(
            element=RequestReference(codename=element), value=[to_reference(t) for t in terms]
        )
        for element, terms in sorted(elements.items())
    ]


def _label(props: dict[str, Any]) -> str:
    return AssetInputs.valid_part(props).label


def _external_id(inputs: AssetInputs) -> str:
    """The external id ``check`` settled (create and update get checked inputs)."""
    if inputs.external_id is None:
        raise KontentResourceError("an asset needs an external id here (check settles one)")
    return inputs.external_id


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
