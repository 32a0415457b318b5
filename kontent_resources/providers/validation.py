"""Offline checks shared by the providers' ``check``: each failure names the property and the fix.

Nothing here talks to the API, so it is safe (and fast) at preview time. Values the engine does not
know yet arrive as the ``UNKNOWN`` sentinel and are skipped: they are checked again at ``up``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Self

from pulumi.dynamic import CheckFailure
from pulumi.output import Unknown
from pulumi.runtime import rpc

from kontent_resources.api_limits import (
    CODENAME_MAX_LENGTH,
    EXTERNAL_ID_FORBIDDEN_IN_REFERENCES,
    EXTERNAL_ID_MAX_LENGTH,
)
from kontent_resources.client.identifiers import InvalidIdentifierError, parse_written_ref

UNKNOWN = rpc.UNKNOWN
CODENAME_PATTERN = re.compile(rf"^[a-z_][a-z0-9_]{{0,{CODENAME_MAX_LENGTH - 1}}}$")
# RFC 6838 type/subtype, optionally with parameters; nothing that could end a header line.
MEDIA_TYPE_PATTERN = re.compile(r"^[A-Za-z0-9][\w!#$&^.+-]*/[A-Za-z0-9][\w!#$&^.+-]*(\s*;[ -~]*)?\Z")


# Stands in for a value the program could not send (resources/_sendable.py): holds the reason.
UNSENDABLE = "kontent:unsendable"
# Reported under the argument the user wrote: ``source_path`` is derived from ``source``.
_REPORTED_AS = {"source_path": "source"}


def unsendable(reason: str) -> dict[str, str]:
    """The marker a resource sends instead of a value the engine cannot carry."""
    return {UNSENDABLE: reason}


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


@dataclass(frozen=True)
class SentValues:
    """Props as the program sent them, read by attribute: absent (None), unknown, or of any type.

    For the checks, which report a bad value that the typed model (``valid_part``) would leave out.
    A subclass declares the props it reads as its fields, named as the model's fields
    (``tests/unit/test_typed_inputs.py`` keeps them so); the checks read them as attributes.
    """

    @classmethod
    def of(cls, props: Mapping[str, Any]) -> Self:
        return cls(**{prop.name: props.get(prop.name) for prop in fields(cls)})


@dataclass(frozen=True)
class SentIdentity(SentValues):
    """The inputs that name the object itself, as sent (``IdentityInputs`` and the codename)."""

    codename: Any = None
    external_id: Any = None
    external_id_generated: Any = None
    adopt_id: Any = None


@dataclass
class Failures:
    """Collects CheckFailures; every check method is a no-op for unknown or absent values."""

    items: list[CheckFailure] = field(default_factory=list)

    def add(self, prop: str, reason: str) -> None:
        self.items.append(CheckFailure(prop, reason))

    def unsendable(self, news: dict[str, Any]) -> dict[str, Any]:
        """Report each value the program could not send; returns ``news`` with those values unknown,
        so that the other checks, which skip unknown values, do not report them a second time."""
        inputs = dict(news)
        reported: set[str] = set()
        for key, value in news.items():
            if not (isinstance(value, dict) and set(value) == {UNSENDABLE}):
                continue
            inputs[key] = Unknown()  # type: ignore[no-untyped-call]
            prop = _REPORTED_AS.get(key, key)
            if prop not in reported:
                reported.add(prop)
                self.add(prop, str(value[UNSENDABLE]))
        return inputs

    def codename(self, prop: str, value: Any) -> None:
        self._matching(
            prop,
            value,
            CODENAME_PATTERN,
            "is not a valid codename: use 1-60 lowercase letters, digits and underscores, starting "
            "with a letter or underscore (e.g. 'brand_logo').",
        )

    def _matching(self, prop: str, value: Any, pattern: re.Pattern[str], refusal: str) -> None:
        """A string ``pattern`` matches, or the failure "``value`` ``refusal``"."""
        if _skip(value):
            return
        if not isinstance(value, str) or not pattern.match(value):
            self.add(prop, f"{value!r} {refusal}")

    def identity(self, news: dict[str, Any], *, codename: bool = True) -> None:
        """The inputs that name the object itself: ``codename`` (for objects that have one),
        ``external_id`` and ``adopt_id``."""
        sent = SentIdentity.of(news)
        if codename:
            self.codename("codename", sent.codename)
        self.external_id("external_id", sent.external_id)
        self._adopt_id(sent)

    def adopt_id(self, news: dict[str, Any]) -> None:
        """``adopt_id`` names the object by its internal id: a second identity cannot go with it."""
        self._adopt_id(SentIdentity.of(news))

    def _adopt_id(self, sent: SentIdentity) -> None:
        adopt_id = sent.adopt_id
        if adopt_id is None or _skip(adopt_id):
            return
        if sent.external_id is not None and not sent.external_id_generated:
            self.add(
                "adopt_id",
                "cannot go with external_id: adopt_id manages an object by its internal id, external_id "
                "with adopt=True by its external id. Keep one of them.",
            )
        elif not isinstance(adopt_id, str) or not is_internal_id(adopt_id):
            # It goes into a URL as it is: path syntax in it would address some other object.
            self.add(
                "adopt_id",
                f"{adopt_id!r} is not the internal id of an object: give the id Kontent.ai shows for it "
                "(8-4-4-4-12 hexadecimal digits, e.g. 'fcbb12e6-66a3-4672-85d9-d502d16b8d9c'), nothing else.",
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
        elif value in (".", ".."):
            self.add(
                prop,
                f"external id {value!r} is a path segment in the URL that addresses the object "
                "(…/external-id/..): give it a letter or digit.",
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
        self._matching(
            prop,
            value,
            MEDIA_TYPE_PATTERN,
            "is not a media type: give 'type/subtype' (e.g. 'image/png'), with no line breaks; leave "
            "it unset to have it guessed from the file name.",
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
            kind, ref = parse_written_ref(value)
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
            self.add(prop, f"{value!r} does not identify a {what}: {error}. For example {_example(value)}.")

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


def is_internal_id(value: str) -> bool:
    try:
        return parse_written_ref(value)[0] == "id"
    except InvalidIdentifierError:
        return False


def _example(value: str) -> str:
    """A well-formed reference: one made of ``value`` when it is a bare word, else the forms."""
    if value.startswith(("codename/", "external-id/")):
        return "'codename/<codename>', 'external-id/<external id>' or the id output of a resource"
    return f"'codename/{_suggest_codename(value)}' or the id output of a resource"


def _suggest_codename(value: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", value.lower()).strip("_") or "my_item"
