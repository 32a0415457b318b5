"""Issue 7.6: the API key stays secret, plain HTTP only reaches loopback, TLS is always verified."""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import secrets
import shutil
import socket
import subprocess
import threading
import traceback
from pathlib import Path
from typing import Any

import dill
import pytest
import uvicorn
from PIL import Image

from kontent_resources.client import KontentClient, KontentError, RateLimit, RetryPolicy
from kontent_resources.emulator.app import create_app
from kontent_resources.emulator.config import EmulatorConfig, RateLimitSettings
from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.emulator.uvicorn_server import bind_socket
from kontent_resources.models.common import RequestReference
from kontent_resources.models.variants import AssetElementValue, VariantElementUpsert
from kontent_resources.providers.asset import AssetProvider
from kontent_resources.providers.errors import explain
from kontent_resources.providers.settings import ProviderSettings, SettingsError
from kontent_resources.sandbox import HermeticPulumi
from tests.reliability.helpers import RawStack, diagnostics

FAST = RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.05)


def _forms(key: str) -> list[bytes]:
    """The key as text, base64 and URL-safe base64: a leak in any of them is still a leak."""
    raw = key.encode()
    return [raw, base64.b64encode(raw), base64.urlsafe_b64encode(raw).rstrip(b"=")]


def _leaks(key: str, blob: bytes | str) -> bool:
    data = blob.encode() if isinstance(blob, str) else blob
    return any(form in data for form in _forms(key))


# -- the key in state files, CLI output and debug logs -----------------------------------------


@pytest.mark.e2e
@pytest.mark.timeout(240)
@pytest.mark.parametrize(
    "key_source",
    [
        "environment",
        "config",
    ],
)
def test_api_key_in_no_state_file_and_no_debug_log(
    pulumi_sandbox: HermeticPulumi, secret_emulator: EmulatorServer, tmp_path: Path, key_source: str
) -> None:
    key = secret_emulator.api_key
    if key_source == "environment":
        pulumi_sandbox.env["KONTENT_API_KEY"] = key
    stack = RawStack(pulumi_sandbox, secret_emulator, tmp_path)
    if key_source == "environment":
        stack.runner.stack.remove_config("kontent:apiKey")
    image = tmp_path / "logo.png"
    Image.new("RGB", (200, 200), "teal").save(image)
    spec: dict[str, Any] = {
        "folders": [{"key": "brand", "name": "Brand"}],
        "assets": [{"key": "logo", "source": str(image), "folder": "@brand", "title": "Logo"}],
        "renditions": [
            {"key": "thumb", "asset": "@logo",
             "transformation": {"x": 0, "y": 0, "width": 100, "height": 100,
                                "custom_width": 50, "custom_height": 50}}
        ],
        "links": [
            {"key": "hero", "item": "codename/home", "language": "codename/en-US", "element": "hero_image",
             "asset": "@logo", "renditions": ["@thumb"]}
        ],
    }  # fmt: skip
    output: list[str] = []
    verbose: dict[str, Any] = {
        "debug": True,
        "log_verbosity": 9,
        "log_to_std_err": True,
        "on_output": output.append,
        "on_error": output.append,
    }
    stack.runner.set_config({"spec": json.dumps(spec)})
    try:
        results = [
            stack.runner.stack.preview(**verbose),
            stack.runner.stack.up(**verbose),
            stack.runner.stack.refresh(**verbose),
        ]
        asset_id = stack.outputs()["ids"]["logo"]
        in_use = VariantElementUpsert.assets(
            RequestReference(codename="hero_image"), [AssetElementValue.of(RequestReference(id=asset_id))]
        )
        stack.client.variants.upsert("codename/contact", "codename/en-US", [in_use])
        spec.update(assets=[], renditions=[], links=[])
        stack.runner.set_config({"spec": json.dumps(spec)})
        with pytest.raises(Exception) as failed_delete:  # noqa: PT011 - the automation API's CommandError
            stack.runner.stack.up(**verbose)
        texts = [str(failed_delete.value), *(r.stdout + r.stderr for r in results), *output]
    finally:
        stack.close()

    logged = "".join(texts)
    assert '"v":9' in logged, "the -v=9 debug logs were produced"
    assert "cannot delete Asset 'logo'" in logged, "the error path was logged too"
    scanned = [*stack.runner.sandbox.root.rglob("*"), *stack.runner.work_dir.rglob("*")]
    files = [p for p in scanned if p.is_file() and not p.is_symlink()]
    assert any(p.suffix == ".json" and "stacks" in p.parts for p in files), "the backend was scanned"
    leaking = [str(p.relative_to(tmp_path)) for p in files if _leaks(key, p.read_bytes())]
    assert leaking == [], "the key is in these state/config files"
    print(f"\nscanned {len(files)} files and {len(logged):,} characters of -v=9 debug output")
    assert not _leaks(key, logged), "the key is in the CLI output or debug logs"


