"""Where the providers find the environment, key and API address: stack config, then env vars."""

from __future__ import annotations

import difflib
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from kontent_resources.api_limits import MAX_FILE_SIZE
from kontent_resources.client import KontentClient, RateLimit
from kontent_resources.client.client import (
    DEFAULT_BASE_URL,
    DEFAULT_RATE_LIMIT,
    DEFAULT_RETRY,
    check_api_key,
    check_base_url,
    check_environment_id,
)

_KEYS = {
    "environment_id": ("kontent:environmentId", "KONTENT_ENVIRONMENT_ID"),
    "api_key": ("kontent:apiKey", "KONTENT_API_KEY"),
    "base_url": ("kontent:baseUrl", "KONTENT_BASE_URL"),
    "per_second": ("kontent:maxRequestsPerSecond", "KONTENT_MAX_REQUESTS_PER_SECOND"),
    "per_minute": ("kontent:maxRequestsPerMinute", "KONTENT_MAX_REQUESTS_PER_MINUTE"),
    "max_file_size": ("kontent:maxFileSizeBytes", "KONTENT_MAX_FILE_SIZE_BYTES"),
    "request_timeout": ("kontent:requestTimeoutSeconds", "KONTENT_REQUEST_TIMEOUT_SECONDS"),
    "alt_text": ("kontent:altText", "KONTENT_ALT_TEXT"),
    "delete_in_use": ("kontent:deleteInUse", "KONTENT_DELETE_IN_USE"),
}
# What ``check`` does about an image without alt text in an active language (providers/alt_text.py).
ALT_TEXT_MODES = ("off", "warn", "error")
DEFAULT_ALT_TEXT = "warn"
# What a run does with an asset it would delete while content uses it (providers/usage.py):
# fail (the preview, or the delete before its write) or keep it in Kontent.ai, out of the stack.
DELETE_IN_USE_MODES = ("fail", "keep")
DEFAULT_DELETE_IN_USE = "fail"
_NAMESPACE = "kontent:"


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
    # The most one API request may take, retries and waits included (kontent:requestTimeoutSeconds).
    request_timeout: float = DEFAULT_RETRY.deadline
    # Where base_url came from, for an error about the address: the config key, the environment
    # variable, or the default. Not part of the identity: the same address is the same environment.
    base_url_from: str = field(default="the default", compare=False)
    # off | warn | error (kontent:altText). Not part of the identity either: same environment.
    alt_text: str = field(default=DEFAULT_ALT_TEXT, compare=False)
    # fail | keep (kontent:deleteInUse). Not part of the identity either.
    delete_in_use: str = field(default=DEFAULT_DELETE_IN_USE, compare=False)

    def client(self) -> KontentClient:
        retry = replace(DEFAULT_RETRY, deadline=self.request_timeout)
        return KontentClient(
            self.environment_id, self.api_key, self.base_url, rate_limit=self.rate_limit, retry=retry
        )

    @classmethod
    def resolve(cls, config: ConfigSource | None) -> ProviderSettings:
        _refuse_unknown_keys(config)
        values = {name: _lookup(config, *keys) for name, keys in _KEYS.items()}
        base_url = (values["base_url"] or DEFAULT_BASE_URL).rstrip("/")
        _require(values["environment_id"], "environment_id")
        _require(values["api_key"], "api_key")
        _check_base_url(base_url)
        environment_id, api_key = str(values["environment_id"]), str(values["api_key"])
        _check_identity(environment_id, api_key)
        return cls(
            environment_id=environment_id,
            base_url=base_url,
            api_key=api_key,
            rate_limit=_rate_limit(values["per_second"], values["per_minute"]),
            max_file_size=_max_file_size(values["max_file_size"]),
            request_timeout=_request_timeout(values["request_timeout"]),
            base_url_from=_source(config, *_KEYS["base_url"]),
            alt_text=_alt_text(values["alt_text"]),
            delete_in_use=_delete_in_use(values["delete_in_use"]),
        )


def _lookup(config: ConfigSource | None, config_key: str, env_var: str) -> str | None:
    value = config.get(config_key) if config is not None else None
    if value in (None, ""):
        value = os.environ.get(env_var)
    return str(value) if value not in (None, "") else None


def _source(config: ConfigSource | None, config_key: str, env_var: str) -> str:
    if config is not None and config.get(config_key) not in (None, ""):
        return config_key
    if os.environ.get(env_var):
        return env_var
    return f"the default (neither {config_key} nor {env_var} is set)"


def _given_keys(config: ConfigSource | None) -> list[str]:
    """The config's keys in the kontent: namespace, where the config can list them.

    The dynamic provider's ``pulumi.dynamic.Config`` offers only ``get``: its keys are read from
    the mapping it wraps (tests build the SDK's own Config, so a change there fails them). When the
    project itself is called ``kontent``, its own keys share the namespace and none is judged.
    """
    raw = getattr(config, "_props", None)
    if not isinstance(raw, Mapping) or getattr(config, "_project_name", None) == "kontent":
        return []
    return sorted(key for key in raw if isinstance(key, str) and key.startswith(_NAMESPACE))


