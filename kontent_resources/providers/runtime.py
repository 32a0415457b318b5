"""Process-wide state of the provider process: one client and one set of caches per environment.

All dynamic resources of a stack share one provider process and call it from several threads, so
everything here is keyed by the resolved settings and guarded by locks. Providers themselves hold
none of it: they are pickled into the stack state, and clients, locks and sockets must not be.
"""

from __future__ import annotations

import fcntl
import hashlib
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, TypeVar

from kontent_resources._userstate import open_private, state_dir
from kontent_resources.client.downloads import AssetDownloads, AssetHosts
from kontent_resources.models import Collection, ContentItem, ContentType, FolderTree, Language, Workflow
from kontent_resources.providers.asset_index import LISTING_TTL_SECONDS, AssetIndex
from kontent_resources.providers.claims import DeploymentClaims
from kontent_resources.providers.folder_batch import (
    BATCH_WINDOW_SECONDS,
    PROVIDER_CONCURRENCY,
    FolderPatchBatcher,
)
from kontent_resources.providers.settings import ProviderSettings

T = TypeVar("T")


@dataclass
class Snapshot(Generic[T]):
    """A value read once and shared until it expires or the provider's own write replaces it."""

    loader: Callable[[], T]
    ttl: float = LISTING_TTL_SECONDS
    _value: T | None = None
    _loaded_at: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self) -> T:
        with self._lock:
            if self._value is None or time.monotonic() - self._loaded_at > self.ttl:
                self._value = self.loader()
                self._loaded_at = time.monotonic()
            return self._value

    def replace(self, value: T) -> None:
        with self._lock:
            self._value = value
            self._loaded_at = time.monotonic()

    def invalidate(self) -> None:
        with self._lock:
            self._value = None


class WaitingRequests(Generic[T]):
    """Requests queued per key; whoever next holds the key's lock takes and does them all.

    Links into one variant arrive together (the engine runs up to four provider calls at once):
    done as one read-modify-write, a published variant gets one new version and one publish for
    all of them, not one per link. Where that matters (a published variant), the taker waits a
    moment for the others to join.
    """

    def __init__(self, *, window: float = BATCH_WINDOW_SECONDS, full: int = PROVIDER_CONCURRENCY) -> None:
        self._joined = threading.Condition()
        self._waiting: dict[Hashable, list[T]] = {}
        self._window, self._full = window, full

    def add(self, key: Hashable, request: T) -> None:
        with self._joined:
            self._waiting.setdefault(key, []).append(request)
            self._joined.notify_all()

    def take(self, key: Hashable, *, wait: bool = False) -> list[T]:
        """Every request waiting for ``key``; with ``wait``, after at most one window for others to join
        (until as many as the engine runs at once are there)."""
        deadline = time.monotonic() + self._window
        with self._joined:
            while (
                wait
                and len(self._waiting.get(key, [])) < self._full - 1
                and (left := deadline - time.monotonic()) > 0
            ):
                self._joined.wait(left)
            return self._waiting.pop(key, [])


class ResolvedReferences:
    """Each distinct reference (``codename/home``, an asset's external id…) looked up once per
    deployment, however many resources use it; concurrent users of one reference wait for the
    single lookup. A failed lookup is not kept: the next user asks again."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[Hashable, threading.Lock] = {}
        self._values: dict[Hashable, Any] = {}

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._values:
                self._values[key] = load()
            value: T = self._values[key]
            return value


class Environment:
    """Client and caches for one Kontent.ai environment in this process."""

    def __init__(self, settings: ProviderSettings) -> None:
        self.client = settings.client()
        self.assets = AssetIndex(self.client)
        self.folders: Snapshot[FolderTree] = Snapshot(self.client.folders.get)
        self.languages: Snapshot[list[Language]] = Snapshot(lambda: list(self.client.languages.list()))
        self.workflows: Snapshot[list[Workflow]] = Snapshot(self.client.workflows.list)
        self.collections: Snapshot[list[Collection]] = Snapshot(self.client.collections.list)
        # Read only after a reference to an item missed, to name the closest (environment_checks.py).
        self.items: Snapshot[list[ContentItem]] = Snapshot(lambda: list(self.client.items.list()))
        self._types: dict[str, ContentType] = {}
        self._types_lock = threading.Lock()
        self._variant_locks: dict[tuple[str, str], threading.Lock] = {}
        self._variant_locks_guard = threading.Lock()
        self.folder_patches = FolderPatchBatcher(self.client.folders.patch, self.folders.replace)
        self.claims = DeploymentClaims()
        self.variant_edits: WaitingRequests[Any] = WaitingRequests()
        self.references = ResolvedReferences()
        self._scope = f"{settings.base_url}\0{settings.environment_id}"
        self._download_timeout = settings.request_timeout
        self._base_url = settings.base_url

    @cached_property
    def downloads(self) -> AssetDownloads:
        """Made on first use: only adopting an asset downloads its file, and only from the
        environment's asset hosts (an API answer naming another host is not followed)."""
        return AssetDownloads(timeout=self._download_timeout, hosts=AssetHosts.for_base_url(self._base_url))

    def content_type(self, type_id: str) -> ContentType:
        with self._types_lock:
            cached = self._types.get(type_id)
        if cached is None:
            cached = self.client.types.get(type_id)
            with self._types_lock:
                self._types[type_id] = cached
        return cached

    @contextmanager
    def variant_lock(self, item_id: str, language_id: str) -> Iterator[None]:
        """Serialises read-modify-write of one variant so concurrent links never lose an update.

        The API has no conditional write (no ETag or version check on upsert), so two writers
        that both read the element and then write it lose one entry. Threads of this process
        queue on a lock; other processes on this machine (two stacks deploying at once) on a file
        lock. Writers on other machines cannot be excluded: see README, "Ownership".
        """
        with self._variant_locks_guard:
            lock = self._variant_locks.setdefault((item_id, language_id), threading.Lock())
        with lock, machine_lock(f"{self._scope}\0variant\0{item_id}\0{language_id}"):
            yield

    def invalidate(self) -> None:
        self.assets.invalidate()
        self.folders.invalidate()
        self.languages.invalidate()
        self.workflows.invalidate()
        self.collections.invalidate()
        self.items.invalidate()
        with self._types_lock:
            self._types.clear()
        self.claims = DeploymentClaims()  # a long-lived process starting another deployment
        self.references = ResolvedReferences()


@contextmanager
def machine_lock(key: str) -> Iterator[None]:
    """An exclusive lock shared by every process of this user on this machine (released on exit)."""
    path = state_dir() / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.lock"
    with open_private(path) as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


_environments: dict[ProviderSettings, Environment] = {}
_environments_lock = threading.Lock()


def environment_for(settings: ProviderSettings) -> Environment:
    with _environments_lock:
        env = _environments.get(settings)
        if env is None:
            env = _environments[settings] = Environment(settings)
        return env


def invalidate_caches() -> None:
    """Forget every cached listing and claim (for long-lived processes running several deployments)."""
    with _environments_lock:
        environments = list(_environments.values())
    for env in environments:
        env.invalidate()
