"""``KontentClient``: the synchronous Management API v2 client."""

from __future__ import annotations

import ipaddress
import re
from types import TracebackType
from typing import Self

import httpx

from ._http import HttpCore
from .assets import AssetsApi
from .collections_api import CollectionsApi
from .content_types import ContentTypesApi
from .files import FilesApi
from .folders import FoldersApi
from .items import ItemsApi
from .languages import LanguagesApi
from .ratelimit import RateLimit, shared_limiter
from .renditions import RenditionsApi
from .retry import NO_RETRY, ClientStats, RetryPolicy
from .variants import VariantsApi
from .workflows import WorkflowsApi

DEFAULT_BASE_URL = "https://manage.kontent.ai/v2"
DEFAULT_RATE_LIMIT = RateLimit()
DEFAULT_RETRY = RetryPolicy()
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=60.0, pool=30.0)
# Large files: a write may stall while the server drains its buffers, and the answer to an
# upload only comes after the whole body has been stored.
DEFAULT_UPLOAD_TIMEOUT = httpx.Timeout(connect=10.0, read=600.0, write=600.0, pool=30.0)
_ENVIRONMENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}")


def check_base_url(base_url: str) -> str:
    """Return ``base_url`` without a trailing slash, or raise ValueError if it is unsafe.

    Only ``https://`` is accepted, except ``http://`` to a loopback host (127.0.0.0/8, ::1,
    localhost) for a local emulator: the API key must never cross a network in clear text.
    """
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL as exc:
        raise ValueError(f"invalid base_url {base_url!r}: {exc}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"base_url must be an absolute http(s) URL, got {base_url!r}")
    if url.userinfo or url.query or url.fragment:
        raise ValueError("base_url must not contain credentials, a query or a fragment")
    if url.scheme == "http" and not is_loopback_host(url.host):
        raise ValueError(
            f"refusing plain http:// to {url.host!r}: the API key would travel unencrypted. "
            "Use https://, or http:// only to a loopback address (127.0.0.1, ::1, localhost)."
        )
    return base_url.rstrip("/")


def is_loopback_host(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_environment_id(value: str) -> str:
    # It becomes a path segment as-is; anything beyond [A-Za-z0-9_-] would change the URL.
    if not isinstance(value, str) or not _ENVIRONMENT_ID.fullmatch(value):
        raise ValueError(f"environment_id must look like an environment id (a UUID), got {value!r}")
    return value


def check_api_key(value: str) -> None:
    # The value itself is never echoed: a malformed key is still a secret.
    if not isinstance(value, str) or not value.strip() or any(c.isspace() for c in value):
        raise ValueError("api_key must be a non-empty string without whitespace")


def _as_timeout(value: httpx.Timeout | float) -> httpx.Timeout:
    return value if isinstance(value, httpx.Timeout) else httpx.Timeout(value)


class KontentClient:
    """Management API v2 client for one environment. Thread-safe; use as a context manager.

    ``rate_limit`` is shared process-wide with every client of the same (base URL,
    environment); ``None`` or ``RateLimit(enabled=False)`` turns client-side limiting off.
    ``retry=None`` disables retries. TLS certificates are always verified.
    """

    def __init__(
        self,
        environment_id: str,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        rate_limit: RateLimit | None = DEFAULT_RATE_LIMIT,
        retry: RetryPolicy | None = DEFAULT_RETRY,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        upload_timeout: httpx.Timeout | float = DEFAULT_UPLOAD_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = check_base_url(base_url)
        self.environment_id = check_environment_id(environment_id)
        check_api_key(api_key)
        self.stats = ClientStats()
        limiter = None
        if rate_limit is not None and rate_limit.enabled:
            limiter = shared_limiter(self.base_url, self.environment_id, rate_limit)
        self._http = HttpCore(
            base_url=self.base_url,
            environment_id=self.environment_id,
            api_key=api_key,
            limiter=limiter,
            retry=retry or NO_RETRY,
            timeout=_as_timeout(timeout),
            stats=self.stats,
            transport=transport,
        )
        self.files = FilesApi(self._http, timeout=_as_timeout(upload_timeout))
        self.assets = AssetsApi(self._http)
        self.folders = FoldersApi(self._http)
        self.renditions = RenditionsApi(self._http)
        self.languages = LanguagesApi(self._http)
        self.collections = CollectionsApi(self._http)
        self.types = ContentTypesApi(self._http)
        self.items = ItemsApi(self._http)
        self.variants = VariantsApi(self._http)
        self.workflows = WorkflowsApi(self._http)

    def close(self) -> None:
        """Close pooled connections. The client cannot be used afterwards."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"KontentClient(environment_id={self.environment_id!r}, base_url={self.base_url!r})"
