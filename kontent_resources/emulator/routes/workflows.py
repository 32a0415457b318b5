"""Workflows: list and add (``/workflows``), and the default workflow's steps (``/workflow``).

Every workflow shares the Published, Scheduled and Archived steps (the same ids appear in the
reference's samples of different workflows); its own steps are numbered by the emulator.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response

from .. import domain
from ..errors import invalid_body
from ..refs import Reference, find
from ..seed import fixed_steps
from ..store import Doc, Tx
from ..util import derived_id
from ..web import by_method, emulator_of, json_response, parse_model, read_json


class StepReference(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    id: str | None = None
    codename: str | None = None


class TransitionIn(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    step: StepReference


class StepIn(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    name: str = Field(min_length=1)
    codename: str = Field(min_length=1)
    color: str
    transitions_to: list[TransitionIn]
    role_ids: list[str]


class ScopeIn(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    content_types: list[Reference] = Field(default_factory=list)
    collections: list[Reference] = Field(default_factory=list)


class WorkflowBody(BaseModel):
    """Reference (Add a workflow): name, scopes, steps, published_step and archived_step are required."""

    model_config = ConfigDict(extra="ignore", strict=True)
    name: str = Field(min_length=1)
    codename: str | None = None
    scopes: list[ScopeIn]
    steps: list[StepIn] = Field(min_length=1)
    published_step: dict[str, Any]
    archived_step: dict[str, Any]


def _scope(tx: Tx, scope: ScopeIn, index: int) -> dict[str, list[dict[str, str]]]:
    def resolve(kind: str, refs: list[Reference], field: str) -> list[dict[str, str]]:
        found = []
        for ref in refs:
            doc = find(tx, kind, ref.to_ref())
            if doc is None:
                message = f"The {kind} '{ref.to_ref().describe()}' does not exist."
                raise invalid_body((message, f"scopes[{index}].{field}"))
            found.append({"id": str(doc["id"])})
        return found

    return {
        "content_types": resolve(domain.TYPE, scope.content_types, "content_types"),
        "collections": resolve(domain.COLLECTION, scope.collections, "collections"),
    }


def _steps(env: str, workflow_codename: str, body: WorkflowBody) -> list[Doc]:
    ids = {
        step.codename: derived_id(env, "workflow-step", f"{workflow_codename}/{step.codename}")
        for step in body.steps
    }
    if len(ids) != len(body.steps):
        raise invalid_body(("Workflow step codenames must be unique.", "steps"))
    fixed = {step["codename"]: step["id"] for step in fixed_steps().values()}
    known = {**fixed, **ids}

    def target(ref: StepReference, path: str) -> str:
        by_id = ref.id.lower() if ref.id else None
        if by_id in known.values():
            return str(by_id)
        if ref.codename in known:
            return str(known[ref.codename])
        raise invalid_body((f"The transition refers to a workflow step that does not exist: {ref}.", path))

    return [
        {
            "id": ids[step.codename],
            "name": step.name,
            "codename": step.codename,
            "color": step.color,
            "transitions_to": [
                {"step": {"id": target(t.step, f"steps[{i}].transitions_to[{j}].step")}}
                for j, t in enumerate(step.transitions_to)
            ],
            "role_ids": list(step.role_ids),
        }
        for i, step in enumerate(body.steps)
    ]


_PUBLISHED_ROLES = ("unpublish_role_ids", "create_new_version_role_ids")


def _role_ids(step: dict[str, Any], keys: tuple[str, ...]) -> dict[str, list[str]]:
    return {key: [str(role) for role in step.get(key) or []] for key in keys}


def add_workflow(tx: Tx, env: str, body: WorkflowBody) -> Doc:
    codename = body.codename or "_".join(body.name.lower().split())
    if tx.exists(domain.WORKFLOW, "codename", codename):
        raise invalid_body((f"A workflow with the codename '{codename}' already exists.", "codename"))
    fixed = fixed_steps()
    workflow = {
        "id": derived_id(env, "workflow", codename),
        "name": body.name,
        "codename": codename,
        "scopes": [_scope(tx, scope, i) for i, scope in enumerate(body.scopes)],
        "steps": _steps(env, codename, body),
        "published_step": fixed["published"] | _role_ids(body.published_step, _PUBLISHED_ROLES),
        "scheduled_step": fixed["scheduled"],
        "archived_step": fixed["archived"] | _role_ids(body.archived_step, ("role_ids",)),
    }
    tx.put(domain.WORKFLOW, workflow)
    return workflow


def default_steps(workflow: Doc) -> list[dict[str, Any]]:
    """``GET /workflow``: the default workflow's steps, transitions as bare ids (the reference's sample)."""
    regular = [
        {
            "id": step["id"],
            "name": step["name"],
            "codename": step["codename"],
            "transitions_to": [t["step"]["id"] for t in step["transitions_to"]],
        }
        for step in workflow["steps"]
    ]
    special = [workflow["scheduled_step"], workflow["published_step"], workflow["archived_step"]]
    ends = [{**{k: step[k] for k in ("id", "name", "codename")}, "transitions_to": []} for step in special]
    return [*regular, *ends]


async def list_workflows(request: Request) -> Response:
    docs = await emulator_of(request).store.run(lambda tx: tx.all(domain.WORKFLOW))
    return json_response([domain.public(doc) for doc in docs])


async def post_workflow(request: Request) -> Response:
    emu = emulator_of(request)
    body = parse_model(WorkflowBody, await read_json(request))
    env = emu.config.environment_id
    return json_response(domain.public(await emu.store.run(lambda tx: add_workflow(tx, env, body))), 201)


async def get_default_workflow_steps(request: Request) -> Response:
    def read(tx: Tx) -> list[dict[str, Any]]:
        workflow = tx.get(domain.WORKFLOW, domain.DEFAULT_WORKFLOW_ID)
        assert workflow is not None, "every environment has the default workflow"
        return default_steps(workflow)

    return json_response(await emulator_of(request).store.run(read))


routes = [
    by_method("/workflows", GET=list_workflows, POST=post_workflow),
    by_method("/workflow", GET=get_default_workflow_steps),
]
