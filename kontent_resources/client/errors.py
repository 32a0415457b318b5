"""Every failure the client raises, and the functions that map a response or a transport
failure to it.

Texts are built only from the method, the request path and the API's error body; the API key
is never part of them (and is scrubbed from the body in case a server echoes it).

Our exception hierarchy:

* KontentError
  + KontentClientError (4xx: fix the request; retrying it unchanged will not help)
    - KontentBadRequestError (400, 422)
      · KontentValidationError (400 with ``validation_errors``)
    - KontentAuthenticationError (401)
    - KontentPermissionError (403)
    - KontentNotFoundError (404)
    - KontentMethodNotAllowedError (405)
    - KontentConflictError (409)
    - KontentRateLimitError (429 after every retry)
  + KontentServerError (5xx after every retry)
  + KontentResponseError (a 2xx whose body is not what the API documents)
  + KontentTransportError (no HTTP answer)
    - KontentConnectionError (the connection could not be made or broke)
      · KontentUnreachableError (nothing has ever answered at the base URL)
      · DownloadError (an asset file's download; ``client.downloads``)
        · RefusedUrlError (an asset URL the download refuses to fetch)
    - KontentTimeoutError (a timeout, or a 408 answer)
    - KontentRequestNotSentError (cannot be sent as it is; see ``reason``)
  + KontentUploadSourceError (the local file changed while it was uploaded)

Every error carries ``method``, ``path``, and where there was an answer ``status``,
``error_code``, ``request_id`` and ``validation_errors``. Code tells failures apart by class and
by attribute, never by message text: ``retries_stopped_by`` says why retrying ended (a
:data:`~kontent_resources.client.retry.RetryStop`), ``retry_after`` the last wait a 429 asked
for, and ``KontentRequestNotSentError.reason`` why a request cannot be sent (a
:data:`NotSentReason`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any, Literal

import httpx
from pydantic import ValidationError as PydanticValidationError

from ..models.common import ErrorResponse, ValidationErrorItem
from .retry import RetryStop

_REDACTED = "***"
_MAX_BODY_TEXT = 500


class KontentError(Exception):
    """Base of every error raised by :class:`~kontent_resources.client.KontentClient`."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        error_code: int | None = None,
        request_id: str | None = None,
        validation_errors: Iterable[ValidationErrorItem] = (),
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.error_code = error_code
        self.request_id = request_id
        self.validation_errors = list(validation_errors)
        self.method = method
        self.path = path
        #: How retrying ended, for people: "gave up after 6 failed attempts in 212 s", "not retried: …".
        self.retries: str | None = None
        #: Why retrying ended, for code (None: the answer was not one to retry).
        self.retries_stopped_by: RetryStop | None = None
        #: For a 429: the wait the API asked for last (Retry-After), in seconds.
        self.retry_after: float | None = None

    def __str__(self) -> str:
        lines = [self._headline()]
        if self.method or self.path:
            lines.append(f"  request: {self.method or '?'} {self.path or '?'}")
        if self.retries:
            lines.append(f"  retries: {self.retries}")
        if self.error_code is not None or self.request_id:
            lines.append(f"  error_code: {self.error_code}, request_id: {self.request_id}")
        if self.validation_errors:
            lines.append("  validation errors:")
            lines.extend(f"    - {_render_item(item)}" for item in self.validation_errors)
        return "\n".join(lines)

    def _headline(self) -> str:
        if self.status is None:
            return self.message
        try:
            phrase = HTTPStatus(self.status).phrase
        except ValueError:
            phrase = "HTTP error"
        return f"{self.status} {phrase}: {self.message}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, error_code={self.error_code!r}, "
            f"message={self.message!r}, request_id={self.request_id!r}, method={self.method!r}, "
            f"path={self.path!r})"
        )


def _render_item(item: ValidationErrorItem) -> str:
    return f"{item.path}: {item.message}" if item.path else item.message


class KontentClientError(KontentError):
    """A 4xx answer: the request needs fixing; retrying it unchanged will not help."""


class KontentBadRequestError(KontentClientError):
    """400 (and 422): the API rejected the request."""


class KontentValidationError(KontentBadRequestError):
    """400 with ``validation_errors``: see :attr:`validation_errors` for what and where."""


class KontentAuthenticationError(KontentClientError):
    """401: the API key is missing, malformed or expired."""


class KontentPermissionError(KontentClientError):
    """403: the key is valid but its user may not do this (or the key was revoked)."""


class KontentNotFoundError(KontentClientError):
    """404: the object (or environment) does not exist."""


class KontentMethodNotAllowedError(KontentClientError):
    """405: the endpoint does not support this method."""


