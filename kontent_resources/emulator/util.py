"""Small helpers shared by every area: ids, codenames and timestamps in the API's formats."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

#: The id of the default language, collection and workflow, and of "the root folder".
ZERO_ID = "00000000-0000-0000-0000-000000000000"
CODENAME_MAX = 60
_CODENAME_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def now_iso() -> str:
    """UTC timestamp with 7 fraction digits and ``Z``, the format of the real payloads."""
    stamp = datetime.now(UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond:06d}0Z"


def new_id() -> str:
    return str(uuid.uuid4())


def derived_id(environment_id: str, kind: str, external_id: str) -> str:
    """Deterministic id for an object known by external id.

    The real API derives internal ids from external ids (the payloads show version-5
    UUIDs for objects created by external id). Doing the same lets a language variant
    reference an asset by external id *before* the asset exists: once the asset is
    created, the placeholder id stored in the variant is the asset's id.
    """
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"kontent-emulator:{environment_id.lower()}")
    return str(uuid.uuid5(namespace, f"{kind}:{external_id}"))


def is_valid_codename(value: str) -> bool:
    """Codename rules: lowercase letters, digits and ``_``, not starting with a digit, ≤ 60 chars."""
    return 0 < len(value) <= CODENAME_MAX and bool(_CODENAME_RE.match(value))


def codename_base(text: str) -> str:
    """Codename generated from a name: ASCII-folded, lowercase, runs of other characters → ``_``."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    base = _NON_ALNUM.sub("_", folded).strip("_")
    if not base:
        base = "untitled"
    if base[0].isdigit():
        base = "n" + base
    return base[:CODENAME_MAX].rstrip("_") or "n"


def unique_codename(text: str, taken: Callable[[str], bool]) -> str:
    """``codename_base`` made unique with ``_2``, ``_3``… suffixes (kept within 60 chars)."""
    base = codename_base(text)
    if not taken(base):
        return base
    counter = 2
    while True:
        suffix = f"_{counter}"
        candidate = base[: CODENAME_MAX - len(suffix)] + suffix
        if not taken(candidate):
            return candidate
        counter += 1
