"""A read-only key: reads pass, writes answer 403 with the API's error object."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from kontent_resources.emulator import EmulatorServer


@pytest.fixture
def restricted() -> Iterator[EmulatorServer]:
    with EmulatorServer(rate_limit=False, read_only_key="reader-key") as server:
        yield server


def test_read_only_key_reads_but_cannot_write(restricted: EmulatorServer) -> None:
    headers = {"Authorization": "Bearer reader-key"}
    with httpx.Client(base_url=restricted.project_url, headers=headers, timeout=10) as http:
        assert http.get("/languages").status_code == 200
        denied = http.post("/files/a.txt", content=b"a", headers={"Content-Type": "text/plain"})
        assert denied.status_code == 403
        body = denied.json()
        assert "permission" in body["message"]
        assert set(body) >= {"request_id", "error_code", "message"}
        assert restricted.counters()["by_endpoint"].get("POST /files/{file_name}") == 1


def test_full_key_still_writes(restricted: EmulatorServer) -> None:
    with restricted.client() as http:
        response = http.post("/files/a.txt", content=b"a", headers={"Content-Type": "text/plain"})
        assert response.status_code == 200
