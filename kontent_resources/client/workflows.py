"""``/workflows``: list (a bare JSON array)."""

from __future__ import annotations

from ..models.workflows import Workflow, WorkflowList
from ._http import ApiArea


class WorkflowsApi(ApiArea):
    def list(self) -> list[Workflow]:
        return self._http.request_model("GET", "/workflows", WorkflowList).root
