"""``/folders``: the environment's single folder tree."""

from __future__ import annotations

from collections.abc import Sequence

from ..models.folders import FolderCreate, FolderCreateRequest, FolderOperation, FolderTree
from ._http import ApiArea


class FoldersApi(ApiArea):
    def get(self) -> FolderTree:
        return self._http.request_model("GET", "/folders", FolderTree)

    def add(self, folders: Sequence[FolderCreate]) -> FolderTree:
        """``POST /folders``: only valid while the environment has no folders at all."""
        body = FolderCreateRequest(folders=list(folders)).to_api()
        return self._http.request_model("POST", "/folders", FolderTree, json=body)

    def patch(self, operations: Sequence[FolderOperation]) -> FolderTree:
        """Apply ``addInto``/``rename``/``remove`` operations in order; returns the new tree."""
        if not operations:
            raise ValueError("patch needs at least one folder operation")
        body = [op.to_api() for op in operations]
        return self._http.request_model("PATCH", "/folders", FolderTree, json=body)
