"""Asset files come only from the environment's asset hosts (R3-7): the URL is in an API answer,
so a hostile or compromised answer must not make the import fetch from this machine, a private
network or a cloud metadata address, directly or through a redirect.

Names are resolved through a fake resolver, requests go to a mock transport: no network.
"""

from __future__ import annotations

import argparse
import io
import tempfile
from collections.abc import Mapping, Sequence

import httpx
import pytest

from kontent_resources.client.downloads import (
    AssetDownloads,
    AssetHosts,
    DownloadError,
    RefusedUrlError,
    Resolver,
)
from kontent_resources.importer.cli import asset_host

REMOTE_API = "https://manage.kontent.ai/v2"
ASSET = "https://assets-us-01.kc-usercontent.com/8d20758c/806ec84e/file_name.png"


def _resolver(table: Mapping[str, Sequence[str]]) -> Resolver:
    def resolve(host: str, _port: int) -> Sequence[str]:
        return table[host]

    return resolve


def _hosts(
    table: Mapping[str, Sequence[str]], base_url: str = REMOTE_API, extra: Sequence[str] = ()
) -> AssetHosts:
    return AssetHosts.for_base_url(base_url, extra, resolve=_resolver(table))


PUBLIC = {
    "assets-us-01.kc-usercontent.com": ["151.101.1.1"],
    "assets-eu-01.kc-usercontent.com": ["151.101.65.1"],
}


def test_kontent_asset_hosts_are_allowed_for_the_real_api() -> None:
    hosts = _hosts(PUBLIC)
    hosts.check(httpx.URL(ASSET))
    hosts.check(httpx.URL("https://assets-eu-01.kc-usercontent.com/a/b/our-story.jpg"))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9999/internal/admin",  # another local service
        "https://127.0.0.1/x",
        "https://[::1]/x",
        "https://169.254.169.254/latest/meta-data/",  # cloud metadata
        "https://10.0.0.5/x",
        "https://evil.example/assets-us-01.kc-usercontent.com/x",
        "https://assets-us-01.kc-usercontent.com.evil.example/x",
        "https://a.assets-us-01.kc-usercontent.com/x",
        "https://assets-us-01.kc-usercontent.com:8443/x",  # another port of the right host
        "http://assets-us-01.kc-usercontent.com/x",  # not over https
        "file:///etc/passwd",
    ],
)
def test_anything_else_is_refused_for_the_real_api(url: str) -> None:
    with pytest.raises(RefusedUrlError):
        _hosts(PUBLIC).check(httpx.URL(url))


@pytest.mark.parametrize(
    "address", ["10.1.2.3", "192.168.0.10", "127.0.0.1", "169.254.169.254", "::1", "fd00::1"]
)
def test_an_allowed_name_that_resolves_to_a_private_address_is_refused(address: str) -> None:
    hosts = _hosts({"assets-us-01.kc-usercontent.com": ["151.101.1.1", address]})  # every address counts
    with pytest.raises(RefusedUrlError, match="private network"):
        hosts.check(httpx.URL(ASSET))


def test_an_ipv4_mapped_loopback_address_is_refused() -> None:
    hosts = _hosts({"assets-us-01.kc-usercontent.com": ["::ffff:127.0.0.1"]})
    with pytest.raises(RefusedUrlError):
        hosts.check(httpx.URL(ASSET))


def test_an_added_asset_host_is_allowed_but_still_never_private() -> None:
    hosts = _hosts({**PUBLIC, "cdn.example.com": ["93.184.216.34"]}, extra=["cdn.example.com"])
    hosts.check(httpx.URL("https://cdn.example.com/logo.png"))
    private = _hosts({"cdn.example.com": ["192.168.1.20"]}, extra=["cdn.example.com"])
    with pytest.raises(RefusedUrlError):
        private.check(httpx.URL("https://cdn.example.com/logo.png"))


