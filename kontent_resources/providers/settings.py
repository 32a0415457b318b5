"""Where the providers find the environment, key and API address: stack config, then env vars."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Protocol

from kontent_resources.api_limits import MAX_FILE_SIZE
from kontent_resources.client import DEFAULT_BASE_URL, DEFAULT_RATE_LIMIT, RateLimit, check_base_url

_KEYS = {
    "environment_id": ("kontent:environmentId", "KONTENT_ENVIRONMENT_ID"),
    "api_key": ("kontent:apiKey", "KONTENT_API_KEY"),
    "base_url": ("kontent:baseUrl", "KONTENT_BASE_URL"),
    "per_second": ("kontent:maxRequestsPerSecond", "KONTENT_MAX_REQUESTS_PER_SECOND"),
    "per_minute": ("kontent:maxRequestsPerMinute", "KONTENT_MAX_REQUESTS_PER_MINUTE"),
    "max_file_size": ("kontent:maxFileSizeBytes", "KONTENT_MAX_FILE_SIZE_BYTES"),
}


class ConfigSource(Protocol):
    def get(self, key: str) -> Any: ...


class SettingsError(ValueError):
    """The stack's Kontent.ai configuration is missing or unusable; says which key to set."""


@dataclass(frozen=True)
class ProviderSettings:
    """The resolved configuration; ``repr`` never shows the key."""

    environment_id: str
    base_url: str
    api_key: str = field(repr=False)
    # The API's own limits by default; 0 switches client-side limiting off (e.g. for an
    # emulator running without limits).
    rate_limit: RateLimit = DEFAULT_RATE_LIMIT
    # The documented 100 MB unless the environment has another limit (kontent:maxFileSizeBytes).
    max_file_size: int = MAX_FILE_SIZE

    @classmethod
    def resolve(cls, config: ConfigSource | None) -> ProviderSettings:
        values = {name: _lookup(config, *keys) for name, keys in _KEYS.items()}
        base_url = (values["base_url"] or DEFAULT_BASE_URL).rstrip("/")
        _require(values["environment_id"], "environment_id")
        _require(values["api_key"], "api_key")
        _check_base_url(base_url)
        environment_id, api_key = str(values["environment_id"]), str(values["api_key"])
        limit = _rate_limit(values["per_second"], values["per_minute"])
        max_size = _max_file_size(values["max_file_size"])
        return cls(
            environment_id=environment_id,
            base_url=base_url,
            api_key=api_key,
            rate_limit=limit,
            max_file_size=max_size,
        )


def _lookup(config: ConfigSource | None, config_key: str, env_var: str) -> str | None:
    value = config.get(config_key) if config is not None else None
    if value in (None, ""):
        value = os.environ.get(env_var)
    return str(value) if value not in (None, "") else None


def _rate_limit(per_second: str | None, per_minute: str | None) -> RateLimit:
    default = DEFAULT_RATE_LIMIT
    try:
        second = int(per_second) if per_second is not None else default.per_second
        minute = int(per_minute) if per_minute is not None else default.per_minute
    except ValueError:
        raise SettingsError(
            "kontent:maxRequestsPerSecond and kontent:maxRequestsPerMinute must be whole numbers "
            "(0 switches client-side rate limiting off)."
        ) from None
    if second <= 0 or minute <= 0:
        return RateLimit(enabled=False)
    return RateLimit(per_second=second, per_minute=minute)


def _max_file_size(value: str | None) -> int:
    if value is None or not str(value).strip():
        return MAX_FILE_SIZE
    try:
        size = int(str(value).strip())
    except ValueError:
        size = 0
    if size <= 0:
        raise SettingsError(
            f"kontent:maxFileSizeBytes must be a positive whole number of bytes, not {value!r}; leave it "
            f"unset for the API's documented {MAX_FILE_SIZE:,} bytes (100 MB)."
        )
    return size


def _require(value: str | None, name: str) -> None:
    if value is None:
        config_key, env_var = _KEYS[name]
        secret = " --secret" if name == "api_key" else ""
        raise SettingsError(
            f"Kontent.ai {name.replace('_', ' ')} is not configured: run "
            f"`pulumi config set {config_key} <value>{secret}` or set {env_var}."
        )


def _check_base_url(base_url: str) -> None:
    try:
        check_base_url(base_url)
    except ValueError as error:
        raise SettingsError(f"kontent:baseUrl is refused: {error}") from None
