"""The program's side of identity (the rules: ``providers/identity.py``'s docstring).

* ``identity_inputs``: the identity props a resource declares (``identity_props``), with the
  stack's seed from the program's one ``StackIdentity`` and the resource's URN path.
* ``claim``: one object, one resource. Two resources of one program that would manage the same
  object (the same external id, or the same asset in the same element of the same variant) make
  the program fail at preview, before either is written.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Sequence
from typing import Any

import pulumi
from pulumi.runtime import settings

from kontent_resources.providers.identity import (
    STACK_IDENTITY_NAME,
    StackIdentityProvider,
    StackSeed,
    identity_props,
)
from kontent_resources.resources._base import KontentResource, urn_path


class StackIdentity(KontentResource, module="kontent", name="StackIdentity"):
    """The stack's random seed for generated external ids; one per stack, made on first use."""

    seed: pulumi.Output[str]

    def __init__(self) -> None:
        no_seed_yet = dict.fromkeys(StackSeed.model_fields)  # check draws it
        super().__init__(StackIdentityProvider(), STACK_IDENTITY_NAME, no_seed_yet, None)


class _ProgramRun:
    """Per-run state: the Automation API may run several programs in one Python process."""

    def __init__(self, monitor: object) -> None:
        self.monitor = monitor
        self.identity: StackIdentity | None = None
        self.claims: dict[tuple[str, Hashable], tuple[object, str]] = {}


_lock = threading.Lock()
_run: _ProgramRun | None = None


def _current_run() -> _ProgramRun:
    global _run
    monitor = settings.SETTINGS.monitor
    with _lock:
        if _run is None or _run.monitor is not monitor:
            _run = _ProgramRun(monitor)
        return _run


def stack_seed() -> pulumi.Output[str]:
    run = _current_run()
    if run.identity is None:
        run.identity = StackIdentity()
    return run.identity.seed


def identity_inputs(
    type_token: str,
    resource_name: str,
    external_id: pulumi.Input[str] | None,
    opts: pulumi.ResourceOptions | None,
    adopt: bool = False,
    adopt_id: str | None = None,
    take_over: bool = False,
) -> dict[str, Any]:
    """The props that let ``check`` fill in (or keep) a generated external id, and tell the stack's
    own objects from other stacks' when adopting (``providers/ownership.py``)."""
    return identity_props(
        external_id,
        adopt=adopt,
        adopt_id=adopt_id,
        take_over=take_over,
        seed=stack_seed,
        path=lambda: urn_path(type_token, resource_name, opts),
        owner=lambda: f"{pulumi.get_project()}/{pulumi.get_stack()}",
    )


class DuplicateResourceError(ValueError):
    """Two resources of one program would manage the same object."""


def claim(kind: str, what: str, key: Sequence[pulumi.Input[Any]], owner: object, resource: str) -> None:
    """Fail when another resource of this program already claimed ``key`` for ``kind``.

    ``key`` may hold Outputs: the claim is made once they are known (at preview for plain
    strings, which is every user-written external id and reference).
    """

    def record(values: list[Any]) -> None:
        if any(v is None for v in values):
            return
        run = _current_run()
        token = (kind, tuple(values))
        with _lock:
            holder, holder_name = run.claims.setdefault(token, (owner, resource))
        if holder is not owner:
            raise DuplicateResourceError(
                f"{kind} {resource!r}: {what} {', '.join(map(str, values))!r} is already declared by "
                f"{kind} {holder_name!r} in this program, and both would manage the same object "
                f"(removing one would delete what the other declares). fix: give each {kind} its own "
                f"{what}, or remove one of them."
            )

    if all(isinstance(v, str | type(None)) for v in key):
        record(list(key))
    else:
        pulumi.Output.all(*key).apply(record)


def claim_identity(kind: str, owner: object, resource: str, **identity: pulumi.Input[str] | None) -> None:
    """``claim`` each identity the resource gives (``external_id``, ``codename``, ``adopt_id``)."""
    for what, value in identity.items():
        if value is not None:
            claim(kind, what, [value], owner, resource)
