"""Admin API: auth, counters, reset, seed, state."""

from __future__ import annotations

import httpx

from kontent_resources.emulator import EmulatorServer

from .emulator_helpers import assert_error, create_asset


def test_admin_requires_the_key(emu: EmulatorServer) -> None:
    assert_error(httpx.get(f"{emu.root_url}/_emulator/counters"), 401)
    assert_error(httpx.post(f"{emu.root_url}/_emulator/reset", headers={"Authorization": "Bearer nope"}), 401)
    assert httpx.get(f"{emu.root_url}/_emulator/health").json()["status"] == "ok"


def test_counters_use_route_templates(emu: EmulatorServer, client: httpx.Client) -> None:
    create_asset(client, "a")
    client.get("/assets")
    client.get("/assets/external-id/a")
    client.get("/assets/external-id/missing")
    client.delete("/folders")
    counters = emu.counters()
    assert counters["total"] == 6
    assert counters["by_endpoint"] == {
        "POST /files/{file_name}": 1,
        "PUT /assets/{ref}": 1,
        "GET /assets": 1,
        "GET /assets/{ref}": 2,
        "DELETE /folders": 1,
    }
    assert counters["by_status"] == {"200": 3, "201": 1, "404": 1, "405": 1}
    emu.reset_counters()
    assert emu.counters() == {
        "total": 0,
        "by_endpoint": {},
        "by_status": {},
        "rate_limited": 0,
        "faults_injected": 0,
    }


def test_reset_returns_to_seed(emu: EmulatorServer, client: httpx.Client) -> None:
    asset = create_asset(client, "temp")
    client.post("/folders", json={"folders": [{"name": "Temp"}]})
    client.put(
        "/items/codename/home/variants/codename/en-US",
        json={"elements": [{"element": {"codename": "title"}, "value": "X"}]},
    )
    emu.reset()
    assert client.get("/assets").json()["assets"] == []
    assert client.get("/folders").json()["folders"] == []
    assert httpx.get(asset["url"]).status_code == 404
    variant = client.get("/items/codename/home/variants/codename/en-US").json()
    assert "Home" in [e["value"] for e in variant["elements"]]


def test_seed_adds_content(emu: EmulatorServer, client: httpx.Client) -> None:
    payload = {
        "languages": [{"codename": "de-DE", "name": "German", "fallback_language": "en-US"}],
        "collections": [{"codename": "marketing", "name": "Marketing"}],
        "types": [{"codename": "gallery", "name": "Gallery",
                   "elements": [{"codename": "images", "name": "Images", "type": "asset"}]}],
        "items": [{"codename": "summer", "name": "Summer", "type": "gallery", "collection": "marketing",
                   "variants": {"de-DE": {"elements": {"images": []}, "workflow_step": "published"}}}],
    }  # fmt: skip
    created = emu.seed_content(payload)["created"]
    assert set(created["items"]) == {"summer"}
    assert client.get("/languages/codename/de-DE").status_code == 200
    variant = client.get("/items/codename/summer/variants/codename/de-DE").json()
    assert variant["workflow_step"]["id"] == "c199950d-99f0-4983-b711-6c4c91624b22"
    again = httpx.post(f"{emu.root_url}/_emulator/seed", json=payload, headers=emu.auth_headers)
    assert_error(again, 400)


def test_state_dump(emu: EmulatorServer, client: httpx.Client) -> None:
    create_asset(client, "s")
    state = emu.state()
    assert state["environment_id"] == emu.environment_id
    assert state["counts"]["asset"] == 1
    assert state["counts"]["item"] == 3
