"""AssetSet: many assets as one Pulumi resource, each member handled exactly as an ``Asset``.

Why it exists: a standard Pulumi install with a file or S3 backend writes the whole state after
every step of a run, so a library of N ``Asset`` resources costs the engine O(N²) bytes written
(about 220 s of engine time for 1,000 new assets). As members of one resource the same assets
cost two state writes, whatever N is.

Each member goes through ``AssetProvider``'s own check, diff, create, update, read and delete, so
a member behaves as the ``Asset`` it stands for: same external id, same adoption rules, same
errors (prefixed with the member's key). Members are written concurrently; the client's limiter
keeps the whole set within the API's limits.

A run that fails part-way keeps the state from before it (a dynamic provider cannot record part
of an operation), so the next run does again what the failed one did. Every member operation is
idempotent for that reason: a create finds the asset an earlier attempt made by its generated
external id, a delete of a gone asset succeeds, an update writes the declared values again.

How a member is stored: as one compact JSON text, ``members[bucket][key] = '{"title":...}'``. The
engine's cost of a step grows with the number of property values it holds, not with their bytes:
a no-change preview of 5,000 members as maps of 13 to 25 values each took the engine 10 to 12 s of
CPU, the program 5 to 6 s and the provider 5 to 6 s, mostly converting values one by one. The values a
program gives as Outputs (the stack's seed, a folder's reference) cannot be written into the text
before they are known, so they are sent once each in ``member_values`` and the text refers to them
(``{"$value": 0}``); an unknown one stays unknown to the engine. ``pulumi preview --diff`` still names
the member and the property that changed: the engine shows a JSON text's change as an object diff.
Members stored as maps, as earlier versions did, are read as they are.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)

from kontent_resources.providers import alt_text, progress, usage
from kontent_resources.providers.asset import AssetProvider
from kontent_resources.providers.base import KontentProvider
from kontent_resources.providers.claims import RESOURCE_PATH
from kontent_resources.providers.errors import KontentResourceError
from kontent_resources.providers.inputs import AssetInputs
from kontent_resources.providers.props import applied
from kontent_resources.providers.validation import is_unknown

MEMBERS = "members"
# Members are stored in buckets, ``members[bucket][key]``, by a hash of their key: the engine
# builds every map of a resource's properties one key at a time, copying the map at each key
# (``filterResourceProperties``, once per step event), so a map of N keys costs it O(N²). A flat
# map of 5,000 members took the engine 63 s of CPU for a no-change preview; 256 buckets keep
# every map small at any size. A key's bucket never changes, so the state stays stable.
BUCKET_DIGITS = 2
# Where a member's own id is kept in its outputs (the set's id names the set only).
MEMBER_ID = "id"
# The program's Outputs the members refer to, each sent once (see the module's docstring).
MEMBER_VALUES = "member_values"
VALUE_REF = "$value"
# Member writes in flight at once: enough to keep the API's 10 requests per second busy while
# uploads wait on the network; the client's limiter, not this number, bounds the request rate.
WORKERS = 16
# Without a client-side limit (kontent:maxRequestsPerSecond 0: an emulator without limits) this
# process's CPU bounds the calls, and threads beyond two per core only contend for the GIL and
# httpcore's pool: 4 instead of 16 on two cores, 1,000 members, 19% less provider CPU and the calls
# 14% faster (means of three runs each; docs/performance.md).
CPU_BOUND_WORKERS_PER_CORE = 2
_FAILURES_SHOWN = 10
_GERUNDS = {"create": "creating", "update": "writing", "delete": "deleting", "read": "reading"}
T = TypeVar("T")


class AssetSetProvider(KontentProvider):
    """Check, diff and write the members of an ``AssetSet`` through one ``AssetProvider``."""

    _assets: AssetProvider | None = None

    def configure(self, req: ConfigureRequest) -> None:
        super().configure(req)
        assets = AssetProvider()
        assets._settings, assets._settings_error = self._settings, self._settings_error
        self._assets = assets

    @property
    def member_workers(self) -> int:
        """Member operations in flight at once: ``WORKERS`` under a client-side rate limit, else
        what this machine's cores can keep busy (``CPU_BOUND_WORKERS_PER_CORE``)."""
        if self._settings is None or self._settings.rate_limit.enabled:
            return WORKERS
        return min(WORKERS, CPU_BOUND_WORKERS_PER_CORE * (os.cpu_count() or 1))

    def _run_all(self, action: str, keys: Iterable[str], work: Callable[[str], T]) -> dict[str, T]:
        return _run_all(action, keys, work, self.member_workers)

    @property
    def assets(self) -> AssetProvider:
        if self._assets is None:  # not configured: the member provider reports the settings error
            self._assets = AssetProvider()
        return self._assets

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        self.refuse_unusable_settings()
        old_members, inputs, failures, checked_members = members_of(olds), {}, [], {}
        values = _member_values(news)
        untold: list[str] = []
        for key, sent in sorted(_encoded_members_of(news).items()):
            resolved = _resolved(sent, values, news, key)
            checked = self.assets.check_telling(old_members.get(key, {}), resolved, untold.append)
            checked_members[key] = checked.inputs
            inputs[key] = _encoded(checked.inputs, sent, values, _derived(news, key))
            failures += [
                CheckFailure(f'{MEMBERS}["{key}"].{f.property}', f.reason) for f in checked.failures or []
            ]
        alt_text.tell_set(untold, _set_label(checked_members))
        return CheckResult({**news, MEMBERS: in_buckets(inputs), MEMBER_VALUES: values}, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        plan = self._plan(olds, news)
        self._refuse_deleting_used(plan.olds, [*plan.removed, *plan.replaced])
        return DiffResult(changes=plan.changes, replaces=[], stables=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        members = members_of(props)
        made = self._run_all("create", members, lambda key: self._create(members[key]))
        return CreateResult(id_=f"asset-set-{uuid.uuid4().hex}", outs=_outs(props, made))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        plan = self._plan(olds, news)
        self._refuse_deleting_used(plan.olds, [*plan.removed, *plan.replaced])  # before any write
        old_members, new_members = plan.olds, plan.news
        written = self._run_all(
            "update",
            [*plan.added, *plan.updated, *plan.replaced],
            lambda key: self._write(old_members.get(key), new_members[key], replace=key in plan.replaced),
        )
        self._run_all("delete", plan.removed, lambda key: self._delete(old_members[key]))
        kept = {key: old_members[key] for key in plan.unchanged}
        return UpdateResult(outs=_outs(news, {**kept, **written}))

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        members = members_of(props)
        self._refuse_deleting_used(members, list(members))  # before any write
        self._run_all("delete", members, lambda key: self._delete(members[key]))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        members = members_of(props)
        found = self._run_all("read", members, lambda key: self._read(members[key]))
        present = {key: value for key, value in found.items() if value is not None}
        outs = _outs(props, {key: outs for key, (outs, _) in present.items()})
        inputs = {k: v for k, v in props.items() if k != MEMBERS and not k.startswith("__")}
        inputs[MEMBERS] = in_buckets({key: encode_member(ins) for key, (_, ins) in present.items()})
        return ReadResult(id_, outs, inputs)

    # -- one member ------------------------------------------------------------------------

    def _plan(self, olds: dict[str, Any], news: dict[str, Any]) -> _Plan:
        old_members, new_members = members_of(olds), members_of(news)
        plan = _Plan(old_members, new_members)
        for key in sorted(set(old_members) & set(new_members)):
            old = old_members[key]
            diff = self.assets.changes(member_id(old), old, new_members[key])
            bucket = plan.replaced if diff.replaces else plan.updated if diff.changes else plan.unchanged
            bucket.append(key)
        return plan

    def _refuse_deleting_used(self, members: dict[str, dict[str, Any]], keys: list[str]) -> None:
        """Fail (the preview, or the run before its first write) when content uses the asset of a
        member the run would delete or replace: one usage scan for all of them (``usage.py``)."""
        if not keys or self._settings is None or self._settings.delete_in_use == "keep":
            return
        used = []
        for key in sorted(keys):
            asset_id = member_id(members[key])
            users = self.assets.users_of(asset_id, members[key])
            if users:
                file_name = AssetInputs.valid_part(members[key]).file_name
                used.append((key, usage.asset_words(asset_id, file_name), users))
        if used:
            raise KontentResourceError(usage.members_refusal(_set_label(members), used))

    def _create(self, inputs: dict[str, Any]) -> dict[str, Any]:
        result = self.assets.create(inputs)
        return {**(result.outs or {}), MEMBER_ID: result.id}

    def _write(self, old: dict[str, Any] | None, new: dict[str, Any], *, replace: bool) -> dict[str, Any]:
        if old is None:
            return self._create(new)
        if replace:  # created first, as the engine replaces an Asset: the new one never adopts the old
            made = self._create(new)
            self._delete(old)
            return made
        result = self.assets.update(member_id(old), old, new)
        return {**(result.outs or {}), MEMBER_ID: member_id(old)}

    def _delete(self, outs: dict[str, Any]) -> None:
        self.assets.delete(member_id(outs), outs)

    def _read(self, outs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
        asset_id = member_id(outs)
        result = self.assets.read(asset_id, outs)
        if result.id is None:
            return None  # deleted outside Pulumi: the next up makes it again
        return {**(result.outs or {}), MEMBER_ID: asset_id}, dict(result.inputs or {})


class _Plan:
    """What a diff found, member by member (keys), and the members it compared (decoded once)."""

    def __init__(self, olds: dict[str, dict[str, Any]], news: dict[str, dict[str, Any]]) -> None:
        self.olds, self.news = olds, news
        self.added = sorted(set(news) - set(olds))
        self.removed = sorted(set(olds) - set(news))
        self.updated: list[str] = []
        self.replaced: list[str] = []
        self.unchanged: list[str] = []

    @property
    def changes(self) -> bool:
        return bool(self.added or self.removed or self.updated or self.replaced)


def _set_label(members: dict[str, dict[str, Any]]) -> str:
    """``AssetSet 'library'``: the set's name, from the path its members carry (``name[key]``)."""
    for key, member in members.items():
        path = AssetInputs.valid_part(applied(member) or member).resource_path
        suffix = f"[{key}]"
        if isinstance(path, str) and "::" in path and path.endswith(suffix):
            return f"AssetSet {path.rsplit('::', 1)[1][: -len(suffix)]!r}"
    return "AssetSet"


def member_id(outs: Mapping[str, Any]) -> str:
    """The id of the asset a member's outputs stand for (the set's id names the set only)."""
    return str(outs.get(MEMBER_ID))


def bucket_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:BUCKET_DIGITS]


def in_buckets(members: Mapping[str, T]) -> dict[str, dict[str, T]]:
    """``members`` as the state stores them: ``{bucket: {key: member}}``."""
    buckets: dict[str, dict[str, T]] = {}
    for key, member in sorted(members.items()):
        buckets.setdefault(bucket_of(key), {})[key] = member
    return dict(sorted(buckets.items()))


def members_of(props: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Key → member of ``props``' buckets, each as the ``Asset`` it stands for would hold it."""
    values = _member_values(props)
    return {key: _resolved(sent, values, props, key) for key, sent in _encoded_members_of(props).items()}


def encode_member(member: Mapping[str, Any]) -> str:
    """A member as the state stores it: compact JSON, keys sorted, unset values left out."""
    present = {k: v for k, v in member.items() if v is not None}
    return json.dumps(present, sort_keys=True, separators=(",", ":"))


def _encoded_members_of(props: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Key → member as sent: decoded JSON whose Outputs are still ``{"$value": i}``."""
    buckets = props.get(MEMBERS)
    if not isinstance(buckets, dict):
        return {}
    found: dict[str, dict[str, Any]] = {}
    for bucket in buckets.values():
        for key, sent in (bucket if isinstance(bucket, dict) else {}).items():
            member = json.loads(sent) if isinstance(sent, str) else sent  # a map: as stored before
            if isinstance(member, dict):
                found[str(key)] = member
    return found


def _member_values(props: Mapping[str, Any]) -> list[Any]:
    values = props.get(MEMBER_VALUES)
    return list(values) if isinstance(values, list) else []


def _resolved(
    sent: Mapping[str, Any], values: Sequence[Any], props: Mapping[str, Any], key: str
) -> dict[str, Any]:
    return {**_derived(props, key), **{k: _with_values(v, values) for k, v in sent.items()}}


def _derived(props: Mapping[str, Any], key: str) -> dict[str, Any]:
    """What every member holds that follows from the set and its key, so is not stored per member:
    its entry in the record of who manages what (``claims``) is the set's own, indexed by the key."""
    set_path = props.get(RESOURCE_PATH)
    return {RESOURCE_PATH: f"{set_path}[{key}]"} if isinstance(set_path, str) else {}


def _with_values(sent: Any, values: Sequence[Any]) -> Any:
    if isinstance(sent, dict):
        index = sent.get(VALUE_REF) if len(sent) == 1 else None
        if isinstance(index, int) and 0 <= index < len(values):
            return values[index]
        return {k: _with_values(v, values) for k, v in sent.items()}
    if isinstance(sent, list):
        return [_with_values(v, values) for v in sent]
    return sent


def _encoded(
    checked: Mapping[str, Any], sent: Mapping[str, Any], values: list[Any], derived: Mapping[str, Any]
) -> str:
    """``checked`` as JSON, without what the set derives. A value check kept as sent keeps its
    reference to ``values``, and one check left unknown (an external id made from a seed not yet
    known) is added to them: JSON cannot hold an unknown, and the engine must see it as one."""

    def stored(key: str, value: Any) -> Any:
        if key in sent and _with_values(sent[key], values) == value:
            return sent[key]
        if is_unknown(value):
            values.append(value)
            return {VALUE_REF: len(values) - 1}
        return value

    own = {k: v for k, v in checked.items() if not (k in derived and derived[k] == v)}
    return encode_member({k: stored(k, v) for k, v in own.items()})


def _outs(props: dict[str, Any], members: dict[str, dict[str, Any]]) -> dict[str, Any]:
    # A member's outputs are all known: written in full, so the set's outputs need no member_values.
    encoded = {key: encode_member(outs) for key, outs in members.items()}
    return {MEMBERS: in_buckets(encoded)} | {
        k: v for k, v in props.items() if k not in (MEMBERS, MEMBER_VALUES) and not k.startswith("__")
    }


def _run_all(action: str, keys: Iterable[str], work: Callable[[str], T], workers: int) -> dict[str, T]:
    """``work`` for every key, ``workers`` at once; every member is tried before any failure is raised."""
    keys = list(keys)
    results: dict[str, T] = {}
    failures: dict[str, BaseException] = {}
    with (
        progress.REPORTER.task(f"asset set: {_GERUNDS[action]} members", len(keys)) as task,
        ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"asset-set-{action}") as pool,
    ):
        futures = {key: pool.submit(work, key) for key in keys}
        for future in futures.values():
            future.add_done_callback(lambda _: task.advance())
        for key, future in futures.items():
            error = future.exception()
            if error is None:
                results[key] = future.result()
            else:
                failures[key] = error
    if failures:
        raise _failed(action, len(keys), failures)
    return results


def _failed(action: str, tried: int, failures: dict[str, BaseException]) -> KontentResourceError:
    shown = [f'  {MEMBERS}["{key}"]: {error}' for key, error in sorted(failures.items())[:_FAILURES_SHOWN]]
    more = len(failures) - len(shown)
    if more:
        shown.append(f"  ... and {more} more")
    return KontentResourceError(
        f"{len(failures)} of {tried} members failed to {action}:\n" + "\n".join(shown) + "\n"
        f"The other {tried - len(failures)} were done. Fix the cause and run again: the state still "
        "holds what it held before this run, and every member operation can be repeated (an asset made "
        "by this run is found again by its external id, not made twice)."
    )
