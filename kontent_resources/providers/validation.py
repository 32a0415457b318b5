"""Offline checks shared by the providers' ``check``: each failure names the property and the fix.

Nothing here talks to the API, so it is safe (and fast) at preview time. Values the engine does not
know yet arrive as the ``UNKNOWN`` sentinel and are skipped: they are checked again at ``up``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pulumi.dynamic import CheckFailure
from pulumi.output import Unknown
from pulumi.runtime import rpc

from kontent_resources.api_limits import (
    CODENAME_MAX_LENGTH,
    EXTERNAL_ID_FORBIDDEN_IN_REFERENCES,
    EXTERNAL_ID_MAX_LENGTH,
)
from kontent_resources.client.identifiers import InvalidIdentifierError, parse_ref

UNKNOWN = rpc.UNKNOWN
CODENAME_PATTERN = re.compile(rf"^[a-z_][a-z0-9_]{{0,{CODENAME_MAX_LENGTH - 1}}}$")
# RFC 6838 type/subtype, optionally with parameters; nothing that could end a header line.
MEDIA_TYPE_PATTERN = re.compile(r"^[A-Za-z0-9][\w!#$&^.+-]*/[A-Za-z0-9][\w!#$&^.+-]*(\s*;[ -~]*)?\Z")


def is_unknown(value: Any) -> bool:
    """True for a value the engine will only know after an earlier resource is created.

    ``check`` receives them as ``pulumi.output.Unknown`` objects (the provider host deserializes
    its inputs with ``keep_unknowns``); elsewhere they may still be the raw ``UNKNOWN`` sentinel.
    """
    if isinstance(value, Unknown) or value == UNKNOWN:
        return True
    if isinstance(value, dict):
        return any(is_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(is_unknown(v) for v in value)
    return False


@dataclass
class Failures:
    """Collects CheckFailures; every check method is a no-op for unknown or absent values."""

    items: list[CheckFailure] = field(default_factory=list)

    def add(self, prop: str, reason: str) -> None:
        self.items.append(CheckFailure(prop, reason))

    def codename(self, prop: str, value: Any) -> None:
        if _skip(value):
            return
        if not isinstance(value, str) or not CODENAME_PATTERN.match(value):
            self.add(
                prop,
                f"{value!r} is not a valid codename: use 1-60 lowercase letters, digits and "
                "underscores, starting with a letter or underscore (e.g. 'brand_logo').",
            )

    def adopt_id(self, news: dict[str, Any]) -> None:
        """``adopt_id`` names the object by its internal id: a second identity cannot go with it."""
        adopt_id = news.get("adopt_id")
        if adopt_id is None or _skip(adopt_id):
            return
        if not isinstance(adopt_id, str) or not adopt_id.strip():
            self.add("adopt_id", "must be the internal id of an existing object, e.g. 'fcbb12e6-66a3-…'.")
        elif news.get("external_id") is not None and not news.get("external_id_generated"):
            self.add(
                "adopt_id",
                "cannot go with external_id: adopt_id manages an object by its internal id, external_id "
                "with adopt=True by its external id. Keep one of them.",
            )

    def external_id(self, prop: str, value: Any) -> None:
        if _skip(value):
            return
        if not isinstance(value, str) or not value.strip() or value != value.strip():
            self.add(
                prop,
                f"{value!r} is not a valid external id: give a non-empty string without "
                "leading or trailing spaces.",
            )
        elif len(value) > EXTERNAL_ID_MAX_LENGTH or any(ch in value for ch in "\r\n\t"):
            self.add(
                prop,
                f"external id {value[:40]!r}… must be at most {EXTERNAL_ID_MAX_LENGTH} "
                "characters and contain no line breaks or tabs.",
            )
        elif "/" in value:
            # The API addresses an object by external id in the URL (…/external-id/<x>), where a
            # '/' starts another path segment: the request would name some other endpoint.
            self.add(
                prop,
                f"external id {value!r} contains '/': Kontent.ai addresses objects by external id in the "
                "URL, where '/' would change the path. Use '-' or ':' instead.",
            )

    def file_name(self, prop: str, value: Any, *, max_length: int) -> None:
        """The name the file is stored and served under: the last segment of its URL."""
        if _skip(value):
            return
        if not isinstance(value, str) or not value.strip():
            self.add(prop, "must be a file name with at least one visible character, e.g. 'logo.png'.")
        elif any(ch in value for ch in "/\\") or value.strip() in (".", ".."):
            self.add(
                prop,
                f"{value!r} is a path, not a file name: the asset's URL would point elsewhere. Give the "
                "name alone, e.g. 'logo.png'.",
            )
        elif any(not ch.isprintable() for ch in value):
            self.add(prop, f"{value!r} contains a control character or line break: remove it.")
        elif len(value) > max_length:
            self.add(prop, f"is {len(value)} characters long; the API accepts at most {max_length}.")

    def content_type(self, prop: str, value: Any) -> None:
        if _skip(value):
            return
        if not isinstance(value, str) or not MEDIA_TYPE_PATTERN.match(value):
            self.add(
                prop,
                f"{value!r} is not a media type: give 'type/subtype' (e.g. 'image/png'), with no line "
                "breaks; leave it unset to have it guessed from the file name.",
            )

    def reference(
        self, prop: str, value: Any, what: str, *, codename: bool = True, in_body: bool = False
    ) -> None:
        """An identifier in one of the API's forms: internal id, codename/x or external-id/x
        (``codename=False`` for objects without codenames, such as renditions; ``in_body`` for
        references sent as reference objects, whose external ids must not hold '/', '.' or ';')."""
        if _skip(value):
            return
        if not isinstance(value, str):
            self.add(prop, f"the {what} must be a string identifier, not {type(value).__name__}.")
            return
        try:
            kind, ref = parse_ref(value)
            if kind == "codename" and not codename:
                self.add(prop, f"{value!r}: a {what} has no codename; use its id or 'external-id/<x>'.")
            forbidden = sorted({ch for ch in ref if ch in EXTERNAL_ID_FORBIDDEN_IN_REFERENCES})
            if kind == "external_id" and in_body and forbidden:
                self.add(
                    prop,
                    f"{value!r}: Kontent.ai refuses external ids with {' '.join(forbidden)} in references; "
                    f"refer to the {what} by its id or codename instead.",
                )
        except InvalidIdentifierError as error:
            self.add(
                prop,
                f"{value!r} does not identify a {what}: {error}. For example "
                f"'codename/{_suggest_codename(value)}' or the id output of a resource.",
            )

    def text(self, prop: str, value: Any, *, max_length: int, required: bool = False) -> None:
        if _skip(value):
            if required and value is None:
                self.add(prop, "is required: give a non-empty string.")
            return
        if not isinstance(value, str) or (required and not value.strip()):
            self.add(prop, "must be a non-empty string.")
        elif len(value) > max_length:
            self.add(
                prop, f"is {len(value)} characters long; the API accepts at most {max_length}: shorten it."
            )


def _skip(value: Any) -> bool:
    return value is None or is_unknown(value)


def _suggest_codename(value: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", value.lower()).strip("_") or "my_item"