def _refuse_unknown_keys(config: ConfigSource | None) -> None:
    """A misspelt key would otherwise be reported as the real one missing, or silently ignored."""
    known = [config_key for config_key, _ in _KEYS.values()]
    unknown = [key for key in _given_keys(config) if key not in known]
    if not unknown:
        return
    lines = [_unknown_key(key, known) for key in unknown]
    listed = ", ".join(known)
    raise SettingsError("\n".join([*lines, f"The kontent: settings are {listed}."]))


def _unknown_key(key: str, known: list[str]) -> str:
    # Compared without the namespace, which every key shares and which would make anything "close".
    by_lower = {name.removeprefix(_NAMESPACE).lower(): name for name in known}
    given = key.removeprefix(_NAMESPACE).lower()
    close = difflib.get_close_matches(given, list(by_lower), n=1, cutoff=0.6)
    if not close:
        return f"{key} is not a kontent: setting: remove it with `pulumi config rm {key}`."
    meant = by_lower[close[0]]
    return (
        f"{key} is not a kontent: setting; did you mean {meant}? Run `pulumi config rm {key}`, then "
        f"{_set_command(meant)}."
    )


def _rate_limit(per_second: str | None, per_minute: str | None) -> RateLimit:
    default = DEFAULT_RATE_LIMIT
    try:
        second = int(per_second) if per_second is not None else default.per_second
        minute = int(per_minute) if per_minute is not None else default.per_minute
    except ValueError:
        second = minute = -1
    if second < 0 or minute < 0:
        raise SettingsError(
            "kontent:maxRequestsPerSecond and kontent:maxRequestsPerMinute must be whole numbers of 0 or "
            f"more, not {per_second!r} / {per_minute!r}: the API allows 10 per second and 400 per minute "
            "(the defaults), and 0 switches client-side rate limiting off (for an emulator without limits)."
        )
    if second == 0 or minute == 0:
        return RateLimit(enabled=False)
    return RateLimit(per_second=second, per_minute=minute)


def _request_timeout(value: str | None) -> float:
    if value is None:
        return DEFAULT_RETRY.deadline
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise SettingsError(
            f"kontent:requestTimeoutSeconds must be a positive number of seconds, not {value!r}; leave it "
            f"unset for {DEFAULT_RETRY.deadline:.0f} s (one request's attempts and waits together)."
        )
    return seconds


def _alt_text(value: str | None) -> str:
    return _one_of("kontent:altText", value, DEFAULT_ALT_TEXT, ALT_TEXT_MODES, _ALT_TEXT_REFUSAL)


_ALT_TEXT_REFUSAL = (
    "must be off, warn or error, not {value!r}: warn (the default) prints a warning for each image "
    "without alt text in an active language, error fails the preview, off checks nothing."
)


def _delete_in_use(value: str | None) -> str:
    return _one_of("kontent:deleteInUse", value, DEFAULT_DELETE_IN_USE, DELETE_IN_USE_MODES, _DELETE_REFUSAL)


_DELETE_REFUSAL = (
    "must be fail or keep, not {value!r}: fail (the default) stops a run that would delete an asset "
    "content still uses, keep leaves such an asset in Kontent.ai and removes it from the stack."
)


def _one_of(key: str, value: str | None, default: str, modes: Collection[str], refusal: str) -> str:
    """``value`` as one of ``modes`` (any case, spaces around it ignored), ``default`` when unset;
    else the SettingsError "``key`` ``refusal``" (``refusal`` may show ``{value!r}``)."""
    if value is None:
        return default
    mode = value.strip().lower()
    if mode not in modes:
        raise SettingsError(f"{key} {refusal.format(value=value)}")
    return mode


def _check_identity(environment_id: str, api_key: str) -> None:
    try:
        check_environment_id(environment_id)
    except ValueError:
        raise SettingsError(
            f"kontent:environmentId {environment_id!r} is not an environment id: copy it from Kontent.ai "
            "(Environment settings → Environment ID, a UUID) into `pulumi config set kontent:environmentId` "
            "or KONTENT_ENVIRONMENT_ID."
        ) from None
    try:
        check_api_key(api_key)
    except ValueError:
        raise SettingsError(  # the key itself is never shown
            "kontent:apiKey is not a usable key: it is empty or contains whitespace (a line break copied "
            "with it?). Set it again with `pulumi config set kontent:apiKey --secret` or KONTENT_API_KEY."
        ) from None


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
        raise SettingsError(
            f"Kontent.ai {name.replace('_', ' ')} is not configured: run {_set_command(config_key)} "
            f"or set {env_var}."
        )


def _set_command(config_key: str) -> str:
    # The key never goes on a command line (shell history, the process list): Pulumi asks for it.
    if config_key == _KEYS["api_key"][0]:
        return f"`pulumi config set --secret {config_key}` (it asks for the value; or pipe it in)"
    return f"`pulumi config set {config_key} <value>`"


def _check_base_url(base_url: str) -> None:
    try:
        check_base_url(base_url)
    except ValueError as error:
        raise SettingsError(f"kontent:baseUrl is refused: {error}") from None
