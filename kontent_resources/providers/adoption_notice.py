"""Adoption shown as adoption: one line per object a create step takes over instead of making.

Pulumi's own ``= import`` cannot be used for this package's resources: with SDK 3.272 the engine's
``Read`` for an imported dynamic resource carries no ``__provider``, and the SDK's dynamic provider
host fails with ``KeyError: '__provider'`` before any code of this package is loaded in the
provider process (docs/upstream.md, section 10). So an adopted object is a create in Pulumi's
summary, and ``check`` says, once per run and object, that this create takes over an object that
exists: the engine relays the line (stderr of the provider process) in the CLI, the sandbox and CI
logs, and the sandbox adds the count under its summary (``sandbox/display.py``). At ``up``, an
adopted object that differs from the program is written to, and that is told too
(``tell_written``), so the summary can say "nothing written" when nothing was.

Told: every ``adopt_id`` (its existence is checked at preview, where it can be), and an external id
with ``adopt=True`` that the environment has, or may have when that cannot be known yet (a
rendition of an asset adopted in the same run). An ``adopt=True`` object the environment does not
have is created like any other, and not told.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from kontent_resources.providers.diagnostics import tell
from kontent_resources.providers.identity import ADOPT_ID, IdentityInputs

# What the sandbox's display counts: keep the two in step.
PREFIX = "kontent: adopting "
# At ``up``: an adopted object that differed from the program and was written to (``tell_written``).
WRITTEN_PREFIX = "kontent: adopted "
WHAT_ADOPTION_DOES = (
    "taken over as it is, not created: no upload, a write only where it differs from the program"
)

Write = Callable[[str], None]

_told: set[str] = set()
_lock = threading.Lock()


def label(kind: str, news: Mapping[str, Any]) -> str:
    """``Asset 'logo'``: the resource's class and name in the program."""
    path = IdentityInputs.valid_part(news).resource_path
    if path is None or "::" not in path:
        return kind.capitalize()
    type_token, name = path.rsplit("::", 1)
    return f"{type_token.rsplit('$', 1)[-1].rsplit(':', 1)[-1]} {name!r}"


def adoption_line(
    kind: str, news: Mapping[str, Any], exists_by_external_id: Callable[[str], bool | None] | None
) -> str | None:
    """The line for an adopting create, or None when nothing existing is (known to be) taken over."""
    identity = IdentityInputs.valid_part(news)
    adopt_id = identity.adopt_id
    if identity.unknown(ADOPT_ID):
        return None  # known at up only: not told at preview
    if adopt_id:
        what = f"the existing {kind} {adopt_id} (adopt_id)"
    else:
        external_id = identity.external_id
        if external_id is None:
            return None
        exists = exists_by_external_id(external_id) if exists_by_external_id else None
        if exists is False:
            return None  # nothing there: created like any other
        what = f"the existing {kind} with external id {external_id!r} (adopt=True)"
        if exists is None:  # e.g. a rendition of an asset whose id is known only once it is adopted
            what = f"the {kind} with external id {external_id!r} (adopt=True), if there is one,"
    return f"{PREFIX}{label(kind, news)}: {what}, {WHAT_ADOPTION_DOES}"


def tell_adoption(
    kind: str,
    news: Mapping[str, Any],
    exists_by_external_id: Callable[[str], bool | None] | None = None,
    *,
    write: Write = tell,
) -> None:
    """Write the object's adoption line, once per provider process (one run of the engine)."""
    line = adoption_line(kind, news, exists_by_external_id)
    if line is None:
        return
    with _lock:
        if line in _told:
            return
        _told.add(line)
    write(line)


def tell_written(kind: str, props: Mapping[str, Any], what: str, *, write: Write = tell) -> None:
    """At ``up``, before an adopting create writes: which object differs from the program, and how.

    An adoption that writes nothing says nothing here: the sandbox's summary of the ``up`` counts
    these lines against the adoptions, "nothing written" when there are none.
    """
    write(f"{WRITTEN_PREFIX}{label(kind, props)}: {what}")
