"""Rate limits: on by default (10/s, 400/min per environment), 429 with Retry-After, configurable."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from kontent_resources.emulator import EmulatorServer

from .emulator_helpers import assert_error


@pytest.fixture
def limited() -> Iterator[EmulatorServer]:
    with EmulatorServer() as server:  # default settings: limits on
        yield server


def test_defaults_are_the_real_limits(limited: EmulatorServer) -> None:
    assert limited.get_rate_limit() == {"enabled": True, "per_second": 10, "per_minute": 400}


def test_more_than_10_per_second_gets_429_with_retry_after(limited: EmulatorServer) -> None:
    with limited.client() as client:
        statuses = [client.get("/languages") for _ in range(15)]
    codes = [r.status_code for r in statuses]
    assert codes[:10] == [200] * 10
    assert 429 in codes[10:]
    rejected = next(r for r in statuses if r.status_code == 429)
    assert_error(rejected, 429, 10000)
    retry_after = int(rejected.headers["Retry-After"])
    assert retry_after == 1
    time.sleep(retry_after)
    with limited.client() as client:
        assert client.get("/languages").status_code == 200
    assert limited.counters()["rate_limited"] == codes.count(429)


def test_per_minute_limit(limited: EmulatorServer) -> None:
    limited.set_rate_limit(per_second=100, per_minute=5)
    with limited.client() as client:
        codes = [client.get("/languages").status_code for _ in range(5)]
        rejected = client.get("/languages")
    assert codes == [200] * 5
    assert_error(rejected, 429, 10000)
    assert 50 <= int(rejected.headers["Retry-After"]) <= 60


def test_admin_api_is_not_limited_nor_counted(limited: EmulatorServer) -> None:
    limited.set_rate_limit(per_second=1, per_minute=1)
    for _ in range(20):
        limited.counters()
    assert limited.counters()["total"] == 0


def test_limits_can_be_switched_off(limited: EmulatorServer) -> None:
    limited.set_rate_limit(enabled=False)
    with limited.client() as client:
        assert {client.get("/languages").status_code for _ in range(30)} == {200}


def test_unauthorized_requests_do_not_consume_the_budget(limited: EmulatorServer) -> None:
    limited.set_rate_limit(per_second=100, per_minute=3)
    for _ in range(5):
        assert httpx.get(f"{limited.project_url}/languages").status_code == 401
    with limited.client() as client:
        assert [client.get("/languages").status_code for _ in range(3)] == [200] * 3
