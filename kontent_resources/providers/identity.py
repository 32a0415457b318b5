"""Generated external ids: unique to one stack's state, stable for as long as the state holds them.

A generated external id must do three things at once:

* let a create retried after a crash (its answer lost, the engine killed) find and adopt what the
  lost attempt made, so it must be computable again from what the state already holds;
* never be shared by two stacks, even two with the same project and stack name in different
  backends (two checkouts, a state rebuilt from scratch), or one would take over the other's
  objects: so it mixes in a random seed that lives in this stack's state only (``StackIdentity``);
* stay with its resource through renames with aliases, ``pulumi stack rename`` and moves into a
  component, as Pulumi's auto-names do: so ``check`` keeps the id the old state recorded, and
  derives one only for a resource the state does not know yet (or one being replaced).

The derivation uses the seed, the resource's URN path (qualified type and name) and the inputs
whose change forces a replacement (``scope``): a replacement is created before the old object is
deleted, so it must not find and adopt the object it replaces.

A generated id also says whose it is, so that another stack asked to adopt the object can refuse
(``providers/ownership.py``): ``pulumi:<kind>:<project>~<stack>~<seed tag>:<name>:<digest>``. The
project and stack names are for people (a stack renamed later keeps the ids it has); the seed tag,
a hash of the seed, is how a stack recognises its own objects. Ids written before (without the
owner segment) stay as the states hold them.

This module owns every identity rule; the other layers import from it:

* the keys (``IdentityInputs``: every resource's identity inputs, one field each, and
  ``RESOURCE_PATH``, the resource's URN path that the record of who manages what is keyed by);
* what a resource declares (``identity_props``): the seed, URN path and owner only when it
  generates an external id or adopts (an ``adopt_id`` object keeps the external id it has, and the
  API sets external ids only when an object is made, so none is generated for it);
* the seed (``StackIdentityProvider``): drawn once by ``check`` and kept in the stack's state by the
  program's one ``StackIdentity`` (``resources/_identity.py``); a new stack records it in a run of
  its own before anything is made (``sandbox/project.py``), so a crash cannot lose it. A standard
  CLI has no such run: with ``PULUMI_SKIP_CHECKPOINTS`` the seed a first ``up`` draws is written
  only when that run ends, so the first id derived from it warns (``_warn_if_seed_unrecorded``);
* the generated id (``derive_external_id``, ``settle_external_id``) and whose an id is
  (``seed_tag``, ``owner_segment``; ``providers/ownership.py`` refuses adopting another stack's);
* one object, one resource: in the program, two resources claiming the same external id,
  codename or adopt_id fail the preview (``resources/_identity.py``, ``claim``); in the provider,
  a delete of an object another resource of the deployment keeps only forgets it
  (``providers/claims.py``).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from typing import Any, get_args

from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, ResourceProvider
from pulumi.output import Unknown
from pydantic import BaseModel, ConfigDict, PrivateAttr, field_validator

from kontent_resources.providers.diagnostics import tell
from kontent_resources.providers.validation import is_unknown


class IdentityInputs(BaseModel):
    """The inputs that name a resource's object and steer its identity: every resource has them."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    external_id: str | None = None
    """The user's, or the generated one ``check`` settled (unknown until the seed is known)."""
    external_id_generated: bool | None = None
    """The user gave no external id (nor ``adopt_id``): ``check`` generates one."""
    identity_seed: str | None = None
    """The stack's random seed, from its ``StackIdentity``."""
    identity_path: str | None = None
    """The resource's URN path, from which its generated id is derived."""
    identity_owner: str | None = None
    """The program's project and stack, ``<project>/<stack>``: named in the ids it generates."""
    adopt: bool | None = None
    """Manage an existing object that already has ``external_id``."""
    adopt_id: str | None = None
    """The internal id of an existing object to manage (one without an external id, typically)."""
    take_over: bool | None = None
    """Adopt even an object another stack of this toolkit generated (its ownership was moved)."""
    resource_path: str | None = None
    """Which resource this is, for the record of who manages which object (``claims.py``)."""

    _unknown: frozenset[str] = PrivateAttr(default=frozenset())

    @staticmethod
    def valid_part(props: Mapping[str, Any]) -> IdentityInputs:
        """The identity inputs of raw ``props`` that are known and of their type, one by one.

        A value the engine does not know yet (a preview's unknown) or of another type (which
        ``check`` reports) is left at ``None``; ``unknown`` says which were unknown. Strict: no
        value is converted, so each field is what the raw prop is, or ``None``.
        """
        known: dict[str, Any] = {}
        unknown = set()
        # By hand, not by pydantic: a provider reads these several times per resource in ``check``,
        # and 5,000 members of an AssetSet made validating them field by field 2 s of a preview.
        for name, kind in _IDENTITY_TYPES.items():
            value = props.get(name)
            if value is None:
                continue
            if is_unknown(value):
                unknown.add(name)
            elif isinstance(value, kind):
                known[name] = value
        part = IdentityInputs.model_construct(**known)
        part._unknown = frozenset(unknown)
        return part

    def unknown(self, name: str) -> bool:
        """The raw prop ``name`` was a value the engine does not know yet (see ``valid_part``)."""
        return name in self._unknown


