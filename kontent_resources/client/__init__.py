"""Synchronous Kontent.ai Management API v2 client (httpx).

Rate limited per environment (process-wide), retried on 408/429/5xx and transport errors,
paginated lazily, with typed errors that never contain the API key.

The public names are those in ``__all__``: the client, its settings (``RateLimit``,
``RetryPolicy``), what it counts (``ClientStats``), the identifiers its methods take
(``Identifier``, made by ``by_id``, ``by_codename``, ``by_external_id``) and the errors it raises
(the tree is drawn in :mod:`kontent_resources.client.errors`). Everything else in this package
is internal and may change without notice.
"""

from .client import KontentClient
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
    KontentRequestNotSentError,
    KontentResponseError,
    KontentServerError,
    KontentTimeoutError,
    KontentTransportError,
    KontentUnreachableError,
    KontentUploadSourceError,
    KontentValidationError,
)
from .identifiers import Identifier, InvalidIdentifierError, by_codename, by_external_id, by_id
from .ratelimit import RateLimit
from .retry import ClientStats, RetryPolicy

# isort: split
__all__ = [
    "ClientStats",
    "Identifier",
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
    "KontentRequestNotSentError",
    "KontentResponseError",
    "KontentServerError",
    "KontentTimeoutError",
    "KontentTransportError",
    "KontentUnreachableError",
    "KontentUploadSourceError",
    "KontentValidationError",
    "RateLimit",
    "RetryPolicy",
    "by_codename",
    "by_external_id",
    "by_id",
]
