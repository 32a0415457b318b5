"""The provider's kontent:* settings: misspelt keys named with the key they meant, and where the
API address came from, for an address nothing answers at (issue 34)."""

from __future__ import annotations

import socket

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from kontent_resources.client import KontentUnreachableError
from kontent_resources.providers import AssetProvider
from kontent_resources.providers.errors import KontentResourceError, explain
from kontent_resources.providers.settings import ProviderSettings, SettingsError

ENV_ID = "11111111-2222-3333-4444-555555555555"


@pytest.fixture(autouse=True)
def _no_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KONTENT_ENVIRONMENT_ID", "KONTENT_API_KEY", "KONTENT_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


def _refusal(raw: dict[str, str], project: str = "brand-library") -> str:
    # The SDK's own Config, as the dynamic provider's configure receives it.
    with pytest.raises(SettingsError) as refused:
        ProviderSettings.resolve(Config(raw, project_name=project))
    return str(refused.value)


def test_a_misspelt_key_is_named_with_the_key_it_meant_not_reported_missing() -> None:
    message = _refusal({"kontent:enviromentId": ENV_ID, "kontent:apiKey": "key"})
    assert "kontent:enviromentId is not a kontent: setting; did you mean kontent:environmentId?" in message
    fix = "`pulumi config rm kontent:enviromentId`, then `pulumi config set kontent:environmentId <value>`"
    assert fix in message
    assert "not configured" not in message


def test_a_misspelt_api_key_is_set_again_without_the_key_on_the_command_line() -> None:
    message = _refusal({"kontent:environmentId": ENV_ID, "kontent:apikey": "s3cr3t-value"})
    assert "did you mean kontent:apiKey?" in message
    assert "`pulumi config set --secret kontent:apiKey` (it asks for the value" in message
    assert "s3cr3t-value" not in message


def test_a_key_like_no_setting_is_named_with_the_settings_there_are() -> None:
    raw = {
        "kontent:environmentId": ENV_ID,
        "kontent:apiKey": "key",
        "kontent:verifySsl": "no",
        "aws:region": "x",
    }
    message = _refusal(raw)
    fix = "kontent:verifySsl is not a kontent: setting: remove it with `pulumi config rm kontent:verifySsl`"
    assert fix in message
    assert "did you mean" not in message
    assert "kontent:environmentId, kontent:apiKey, kontent:baseUrl" in message
    assert "aws:region" not in message, "other namespaces are not ours to judge"


def test_a_project_called_kontent_keeps_its_own_keys() -> None:
    raw = {"kontent:environmentId": ENV_ID, "kontent:apiKey": "key", "kontent:libraryFolder": "assets"}
    assert ProviderSettings.resolve(Config(raw, project_name="kontent")).environment_id == ENV_ID


def test_the_provider_fails_the_preview_with_the_key_it_meant() -> None:
    provider = AssetProvider()
    provider.configure(ConfigureRequest(Config({"kontent:enviromentId": ENV_ID, "kontent:apiKey": "k"}, "p")))
    with pytest.raises(KontentResourceError, match=r"did you mean kontent:environmentId\?"):
        provider.check({}, {"source": "logo.png"})


def test_a_missing_api_key_is_never_asked_for_on_the_command_line() -> None:
    message = _refusal({"kontent:environmentId": ENV_ID})
    assert "api key is not configured: run `pulumi config set --secret kontent:apiKey`" in message
    assert "<value>" not in message


@pytest.mark.parametrize(
    ("config", "env", "expected"),
    [
        ({"kontent:baseUrl": "http://127.0.0.1:9/v2"}, {}, "kontent:baseUrl"),
        ({}, {"KONTENT_BASE_URL": "http://127.0.0.1:9/v2"}, "KONTENT_BASE_URL"),
        ({}, {}, "the default (neither kontent:baseUrl nor KONTENT_BASE_URL is set)"),
    ],
)
def test_where_the_base_url_came_from_is_known(
    config: dict[str, str], env: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    raw = {"kontent:environmentId": ENV_ID, "kontent:apiKey": "key", **config}
    settings = ProviderSettings.resolve(Config(raw, project_name="p"))
    assert settings.base_url_from == expected
    same_address = ProviderSettings.resolve(Config({**raw, "kontent:baseUrl": settings.base_url}, "p"))
    assert same_address == settings, "one environment, however its address was given"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.mark.parametrize("source", ["kontent:baseUrl", "KONTENT_BASE_URL"])
def test_an_unreachable_address_is_explained_with_the_setting_that_gave_it(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/v2"
    raw = {"kontent:environmentId": ENV_ID, "kontent:apiKey": "key"}
    if source == "kontent:baseUrl":
        raw[source] = url
    else:
        monkeypatch.setenv(source, url)
    settings = ProviderSettings.resolve(Config(raw, project_name="p"))
    with settings.client() as client, pytest.raises(KontentUnreachableError) as caught:
        client.collections.list()
    message = str(explain(caught.value, "list collections", base_url_from=settings.base_url_from))
    assert f"nothing answers at {url}" in message
    where = source if source.startswith("kontent:") else f"the environment variable {source}"
    assert f"fix: check the address set by {where}" in message
    assert "run `pulumi up` again" in message
