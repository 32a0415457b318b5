"""Request bodies of folders; the passages they follow are cited in the
package docstring and next to each rule."""

from __future__ import annotations

from pydantic import Field

from kontent_resources.api_limits import FOLDER_NAME_MAX_LENGTH

from ..body import ApiBody
from ..refs import PatchOperation


class FolderIn(ApiBody):
    # "name: string [ 1 .. 200 ] characters" (Add asset folders, the folder object)
    name: str = Field(min_length=1, max_length=FOLDER_NAME_MAX_LENGTH)
    codename: str | None = None
    external_id: str | None = Field(default=None, min_length=1)
    folders: list[FolderIn] = Field(default_factory=list)


class FoldersBody(ApiBody):
    folders: list[FolderIn]


FolderOp = PatchOperation
