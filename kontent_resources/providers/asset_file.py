"""An asset write that carries a file: upload it right before the write, once per content.

The upload happens only when the write that uses it is next, and its file reference goes to the
per-user upload journal (``client/upload_journal.py``) before that write. A create or update
retried after a crash (the engine killed between the upload and the write, or after the write
but before the state recorded it) then points the asset at the file its first attempt uploaded,
instead of uploading another copy that nothing would ever reference.
"""

from __future__ import annotations

from collections.abc import Callable

from kontent_resources.client import Identifier, KontentBadRequestError, KontentClient
from kontent_resources.client.results import UpsertResult
from kontent_resources.client.upload_journal import UploadJournal, UploadKey
from kontent_resources.models import Asset, FileReference
from kontent_resources.models.assets import AssetUpsert
from kontent_resources.providers.inputs import AssetInputs


def upload_key(inputs: AssetInputs) -> UploadKey | None:
    """What identifies this upload again after a crash; None when the inputs cannot say (no hash)."""
    external_id, sha256 = inputs.external_id, inputs.content_sha256
    file_name, content_type = inputs.file_name, inputs.content_type
    if not (external_id and sha256 and file_name and content_type):
        return None
    return UploadKey(external_id, sha256, file_name, content_type)


def upsert_with_file(
    client: KontentClient,
    journal: UploadJournal | None,
    ref: Identifier,
    body: AssetUpsert,
    inputs: AssetInputs,
    upload: Callable[[], FileReference],
) -> UpsertResult[Asset]:
    """``PUT`` the asset ``ref`` with ``body`` and the file of ``inputs``, uploaded at most once."""
    key = upload_key(inputs) if journal is not None else None
    if journal is not None and key is not None:
        uploaded_before = journal.find(key)
        if uploaded_before is not None:
            try:
                return client.assets.upsert(ref, _with_file(body, FileReference(id=uploaded_before)))
            except KontentBadRequestError as refusal:
                if not _about_the_file(refusal):
                    raise
                journal.forget(key)  # gone with a deleted asset, or never this environment's: upload
    uploaded = upload()
    if journal is not None and key is not None:
        journal.record(key, uploaded.id)
    return client.assets.upsert(ref, _with_file(body, uploaded))


def _with_file(body: AssetUpsert, file: FileReference) -> AssetUpsert:
    return body.with_changes(file_reference=file.to_request())


def _about_the_file(refusal: KontentBadRequestError) -> bool:
    """The API refused the file reference itself (unknown, or another asset's), not the metadata."""
    paths = [item.path or "" for item in refusal.validation_errors]
    message = refusal.message.lower()
    return any(path.startswith("file_reference") for path in paths) or any(
        phrase in message for phrase in ("file reference", "file_reference", "binary file")
    )
