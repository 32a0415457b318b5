"""``/workflows``: list (a bare JSON array)."""

from __future__ import annotations

from pydantic import TypeAdapter

from ..models.workflows import Workflow
from ._http import HttpCore

_WORKFLOWS = TypeAdapter(list[Workflow])


class WorkflowsApi:
    def __init__(self, http: HttpCore) -> None:
        self._http = http

    def list(self) -> list[Workflow]:
        return _WORKFLOWS.validate_python(self._http.request_json("GET", "/workflows"))
