"""Alt text per active language, told by ``check`` (``pulumi preview``), per ``kontent:altText``.

Kontent.ai uses an asset's description in a language as the image's alt text there. WCAG 2.x
1.1.1 (level A) asks a text alternative of every image that carries meaning, and failure F38 asks
that a decorative image be marked as such instead of being left without one. So an image asset
(content type ``image/*``, known offline from its file name or declared type) needs a description
in every *active* language of the environment, unless it is declared ``decorative=True``:

* ``warn`` (the default): one line per asset on stderr, which the engine shows as a diagnostic of
  the run; preview and up go on. An ``AssetSet`` tells its first ``SHOWN_PER_SET`` members so and
  the rest in one line (``tell_set``): a bulk library of images without descriptions would
  otherwise print a line per file;
* ``error``: a ``CheckFailure`` on ``descriptions``: the preview fails, ``up`` writes nothing;
* ``off``: nothing is checked.

A description equal to the file name (with or without its extension) or a placeholder ("image",
"untitled"…) counts as missing, with the reason said. Only an asset that is new, or whose
descriptions, ``decorative`` or file changed, is checked: a preview without changes asks nothing
and prints nothing. The languages are the ``Environment`` snapshot every check shares (one
listing per run); values unknown at preview are left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

from kontent_resources.providers.diagnostics import tell
from kontent_resources.providers.environment_checks import EnvironmentChecks
from kontent_resources.providers.inputs import AssetInputs

PROP = "descriptions"
# What the check looks at: a change to any of them (or a new asset) is checked again.
WATCHED = ("descriptions", "decorative", "file_name", "content_type", "content_sha256")
PLACEHOLDERS = frozenset(
    {"image", "photo", "picture", "photo of", "image of", "untitled", "alt", "placeholder"}
)
WARNING_PREFIX = "kontent: warning:"
FIX = (
    "add a description in each of those languages (descriptions={...}; in an AssetDirectory, "
    '"descriptions" in its assets.json entry), or mark the image decorative=True ("decorative": true '
    "in assets.json) if it carries no meaning"
)

SHOWN_PER_SET = 10

Write = Callable[[str], None]


def tell_set(lines: Sequence[str], set_label: str, write: Write = tell) -> None:
    """An ``AssetSet``'s warnings of one check: its first ``SHOWN_PER_SET`` members' lines, then
    one line for the rest."""
    for line in lines[:SHOWN_PER_SET]:
        write(line)
    rest = len(lines) - SHOWN_PER_SET
    if rest > 0:
        write(
            f"{WARNING_PREFIX} {rest:,} more members of {set_label} have no alt text in an active "
            f"language (the first {SHOWN_PER_SET} are above). fix: {FIX}; `pulumi config set "
            "kontent:altText off` silences this."
        )


def check_alt_text(
    checks: EnvironmentChecks,
    mode: str,
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
    *,
    write: Write = tell,
) -> None:
    """Warn about, or refuse, an image asset without alt text in an active language."""
    env = checks.env
    if mode == "off" or env is None or checks.refused(PROP):
        return
    if olds and AssetInputs.same_as_sent(olds, news, WATCHED):
        return  # as it was at the last up: told then
    inputs = AssetInputs.valid_part(news)
    if any(not inputs.is_known(key) for key in WATCHED):
        return
    if inputs.decorative is True or not is_image(inputs.content_type):
        return
    if olds and _watched(AssetInputs.valid_part(olds)) == _watched(inputs):
        return  # as it was at the last up: told then
    if any(failure.property == PROP for failure in checks.failures.items):
        return  # refused offline
    with checks.reading(PROP):
        active = [language.codename for language in env.languages.get() if language.is_active]
    missing = missing_alt_text(inputs.descriptions or {}, active, inputs.file_name)
    if not missing:
        return
    what = f"{resource_label(inputs)}: image {inputs.file_name!r} has no alt text in {missing}"
    if mode == "error":
        checks.refuse(PROP, f"{what} (kontent:altText is error).\n  fix: {FIX}.")
        return
    line = f"{WARNING_PREFIX} {what}. fix: {FIX}; `pulumi config set kontent:altText off` silences this."
    # Once per deployment, however often the engine asks about the same resource.
    env.references.get(("alt text warned", line), lambda: write(line))


def _watched(inputs: AssetInputs) -> dict[str, Any]:
    return {key: getattr(inputs, key) for key in WATCHED}


def is_image(content_type: Any) -> bool:
    return isinstance(content_type, str) and content_type.strip().lower().startswith("image/")


def missing_alt_text(descriptions: Mapping[str, Any], active: list[str], file_name: Any) -> str:
    """The active languages without usable alt text, each with why: ``es-ES (no description), …``."""
    names = _file_names(file_name)
    shown = []
    for language in active:
        text = descriptions.get(language)
        reason = _why_missing(text, names)
        if reason:
            shown.append(f"{language} ({reason})")
    return ", ".join(shown)


def _why_missing(text: Any, file_names: set[str]) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return "no description"
    said = text.strip().casefold()
    if said in file_names:
        return f"{text.strip()!r} is the file name"
    if said in PLACEHOLDERS:
        return f"{text.strip()!r} is a placeholder"
    return None


def _file_names(file_name: Any) -> set[str]:
    if not isinstance(file_name, str) or not file_name.strip():
        return set()
    name = PurePosixPath(file_name.strip()).name.casefold()
    return {name, PurePosixPath(name).stem}


def resource_label(inputs: AssetInputs) -> str:
    """``Asset 'logo'``, ``AssetSet member 'site/assets[photos/a.jpg]'``: the name in the program."""
    path = inputs.resource_path
    if path is None or "::" not in path:
        return f"asset {inputs.file_name!r}"
    type_token, name = path.rsplit("::", 1)
    kind = "AssetSet member" if type_token.endswith(":AssetSet") else "Asset"
    return f"{kind} {name!r}"
