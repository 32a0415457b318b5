"""Synchronous Kontent.ai Management API v2 client (httpx).

Rate limited per environment (process-wide), retried on 408/429/5xx and transport errors,
paginated lazily, with typed errors that never contain the API key.
"""

from .client import (
    DEFAULT_BASE_URL,
    DEFAULT_RATE_LIMIT,
    DEFAULT_RETRY,
    DEFAULT_TIMEOUT,
    DEFAULT_UPLOAD_TIMEOUT,
    KontentClient,
    check_base_url,
)
from .errors import (
    KontentAuthenticationError,
    KontentBadRequestError,
    KontentClientError,
    KontentConflictError,
    KontentConnectionError,
    KontentError,
    KontentMethodNotAllowedError,
    KontentNotFoundError,
    KontentPermissionError,
    KontentRateLimitError,
    KontentServerError,
    KontentTimeoutError,
    KontentTransportError,
    KontentUploadSourceError,
    KontentValidationError,
    error_from_response,
    error_from_transport,
)
from .files import guess_content_type
from .identifiers import (
    InvalidIdentifierError,
    Ref,
    by_codename,
    by_external_id,
    by_id,
    parse_ref,
    path_ref,
    to_reference,
)
from .ratelimit import RateLimit, RateLimiter, shared_limiter
from .results import UpsertResult
from .retry import NO_RETRY, RETRY_STATUSES, ClientStats, RetryPolicy, parse_retry_after

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_RATE_LIMIT",
    "DEFAULT_RETRY",
    "DEFAULT_TIMEOUT",
    "DEFAULT_UPLOAD_TIMEOUT",
    "NO_RETRY",
    "RETRY_STATUSES",
    "ClientStats",
    "InvalidIdentifierError",
    "KontentAuthenticationError",
    "KontentBadRequestError",
    "KontentClient",
    "KontentClientError",
    "KontentConflictError",
    "KontentConnectionError",
    "KontentError",
    "KontentMethodNotAllowedError",
    "KontentNotFoundError",
    "KontentPermissionError",
    "KontentRateLimitError",
    "KontentServerError",
    "KontentTimeoutError",
    "KontentTransportError",
    "KontentUploadSourceError",
    "KontentValidationError",
    "RateLimit",
    "RateLimiter",
    "Ref",
    "RetryPolicy",
    "UpsertResult",
    "by_codename",
    "by_external_id",
    "by_id",
    "check_base_url",
    "error_from_response",
    "error_from_transport",
    "guess_content_type",
    "parse_ref",
    "parse_retry_after",
    "path_ref",
    "shared_limiter",
    "to_reference",
]
