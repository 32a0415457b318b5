"""Client behaviour against a live scripted HTTP server: retries, errors, pagination, uploads."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kontent_resources.client import (
    KontentClient,
    KontentConnectionError,
    KontentError,
    KontentNotFoundError,
    KontentRateLimitError,
    KontentRequestNotSentError,
    KontentServerError,
    KontentTimeoutError,
    KontentUnreachableError,
    KontentValidationError,
    RetryPolicy,
)
from kontent_resources.models.assets import AssetUpsert
from kontent_resources.providers.errors import explain
from tests.images import jpeg_bytes

from .conftest import API_KEY, ENV_ID, ScriptedServer

MakeClient = Callable[..., KontentClient]
ASSET = {"id": "fcbb12e6-66a3-4672-85d9-d502d16b8d9c", "file_name": "a.png", "title": "A"}
PREFIX = f"/v2/projects/{ENV_ID}"


def asset_page(ids: list[str], token: str | None) -> dict[str, object]:
    return {
        "assets": [{**ASSET, "id": i} for i in ids],
        "pagination": {"continuation_token": token, "next_page": None},
    }


def test_sends_bearer_key_to_environment_path(api: ScriptedServer, make_client: MakeClient) -> None:
    api.script({"status": 200, "json": ASSET})
    asset = make_client().assets.get(ASSET["id"])
    assert asset.title == "A"
    (request,) = api.requests()
    assert request["method"] == "GET"
    assert request["path"] == f"{PREFIX}/assets/{ASSET['id']}"
    assert request["headers"]["authorization"] == f"Bearer {API_KEY}"


def test_429_with_retry_after_is_waited_out(api: ScriptedServer, make_client: MakeClient) -> None:
    rate_limited = {"request_id": "r", "error_code": 10000, "message": "API rate limit exceeded."}
    api.script(
        {"status": 429, "json": rate_limited, "headers": {"Retry-After": "1"}}, {"status": 200, "json": ASSET}
    )
    client = make_client(retry=RetryPolicy(base_delay=0.01))
    started = time.monotonic()
    asset = client.assets.get(ASSET["id"])
    elapsed = time.monotonic() - started
    assert asset.id == ASSET["id"]
    assert len(api.requests()) == 2
    assert elapsed >= 1.0, "Retry-After: 1 must be honoured instead of the 10 ms backoff"
    stats = client.stats.snapshot()
    assert stats["attempts"] == 2
    assert stats["retries"] == {"429": 1}


def test_503_then_200_succeeds(api: ScriptedServer, make_client: MakeClient) -> None:
    api.script({"status": 503, "body": "unavailable"}, {"status": 200, "json": ASSET})
    client = make_client()
    assert client.assets.get(ASSET["id"]).id == ASSET["id"]
    assert len(api.requests()) == 2
    assert client.stats.snapshot()["retries"] == {"503": 1}


def test_server_errors_give_up_after_max_attempts(api: ScriptedServer, make_client: MakeClient) -> None:
    api.script(*[{"status": 500, "json": {"message": "boom", "request_id": "rq-500"}}] * 4)
    with pytest.raises(KontentServerError) as caught:
        make_client().assets.get(ASSET["id"])
    assert len(api.requests()) == 4
    assert caught.value.request_id == "rq-500"


def test_exhausted_429_raises_rate_limit_error(api: ScriptedServer, make_client: MakeClient) -> None:
    api.script(*[{"status": 429, "json": {"message": "slow down"}, "headers": {"Retry-After": "0"}}] * 3)
    with pytest.raises(KontentRateLimitError):
        make_client(retry=RetryPolicy(max_rate_limited_attempts=3)).assets.get(ASSET["id"])
    assert len(api.requests()) == 3


def test_429_answers_do_not_use_up_the_attempts(api: ScriptedServer, make_client: MakeClient) -> None:
    """A 429 was not processed: a burst longer than max_attempts is still waited out."""
    limited = {"status": 429, "json": {"message": "slow down"}, "headers": {"Retry-After": "0"}}
    api.script(*[limited] * 8, {"status": 503, "body": "busy"}, {"status": 200, "json": ASSET})
    client = make_client(retry=RetryPolicy(max_attempts=2, base_delay=0.01))
    assert client.assets.get(ASSET["id"]).id == ASSET["id"]
    assert client.stats.snapshot()["retries"] == {"429": 8, "503": 1}


def test_a_retry_after_past_the_deadline_fails_at_once_and_says_so(
    api: ScriptedServer, make_client: MakeClient
) -> None:
    api.script({"status": 429, "json": {"message": "later"}, "headers": {"Retry-After": "3600"}})
    with pytest.raises(KontentRateLimitError) as caught:
        make_client(retry=RetryPolicy(deadline=5.0)).assets.get(ASSET["id"])
    assert len(api.requests()) == 1, "no wait is started that would end past the deadline"
    assert caught.value.retry_after == 3600
    assert "past the request's deadline of 5 s" in str(caught.value)


def test_the_deadline_counts_the_attempts_not_only_the_waits(
    api: ScriptedServer, make_client: MakeClient
) -> None:
    """An API that accepts the connection and never answers: the request ends near its deadline."""
    api.script(*[{"status": 200, "json": ASSET, "delay": 5.0}] * 6)
    retry = RetryPolicy(max_attempts=6, deadline=1.0, min_attempt_time=0.4, base_delay=0.01, max_delay=0.01)
    client = make_client(timeout=0.3, retry=retry)
    with pytest.raises(KontentTimeoutError) as caught:
        client.assets.get(ASSET["id"])
    attempts = client.stats.snapshot()["attempts"]
    assert isinstance(attempts, int)
    assert attempts < 6, "counting only the waits (0.01 s each), all six attempts would have run"
    assert "past the request's deadline of 1 s" in str(caught.value)


def test_400_with_validation_errors_raises_at_once(api: ScriptedServer, make_client: MakeClient) -> None:
    body = {
        "request_id": "r-1",
        "error_code": 5,
        "message": "The provided request body is invalid. See the 'validation_errors' attribute.",
        "validation_errors": [
            {"message": "Provide a nonempty title.", "path": "title", "line": 1, "position": 11}
        ],
    }
    api.script({"status": 400, "body": json.dumps(body)})
    with pytest.raises(KontentValidationError) as caught:
        make_client().assets.upsert("external-id/x", AssetUpsert(title=""))
    assert len(api.requests()) == 1
    error = caught.value
    assert error.status == 400
    assert error.validation_errors[0].message == "Provide a nonempty title."
    assert "Provide a nonempty title." in str(error)
    assert error.method == "PUT"
    assert error.path == f"{PREFIX}/assets/external-id/x"


def test_404_is_not_retried(api: ScriptedServer, make_client: MakeClient) -> None:
    api.script({"status": 404, "json": {"message": "The requested asset was not found.", "error_code": 105}})
    with pytest.raises(KontentNotFoundError):
        make_client().assets.get("codename/missing")
    assert len(api.requests()) == 1


def test_list_follows_continuation_tokens(api: ScriptedServer, make_client: MakeClient) -> None:
    ids = [f"00000000-0000-0000-0000-{n:012d}" for n in range(7)]
    api.script(
        {"status": 200, "json": asset_page(ids[0:3], "token+1/=")},
        {"status": 200, "json": asset_page(ids[3:6], "token-2")},
        {"status": 200, "json": asset_page(ids[6:7], None)},
    )
    listed = [asset.id for asset in make_client().assets.list()]
    assert listed == ids
    requests = api.requests()
    assert [r["headers"].get("x-continuation") for r in requests] == [None, "token+1/=", "token-2"]
    assert all(r["path"] == f"{PREFIX}/assets" for r in requests)


def test_list_with_a_retry_mid_way_yields_each_item_once(
    api: ScriptedServer, make_client: MakeClient
) -> None:
    ids = [f"00000000-0000-0000-0000-{n:012d}" for n in range(4)]
    api.script(
        {"status": 200, "json": asset_page(ids[0:2], "t1")},
        {"status": 502, "body": "bad gateway"},
        {"status": 200, "json": asset_page(ids[2:4], None)},
    )
    assert [asset.id for asset in make_client().assets.list()] == ids


def test_upsert_reports_created_or_updated(api: ScriptedServer, make_client: MakeClient) -> None:
    api.script({"status": 201, "json": ASSET}, {"status": 200, "json": ASSET})
    client = make_client()
    assert client.assets.upsert("external-id/new", AssetUpsert(title="A")).created is True
    assert client.assets.upsert("external-id/new", AssetUpsert(title="A")).created is False
    assert api.requests()[0]["json"] == {"title": "A"}


def test_upload_streams_with_headers_and_encoded_name(
    api: ScriptedServer, make_client: MakeClient, tmp_path: Path
) -> None:
    source = tmp_path / "brno cafe#1.jpg"
    source.write_bytes(jpeg_bytes())
    reference = make_client().files.upload(source)
    assert reference.type == "internal"
    (request,) = api.requests()
    assert request["path"] == f"{PREFIX}/files/brno%20cafe%231.jpg"
    assert request["headers"]["content-type"] == "image/jpeg"
    assert request["headers"]["content-length"] == str(source.stat().st_size)
    assert "transfer-encoding" not in request["headers"]
    assert request["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()


def test_upload_content_type_override_and_fallback(
    api: ScriptedServer, make_client: MakeClient, tmp_path: Path
) -> None:
    source = tmp_path / "data.unknownext"
    source.write_bytes(b"\x00\x01")
    client = make_client()
    client.files.upload(source)
    client.files.upload(source, file_name="renamed.txt", content_type="text/x-custom")
    first, second = api.requests()
    assert first["headers"]["content-type"] == "application/octet-stream"
    assert second["headers"]["content-type"] == "text/x-custom"
    assert second["path"].endswith("/files/renamed.txt")


def test_upload_retry_resends_the_file_from_the_start(
    api: ScriptedServer, make_client: MakeClient, tmp_path: Path
) -> None:
    source = tmp_path / "blob.bin"
    source.write_bytes(os.urandom(3 * 1024 * 1024 + 17))
    api.script({"status": 503, "body": "busy"}, {"status": 200, "json": {"id": "f-1", "type": "internal"}})
    assert make_client().files.upload(source).id == "f-1"
    expected = hashlib.sha256(source.read_bytes()).hexdigest()
    requests = api.requests()
    assert len(requests) == 2
    assert [r["size"] for r in requests] == [source.stat().st_size] * 2
    assert [r["sha256"] for r in requests] == [expected] * 2


def test_upload_rejects_directories(make_client: MakeClient, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        make_client().files.upload(tmp_path)


def test_read_timeout_is_retried_then_raised(api: ScriptedServer, make_client: MakeClient) -> None:
    api.script({"status": 200, "json": ASSET, "delay": 1.0}, {"status": 200, "json": ASSET, "delay": 1.0})
    client = make_client(timeout=0.3, retry=RetryPolicy(max_attempts=2, base_delay=0.01))
    with pytest.raises(KontentTimeoutError) as caught:
        client.assets.get(ASSET["id"])
    assert "ReadTimeout" in str(caught.value)
    assert client.stats.snapshot()["retries"] == {"ReadTimeout": 1}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_connection_errors_are_retried_then_raised() -> None:
    retry = RetryPolicy(max_attempts=3, base_delay=0.01)
    url = f"http://127.0.0.1:{_closed_port()}/v2"
    with KontentClient(ENV_ID, API_KEY, url, rate_limit=None, retry=retry) as client:
        with pytest.raises(KontentConnectionError):
            client.collections.list()
        assert client.stats.snapshot()["attempts"] == 3


def test_api_key_never_appears_in_errors_logs_or_repr(
    api: ScriptedServer, make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    echo = {"message": f"Bearer {API_KEY} was refused", "request_id": "r"}
    api.script(
        {"status": 503, "body": "busy"},
        {"status": 401, "json": echo},
        {
            "status": 400,
            "json": {"message": "bad", "validation_errors": [{"message": API_KEY, "path": API_KEY}]},
        },
    )
    client = make_client()
    texts = [repr(client), str(client.__dict__)]
    for _ in range(2):
        with pytest.raises(KontentError) as caught:
            client.assets.get(ASSET["id"])
        texts += [str(caught.value), repr(caught.value), repr(caught.value.__cause__)]
    url = f"http://127.0.0.1:{_closed_port()}/v2"
    with KontentClient(
        ENV_ID, API_KEY, url, rate_limit=None, retry=RetryPolicy(max_attempts=2, base_delay=0)
    ) as c:
        with pytest.raises(KontentConnectionError) as transport_error:
            c.assets.get(ASSET["id"])
        texts += [str(transport_error.value), repr(transport_error.value), repr(c)]
    logged = [record.getMessage() for record in caplog.records]
    assert any("attempt 1: 503" in line and "retrying in" in line for line in logged), "attempts are logged"
    for text in texts + logged:
        assert API_KEY not in text


@pytest.mark.parametrize(
    "url",
    [
        "http://manage.kontent.ai/v2",
        "http://10.0.0.5:8080/v2",
        "http://127.0.0.1.nip.io/v2",
        "ftp://x/v2",
        "manage",
    ],
)
def test_insecure_or_invalid_base_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match=r"http|URL|url"):
        KontentClient(ENV_ID, API_KEY, url)


@pytest.mark.parametrize(
    "url",
    [
        "https://manage.kontent.ai/v2",
        "http://127.0.0.1:9/v2",
        "http://127.8.9.10/v2",
        "http://[::1]:80/v2",
        "http://localhost:8000/v2",
    ],
)
def test_https_and_loopback_http_are_accepted(url: str) -> None:
    KontentClient(ENV_ID, API_KEY, url, rate_limit=None).close()


def test_credentials_in_base_url_are_refused() -> None:
    with pytest.raises(ValueError, match="credentials"):
        KontentClient(ENV_ID, API_KEY, "https://user:pass@manage.kontent.ai/v2")


@pytest.mark.parametrize("environment_id", ["", "a/b", "env?x=1", "has space", "../etc"])
def test_malformed_environment_ids_are_refused(environment_id: str) -> None:
    with pytest.raises(ValueError, match="environment_id"):
        KontentClient(environment_id, API_KEY)


def test_malformed_api_key_is_refused_without_echoing_it() -> None:
    bad_key = "secret with spaces"
    with pytest.raises(ValueError, match="api_key") as caught:
        KontentClient(ENV_ID, bad_key)
    assert bad_key not in str(caught.value)


def test_a_header_with_a_line_break_is_not_retried(
    api: ScriptedServer, make_client: MakeClient, tmp_path: Path
) -> None:
    source = tmp_path / "logo.png"
    source.write_bytes(b"png")
    client = make_client()
    with pytest.raises(KontentRequestNotSentError) as caught:
        client.files.upload(source, content_type="image/png\r\nX-Injected: 1")
    assert client.stats.snapshot()["attempts"] == 1
    assert api.requests() == []
    assert "not retried: the request is not valid HTTP" in str(caught.value)
    assert (caught.value.reason, caught.value.retries_stopped_by) == ("invalid_http", "not_retryable")


def test_https_to_a_plain_http_port_is_not_retried(api: ScriptedServer) -> None:
    url = api.base_url.replace("http://", "https://")
    with KontentClient(ENV_ID, API_KEY, url, rate_limit=None) as client:
        with pytest.raises(KontentRequestNotSentError) as caught:
            client.collections.list()
        assert client.stats.snapshot()["attempts"] == 1
    assert "not retried: the server does not speak TLS at this https:// address" in str(caught.value)
    # Told apart by attribute, never by message text: the provider's advice follows the reason.
    assert (caught.value.reason, caught.value.retries_stopped_by) == ("not_tls", "not_retryable")
    advice = str(explain(caught.value, "list collections"))
    assert "answers plain HTTP" in advice


def test_long_waits_are_announced(
    api: ScriptedServer,
    make_client: MakeClient,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)  # the wait itself is not what is tested
    api.script({"status": 429, "json": {"message": "later"}, "headers": {"Retry-After": "90"}},
               {"status": 200, "json": ASSET})  # fmt: skip
    caplog.set_level(logging.WARNING, logger="kontent_resources.client")
    assert make_client(retry=RetryPolicy()).assets.get(ASSET["id"]).id == ASSET["id"]
    assert slept == [90.0]
    (record,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "rate limited (429); retrying in 90 s" in record.getMessage()
    assert "gives up at 300 s" in record.getMessage()


# -- an address nothing answers at: fail in seconds, naming it (issue 34) ------------------------


@pytest.mark.parametrize("where", ["closed port", "unresolvable host"])
def test_an_address_that_never_answered_fails_within_seconds_naming_it(where: str) -> None:
    """The default policy: connection refused or a name that does not resolve is a wrong base URL
    or a server not running, not an outage worth the ~30 s of the whole retry schedule."""
    url = f"http://127.0.0.1:{_closed_port()}/v2" if where == "closed port" else "https://kontent.invalid/v2"
    with KontentClient(ENV_ID, API_KEY, url, rate_limit=None) as client:
        started = time.monotonic()
        with pytest.raises(KontentUnreachableError) as caught:
            client.collections.list()
        first = time.monotonic() - started
        assert first < 10, f"the first request took {first:.1f} s"
        assert _attempts(client) >= 2, "still retried: a blip may pass"
        assert f"nothing answers at {url}" in str(caught.value)
        assert "nothing has answered at this address" in str(caught.value)

        # The next request tries once: a refresh of many resources must not wait 8 s for each.
        attempts = _attempts(client)
        started = time.monotonic()
        with pytest.raises(KontentUnreachableError) as again:
            client.workflows.list()
        assert time.monotonic() - started < 2
        assert _attempts(client) == attempts + 1
        assert "an earlier request found nothing answering" in str(again.value)


def _attempts(client: KontentClient) -> int:
    attempts = client.stats.snapshot()["attempts"]
    assert isinstance(attempts, int)
    return attempts


class _RestartingServer:
    """Answers every request, stops (connections refused), and comes back on the same port."""

    def __init__(self) -> None:
        self.port = _closed_port()

    def start(self) -> None:
        class Answer(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = json.dumps({"collections": []}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Answer)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_an_address_that_answered_before_keeps_the_whole_retry_schedule() -> None:
    """A server that answered and now refuses is restarting: its requests wait for it as long as
    the schedule allows, far past the few seconds an address that never answered gets."""
    server = _RestartingServer()
    server.start()
    retry = RetryPolicy(max_attempts=100, base_delay=0.05, max_delay=0.1, unreachable_deadline=0.3)
    url = f"http://127.0.0.1:{server.port}/v2"
    with KontentClient(ENV_ID, API_KEY, url, rate_limit=None, retry=retry) as client:
        assert client.collections.list() == []
        server.stop()
        threading.Timer(1.5, server.start).start()
        started = time.monotonic()
        assert client.collections.list() == [], "waited for the server to come back"
        assert time.monotonic() - started > 1.0
        retries = client.stats.snapshot()["retries"]
        assert isinstance(retries, dict)
        assert retries.get("ConnectError", 0) >= 5
    server.stop()

    with KontentClient(ENV_ID, API_KEY, url, rate_limit=None, retry=retry) as fresh:
        started = time.monotonic()
        with pytest.raises(KontentUnreachableError):
            fresh.collections.list()
        assert time.monotonic() - started < 1.0, "a new client that never reached it gives up early"
