"""Languages: list, retrieve, add (``POST /languages``) and modify (``PATCH /languages/<ref>``).

Reference (Add a language): ``name`` and ``codename`` required, ``external_id``, ``is_active`` and
``fallback_language`` (a Reference) optional; 201 with the created language; 400 "The specified
request body is invalid or the language already exists", and for a fallback that is missing or
inactive error 0 "Fallback language not found or inactive". (Modify a language): an array of
``{op, property_name, value}`` where ``property_name`` is ``name``, ``codename``,
``fallback_language`` (value: a Reference) or ``is_active`` (value: boolean); 400 "Invalid operation
with index '0': The specified fallback language is inactive or does not exist."; 404 for an unknown
language.

Assumed (the reference is silent): a new language is active unless ``is_active`` says otherwise and
falls back to the default language when no fallback is given; ``replace`` is the only operation;
the default language cannot be deactivated.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from .. import domain, errors
from ..errors import ApiError, invalid_body
from ..pagination import paginated_response
from ..refs import Ref, Reference, find, parse_path_ref
from ..store import Doc, Tx
from ..util import derived_id, new_id
from ..web import by_method, emulator_of, json_response, parse_model, path_param, read_json

_FALLBACK_MISSING = "Fallback language not found or inactive"
_PROPERTIES = ("name", "codename", "fallback_language", "is_active")


class LanguageIn(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    name: str = Field(min_length=1)
    codename: str = Field(min_length=1)
    external_id: str | None = Field(default=None, min_length=1)
    is_active: bool = True
    fallback_language: Reference | None = None


class LanguageOp(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    op: str
    property_name: str
    value: Any


def _default_language(tx: Tx) -> Doc:
    return next(doc for doc in tx.all(domain.LANGUAGE) if doc.get("is_default"))


def _active_language(tx: Tx, ref: Ref) -> Doc | None:
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
        found = _active_language(tx, body.fallback_language.to_ref())
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


def modify_language(tx: Tx, ref: Ref, raw_ops: Any) -> Doc:
    language = dict(domain.require(tx, domain.LANGUAGE, ref))
    if not isinstance(raw_ops, list) or not raw_ops:
        raise invalid_body(("Provide an array of at least one operation.", None))
    for index, raw in enumerate(raw_ops):
        try:
            _apply(tx, language, parse_model(LanguageOp, raw, f"[{index}]"))
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
            target = Reference.model_validate(value).to_ref()
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


async def list_languages(request: Request) -> Response:
    return await paginated_response(request, domain.LANGUAGE, "languages", "/languages")


async def get_language(request: Request) -> Response:
    ref = parse_path_ref(path_param(request, "ref"))
    doc = await emulator_of(request).store.run(lambda tx: domain.require(tx, domain.LANGUAGE, ref))
    return json_response(domain.public(doc))


async def post_language(request: Request) -> Response:
    emu = emulator_of(request)
    body = parse_model(LanguageIn, await read_json(request))
    doc = await emu.store.run(lambda tx: add_language(tx, emu.config.environment_id, body))
    return json_response(domain.public(doc), status=201)


async def patch_language(request: Request) -> Response:
    ref = parse_path_ref(path_param(request, "ref"))
    raw_ops = await read_json(request)
    doc = await emulator_of(request).store.run(lambda tx: modify_language(tx, ref, raw_ops))
    return json_response(domain.public(doc))


routes = [
    by_method("/languages", GET=list_languages, POST=post_language),
    by_method("/languages/{ref:ref}", GET=get_language, PATCH=patch_language),
]
