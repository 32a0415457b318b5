"""Turns client errors into messages a Pulumi user can act on: what failed, why, and the fix.

The engine prefixes every message with the resource's type and name, so these texts name the
operation, the property involved and what to change.
"""

from __future__ import annotations

from kontent_resources.client import (
    KontentAuthenticationError,
    KontentBadRequestError,
    KontentError,
    KontentNotFoundError,
    KontentPermissionError,
    KontentRateLimitError,
    KontentRequestNotSentError,
    KontentServerError,
    KontentTransportError,
    KontentUnreachableError,
    KontentUploadSourceError,
)


class KontentResourceError(Exception):
    """A provider operation failed; the message is complete and safe to show (no API key)."""


def explain(
    error: KontentError,
    action: str,
    bad_request_fix: str | None = None,
    *,
    base_url_from: str = "kontent:baseUrl",
) -> KontentResourceError:
    """``action`` is e.g. "create asset 'Logo'"; the result says what to do about ``error``.

    ``bad_request_fix`` is the operation's own advice for a refused (400) request, such as
    "the asset is still used in content". ``base_url_from`` names where the API address was set
    (a config key, an environment variable or the default), for an address nothing answers at.
    """
    refused = isinstance(error, KontentBadRequestError) and bad_request_fix is not None
    if isinstance(error, KontentUnreachableError):
        hint: str | None = _unreachable_hint(base_url_from)
    else:
        hint = bad_request_fix if refused else _hint(error)
    text = f"Could not {action}: {error}"
    return KontentResourceError(f"{text}\n  fix: {hint}" if hint else text)


def _hint(error: KontentError) -> str | None:
    if isinstance(error, KontentAuthenticationError):
        return (
            "the API key was rejected (401). Set a valid Management API key with "
            "`pulumi config set --secret kontent:apiKey` (it asks for the value; or pipe it in). "
            "`pulumi refresh` and `pulumi destroy` use the key recorded by the last `pulumi up` unless "
            "they run the program: after rotating the key, add --run-program (or set "
            "PULUMI_RUN_PROGRAM=true) so they use the key configured now."
        )
    if isinstance(error, KontentPermissionError):
        return (
            "the API key lacks a permission for this operation (403). Give the key's user a role "
            "that may manage assets and content in this environment (or regenerate a revoked key), "
            "or use another key."
        )
    if isinstance(error, KontentRateLimitError):
        return _rate_limit_hint(error)
    if isinstance(error, KontentUploadSourceError):
        return "the file changed while `pulumi up` ran; run it again to upload the file as it is now."
    if isinstance(error, KontentRequestNotSentError):
        return _not_sent_hint(error)
    if isinstance(error, KontentServerError | KontentTransportError):
        return "the API was unavailable after every retry; run `pulumi up` again: creates are idempotent."
    if isinstance(error, KontentNotFoundError):
        return _not_found_hint(error)
    return None


def _unreachable_hint(base_url_from: str) -> str:
    if base_url_from.startswith("the default"):
        where = f"the API address is {base_url_from}: check this machine's network, DNS and proxy"
    elif base_url_from.startswith("kontent:"):
        where = f"check the address set by {base_url_from} (`pulumi config get {base_url_from}`)"
    else:
        where = f"check the address set by the environment variable {base_url_from}"
    return (
        f"{where}. The Kontent.ai Management API is https://manage.kontent.ai/v2; a local emulator "
        "must be running at the address given. Then run `pulumi up` again."
    )


def _rate_limit_hint(error: KontentRateLimitError) -> str:
    if error.retry_after is not None and error.retries_stopped_by == "deadline":
        return (
            f"the API asked to wait {error.retry_after:.0f} s before the next request (Retry-After), longer "
            "than one request may take; run again later, or raise kontent:requestTimeoutSeconds."
        )
    return (
        "the API kept answering 429 (rate limited): another process may be using the same environment's "
        "budget. Run again later, or lower kontent:maxRequestsPerSecond / --parallel."
    )


def _not_sent_hint(error: KontentRequestNotSentError) -> str:
    if error.reason == "certificate_rejected":
        return (
            "the server's TLS certificate could not be verified (verification cannot be turned off). "
            "Check kontent:baseUrl; if the API is behind a private CA, set SSL_CERT_FILE to its "
            "certificate (PEM) in the environment of `pulumi`."
        )
    if error.reason == "not_tls":
        return (
            "kontent:baseUrl starts with https://, but the server at that address answers plain HTTP. "
            "Use http:// for a local emulator (allowed to loopback only), or the API's https:// address."
        )
    return (
        "the request could not be sent as HTTP: a header built from this resource's inputs contains a "
        "line break or a control character (check content_type and file_name)."
    )


def _not_found_hint(error: KontentNotFoundError) -> str:
    # Every request path contains /projects/{environment id}, so only the answer can tell a
    # missing environment ("The requested environment '…' was not found.") from a missing object.
    text = error.message.lower()
    if "environment" in text or "project" in text:
        return (
            "the environment was not found: check kontent:environmentId (Environment settings → "
            "Environment ID in Kontent.ai), or KONTENT_ENVIRONMENT_ID."
        )
    return (
        "the referenced object does not exist in this environment: check the id, 'codename/<x>' or "
        "'external-id/<x>' given for it (they are case-sensitive)."
    )
