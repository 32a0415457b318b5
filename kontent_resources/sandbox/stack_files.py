"""What the project's ``Pulumi.<stack>.yaml`` says, read without the engine (no passphrase needed)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

API_KEY = "kontent:apiKey"


def _config(project: Path, stack: str) -> dict[str, Any]:
    stack_file = project / f"Pulumi.{stack}.yaml"
    if not stack_file.is_file():
        return {}
    settings = yaml.safe_load(stack_file.read_text()) or {}
    return dict(settings.get("config") or {})


def _is_secure(value: Any) -> bool:
    return isinstance(value, dict) and "secure" in value


def secret_config(project: Path, stack: str, key: str) -> bool:
    """True when ``key`` (``ns:name``, or ``name`` of the project's namespace) is a secret."""
    config = _config(project, stack)
    return any(_is_secure(value) for name, value in config.items() if key in (name, name.split(":", 1)[-1]))


def plaintext_api_key(project: Path, stack: str) -> bool:
    """True when the stack file holds ``kontent:apiKey`` in clear instead of as a ``secure:`` value."""
    value = _config(project, stack).get(API_KEY)
    return value is not None and not _is_secure(value)


def warn_about_plaintext_key(project: Path, stack: str) -> None:
    if plaintext_api_key(project, stack):
        print(
            f"warning: {API_KEY} is stored in plaintext in Pulumi.{stack}.yaml; "
            f"fix: set it again as a secret, the value from stdin: "
            f"`printenv KONTENT_API_KEY | python -m kontent_resources.sandbox config set --secret {API_KEY}`",
            file=sys.stderr,
        )