class KontentConflictError(KontentClientError):
    """409: the request conflicts with the current state."""


class KontentRateLimitError(KontentClientError):
    """429 after every retry was used up."""


class KontentResponseError(KontentError):
    """A 2xx answer whose body is not what the API documents (not JSON, or the wrong shape)."""


class KontentServerError(KontentError):
    """5xx after every retry was used up."""


class KontentTransportError(KontentError):
    """No HTTP answer: the connection failed or timed out (after retries)."""


class KontentConnectionError(KontentTransportError):
    """The connection could not be made or broke mid-request."""


class KontentUnreachableError(KontentConnectionError):
    """Nothing has answered at the base URL: the connection is refused or the host name does not
    resolve. A wrong base URL or a server that is not running; retried only briefly."""


class KontentTimeoutError(KontentTransportError):
    """A connect/read/write/pool timeout, or a 408 answer."""


NotSentReason = Literal["invalid_http", "unsupported_scheme", "certificate_rejected", "not_tls"]
"""Why a request cannot be sent as it is (:attr:`KontentRequestNotSentError.reason`)."""

NOT_SENT_REASONS: dict[NotSentReason, str] = {
    "invalid_http": "the request is not valid HTTP (a header value with a line break or control character?)",
    "unsupported_scheme": "the address's scheme is not http:// or https://",
    "certificate_rejected": "the server's TLS certificate was rejected",
    "not_tls": "the server does not speak TLS at this https:// address",
}


class KontentRequestNotSentError(KontentTransportError):
    """The request cannot be sent as it is (an invalid header value, an https:// address that does
    not speak TLS, a rejected certificate): the same happens on every retry, so none is made."""

    def __init__(self, message: str, *, reason: NotSentReason | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        #: Which of those it is.
        self.reason = reason


_BY_STATUS: dict[int, type[KontentError]] = {
    400: KontentBadRequestError,
    401: KontentAuthenticationError,
    403: KontentPermissionError,
    404: KontentNotFoundError,
    405: KontentMethodNotAllowedError,
    408: KontentTimeoutError,
    409: KontentConflictError,
    422: KontentBadRequestError,
    429: KontentRateLimitError,
}


def _error_class(status: int, body: ErrorResponse) -> type[KontentError]:
    if status in (400, 422) and body.validation_errors:
        return KontentValidationError
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    return KontentServerError if status >= 500 else KontentClientError


def _redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, _REDACTED)
    return text


def _parse_body(response: httpx.Response, secrets: Iterable[str]) -> ErrorResponse:
    text = _redact(response.text, secrets)
    try:
        data: Any = json.loads(text)
        return ErrorResponse.model_validate(data)
    except (ValueError, PydanticValidationError):
        reason = response.reason_phrase or "error"
        snippet = text.strip()[:_MAX_BODY_TEXT]
        return ErrorResponse(message=f"{reason}: {snippet}" if snippet else reason)


def error_from_response(
    response: httpx.Response,
    *,
    method: str,
    path: str,
    secrets: Iterable[str] = (),
) -> KontentError:
    """Map an unsuccessful response to the matching :class:`KontentError` subclass."""
    secrets = tuple(secrets)
    body = _parse_body(response, secrets)
    cls = _error_class(response.status_code, body)
    return cls(
        body.message or response.reason_phrase or "error",
        status=response.status_code,
        error_code=body.error_code,
        request_id=body.request_id or response.headers.get("x-request-id"),
        validation_errors=body.validation_errors,
        method=method,
        path=path,
    )


def error_from_transport(
    exc: httpx.TransportError,
    *,
    method: str,
    path: str,
    not_sent: NotSentReason | None = None,
    unreachable_base_url: str | None = None,
) -> KontentTransportError:
    """Map an httpx transport failure (no response) to a :class:`KontentTransportError`;
    ``not_sent`` says why it cannot succeed on retry, when it cannot; ``unreachable_base_url``
    is the address that has never answered, when the connection to it could not be made."""
    detail = f"{type(exc).__name__}: {str(exc) or type(exc).__name__}"
    if not_sent is not None:
        return KontentRequestNotSentError(detail, reason=not_sent, method=method, path=path)
    if unreachable_base_url is not None:
        return KontentUnreachableError(
            f"nothing answers at {unreachable_base_url} ({detail})", method=method, path=path
        )
    cls = KontentTimeoutError if isinstance(exc, httpx.TimeoutException) else KontentConnectionError
    return cls(detail, method=method, path=path)


class KontentUploadSourceError(KontentError):
    """The local file changed size while it was being uploaded; nothing usable was stored."""
