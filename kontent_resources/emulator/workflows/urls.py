"""Routes of workflows; the passages they follow are cited in the
package docstring and next to each rule."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .. import domain
from ..endpoints import add_endpoint, delete_endpoint
from ..refs import parse_path_ref
from ..store import Tx
from ..web import by_method, emulator_of, json_response, path_param, read_body
from .bodies import WorkflowBody
from .models import add_workflow, default_steps, delete_workflow, update_workflow


async def list_workflows(request: Request) -> Response:
    docs = await emulator_of(request).store.run(lambda tx: tx.all(domain.WORKFLOW))
    return json_response([domain.public(doc) for doc in docs])


async def put_workflow(request: Request) -> Response:
    emu = emulator_of(request)
    ref = parse_path_ref(path_param(request, "ref"))
    body = await read_body(request, WorkflowBody)
    env = emu.config.environment_id
    return json_response(domain.public(await emu.store.run(lambda tx: update_workflow(tx, env, ref, body))))


async def get_default_workflow_steps(request: Request) -> Response:
    def read(tx: Tx) -> list[dict[str, Any]]:
        workflow = tx.get(domain.WORKFLOW, domain.DEFAULT_WORKFLOW_ID)
        assert workflow is not None, "every environment has the default workflow"
        return default_steps(workflow)

    return json_response(await emulator_of(request).store.run(read))


routes = [
    by_method("/workflows", GET=list_workflows, POST=add_endpoint("workflow", WorkflowBody, add_workflow)),
    by_method(
        "/workflows/{ref:ref}",
        PUT=put_workflow,
        DELETE=delete_endpoint("workflow", delete_workflow),
    ),
    by_method("/workflow", GET=get_default_workflow_steps),
]
