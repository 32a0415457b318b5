"""Identifiers in URL paths: ``<internal id>``, ``codename/<x>`` or ``external-id/<x>``.

The value after the prefix is user data and is percent-encoded (every reserved character,
``/`` included); the slash after the prefix is part of the API's syntax and stays literal.
Values are taken raw: pass ``external-id/my file#2``, not an already-encoded string.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Collection
from typing import Literal
from urllib.parse import quote

from ..models.common import RequestReference

IdentifierKind = Literal["id", "codename", "external_id"]
Identifier = str | RequestReference
"""Anything a ``ref`` parameter takes: a path-form string (``by_id``, ``by_codename``,
``by_external_id`` make one) or a request-body :class:`RequestReference`."""

ALL_KINDS: frozenset[IdentifierKind] = frozenset({"id", "codename", "external_id"})
_PREFIXES: dict[str, IdentifierKind] = {"codename/": "codename", "external-id/": "external_id"}
_PATH_PREFIX: dict[IdentifierKind, str] = {"codename": "codename/", "external_id": "external-id/"}


class InvalidIdentifierError(ValueError):
    """The identifier is not one of the forms the API accepts for this object."""


def parse_ref(ref: Identifier) -> tuple[IdentifierKind, str]:
    """Split ``ref`` into its kind and raw value, validating it."""
    if isinstance(ref, RequestReference):
        return _from_reference(ref)
    if not isinstance(ref, str):
        raise InvalidIdentifierError(
            f"identifier must be a string or RequestReference, not {type(ref).__name__}"
        )
    for prefix, kind in _PREFIXES.items():
        if ref.startswith(prefix):
            return kind, _non_blank(ref[len(prefix) :], ref)
    return "id", _internal_id(ref)


# The canonical form of an internal id; ``uuid.UUID`` also takes braces, "urn:uuid:" and no hyphens,
# which the API does not.
_CANONICAL_ID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# Path or query syntax: written into a reference, it would make the request address something else.
_PATH_SYNTAX = re.compile(r"[/\\?#]|%[0-9A-Fa-f]{2}")


# Cached: a preview checks every member of a large AssetSet, and most name the same few folders.
@functools.lru_cache(maxsize=4096)
def parse_written_ref(ref: str) -> tuple[IdentifierKind, str]:
    """``parse_ref`` for a reference written in a program, refusing anything but a plain value.

    The client encodes any value, but a value holding path syntax (``/``, ``\\``, ``?``, ``#``, a
    percent-escape such as ``%2F``, a ``.``/``..`` segment, line breaks or surrounding spaces) is
    almost always a mistake: a path pasted in, or an escape applied twice. Refused here, where the
    resource's ``check`` can name the property, instead of as a 400 or 404 naming nothing.
    """
    kind, value = parse_ref(ref)
    if kind == "id" and not _CANONICAL_ID.fullmatch(value):
        raise InvalidIdentifierError(
            f"{value!r} is not an internal id in its usual form (8-4-4-4-12 hexadecimal digits)"
        )
    syntax = _PATH_SYNTAX.search(value)
    if syntax:
        raise InvalidIdentifierError(
            f"{syntax.group()!r} in {value!r} is path syntax; give the bare id, codename or external id"
        )
    if value != value.strip() or any(ch.isspace() and ch != " " for ch in value):
        raise InvalidIdentifierError(f"{value!r} has spaces around it or a line break or tab in it")
    if kind == "codename" and " " in value:
        raise InvalidIdentifierError(f"codename {value!r} contains a space; codenames have none")
    return kind, value


def _from_reference(ref: RequestReference) -> tuple[IdentifierKind, str]:
    if ref.id is not None:
        return "id", _internal_id(ref.id)
    if ref.codename is not None:
        return "codename", _non_blank(ref.codename, ref.codename)
    return "external_id", _non_blank(ref.external_id or "", ref.external_id or "")


def _non_blank(value: str, original: str) -> str:
    if not value.strip():
        raise InvalidIdentifierError(f"empty value in identifier {original!r}")
    if value in (".", ".."):
        # Dots are not percent-encoded, and a URL's "." and ".." segments are resolved away before
        # the request is sent: ``items/codename/..`` would ask for ``items``.
        raise InvalidIdentifierError(f"{value!r} in identifier {original!r} is a path segment, not a value")
    return value


def _internal_id(value: str) -> str:
    try:
        uuid.UUID(value)
    except ValueError:
        raise InvalidIdentifierError(
            f"{value!r} is not an internal id (a UUID); use 'codename/<codename>' or "
            "'external-id/<external id>' for the other identifier forms"
        ) from None
    return value


def path_ref(ref: Identifier, *, allow: Collection[IdentifierKind] = ALL_KINDS, what: str = "object") -> str:
    """The URL path segment(s) for ``ref``, percent-encoded, e.g. ``external-id/my%20file``."""
    kind, value = parse_ref(ref)
    if kind not in allow:
        allowed = ", ".join(sorted(allow))
        raise InvalidIdentifierError(f"a {what} cannot be addressed by {kind} (allowed: {allowed})")
    encoded = quote(value, safe="")
    return encoded if kind == "id" else _PATH_PREFIX[kind] + encoded


def by_id(value: str) -> str:
    """Path form of an internal id (validated)."""
    return _internal_id(value)


def by_codename(value: str) -> str:
    """Path form of a codename (raw; encoded later by :func:`path_ref`)."""
    return "codename/" + _non_blank(value, value)


def by_external_id(value: str) -> str:
    """Path form of an external id (raw; encoded later by :func:`path_ref`)."""
    return "external-id/" + _non_blank(value, value)


def to_reference(ref: Identifier) -> RequestReference:
    """A body :class:`RequestReference` from either form (``codename/x`` → ``{"codename": "x"}``)."""
    if isinstance(ref, RequestReference):
        return ref
    kind, value = parse_ref(ref)
    return RequestReference.model_validate({kind: value})