def test_a_local_api_allows_only_its_own_host_and_port() -> None:
    hosts = _hosts({}, base_url="http://127.0.0.1:8080/v2")  # the emulator: nothing is resolved
    hosts.check(httpx.URL("http://127.0.0.1:8080/assets/env/file/logo.png"))
    for url in ("http://127.0.0.1:9090/internal", "http://localhost:8080/x", ASSET):
        with pytest.raises(RefusedUrlError):
            hosts.check(httpx.URL(url))


def _transport(routes: dict[str, httpx.Response], seen: list[str]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return routes[str(request.url)]

    return httpx.MockTransport(handle)


def test_a_redirect_out_of_the_asset_hosts_is_not_followed() -> None:
    metadata = "http://169.254.169.254/latest/meta-data/"
    seen: list[str] = []
    routes = {ASSET: httpx.Response(302, headers={"Location": metadata})}
    with (
        AssetDownloads(transport=_transport(routes, seen), hosts=_hosts(PUBLIC)) as downloads,
        pytest.raises(RefusedUrlError),
    ):
        downloads.save_into(ASSET, _file())
    assert seen == [ASSET], "the redirect's target was never requested"


def test_a_redirect_within_the_asset_hosts_is_followed() -> None:
    moved = "https://assets-eu-01.kc-usercontent.com/a/b/file_name.png"
    seen: list[str] = []
    routes = {
        ASSET: httpx.Response(301, headers={"Location": moved}),
        moved: httpx.Response(200, content=b"png"),
    }
    sink = _file()
    with AssetDownloads(transport=_transport(routes, seen), hosts=_hosts(PUBLIC)) as downloads:
        downloads.save_into(ASSET, sink, size=3)
    assert seen == [ASSET, moved]
    sink.seek(0)
    assert sink.read() == b"png"


def test_a_partial_file_longer_than_the_asset_is_started_again() -> None:
    """A stale or planted `.part` is not taken as the whole file because the server answers 416."""
    sink = _file(b"not a prefix of the file, and longer than it")

    def handle(request: httpx.Request) -> httpx.Response:
        if "Range" in request.headers:
            return httpx.Response(416, headers={"Content-Range": "bytes */3"})
        return httpx.Response(200, content=b"png")

    with AssetDownloads(transport=httpx.MockTransport(handle), hosts=_hosts(PUBLIC)) as downloads:
        downloads.save_into(ASSET, sink, size=3)
    sink.seek(0)
    assert sink.read() == b"png"


def test_a_file_of_the_wrong_size_is_an_error_not_the_assets_file() -> None:
    def handle(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"truncated")

    with (
        AssetDownloads(transport=httpx.MockTransport(handle), hosts=_hosts(PUBLIC)) as downloads,
        pytest.raises(DownloadError, match="bytes"),
    ):
        downloads.save_into(ASSET, _file(), size=100)


def _file(content: bytes = b"") -> io.BufferedRandom:
    """A real file: the download measures what it holds with fstat."""
    sink = tempfile.TemporaryFile()  # noqa: SIM115 (closed with the test)
    sink.write(content)
    return sink


@pytest.mark.parametrize(
    "value", ["cdn.example.com", "CDN.example.com:8443", "assets-*.example.com", "*.example.com"]
)
def test_asset_host_option_takes_hosts_and_first_label_patterns(value: str) -> None:
    assert asset_host(value) == value.lower()


@pytest.mark.parametrize(
    "value", ["*.com", "cdn.*.com", "https://cdn.example.com", "cdn.example.com/x", "localhost", ""]
)
def test_asset_host_option_refuses_what_would_let_any_site_in(value: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        asset_host(value)


@pytest.mark.parametrize("url", ["https://assets-us-01.kc-usercontent.com:99999/x", "http://[::1/x", ""])
def test_a_malformed_url_is_one_refused_file_not_a_crash(url: str) -> None:
    with AssetDownloads(hosts=_hosts(PUBLIC)) as downloads, pytest.raises(DownloadError):
        downloads.save_into(url, _file())
