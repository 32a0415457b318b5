"""Asset folders: one tree per environment, changed through ordered PATCH operations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, ClassVar, Literal, Self

from pydantic import Field, model_validator

from ._base import KontentDateTime, RequestModel, ResponseModel
from .common import RequestReference


class Folder(ResponseModel):
    id: str
    name: str
    codename: str | None = None
    external_id: str | None = None
    folders: list[Folder] = Field(default_factory=list)


class FolderTree(ResponseModel):
    """Body of ``GET|POST|PATCH /folders``: the whole tree."""

    folders: list[Folder] = Field(default_factory=list)
    last_modified: KontentDateTime | None = None

    def walk(self) -> Iterator[tuple[Folder, Folder | None]]:
        """Every folder depth-first, with its parent (``None`` at the top level)."""
        stack: list[tuple[Folder, Folder | None]] = [(f, None) for f in reversed(self.folders)]
        while stack:
            folder, parent = stack.pop()
            yield folder, parent
            stack.extend((child, folder) for child in reversed(folder.folders))

    def find(self, ref: RequestReference) -> tuple[Folder, Folder | None] | None:
        """The folder matching ``ref`` and its parent, or ``None``."""
        for folder, parent in self.walk():
            if (
                (ref.id is not None and folder.id == ref.id)
                or (ref.codename is not None and folder.codename == ref.codename)
                or (ref.external_id is not None and folder.external_id == ref.external_id)
            ):
                return folder, parent
        return None


class FolderCreate(RequestModel):
    """A folder to add (``POST /folders`` or the value of an ``addInto`` operation)."""

    _always_send: ClassVar[frozenset[str]] = frozenset({"folders"})

    name: str = Field(min_length=1, max_length=250)
    codename: str | None = Field(default=None, min_length=1, max_length=60)
    external_id: str | None = None
    folders: list[FolderCreate] = Field(default_factory=list)


class FolderCreateRequest(RequestModel):
    folders: list[FolderCreate]


class _Placement(RequestModel):
    before: RequestReference | None = None
    after: RequestReference | None = None

    @model_validator(mode="after")
    def _before_or_after(self) -> Self:
        if self.before is not None and self.after is not None:
            raise ValueError("'before' and 'after' are mutually exclusive")
        return self


class FolderAddIntoOperation(_Placement):
    """Adds ``value`` under ``reference`` (omitted: top level)."""

    _always_send: ClassVar[frozenset[str]] = frozenset({"op"})

    op: Literal["addInto"] = "addInto"
    reference: RequestReference | None = None
    value: FolderCreate


class FolderRenameOperation(RequestModel):
    _always_send: ClassVar[frozenset[str]] = frozenset({"op"})

    op: Literal["rename"] = "rename"
    reference: RequestReference
    value: str = Field(min_length=1, max_length=250)


class FolderRemoveOperation(RequestModel):
    """Removes a folder (the API refuses folders that still hold assets)."""

    _always_send: ClassVar[frozenset[str]] = frozenset({"op"})

    op: Literal["remove"] = "remove"
    reference: RequestReference


FolderOperation = Annotated[
    FolderAddIntoOperation | FolderRenameOperation | FolderRemoveOperation,
    Field(discriminator="op"),
]


def folder_add_into(
    value: FolderCreate,
    *,
    parent: RequestReference | None = None,
    before: RequestReference | None = None,
    after: RequestReference | None = None,
) -> FolderAddIntoOperation:
    """``addInto``: add ``value`` under ``parent`` (top level when ``None``)."""
    fields: dict[str, object] = {"value": value}
    for name, ref in (("reference", parent), ("before", before), ("after", after)):
        if ref is not None:
            fields[name] = ref
    return FolderAddIntoOperation.model_validate(fields)


def folder_rename(reference: RequestReference, name: str) -> FolderRenameOperation:
    return FolderRenameOperation(reference=reference, value=name)


def folder_remove(reference: RequestReference) -> FolderRemoveOperation:
    return FolderRemoveOperation(reference=reference)
