"""Cross-cutting HTTP behaviour: auth, environments, unknown routes and methods, the error object."""

from __future__ import annotations

import httpx
import pytest

from kontent_resources.emulator import EmulatorServer

from .emulator_helpers import assert_error


def test_missing_key_is_401(emu: EmulatorServer) -> None:
    response = httpx.get(f"{emu.project_url}/assets")
    body = assert_error(response, 401)
    assert emu.api_key not in body["message"]


@pytest.mark.parametrize("header", ["Bearer wrong-key", "Basic abc", "Bearer", "kontent-emulator-dev-key"])
def test_bad_authorization_is_401(emu: EmulatorServer, header: str) -> None:
    assert_error(httpx.get(f"{emu.project_url}/assets", headers={"Authorization": header}), 401)


@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "Bearer", "bEaReR"])
def test_auth_scheme_is_case_insensitive(emu: EmulatorServer, scheme: str) -> None:
    response = httpx.get(f"{emu.project_url}/languages", headers={"Authorization": f"{scheme} {emu.api_key}"})
    assert response.status_code == 200


def test_unknown_environment_is_404_with_error_object(emu: EmulatorServer) -> None:
    other = "22222222-2222-4222-8222-222222222222"
    response = httpx.get(f"{emu.base_url}/projects/{other}/assets", headers=emu.auth_headers)
    body = assert_error(response, 404)
    assert other in body["message"]


def test_environment_id_is_case_insensitive(emu: EmulatorServer) -> None:
    url = f"{emu.base_url}/projects/{emu.environment_id.upper()}/languages"
    assert httpx.get(url, headers=emu.auth_headers).status_code == 200


def test_unknown_route_is_404(client: httpx.Client) -> None:
    assert_error(client.get("/no-such-endpoint"), 404)


def test_wrong_method_is_405_with_allow(client: httpx.Client) -> None:
    response = client.delete("/folders")
    assert_error(response, 405)
    assert "PATCH" in response.headers["allow"]


def test_malformed_json_is_400_with_code_5(client: httpx.Client) -> None:
    response = client.post("/assets", content=b"{not json", headers={"Content-Type": "application/json"})
    body = assert_error(response, 400, 5)
    assert body["validation_errors"]


def test_validation_error_has_path(client: httpx.Client) -> None:
    response = client.post("/assets", json={"file_reference": {"id": 5}})
    body = assert_error(response, 400, 5)
    assert any(error.get("path") == "file_reference.id" for error in body["validation_errors"])


def test_every_error_has_a_fresh_request_id(client: httpx.Client) -> None:
    first = client.get("/assets/external-id/nope").json()["request_id"]
    second = client.get("/assets/external-id/nope").json()["request_id"]
    assert first != second
