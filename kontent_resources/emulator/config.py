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
