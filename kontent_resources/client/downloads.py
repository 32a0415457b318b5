"""Asset files fetched from their public ``url`` (the asset CDN), never with the API key.

Asset URLs need no authentication and are not part of the Management API, so these requests are
neither rate limited nor counted against its limits; they go through a client of their own that
has no ``Authorization`` header to leak. Transport failures and 5xx answers are retried a few times;
a partial download resumes with a ``Range`` request where the server honours one.

The URL comes from an API answer, so it is not trusted by itself: with :class:`AssetHosts`, only the
environment's asset hosts are contacted (Kontent.ai's ``assets-*.kc-usercontent.com``, or the
emulator's own address when the API is on this machine), never an address on this machine or a
private network unless the API itself is local, and redirects are followed only to such hosts.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import socket
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import BinaryIO, Self, TypeVar

import httpx

from .client import is_loopback_host
from .errors import KontentConnectionError

_CHUNK = 1024 * 1024
_ATTEMPTS = 4
_BACKOFF_S = 0.5
_MAX_REDIRECTS = 10
#: Where Kontent.ai serves asset files (``https://assets-us-01.kc-usercontent.com/<env>/<file>/<name>``
#: in the API reference's answers; one host per region: us-01, eu-01, au-01, ...).
KONTENT_ASSET_HOSTS = ("assets-*.kc-usercontent.com",)
_DEFAULT_PORTS = {"https": 443, "http": 80}
T = TypeVar("T")

Resolver = Callable[[str, int], Sequence[str]]


class DownloadError(KontentConnectionError):
    """An asset file could not be fetched from its URL."""


class RefusedUrlError(DownloadError):
    """An asset URL (or a redirect) leads somewhere other than the environment's asset hosts."""


def resolve_addresses(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the connection may use any of them)."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


@dataclass(frozen=True)
class AssetHosts:
    """The hosts asset files may be fetched from.

    ``patterns``: ``host``, ``host:port`` or a ``*`` wildcard within the first label
    (``assets-*.kc-usercontent.com``); without a port, the scheme's own. ``local``: the API runs on
    this machine (the emulator), so plain http and local addresses are expected; otherwise only
    https, and every address the host resolves to must be a public one.
    """

    patterns: tuple[str, ...]
    local: bool = False
    resolve: Resolver = field(default=resolve_addresses, compare=False, repr=False)

    @classmethod
    def for_base_url(
        cls, base_url: str, extra: Iterable[str] = (), resolve: Resolver = resolve_addresses
    ) -> Self:
        """Kontent.ai's asset hosts, or the API's own ``host:port`` when it is on this machine
        (the emulator serves files where it serves the API); plus ``extra`` (``--asset-host``)."""
        url = httpx.URL(base_url)
        if is_loopback_host(url.host):
            own = _with_port(url.host, url.port or _DEFAULT_PORTS.get(url.scheme, 443))
            return cls((own, *extra), local=True, resolve=resolve)
        return cls((*KONTENT_ASSET_HOSTS, *extra), resolve=resolve)

    def check(self, url: httpx.URL) -> None:
        """Raise :class:`RefusedUrlError` unless ``url`` may be fetched; resolves its host."""
        if url.scheme != "https" and not (url.scheme == "http" and self.local):
            raise RefusedUrlError(f"refused {_shown(url)}: asset files are fetched over https only")
        port = url.port or _DEFAULT_PORTS.get(url.scheme, 443)
        if not any(_matches(pattern, url.host, port, url.scheme) for pattern in self.patterns):
            raise RefusedUrlError(
                f"refused {_shown(url)}: {_with_port(url.host, port)} is not an asset host of this "
                f"environment (allowed: {', '.join(self.patterns)}); if you trust it, allow it with "
                "--asset-host"
            )
        if not self.local:
            self._refuse_private(url, port)

    def _refuse_private(self, url: httpx.URL, port: int) -> None:
        try:
            addresses = self.resolve(url.host, port)
        except OSError as error:  # also transient: retried as a connection failure is
            raise httpx.ConnectError(f"cannot resolve {url.host}: {error}") from None
        for address in addresses:
            if not _is_public(address):
                raise RefusedUrlError(
                    f"refused {_shown(url)}: {url.host} resolves to {address}, an address on this machine "
                    "or a private network, which asset files never come from"
                )


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # no IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return ip.is_global and not ip.is_multicast


def _matches(pattern: str, host: str, port: int, scheme: str) -> bool:
    wanted_host, wanted_port = _host_and_port(pattern.lower())
    expected = wanted_port if wanted_port is not None else _DEFAULT_PORTS.get(scheme, 443)
    labels, wanted = host.lower().split("."), wanted_host.split(".")
    # '*' stays within one label: '*.example.com' is no 'evil.com/.example.com' nor 'a.b.example.com'.
    return port == expected and len(labels) == len(wanted) and all(map(fnmatchcase, labels, wanted))


def _host_and_port(pattern: str) -> tuple[str, int | None]:
    """``host``, ``host:port``, ``[v6 address]:port`` or a bare IPv6 address."""
    if pattern.startswith("["):
        host, _, rest = pattern[1:].partition("]")
        return host, int(rest[1:]) if rest[1:].isdigit() else None
    host, colon, port = pattern.rpartition(":")
    if not colon or ":" in host or not port.isdigit():
        return pattern, None
    return host, int(port)


