"""Asset files fetched from their public ``url`` (the asset CDN), never with the API key.

Asset URLs need no authentication and are not part of the Management API, so these requests are
neither rate limited nor counted against its limits; they go through a client of their own that
has no ``Authorization`` header to leak. Transport failures and 5xx answers are retried a few times;
a partial download resumes with a ``Range`` request where the server honours one.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Self, TypeVar

import httpx

from .errors import KontentConnectionError

_CHUNK = 1024 * 1024
_ATTEMPTS = 4
_BACKOFF_S = 0.5
T = TypeVar("T")


class DownloadError(KontentConnectionError):
    """An asset file could not be fetched from its URL."""


class AssetDownloads:
    """Thread-safe; use as a context manager."""

    def __init__(self, *, timeout: float = 60.0, transport: httpx.BaseTransport | None = None) -> None:
        self._http = httpx.Client(timeout=timeout, follow_redirects=True, transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def sha256(self, url: str) -> str:
        """The SHA-256 of the file at ``url``, streamed: memory stays flat whatever its size."""

        def digest() -> str:
            hashed = hashlib.sha256()
            with self._http.stream("GET", url) as response:
                _raise_for(response, url)
                for chunk in response.iter_bytes(_CHUNK):
                    hashed.update(chunk)
            return hashed.hexdigest()

        return _with_retries(url, digest)

    def save(self, url: str, target: Path) -> None:
        """Write the file at ``url`` to ``target`` through ``<target>.part``, resuming a partial one."""
        partial = target.with_name(target.name + ".part")
        _with_retries(url, lambda: self._fetch_into(url, partial))
        partial.replace(target)

    def _fetch_into(self, url: str, partial: Path) -> None:
        have = partial.stat().st_size if partial.exists() else 0
        headers = {"Range": f"bytes={have}-"} if have else {}
        with self._http.stream("GET", url, headers=headers) as response:
            if response.status_code == 416:  # the part already holds every byte
                return
            _raise_for(response, url)
            resumed = response.status_code == 206
            with partial.open("ab" if resumed else "wb") as sink:
                for chunk in response.iter_bytes(_CHUNK):
                    sink.write(chunk)


class _RetryableError(Exception):
    pass


def _raise_for(response: httpx.Response, url: str) -> None:
    if response.status_code >= 500:
        raise _RetryableError(f"HTTP {response.status_code}")
    if response.status_code >= 400:
        raise DownloadError(
            f"could not download {url}: HTTP {response.status_code}. Check that the asset still exists."
        )


def _with_retries(url: str, attempt: Callable[[], T]) -> T:
    """``attempt()``, again after a pause on a transport error or a 5xx, at most ``_ATTEMPTS`` times."""
    for retry in range(_ATTEMPTS - 1):
        try:
            return attempt()
        except (httpx.TransportError, _RetryableError):
            time.sleep(_BACKOFF_S * 2**retry)
    try:
        return attempt()
    except (httpx.TransportError, _RetryableError) as error:
        raise DownloadError(f"could not download {url} after {_ATTEMPTS} attempts: {error}") from None
