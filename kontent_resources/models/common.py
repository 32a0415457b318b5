"""References, pagination and the error object: shapes shared by every API area."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from ._base import RequestModel, ResponseModel

ROOT_FOLDER_ID = "00000000-0000-0000-0000-000000000000"
"""The id the API uses for 'no folder' (root), the default collection and the default language."""


def require_one_identifier(model: object, what: str) -> None:
    """Raise unless exactly one of ``id``, ``codename``, ``external_id`` is set on ``model``."""
    given = [name for name in ("id", "codename", "external_id") if getattr(model, name) is not None]
    if len(given) != 1:
        raise ValueError(f"{what} needs exactly one of id, codename, external_id (got {given or 'none'})")


class RequestReference(RequestModel):
    """A reference in a request body: exactly one of ``id``, ``codename`` or ``external_id``."""

    id: str | None = None
    codename: str | None = None
    external_id: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        require_one_identifier(self, "a reference")
        return self

    @classmethod
    def by_id(cls, id_: str) -> RequestReference:
        return cls(id=id_)

    @classmethod
    def by_codename(cls, codename: str) -> RequestReference:
        return cls(codename=codename)

    @classmethod
    def by_external_id(cls, external_id: str) -> RequestReference:
        return cls(external_id=external_id)

    @classmethod
    def root_folder(cls) -> RequestReference:
        """The folder reference that moves an asset out of every folder."""
        return cls(id=ROOT_FOLDER_ID)


class ResponseReference(ResponseModel):
    """A reference as the API returns it (always by ``id`` today; tolerant of other forms)."""

    id: str | None = None
    codename: str | None = None
    external_id: str | None = None

    def to_reference(self) -> RequestReference:
        """The same reference, usable in a request body."""
        if self.id is not None:
            return RequestReference(id=self.id)
        if self.codename is not None:
            return RequestReference(codename=self.codename)
        return RequestReference(external_id=self.external_id)


class Pagination(ResponseModel):
    continuation_token: str | None = None
    next_page: str | None = None


class PagedResponse(ResponseModel):
    """A page of a list endpoint; the next page is asked for with ``x-continuation``."""

    pagination: Pagination


class ValidationErrorItem(ResponseModel):
    """One entry of ``validation_errors`` in an error response."""

    message: str
    path: str | None = None
    line: int | None = None
    position: int | None = None


class ErrorResponse(ResponseModel):
    """The body of every 4xx/5xx answer."""

    request_id: str | None = None
    error_code: int | None = None
    message: str = ""
    validation_errors: list[ValidationErrorItem] = Field(default_factory=list)