def _with_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _shown(url: httpx.URL) -> str:
    return str(url.copy_with(query=None, fragment=None))


class AssetDownloads:
    """Thread-safe; use as a context manager. ``hosts``: where files may come from (None: anywhere,
    for URLs this toolkit made itself)."""

    def __init__(
        self,
        *,
        timeout: float = 60.0,
        transport: httpx.BaseTransport | None = None,
        hosts: AssetHosts | None = None,
    ) -> None:
        self._hosts = hosts
        # Redirects are followed here, each target checked like the first URL.
        self._http = httpx.Client(timeout=timeout, follow_redirects=False, transport=transport)

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
            with self._get(url) as response:
                _raise_for(response, url)
                for chunk in response.iter_bytes(_CHUNK):
                    hashed.update(chunk)
            return hashed.hexdigest()

        return _with_retries(url, digest)

    def save_into(self, url: str, sink: BinaryIO, *, size: int | None = None) -> None:
        """Write the file at ``url`` into ``sink`` (a file open for reading and writing), after the
        bytes it holds already when the server resumes; once more from the start when the result
        is not ``size`` bytes long (a stale or foreign partial file)."""
        _with_retries(url, lambda: self._fetch_into(url, sink))
        if size is None or _length(sink) == size:
            return
        _truncate(sink)
        _with_retries(url, lambda: self._fetch_into(url, sink))
        if _length(sink) != size:
            raise DownloadError(f"could not download {url}: got {_length(sink)} bytes, the asset has {size}")

    def _fetch_into(self, url: str, sink: BinaryIO) -> None:
        have = _length(sink)
        with self._get(url, {"Range": f"bytes={have}-"} if have else {}) as response:
            if response.status_code == 416:
                if _whole_size(response) == have:  # the part holds every byte already
                    return
                _truncate(sink)  # longer than the file: not a part of it
                raise _RetryableError("the partial file did not match the file")
            _raise_for(response, url)
            if response.status_code != 206 or not _continues_at(response, have):
                _truncate(sink)
            sink.seek(0, os.SEEK_END)
            for chunk in response.iter_bytes(_CHUNK):
                sink.write(chunk)
            sink.flush()

    @contextmanager
    def _get(self, url: str, headers: dict[str, str] | None = None) -> Iterator[httpx.Response]:
        """The streamed answer to GET ``url``, redirects followed only where ``hosts`` allows."""
        target = _parsed(url)
        for _hop in range(_MAX_REDIRECTS + 1):
            if self._hosts is not None:
                self._hosts.check(target)
            response = self._http.send(self._http.build_request("GET", target, headers=headers), stream=True)
            location = response.headers.get("Location")
            if not (response.is_redirect and location):
                try:
                    yield response
                finally:
                    response.close()
                return
            response.close()
            target = _parsed(str(target.join(location)))
        raise DownloadError(f"could not download {url}: more than {_MAX_REDIRECTS} redirects")


def _parsed(url: str) -> httpx.URL:
    try:
        return httpx.URL(url)
    except httpx.InvalidURL as error:
        raise RefusedUrlError(f"refused {url[:200]!r}: not a usable URL ({error})") from None


class _RetryableError(Exception):
    pass


def _length(sink: BinaryIO) -> int:
    return os.fstat(sink.fileno()).st_size


def _truncate(sink: BinaryIO) -> None:
    sink.seek(0)
    sink.truncate()


def _whole_size(response: httpx.Response) -> int | None:
    """The file's size from ``Content-Range: bytes */<size>`` (a 416 answer), if given."""
    _, _, size = response.headers.get("Content-Range", "").rpartition("/")
    return int(size) if size.isdigit() else None


def _continues_at(response: httpx.Response, have: int) -> bool:
    """A 206 answer starts at byte ``have``: anything else must not be appended."""
    return str(response.headers.get("Content-Range", "")).startswith(f"bytes {have}-")


def _raise_for(response: httpx.Response, url: str) -> None:
    if response.status_code >= 500:
        raise _RetryableError(f"HTTP {response.status_code}")
    if response.status_code >= 400:
        raise DownloadError(
            f"could not download {url}: HTTP {response.status_code}. Check that the asset still exists."
        )


def _with_retries(url: str, attempt: Callable[[], T]) -> T:
    """``attempt()``, again after a pause on a transport error or a 5xx, at most ``_ATTEMPTS`` times;
    any other failure of the exchange (a body that cannot be decoded, ...) is a DownloadError at once."""
    for retry in range(_ATTEMPTS - 1):
        try:
            return _once(url, attempt)
        except (httpx.TransportError, _RetryableError):
            time.sleep(_BACKOFF_S * 2**retry)
    try:
        return _once(url, attempt)
    except (httpx.TransportError, _RetryableError) as error:
        raise DownloadError(f"could not download {url} after {_ATTEMPTS} attempts: {error}") from None


def _once(url: str, attempt: Callable[[], T]) -> T:
    try:
        return attempt()
    except httpx.TransportError:
        raise
    except httpx.HTTPError as error:
        raise DownloadError(f"could not download {url}: {error}") from None
