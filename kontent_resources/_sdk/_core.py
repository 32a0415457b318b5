"""The registry of SDK repairs, the switch, the gate on the code each one replaces, and the report.

A repair is a set of names in Pulumi's modules replaced by this package's code. It applies only
when each function it was written against is, source for source, the one in the installed SDK
(the SHA-256 of ``inspect.getsource``); any difference, and the SDK is left alone and one line
says which repair was skipped and why. ``KONTENT_SDK_REPAIRS`` switches them:

* unset or ``on``: every repair of the process's kind but those measured to gain under 5%;
* ``all``: every one;
* ``off`` (also ``0``, ``false``, ``no``, ``none``): none, in the program, the provider and the sandbox;
* a comma-separated list of names: only those (``stack-traces,resource-types``); ``on,-NAME``:
  every repair but NAME (what ``bench/bench_scale.py --repairs`` uses to measure one at a time).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import inspect
import os
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

SWITCH = "KONTENT_SDK_REPAIRS"
Scope = Literal["program", "provider", "sandbox"]
_OFF = frozenset({"off", "0", "false", "no", "none"})


class SdkInternalsMissingError(ImportError):
    """A private name of the Pulumi SDK this package relies on is not in the installed SDK."""


def sdk_version() -> str:
    try:
        return importlib.metadata.version("pulumi")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def private(module: str, name: str) -> Any:
    """``module.name`` from the SDK, or an error naming what is gone and from which SDK version."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as missing:
        raise SdkInternalsMissingError(
            f"kontent_resources needs {module}.{name}, which the installed Pulumi SDK {sdk_version()} "
            f"does not have (written against 3.272.0); install a pulumi version pyproject.toml allows"
        ) from missing


def private_module(module: str) -> Any:
    """An SDK module by name, or an error naming it and the installed SDK version."""
    try:
        return importlib.import_module(module)
    except ImportError as missing:
        raise SdkInternalsMissingError(
            f"kontent_resources needs the module {module}, which the installed Pulumi SDK {sdk_version()} "
            f"does not have (written against 3.272.0); install a pulumi version pyproject.toml allows"
        ) from missing


def source_hash(function: Any) -> str | None:
    """SHA-256 (first 16 hex digits) of the function's source, None when it has none."""
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return None
    return hash_of_source(source)