# The type of each identity input, which it is or None.
_IDENTITY_TYPES: dict[str, type] = {
    name: next(kind for kind in get_args(field.annotation) if kind is not type(None))
    for name, field in IdentityInputs.model_fields.items()
}

# The keys above, for the code that reads raw props (``tests/unit/test_typed_inputs.py`` keeps them equal).
EXTERNAL_ID = "external_id"
ADOPT = "adopt"
SEED = "identity_seed"
PATH = "identity_path"
OWNER = "identity_owner"
GENERATED = "external_id_generated"
ADOPT_ID = "adopt_id"
TAKE_OVER = "take_over"
RESOURCE_PATH = "resource_path"
# Inputs that only steer the identity; they are never sent to the API or shown as outputs.
IDENTITY_KEYS = (SEED, PATH, OWNER, GENERATED, ADOPT, ADOPT_ID, TAKE_OVER, RESOURCE_PATH)

# Every generated external id starts so; no other writer uses it (``kontent-resources import``
# leaves such objects to the stack that made them).
GENERATED_PREFIX = "pulumi:"
# Separates project, stack and seed tag in the owner segment; no other segment can hold it.
OWNER_SEPARATOR = "~"
_MAX_LENGTH = 200
_NAME_LENGTH = 80
_OWNER_NAME_LENGTH = 40
_TAG_LENGTH = 12
# The API refuses '/', '.' and ';' in external ids used in references (API reference, "external_id").
_UNSAFE = re.compile(r"[^A-Za-z0-9_:-]+")
# In the owner segment ':' would split it: project and stack names keep letters, digits, '_' and '-'.
_UNSAFE_IN_OWNER = re.compile(r"[^A-Za-z0-9_-]+")


def seed_tag(seed: str) -> str:
    """A stack's mark in the ids it generates: its seed, hashed (the seed itself stays in its state)."""
    return hashlib.sha256(f"owner\0{seed}".encode()).hexdigest()[:_TAG_LENGTH]


def owner_names(owner: str) -> tuple[str, str]:
    """Project and stack of ``owner`` ("<project>/<stack>") as a generated id spells them."""
    project, _, stack = owner.partition("/")
    safe = [_UNSAFE_IN_OWNER.sub("-", n).strip("-")[:_OWNER_NAME_LENGTH] or "-" for n in (project, stack)]
    return safe[0], safe[1]


def owner_segment(owner: str, seed: str) -> str:
    """``<project>~<stack>~<seed tag>`` from ``owner`` ("<project>/<stack>")."""
    return OWNER_SEPARATOR.join([*owner_names(owner), seed_tag(seed)])


