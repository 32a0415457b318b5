"""Turns client errors into messages a Pulumi user can act on: what failed, why, and the fix.

The engine prefixes every message with the resource's type and name, so these texts name the
operation, the property involved and what to change.
"""

from __future__ import annotations

from kontent_resources.client import (
    KontentAuthenticationError,
    KontentError,
    KontentNotFoundError,
    KontentPermissionError,
    KontentRateLimitError,
    KontentServerError,
    KontentTransportError,
)


class KontentResourceError(Exception):
    """A provider operation failed; the message is complete and safe to show (no API key)."""


def explain(error: KontentError, action: str) -> KontentResourceError:
    """``action`` is e.g. "create asset 'Logo'"; the result says what to do about ``error``."""
    hint = _hint(error)
    text = f"Could not {action}: {error}"
    return KontentResourceError(f"{text}\n  fix: {hint}" if hint else text)


def _hint(error: KontentError) -> str | None:
    if isinstance(error, KontentAuthenticationError):
        return (
            "the API key was rejected (401). Set a valid Management API key with "
            "`pulumi config set kontent:apiKey <key> --secret`."
        )
    if isinstance(error, KontentPermissionError):
        return (
            "the API key lacks a permission for this operation (403). Give the key access to "
            "this environment and to assets/content, or use another key."
        )
    if isinstance(error, KontentRateLimitError):
        return "the API kept answering 429 after every retry; run again later or lower --parallel."
    if isinstance(error, KontentServerError | KontentTransportError):
        return "the API was unavailable after every retry; run `pulumi up` again: creates are idempotent."
    if isinstance(error, KontentNotFoundError) and "/projects/" not in (error.path or "/projects/"):
        return "check kontent:environmentId: the environment was not found."
    return None
