"""A client of the emulator's admin API (``/_emulator/…``), shared by ``EmulatorServer`` and
``EmulatorProcess``: reset, seed, faults, counters, rate limit, settings, state."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any, Self

import httpx

_ADMIN_CLIENT_LOCK = threading.Lock()


class AdminApi:
    """Admin API and convenience helpers shared by ``EmulatorServer`` and ``EmulatorProcess``."""

    root_url: str
    environment_id: str
    api_key: str

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/v2"

    @property
    def project_url(self) -> str:
        return f"{self.base_url}/projects/{self.environment_id}"

    @property
    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}

    def client(self, **kwargs: Any) -> httpx.Client:
        """An httpx client for the Management API of this emulator (base URL = ``project_url``)."""
        kwargs.setdefault("timeout", 30.0)
        return httpx.Client(base_url=self.project_url, headers=self.auth_headers, **kwargs)

    def admin(self, method: str, path: str, json: Any = None) -> httpx.Response:
        """Call ``/_emulator{path}``; raises ``httpx.HTTPStatusError`` on an error status."""
        response = self._admin_http().request(
            method, f"{self.root_url}/_emulator{path}", json=json, headers=self.auth_headers
        )
        response.raise_for_status()
        return response

    def _admin_http(self) -> httpx.Client:
        # One pooled client for every admin call: a new one per call costs a connection set-up
        # (and, on a busy machine, a quarter of a second) each time.
        with _ADMIN_CLIENT_LOCK:
            http: httpx.Client | None = self.__dict__.get("_admin_client")
            if http is None:
                http = self.__dict__["_admin_client"] = httpx.Client(timeout=30.0)
            return http

    def close_admin_client(self) -> None:
        with _ADMIN_CLIENT_LOCK:
            http: httpx.Client | None = self.__dict__.pop("_admin_client", None)
        if http is not None:
            http.close()

    def reset(self) -> None:
        self.admin("POST", "/reset")

    def seed_content(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Add content (``/_emulator/seed``): languages, types, items … as the payload lists them."""
        result: dict[str, Any] = self.admin("POST", "/seed", payload).json()
        return result

    def add_fault(self, **spec: Any) -> dict[str, Any]:
        fault: dict[str, Any] = self.admin("POST", "/faults", spec).json()
        return fault

    def faults(self) -> list[dict[str, Any]]:
        listed: list[dict[str, Any]] = self.admin("GET", "/faults").json()["faults"]
        return listed

    def remove_fault(self, fault_id: str) -> None:
        self.admin("DELETE", f"/faults/{fault_id}")

    def clear_faults(self) -> None:
        self.admin("DELETE", "/faults")

    def counters(self) -> dict[str, Any]:
        counters: dict[str, Any] = self.admin("GET", "/counters").json()
        return counters

    def reset_counters(self) -> None:
        self.admin("DELETE", "/counters")

    def get_rate_limit(self) -> dict[str, Any]:
        settings: dict[str, Any] = self.admin("GET", "/rate-limit").json()
        return settings

    def set_rate_limit(
        self, enabled: bool | None = None, per_second: int | None = None, per_minute: int | None = None
    ) -> dict[str, Any]:
        """Change the given fields of the rate limit (the windows restart)."""
        fields = (("enabled", enabled), ("per_second", per_second), ("per_minute", per_minute))
        settings: dict[str, Any] = self.admin(
            "PUT", "/rate-limit", {k: v for k, v in fields if v is not None}
        ).json()
        return settings

    def set_page_size(self, page_size: int) -> None:
        self.admin("PUT", "/settings", {"page_size": page_size})

    def rotate_api_key(self, new_key: str) -> None:
        """Accept ``new_key`` from now on; the current key is revoked (answers 401)."""
        self.admin("PUT", "/settings", {"api_key": new_key})
        self.api_key = new_key  # admin calls send the key per request

    def state(self) -> dict[str, Any]:
        dump: dict[str, Any] = self.admin("GET", "/state").json()
        return dump


class Lifecycle(AdminApi):
    """Start and stop, also as a context manager."""

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> int | None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
        self.close_admin_client()