def derive_external_id(
    kind: str, seed: str, path: str, scope: Sequence[Any] = (), owner: str | None = None
) -> str:
    """``pulumi:<kind>:<owner>:<readable name>:<digest>``; the digest carries the uniqueness.

    Without ``owner`` (only code written before owners were named passes none) the owner segment
    is left out, as in the ids of that time.
    """
    name = path.rsplit("::", 1)[-1]
    material = "\0".join([seed, kind, path, *(repr(v) for v in scope)])
    digest = hashlib.sha256(material.encode()).hexdigest()[:24]
    if owner is None:
        readable = _UNSAFE.sub("-", name).strip("-")[:_NAME_LENGTH] or "resource"
        return f"{GENERATED_PREFIX}{kind}:{readable}:{digest}"[:_MAX_LENGTH]
    head = f"{GENERATED_PREFIX}{kind}:{owner_segment(owner, seed)}:"
    # No ':' in the name: the segments of an id with an owner are found by splitting on ':'.
    room = min(_NAME_LENGTH, _MAX_LENGTH - len(head) - len(digest) - 1)
    readable = _UNSAFE_IN_OWNER.sub("-", name).strip("-")[:room] or "resource"
    return f"{head}{readable}:{digest}"


def settle_external_id(
    kind: str, olds: dict[str, Any], news: dict[str, Any], scope_keys: Sequence[str] = ()
) -> dict[str, Any]:
    """``news`` with its ``external_id`` filled in when the user gave none.

    The id recorded in the old state is kept unless a replacing input (``scope_keys``) changed;
    otherwise it is derived from the stack's seed, or left unknown until the seed is known.
    """
    inputs = dict(news)
    identity = IdentityInputs.valid_part(news)
    if not identity.external_id_generated:
        return inputs
    # Any id the state holds is kept, also one given explicitly before: AssetDirectory passed
    # its own derived ids until it let the resources generate them, and dropping an explicit id
    # must not replace the object either (the object keeps the id it has).
    kept = IdentityInputs.valid_part(olds).external_id
    same_scope = all(olds.get(k) == inputs.get(k) and not is_unknown(inputs.get(k)) for k in scope_keys)
    if kept and same_scope:
        return {**inputs, EXTERNAL_ID: kept}
    seed, path = identity.identity_seed, identity.identity_path
    scope = [inputs.get(k) for k in scope_keys]
    if seed is None or path is None or is_unknown(scope):
        # Known once the seed exists: only a new stack's first preview gets here.
        return {**inputs, EXTERNAL_ID: Unknown()}  # type: ignore[no-untyped-call]
    _warn_if_seed_unrecorded(seed, identity.identity_owner)
    return {**inputs, EXTERNAL_ID: derive_external_id(kind, seed, path, scope, identity.identity_owner)}


# Seeds this provider process made while the engine writes the state only when the run ends.
_UNRECORDED_SEEDS: set[str] = set()

# The program's one StackIdentity (``resources/_identity.py``), as the engine names it.
STACK_IDENTITY_NAME = "kontent-stack-identity"
STACK_IDENTITY_TYPE = "pulumi-python:dynamic/kontent:StackIdentity"


def stack_identity_urn(owner: str) -> str:
    """The URN of the ``StackIdentity`` of ``owner`` ("<project>/<stack>")."""
    project, _, stack = owner.partition("/")
    return f"urn:pulumi:{stack}::{project}::{STACK_IDENTITY_TYPE}::{STACK_IDENTITY_NAME}"


def unrecorded_seed_warning(owner: str | None) -> str:
    """What a first ``up`` that writes its state only when it ends is told, with the command that
    records the identity first (``docs/guides/large-libraries.md``)."""
    urn = stack_identity_urn(owner or "<project>/<stack>")
    return (
        "kontent: warning: this stack's identity (the seed of its generated external ids) is new in "
        "this run, and the engine writes the state only when the run ends (PULUMI_SKIP_CHECKPOINTS): "
        "if this run is killed, the next `up` cannot find what it made and makes it again. fix: before "
        f"a first `up` with PULUMI_SKIP_CHECKPOINTS, record the identity alone: pulumi up --target '{urn}'"
    )


