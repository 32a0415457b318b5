"""State and rules of languages; the passages they follow are cited in the
package docstring and next to each rule."""

from __future__ import annotations

from pydantic import ValidationError

from .. import domain, errors
from ..errors import ApiError, invalid_body
from ..refs import Identifier, Reference, find
from ..store import Doc, Tx
from ..util import derived_id, new_id
from .bodies import LanguageIn, LanguageOp

_FALLBACK_MISSING = "Fallback language not found or inactive"


_PROPERTIES = ("name", "codename", "fallback_language", "is_active")


def _default_language(tx: Tx) -> Doc:
    return next(doc for doc in tx.all(domain.LANGUAGE) if doc.get("is_default"))


def _active_language(tx: Tx, ref: Identifier) -> Doc | None:
    doc = find(tx, domain.LANGUAGE, ref)
    return doc if doc is not None and doc.get("is_active", True) else None


def _refuse_taken(tx: Tx, codename: str | None, external_id: str | None, itself: str | None = None) -> None:
    for column, value in (("codename", codename), ("external_id", external_id)):
        holder = tx.find(domain.LANGUAGE, column, value) if value is not None else None
        if holder is not None and holder["id"] != itself:
            raise errors.bad_request(f"A language with the {column} '{value}' already exists.")


def add_language(tx: Tx, env: str, body: LanguageIn) -> Doc:
    _refuse_taken(tx, body.codename, body.external_id)
    if body.fallback_language is None:
        fallback = _default_language(tx)
    else:
        found = _active_language(tx, body.fallback_language.to_identifier())
        if found is None:
            raise errors.bad_request(_FALLBACK_MISSING)
        fallback = found
    language_id = derived_id(env, "language", body.external_id) if body.external_id else new_id()
    doc: Doc = {"id": language_id, "name": body.name, "codename": body.codename}
    if body.external_id is not None:
        doc["external_id"] = body.external_id
    doc |= {"is_active": body.is_active, "is_default": False, "fallback_language": {"id": fallback["id"]}}
    tx.put(domain.LANGUAGE, doc)
    return doc


def modify_language(tx: Tx, ref: Identifier, operations: list[LanguageOp]) -> Doc:
    language = dict(domain.require(tx, domain.LANGUAGE, ref))
    for index, operation in enumerate(operations):
        try:
            _apply(tx, language, operation)
        except (ApiError, ValueError) as exc:
            detail = exc.message if isinstance(exc, ApiError) else str(exc)
            raise invalid_body((f"Invalid operation with index '{index}': {detail}", None)) from exc
    tx.put(domain.LANGUAGE, language)
    return language


def _apply(tx: Tx, language: Doc, op: LanguageOp) -> None:
    if op.op != "replace":
        raise ValueError(f"Unknown operation '{op.op}'; languages take 'replace'.")
    name, value = op.property_name, op.value
    if name not in _PROPERTIES:
        raise ValueError(f"The property '{name}' cannot be modified; use one of {', '.join(_PROPERTIES)}.")
    if name == "fallback_language":
        try:
            target = Reference.model_validate(value).to_identifier()
        except ValidationError as exc:
            raise ValueError("The value of fallback_language must be a reference.") from exc
        found = _active_language(tx, target)
        if found is None:
            raise ValueError("The specified fallback language is inactive or does not exist.")
        language["fallback_language"] = {"id": found["id"]}
    elif name == "is_active":
        if not isinstance(value, bool):
            raise ValueError("The value of is_active must be true or false.")
        if language.get("is_default") and not value:
            raise ValueError("The default language cannot be deactivated.")
        language["is_active"] = value
    else:
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"The value of {name} must be a non-empty string.")
        if name == "codename":
            _refuse_taken(tx, value, None, itself=language["id"])
        language[name] = value
