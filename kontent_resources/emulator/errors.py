"""The Management API error object, in one place.

Every error the emulator returns has the real shape
``{request_id, error_code, message, validation_errors?: [{message, path?}]}``.
Error codes marked *documented* appear in the reference's samples; the others are
the emulator's choice (the real API uses 0 for many ad-hoc errors).

One class per documented error (status + error code), all below ``ApiError``::

    ApiError
    └── DocumentedError
        ├── BadRequestError (400, 0)        ├── MissingHeaderError (400, 205)
        ├── InvalidBodyError (400, 5)       ├── NotPublishedToUnpublishError (400, 213)
        ├── InvalidContinuationError        ├── NotPublishedForNewVersionError (400, 214)
        │   (400, 1007)                     ├── InvalidWorkflowChangeError (400, 215)
        ├── RateLimitedError (429, 10000)   ├── NothingToCancelError (400, 218)
        └── NotFoundError (404, 0)
            ├── ItemNotFoundError (100)     ├── LanguageNotFoundError (111)
            ├── VariantNotFoundError (103)  ├── RenditionNotFoundError (118)
            ├── AssetNotFoundError (105)    └── WorkflowNotFoundError (119)
            └── TypeNotFoundError (105)

``bad_request``/``not_found``/``invalid_body`` pick the class from ``DOCUMENTED``.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

# documented
INVALID_BODY = 5
ITEM_NOT_FOUND = 100
VARIANT_NOT_FOUND = 103
ASSET_NOT_FOUND = 105
TYPE_NOT_FOUND = 105
LANGUAGE_NOT_FOUND = 111
RENDITION_NOT_FOUND = 118
WORKFLOW_NOT_FOUND = 119
MISSING_HEADER = 205
NOT_PUBLISHED_UNPUBLISH = 213
NOT_PUBLISHED_NEW_VERSION = 214
INVALID_WORKFLOW_CHANGE = 215
NOTHING_TO_CANCEL = 218
INVALID_CONTINUATION = 1007
RATE_LIMITED = 10000
# emulator's choice
GENERIC = 0

INVALID_BODY_MESSAGE = (
    "The provided request body is invalid. See the 'validation_errors' attribute for more "
    "information and specify a valid JSON object."
)
RATE_LIMIT_MESSAGE = "API rate limit exceeded. Please retry your request later."


class ApiError(Exception):
    """Raised anywhere in a handler; rendered by the app's exception handler."""

    def __init__(
        self,
        status: int,
        error_code: int,
        message: str,
        validation_errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error_code = error_code
        self.message = message
        self.validation_errors = validation_errors
        self.headers = headers or {}


class DocumentedError(ApiError):
    """An error the reference documents: its status and error code are fixed by the class."""

    STATUS = 400
    CODE = GENERIC

    def __init__(
        self,
        message: str,
        validation_errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(self.STATUS, self.CODE, message, validation_errors, headers)


class BadRequestError(DocumentedError):
    """400 with error code 0, the code the API uses for most ad-hoc refusals."""


class NotFoundError(DocumentedError):
    STATUS = 404


class InvalidBodyError(DocumentedError):
    CODE = INVALID_BODY


class ItemNotFoundError(NotFoundError):
    CODE = ITEM_NOT_FOUND


class VariantNotFoundError(NotFoundError):
    CODE = VARIANT_NOT_FOUND


class AssetNotFoundError(NotFoundError):
    CODE = ASSET_NOT_FOUND


class TypeNotFoundError(NotFoundError):
    CODE = TYPE_NOT_FOUND


class LanguageNotFoundError(NotFoundError):
    CODE = LANGUAGE_NOT_FOUND


class RenditionNotFoundError(NotFoundError):
    CODE = RENDITION_NOT_FOUND


class WorkflowNotFoundError(NotFoundError):
    CODE = WORKFLOW_NOT_FOUND


class MissingHeaderError(DocumentedError):
    CODE = MISSING_HEADER


class NotPublishedToUnpublishError(DocumentedError):
    CODE = NOT_PUBLISHED_UNPUBLISH


class NotPublishedForNewVersionError(DocumentedError):
    CODE = NOT_PUBLISHED_NEW_VERSION


class InvalidWorkflowChangeError(DocumentedError):
    CODE = INVALID_WORKFLOW_CHANGE


class NothingToCancelError(DocumentedError):
    CODE = NOTHING_TO_CANCEL


class InvalidContinuationError(DocumentedError):
    CODE = INVALID_CONTINUATION


class RateLimitedError(DocumentedError):
    STATUS = 429
    CODE = RATE_LIMITED


#: (status, error code) → its class: the one table the factories below read
DOCUMENTED: dict[tuple[int, int], type[DocumentedError]] = {
    (cls.STATUS, cls.CODE): cls
    for cls in (
        BadRequestError,
        NotFoundError,
        InvalidBodyError,
        ItemNotFoundError,
        VariantNotFoundError,
        AssetNotFoundError,
        LanguageNotFoundError,
        RenditionNotFoundError,
        WorkflowNotFoundError,
        MissingHeaderError,
        NotPublishedToUnpublishError,
        NotPublishedForNewVersionError,
        InvalidWorkflowChangeError,
        NothingToCancelError,
        InvalidContinuationError,
        RateLimitedError,
    )
}  # fmt: skip  (TypeNotFoundError shares 105 with AssetNotFoundError: domain.require names it)


def invalid_body(*problems: tuple[str, str | None]) -> ApiError:
    """400 with error code 5 and one validation error per ``(message, path)``."""
    errors = [{"message": msg, "path": path} if path else {"message": msg} for msg, path in problems]
    return InvalidBodyError(INVALID_BODY_MESSAGE, errors)


def bad_request(message: str, error_code: int = GENERIC) -> ApiError:
    cls = DOCUMENTED.get((400, error_code))
    return cls(message) if cls is not None else ApiError(400, error_code, message)


def not_found(message: str, error_code: int = GENERIC) -> ApiError:
    cls = DOCUMENTED.get((404, error_code))
    return cls(message) if cls is not None else ApiError(404, error_code, message)


def error_body(
    request_id: str, error_code: int, message: str, validation_errors: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"request_id": request_id, "error_code": error_code, "message": message}
    if validation_errors is not None:
        body["validation_errors"] = validation_errors
    return body


def error_response(request_id: str, error: ApiError) -> JSONResponse:
    """The API's answer for ``error``: its status, headers and error body."""
    body = error_body(request_id, error.error_code, error.message, error.validation_errors)
    return JSONResponse(body, status_code=error.status, headers=error.headers)
