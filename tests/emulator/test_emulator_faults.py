"""Fault injection: 429/5xx shares, latency, dropped connections, filters and expiry."""

from __future__ import annotations

import time

import httpx
import pytest

from kontent_resources.emulator import EmulatorServer

from .emulator_helpers import assert_error


def test_429_fault_with_count(emu: EmulatorServer, client: httpx.Client) -> None:
    emu.add_fault(status=429, retry_after=3, count=2)
    first, second, third = (client.get("/languages") for _ in range(3))
    for response in (first, second):
        assert_error(response, 429, 10000)
        assert response.headers["Retry-After"] == "3"
    assert third.status_code == 200
    assert emu.counters()["faults_injected"] == 2


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_fault(emu: EmulatorServer, client: httpx.Client, status: int) -> None:
    emu.add_fault(status=status, count=1)
    assert_error(client.get("/assets"), status)
    assert client.get("/assets").status_code == 200


def test_share_of_requests(emu: EmulatorServer, client: httpx.Client) -> None:
    emu.add_fault(status=503, rate=0.3)
    codes = [client.get("/languages").status_code for _ in range(300)]
    share = codes.count(503) / len(codes)
    assert 0.18 < share < 0.42
    assert set(codes) == {200, 503}


def test_latency_fault(emu: EmulatorServer, client: httpx.Client) -> None:
    emu.add_fault(latency_ms=300, count=1)
    started = time.perf_counter()
    assert client.get("/languages").status_code == 200
    assert time.perf_counter() - started >= 0.3
    started = time.perf_counter()
    client.get("/languages")
    assert time.perf_counter() - started < 0.3


def test_dropped_connection_is_a_transport_error(emu: EmulatorServer, client: httpx.Client) -> None:
    emu.add_fault(drop_connection=True, count=1)
    with pytest.raises(httpx.TransportError):
        client.get("/languages")
    assert client.get("/languages").status_code == 200
    assert emu.counters()["by_status"].get("dropped") == 1


def test_dropped_upload_connection(emu: EmulatorServer, client: httpx.Client) -> None:
    emu.add_fault(drop_connection=True, methods=["POST"], path_contains="/files/", count=1)
    with pytest.raises(httpx.TransportError):
        client.post(
            "/files/a.bin", content=b"x" * 200_000, headers={"Content-Type": "application/octet-stream"}
        )


def test_path_and_method_filters(emu: EmulatorServer, client: httpx.Client) -> None:
    emu.add_fault(status=500, path_contains="/assets", methods=["put"])
    assert client.get("/assets").status_code == 200
    assert client.get("/languages").status_code == 200
    assert_error(client.put("/assets/external-id/x", json={"title": "t"}), 500)


def test_duration_expiry_and_clear(emu: EmulatorServer, client: httpx.Client) -> None:
    emu.add_fault(status=502, duration_s=0.3)
    assert client.get("/languages").status_code == 502
    time.sleep(0.35)
    assert client.get("/languages").status_code == 200
    fault = emu.add_fault(status=500)
    assert [f["id"] for f in emu.faults()] == [fault["id"]]
    emu.clear_faults()
    assert client.get("/languages").status_code == 200
    assert emu.faults() == []


def test_invalid_fault_is_400(emu: EmulatorServer) -> None:
    for spec in ({"status": 404}, {"rate": 0.5}, {"status": 500, "rate": 2}):
        response = httpx.post(f"{emu.root_url}/_emulator/faults", json=spec, headers=emu.auth_headers)
        assert_error(response, 400, 5)


def test_faults_spare_admin_and_downloads(emu: EmulatorServer, client: httpx.Client) -> None:
    emu.add_fault(status=503)
    assert emu.counters()["total"] == 0  # admin still works
    emu.clear_faults()
