"""Identifiers: ``{id}``, ``codename/X``, ``external-id/X`` in URLs; reference objects in bodies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import model_validator

from kontent_resources.api_limits import EXTERNAL_ID_FORBIDDEN_IN_REFERENCES

from .body import ApiBody
from .store import Doc, Tx

By = Literal["id", "codename", "external_id"]


@dataclass(frozen=True)
class Identifier:
    """How a URL or a ``Reference`` names an object: by its internal id, codename or external id."""

    by: By
    value: str

    def describe(self) -> str:
        return self.value if self.by == "id" else f"{self.by.replace('_', '-')}/{self.value}"


def parse_path_ref(raw: str) -> Identifier:
    """``external-id/X`` → by external id, ``codename/X`` → by codename, anything else → internal id."""
    if raw.startswith("external-id/"):
        return Identifier("external_id", raw.removeprefix("external-id/"))
    if raw.startswith("codename/"):
        return Identifier("codename", raw.removeprefix("codename/"))
    return Identifier("id", raw)


class Reference(ApiBody):
    """A reference object in a request body; at least one identifier is required."""

    id: str | None = None
    codename: str | None = None
    external_id: str | None = None

    @model_validator(mode="after")
    def _one_identifier(self) -> Reference:
        if not (self.id or self.codename or self.external_id):
            raise ValueError("Provide a reference with 'id', 'codename' or 'external_id'.")
        # "The value of the external_id property must not contain the following characters: /, ., ;."
        # (the Reference object, mapi-v2-endpoints.json)
        if self.external_id and any(ch in self.external_id for ch in EXTERNAL_ID_FORBIDDEN_IN_REFERENCES):
            raise ValueError(
                f"The external ID '{self.external_id}' in a reference must not contain /, . or ;."
            )
        return self

    def to_identifier(self) -> Identifier:
        if self.id:
            return Identifier("id", self.id)
        if self.codename:
            return Identifier("codename", self.codename)
        return Identifier("external_id", self.external_id or "")


class PatchOperation(ApiBody):
    """One operation of a PATCH on a list of objects (folders, collections): ``op``, the object it
    applies to, its value, and where it goes (``before``/``after``)."""

    op: str
    reference: Reference | None = None
    value: Any = None
    before: Reference | None = None
    after: Reference | None = None


def find(tx: Tx, kind: str, ref: Identifier, parent: str | None = None) -> Doc | None:
    """Look a document up by any identifier; ``parent`` scopes renditions to their asset."""
    if ref.by == "id":
        doc = tx.get(kind, ref.value)
        if doc is None:
            doc = _find_case_insensitive_id(tx, kind, ref.value)
        if doc is not None and parent is not None and _parent_of(doc) not in (None, parent):
            return None
        return doc
    return tx.find(kind, ref.by, ref.value, parent)


def _find_case_insensitive_id(tx: Tx, kind: str, value: str) -> Doc | None:
    # Internal ids are GUIDs; clients may send them upper-cased.
    lowered = value.lower()
    return tx.get(kind, lowered) if lowered != value else None


def _parent_of(doc: Doc) -> Any:
    return doc.get("asset_id")