def hash_of_source(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Target:
    """A function of the SDK a repair was written against, by where it lives and its source hash."""

    module: str
    name: str
    sha: str
    locate: Callable[[], Any] | None = None
    """Finds the function (instead of importing ``module``); may return its source text instead."""

    @property
    def where(self) -> str:
        return f"{self.module}.{self.name}"

    def mismatch(self) -> str | None:
        """Why the installed SDK's function is not the expected one (None: it is).

        The SDK's own function is judged, also once a repair has replaced it in this process.
        """
        try:
            current = (
                self.locate() if self.locate else original(importlib.import_module(self.module), self.name)
            )
        except (ImportError, AttributeError, LookupError):
            return f"{self.where} is not in the SDK"
        found = hash_of_source(current) if isinstance(current, str) else source_hash(current)
        if found != self.sha:
            return f"{self.where} is not the code it was written against (sha256 {found} != {self.sha})"
        return None


@dataclass
class Repair:
    """One change to the SDK: what it replaces, when it applies, and the figure that justifies it."""

    name: str
    scope: Scope
    summary: str
    figure: str
    targets: tuple[Target, ...]
    apply: Callable[[], list[tuple[Any, str, Any]]]
    """Replaces the names; returns (object, attribute, original) for each, to put them back."""
    precondition: Callable[[], str | None] = lambda: None
    """Why the SDK is not in the state the repair expects beyond the hashes (None: it is)."""
    requires: tuple[str, ...] = ()
    status_checks_precondition: bool = True
    """False: ``status()`` outside the repair's own process leaves the precondition out."""
    always: bool = False
    """Not switchable (replaces no SDK name; the package does not work without it)."""
    default_on: bool = True
    """False: applied only when ``KONTENT_SDK_REPAIRS`` names it (measured to gain under 5%)."""
    state: str = "not installed"
    reason: str = ""
    replaced: list[tuple[Any, str, Any]] = field(default_factory=list)

    @property
    def on(self) -> bool:
        return self.state == "on"


_REGISTRY: dict[str, Repair] = {}
_lock = threading.RLock()
_installed: set[str] = set()
_reported: set[str] = set()


def register(repair: Repair) -> Repair:
    _REGISTRY[repair.name] = repair
    return repair


def repairs(scope: Scope | None = None) -> list[Repair]:
    _load_all()
    return [r for r in _REGISTRY.values() if scope is None or r.scope == scope]


def _load_all() -> None:
    from kontent_resources._sdk import program, provider, sandbox  # noqa: F401 - they register repairs


def switch_allows(name: str, setting: str | None = None) -> tuple[bool, str]:
    """Whether ``KONTENT_SDK_REPAIRS`` lets repair ``name`` apply, and the reason to show."""
    repair = _REGISTRY.get(name)
    if repair is not None and repair.always:
        return True, ""
    raw = (os.environ.get(SWITCH) if setting is None else setting) or "on"
    words = [w.strip().lower() for w in raw.split(",") if w.strip()]
    if any(w in _OFF for w in words) and not any(w not in _OFF for w in words):
        return False, f"{SWITCH}={raw}"
    if f"-{name}" in words:
        return False, f"{SWITCH}={raw} excludes it"
    if name in words or "all" in words:
        return True, ""
    if "on" in words:
        if _REGISTRY[name].default_on:
            return True, ""
        return False, f"gains under 5% (docs/upstream.md); {SWITCH}={name} turns it on"
    return False, f"{SWITCH}={raw} does not list it"


def _report(repair: Repair) -> None:
    """One line per skipped repair and process, to the engine's debug log (stderr without one)."""
    if repair.name in _reported:
        return
    _reported.add(repair.name)
    line = f"kontent_resources: SDK repair {repair.name!r} skipped: {repair.reason}"
    try:
        import pulumi
        from pulumi.runtime.settings import get_engine

        if get_engine() is not None:
            pulumi.log.debug(line)
            return
    except Exception:  # noqa: S110 - no engine to log to: stderr below
        pass
    print(line, file=sys.stderr)


def _decide(repair: Repair) -> None:
    allowed, why = switch_allows(repair.name)
    if not allowed:
        repair.state, repair.reason = "off", why
        return
    missing = next((r for r in repair.requires if not _REGISTRY[r].on), None)
    if missing is not None:
        repair.state, repair.reason = "skipped", f"needs {missing!r}, which is not on"
        _report(repair)
        return
    changed = next((m for m in (t.mismatch() for t in repair.targets) if m is not None), None)
    if changed is None:
        changed = repair.precondition()
    if changed is not None:
        repair.state, repair.reason = "skipped", f"{changed} (SDK {sdk_version()})"
        _report(repair)
        return
    repair.replaced = repair.apply()
    repair.state, repair.reason = "on", repair.summary


def install(scope: Scope) -> None:
    """Apply the repairs of ``scope`` the switch allows and the installed SDK matches, once a process."""
    with _lock:
        if scope in _installed:
            return
        _installed.add(scope)
        for repair in repairs(scope):
            _decide(repair)


def uninstall(scope: Scope | None = None) -> None:
    """Put back every name the repairs of ``scope`` replaced (for tests and the benchmark)."""
    with _lock:
        for repair in repairs(scope):
            for owner, attribute, original in reversed(repair.replaced):
                setattr(owner, attribute, original)
            repair.replaced = []
            repair.state, repair.reason = "not installed", ""
            _reported.discard(repair.name)
        _installed.difference_update({scope} if scope else {"program", "provider", "sandbox"})


@dataclass(frozen=True)
class RepairStatus:
    name: str
    scope: Scope
    state: str
    """``on``, ``off`` (the switch), ``skipped`` (the SDK differs), or ``would apply`` / ``would skip``."""
    reason: str
    figure: str
    replaces: tuple[str, ...]


def status(scopes: Iterable[Scope] = ("program", "provider", "sandbox")) -> list[RepairStatus]:
    """Each repair: applied in this process, or what would happen to it here (without applying)."""
    report = []
    for repair in repairs():
        if repair.scope not in scopes:
            continue
        state, reason = repair.state, repair.reason
        if state == "not installed":
            allowed, why = switch_allows(repair.name)
            changed = next((m for m in (t.mismatch() for t in repair.targets) if m is not None), None)
            if changed is None and repair.status_checks_precondition:
                changed = repair.precondition()
            missing = next((r for r in repair.requires if not switch_allows(r)[0]), None)
            if not allowed:
                state, reason = "off", why
            elif missing is not None:
                state, reason = "skipped", f"needs {missing!r}, which is off"
            elif changed is not None:
                state, reason = "skipped", f"{changed} (SDK {sdk_version()})"
            else:
                state, reason = "on", repair.summary
        report.append(
            RepairStatus(
                repair.name,
                repair.scope,
                state,
                reason,
                repair.figure,
                tuple(t.where for t in repair.targets),
            )
        )
    return report


def replace(owner: Any, attribute: str, new: Any) -> tuple[Any, str, Any]:
    original = getattr(owner, attribute)
    setattr(owner, attribute, new)
    return owner, attribute, original


def original(owner: Any, attribute: str) -> Any:
    """``owner.attribute`` as the SDK ships it: what a repair replaced, else what is there."""
    for repair in _REGISTRY.values():
        for replaced_owner, replaced_attribute, value in repair.replaced:
            if replaced_owner is owner and replaced_attribute == attribute:
                return value
    return getattr(owner, attribute)


def repair_named(name: str) -> Repair:
    _load_all()
    return _REGISTRY[name]