def state_written_once_per_run(env: Mapping[str, str] = os.environ) -> bool:
    """``PULUMI_SKIP_CHECKPOINTS`` as the engine reads it: ``1`` or ``true`` in any case."""
    value = env.get("PULUMI_SKIP_CHECKPOINTS", "")
    return value == "1" or value.lower() == "true"


def _warn_if_seed_unrecorded(seed: str, owner: str | None) -> None:
    """Once, when an id is first derived from a seed that only the end of this run will record.

    The sandbox records a new stack's identity in a run of its own first, which derives no id, so
    only a standard CLI's first ``up`` with ``PULUMI_SKIP_CHECKPOINTS`` gets here.
    """
    if seed not in _UNRECORDED_SEEDS:
        return
    _UNRECORDED_SEEDS.discard(seed)
    tell(unrecorded_seed_warning(owner))


def identity_props(
    external_id: Any,
    *,
    adopt: bool,
    adopt_id: str | None,
    take_over: bool,
    seed: Callable[[], Any],
    path: Callable[[], str],
    owner: Callable[[], str],
) -> dict[str, Any]:
    """The identity inputs a resource declares (``seed``, ``path`` and ``owner`` are read only
    when needed: the seed makes the resource wait for the stack's ``StackIdentity``).

    An object adopted by its internal id (``adopt_id``) keeps the external id it has, usually
    none: the API sets external ids only when an object is made, so none is generated for it.
    """
    generated = external_id is None and adopt_id is None
    # Only a resource that generates or adopts needs the seed: it makes every such resource wait for
    # the stack's StackIdentity, which the others need not.
    knows_its_stack = generated or adopt or adopt_id is not None
    return {
        ADOPT_ID: adopt_id,
        EXTERNAL_ID: external_id,
        GENERATED: generated,
        SEED: seed() if knows_its_stack else None,
        PATH: path() if generated else None,
        OWNER: owner() if knows_its_stack else None,
        # Unset rather than false: the state stores an input three times over (inputs, property
        # dependencies, applied inputs), and the providers read a missing flag as false.
        ADOPT: adopt or None,
        TAKE_OVER: take_over or None,
    }


class StackSeed(BaseModel):
    """The one input and output of a ``StackIdentity``: its seed, empty until ``check`` draws it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    seed: str = ""

    @field_validator("seed", mode="before")
    @classmethod
    def _drawn_or_empty(cls, value: Any) -> Any:
        """Anything but a string (the program's ``None``, a preview's unknown) is no seed yet."""
        return value if isinstance(value, str) else ""


class StackIdentityProvider(ResourceProvider):
    """The random seed of one stack's generated external ids, kept in the stack's state.

    It talks to no API: creating it only records the seed that ``check`` drew, so the seed is in
    the state before any resource that depends on it is created.
    """

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        seed = StackSeed.model_validate(olds).seed or secrets.token_hex(16)
        return CheckResult({**news, **StackSeed(seed=seed).model_dump()}, [])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = StackSeed.model_validate(olds) != StackSeed.model_validate(news)
        return DiffResult(changes=changed, replaces=[], stables=list(StackSeed.model_fields))

    def create(self, props: dict[str, Any]) -> CreateResult:
        state = StackSeed.model_validate(props)
        if state_written_once_per_run():
            _UNRECORDED_SEEDS.add(state.seed)
        return CreateResult(id_=f"stack-identity-{state.seed[:8]}", outs=state.model_dump())

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        state = StackSeed.model_validate(props).model_dump()
        return ReadResult(id_, state, state)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """Nothing to remove: the seed lives only in the state."""