@pytest.mark.e2e
def test_a_wrong_key_is_not_echoed(raw_stack: RawStack, tmp_path: Path) -> None:
    wrong = f"wrong-{secrets.token_hex(12)}"
    (tmp_path / "a.txt").write_text("a")
    raw_stack.runner.set_config({"kontent:apiKey": wrong})
    raw_stack.runner.set_config({"spec": '{"assets": [{"key": "a", "source": "%s"}]}' % (tmp_path / "a.txt")})
    with pytest.raises(Exception) as failure:  # noqa: PT011 - the automation API's CommandError
        raw_stack.runner.stack.up(debug=True)
    assert "401" in str(failure.value)
    assert not _leaks(wrong, str(failure.value))


# -- the key in client logs, exceptions and pickles (in-process) -------------------------------


def test_api_key_in_no_client_log_exception_or_pickle(
    secret_emulator: EmulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    key = secret_emulator.api_key
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx, httpcore
    texts: list[str] = []

    def record(error: BaseException) -> None:
        texts.extend([str(error), repr(error), "".join(traceback.format_exception(error))])

    emulator = secret_emulator
    with KontentClient(
        emulator.environment_id, key, emulator.base_url, rate_limit=RateLimit(), retry=FAST
    ) as client:
        texts.append(repr(client))
        list(client.languages.list())
        emulator.add_fault(status=429, retry_after=0, count=2)
        list(client.languages.list())  # retried
        for failing in (
            lambda: client.assets.get("codename/missing"),
            lambda: client.items.get("codename/x"),
        ):
            with pytest.raises(KontentError) as not_found:
                failing()
            record(not_found.value)
            record(explain(not_found.value, "read something"))
        emulator.add_fault(drop_connection=True, count=3)
        with pytest.raises(KontentError) as dropped:
            list(client.languages.list())
        record(dropped.value)
    with KontentClient(emulator.environment_id, key + "x", emulator.base_url, retry=FAST) as wrong:
        with pytest.raises(KontentError) as unauthorized:
            list(wrong.languages.list())
        record(unauthorized.value)

    settings = ProviderSettings.resolve(
        {
            "kontent:environmentId": emulator.environment_id,
            "kontent:apiKey": key,
            "kontent:baseUrl": emulator.base_url,
        }
    )
    texts.append(repr(settings))
    provider = AssetProvider()
    provider._settings = settings  # as configure() leaves it
    pickled = dill.dumps(provider, recurse=True)

    logs = "\n".join(r.getMessage() + repr(r.args) for r in caplog.records)
    assert any("attempt" in r.getMessage() for r in caplog.records), "the client's debug log ran"
    assert not _leaks(key, logs), "the key is in a log record"
    leaking = [t[:200] for t in texts if _leaks(key, t)]
    assert leaking == [], "the key is in an error message, repr or traceback"
    assert not _leaks(key, pickled), "the key is in the pickled provider (the state's __provider)"


# -- plain http:// only to loopback ---------------------------------------------------------------

ALLOWED = [
    "http://127.0.0.1:8080/v2",
    "http://127.9.9.9/v2",
    "http://localhost:1234/v2",
    "http://LOCALHOST/v2",
    "http://[::1]:8080/v2",
    "https://manage.kontent.ai/v2",
]
REFUSED = [
    "http://manage.kontent.ai/v2",
    "HTTP://MANAGE.KONTENT.AI/v2",
    "http://10.0.0.5/v2",
    "http://0.0.0.0:8080/v2",
    "http://localhost.example.com/v2",
    "http://127.0.0.1.nip.io/v2",
    "http://[::ffff:10.0.0.5]/v2",
    "https://user:password@manage.kontent.ai/v2",
    "ftp://127.0.0.1/v2",
    "manage.kontent.ai/v2",
]
CONFIG = {"kontent:environmentId": "11111111-1111-4111-8111-111111111111", "kontent:apiKey": "k"}


@pytest.mark.parametrize("url", ALLOWED)
def test_base_url_allowed(url: str) -> None:
    assert ProviderSettings.resolve({**CONFIG, "kontent:baseUrl": url}).base_url == url.rstrip("/")


@pytest.mark.parametrize("url", REFUSED)
def test_base_url_refused(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SettingsError, match="kontent:baseUrl is refused"):
        ProviderSettings.resolve({**CONFIG, "kontent:baseUrl": url})
    monkeypatch.setenv("KONTENT_BASE_URL", url)  # the environment variable goes through the same check
    with pytest.raises(SettingsError, match="kontent:baseUrl is refused"):
        ProviderSettings.resolve(CONFIG)


@pytest.mark.e2e
def test_plain_http_to_a_remote_host_fails_the_preview_before_any_request(
    raw_stack: RawStack, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("a")
    raw_stack.runner.set_config({"kontent:baseUrl": "http://kontent.example.com/v2"})
    spec = {"assets": [{"key": "a", "source": str(tmp_path / "a.txt")}]}
    for step in (raw_stack.preview, raw_stack.apply):
        with pytest.raises(Exception) as failure:  # noqa: PT011 - the automation API's CommandError
            step(spec)
        message = diagnostics(failure.value)
        print(f"\n--- http:// to a remote host ({step.__name__})\n{message}")
        assert "Asset (a)" in message
        assert "kontent:baseUrl is refused: refusing plain http:// to 'kontent.example.com'" in message
        assert "Use https://" in message


def test_proxy_environment_never_carries_the_key_in_clear(
    secret_emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``http://`` is allowed to loopback only, but httpx honours HTTP_PROXY/ALL_PROXY: a CI runner
    with a proxy configured would send the Bearer key in clear text to the proxy host."""
    listener = socket.create_server(("127.0.0.1", 0))
    received: list[bytes] = []

    def serve_once() -> None:
        listener.settimeout(3)
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        with connection:
            connection.settimeout(5)
            with contextlib.suppress(OSError):
                received.append(connection.recv(65536))

    thread = threading.Thread(target=serve_once, daemon=True)
    thread.start()
    proxy = f"http://127.0.0.1:{listener.getsockname()[1]}"  # stands for proxy.corp.example:3128
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, proxy)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    emulator = secret_emulator
    try:
        with (
            KontentClient(
                emulator.environment_id,
                emulator.api_key,
                emulator.base_url,
                retry=RetryPolicy(max_attempts=1),
            ) as client,
            contextlib.suppress(KontentError),
        ):
            list(client.languages.list())
    finally:
        listener.close()
        thread.join(timeout=15)
    sent = b"".join(received)
    assert not _leaks(emulator.api_key, sent), (
        f"the key went to the HTTP proxy in clear text: {sent[:120]!r}…"
    )


# -- TLS verification ------------------------------------------------------------------------------


def _self_signed(folder: Path) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    assert openssl, "the TLS test needs the openssl CLI to make a throwaway certificate"
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


class TlsEmulator:
    """The emulator app behind HTTPS with a self-signed certificate (no CA trusts it)."""

    def __init__(self, data_dir: Path, cert: Path, key: Path) -> None:
        self.environment_id = "11111111-1111-4111-8111-111111111111"
        self.api_key = f"tls-{secrets.token_hex(8)}"
        config = EmulatorConfig(
            data_dir=data_dir,
            environment_id=self.environment_id,
            api_key=self.api_key,
            rate_limit=RateLimitSettings(enabled=False),
        )
        self.app = create_app(config)
        sock = bind_socket("127.0.0.1", 0)
        self.base_url = f"https://127.0.0.1:{sock.getsockname()[1]}/v2"
        self.root_url = self.base_url.removesuffix("/v2")
        uv_config = uvicorn.Config(
            self.app, ssl_certfile=str(cert), ssl_keyfile=str(key), log_level="warning", lifespan="off"
        )
        self.server = uvicorn.Server(uv_config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)

    def __enter__(self) -> TlsEmulator:
        self.thread.start()
        for _ in range(300):
            if self.server.started:
                return self
            threading.Event().wait(0.05)
        raise RuntimeError("the TLS emulator did not start")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.app.close()


@pytest.mark.e2e
@pytest.mark.timeout(180)
def test_tls_verification_cannot_be_switched_off(engine_bin: Path, tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    (tmp_path / "a.txt").write_text("a")
    spec = {"assets": [{"key": "a", "source": str(tmp_path / "a.txt")}]}
    # Everything that turns verification off elsewhere (urllib, requests, curl, Node) is set.
    switches = {
        "PYTHONHTTPSVERIFY": "0",
        "CURL_CA_BUNDLE": "",
        "REQUESTS_CA_BUNDLE": "",
        "NODE_TLS_REJECT_UNAUTHORIZED": "0",
        "KONTENT_VERIFY_SSL": "false",
        "KONTENT_INSECURE": "true",
    }
    with TlsEmulator(tmp_path / "emulator", cert, key) as emulator:
        sandbox = HermeticPulumi(tmp_path / "sandbox", extra_env=switches)
        sandbox.env.pop("SSL_CERT_FILE", None)
        sandbox.env.pop("SSL_CERT_DIR", None)
        stack = RawStack(sandbox, emulator, tmp_path)  # type: ignore[arg-type]
        stack.runner.set_config({"kontent:insecure": "true", "kontent:verifySsl": "false"})
        try:
            # Switches in the stack config are not settings: the preview refuses them by name.
            with pytest.raises(Exception) as failure:  # noqa: PT011 - the automation API's CommandError
                stack.apply(spec)
            message = diagnostics(failure.value)
            print(f"\n--- switches in the stack config\n{message}")
            assert "kontent:insecure is not a kontent: setting" in message
            assert "kontent:verifySsl is not a kontent: setting" in message
            assert emulator.app.emulator.counters.snapshot()["total"] == 0, "no request got through"
            stack.runner.stack.remove_all_config(["kontent:insecure", "kontent:verifySsl"])

            with pytest.raises(Exception) as failure:  # noqa: PT011 - the automation API's CommandError
                stack.apply(spec)
            message = diagnostics(failure.value)
            print(f"\n--- self-signed certificate\n{message}")
            assert "Asset (a)" in message
            assert "CERTIFICATE_VERIFY_FAILED" in message
            assert "TLS certificate could not be verified" in message
            assert "SSL_CERT_FILE" in message
            assert emulator.app.emulator.counters.snapshot()["total"] == 0, "no request got through"

            # The visible way to trust a private CA: name its certificate, verification stays on.
            # The same backend, so the same passphrase: the first sandbox's random one.
            passphrase = sandbox.env["PULUMI_CONFIG_PASSPHRASE"]
            trust = {"SSL_CERT_FILE": str(cert), "PULUMI_CONFIG_PASSPHRASE": passphrase}
            trusting = HermeticPulumi(tmp_path / "sandbox", extra_env=trust)
            trusted = RawStack(trusting, emulator, tmp_path / "trusted")  # type: ignore[arg-type]
            trusted.apply(spec)
            assert emulator.app.emulator.counters.snapshot()["by_endpoint"]["PUT /assets/{ref}"] == 1
            trusted.close()
        finally:
            stack.close()
            sandbox.close()
        assert os.environ.get("PYTHONHTTPSVERIFY") != "0", "the switches never leaked into this process"
