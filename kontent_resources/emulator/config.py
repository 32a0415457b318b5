"""Emulator settings: one immutable-ish object shared by the app, the CLI and the test helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kontent_resources.api_limits import MAX_FILE_SIZE

#: Environment id the emulator serves unless told otherwise (``--environment-id``).
DEFAULT_ENVIRONMENT_ID = "11111111-1111-4111-8111-111111111111"
#: API key the emulator accepts unless told otherwise (``--api-key``). Never a real key.
DEFAULT_API_KEY = "kontent-emulator-dev-key"
#: The real Management API limits (10 requests/s and 400 requests/min per environment).
DEFAULT_PER_SECOND = 10
DEFAULT_PER_MINUTE = 400
#: Items per page of every paginated list endpoint.
DEFAULT_PAGE_SIZE = 50
#: "Maximum size limit for binary files is 100 MB." (Upload a binary file)
DEFAULT_MAX_FILE_SIZE = MAX_FILE_SIZE
#: Upper bound for JSON request bodies, so that a bad client cannot exhaust memory.
MAX_JSON_BODY = 16 * 1024**2


@dataclass
class RateLimitSettings:
    """Mutable at runtime through the admin API, hence a separate object."""

    enabled: bool = True
    per_second: int = DEFAULT_PER_SECOND
    per_minute: int = DEFAULT_PER_MINUTE


@dataclass
class EmulatorConfig:
    data_dir: Path
    environment_id: str = DEFAULT_ENVIRONMENT_ID
    api_key: str = DEFAULT_API_KEY
    #: A second key that may only read: writes answer 403, like a key whose role lacks a permission.
    read_only_key: str | None = None
    rate_limit: RateLimitSettings = field(default_factory=RateLimitSettings)
    page_size: int = DEFAULT_PAGE_SIZE
    seed: bool = True
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    #: ``http://host:port`` the asset URLs point at; derived from the request when unset.
    public_root: str | None = None


@dataclass(kw_only=True, eq=False)
class EmulatorOptions:
    """How an emulator is started: the keyword arguments of both launchers (``EmulatorServer``,
    ``EmulatorProcess``), the destinations of the CLI's flags, and so the app's settings."""

    host: str = "127.0.0.1"
    port: int = 0
    """0 picks a free port; a started launcher holds the one it bound."""
    data_dir: Path | None = None
    """The state directory; ``None``: a temporary one, removed when the emulator stops."""
    environment_id: str = DEFAULT_ENVIRONMENT_ID
    api_key: str = field(default=DEFAULT_API_KEY, repr=False)
    read_only_key: str | None = field(default=None, repr=False)
    rate_limit: bool = True
    per_second: int = DEFAULT_PER_SECOND
    per_minute: int = DEFAULT_PER_MINUTE
    page_size: int = DEFAULT_PAGE_SIZE
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    seed: bool = True
    log_level: str = "warning"

    def config(self, data_dir: Path, public_root: str | None) -> EmulatorConfig:
        """The app's settings for these options, serving from ``data_dir`` at ``public_root``."""
        limits = RateLimitSettings(
            enabled=self.rate_limit, per_second=self.per_second, per_minute=self.per_minute
        )
        return EmulatorConfig(
            data_dir=data_dir,
            environment_id=self.environment_id,
            api_key=self.api_key,
            read_only_key=self.read_only_key,
            rate_limit=limits,
            page_size=self.page_size,
            max_file_size=self.max_file_size,
            seed=self.seed,
            public_root=public_root,
        )

    def command_line(self) -> list[str]:
        """The flags of ``python -m kontent_resources.emulator`` that start it with these options."""
        flags = ["--host", self.host, "--port", str(self.port)]
        flags += ["--environment-id", self.environment_id, "--api-key", self.api_key]
        flags += ["--rate-limit-per-second", str(self.per_second)]
        flags += ["--rate-limit-per-minute", str(self.per_minute)]
        flags += ["--page-size", str(self.page_size), "--max-file-size", str(self.max_file_size)]
        flags += ["--log-level", self.log_level]
        if self.data_dir is not None:
            flags += ["--data-dir", str(self.data_dir)]
        if self.read_only_key is not None:
            flags += ["--read-only-key", self.read_only_key]
        if not self.rate_limit:
            flags.append("--no-rate-limit")
        if not self.seed:
            flags.append("--no-seed")
        return flags
