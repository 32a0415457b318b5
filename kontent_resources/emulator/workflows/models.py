"""State and rules of workflows; the passages they follow are cited in the
package docstring and next to each rule."""

from __future__ import annotations

from typing import Any

from .. import domain, errors
from ..errors import invalid_body
from ..refs import Identifier, Reference, find
from ..seed import fixed_steps
from ..store import Doc, Tx
from ..util import derived_id
from .bodies import ScopeIn, StepReference, WorkflowBody


def _scope(tx: Tx, scope: ScopeIn, index: int) -> dict[str, list[dict[str, str]]]:
    def resolve(kind: str, refs: list[Reference], field: str) -> list[dict[str, str]]:
        found = []
        for ref in refs:
            doc = find(tx, kind, ref.to_identifier())
            if doc is None:
                message = f"The {kind} '{ref.to_identifier().describe()}' does not exist."
                raise invalid_body((message, f"scopes[{index}].{field}"))
            found.append({"id": str(doc["id"])})
        return found

    return {
        "content_types": resolve(domain.TYPE, scope.content_types, "content_types"),
        "collections": resolve(domain.COLLECTION, scope.collections, "collections"),
    }


def _steps(
    env: str, workflow_codename: str, body: WorkflowBody, kept: dict[str, str] | None = None
) -> list[Doc]:
    """The steps of ``body``; a step whose codename is in ``kept`` keeps that id (Update a workflow)."""
    kept = kept or {}
    ids = {
        step.codename: kept.get(step.codename)
        or derived_id(env, "workflow-step", f"{workflow_codename}/{step.codename}")
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


def update_workflow(tx: Tx, env: str, ref: Identifier, body: WorkflowBody) -> Doc:
    """Update a workflow: name, codename, scopes, steps and role permissions are replaced. "When
    removing a workflow step, make sure the step is not in use. You can't remove a used workflow
    step." (mapi-v2-endpoints.json, Update a workflow). Steps are matched by codename (assumed: the
    body's steps carry no id), so a step that keeps its codename keeps its id and its variants."""
    workflow = find(tx, domain.WORKFLOW, ref)
    if workflow is None:
        raise errors.not_found(
            f"The requested workflow '{ref.value}' was not found.", errors.WORKFLOW_NOT_FOUND
        )
    codename = body.codename or workflow["codename"]
    holder = tx.find(domain.WORKFLOW, "codename", codename)
    if holder is not None and holder["id"] != workflow["id"]:
        raise invalid_body((f"A workflow with the codename '{codename}' already exists.", "codename"))
    kept = {step["codename"]: step["id"] for step in workflow["steps"]}
    steps = _steps(env, codename, body, kept)
    removed = set(kept.values()) - {step["id"] for step in steps}
    in_use = [
        variant
        for variant in tx.all(domain.VARIANT)
        if variant["workflow"]["workflow_identifier"]["id"] == workflow["id"]
        and variant["workflow"]["step_identifier"]["id"] in removed
    ]
    if in_use:
        raise errors.bad_request("A workflow step that is in use cannot be removed.")
    workflow |= {
        "name": body.name,
        "codename": codename,
        "scopes": [_scope(tx, scope, i) for i, scope in enumerate(body.scopes)],
        "steps": steps,
        "published_step": workflow["published_step"] | _role_ids(body.published_step, _PUBLISHED_ROLES),
        "archived_step": workflow["archived_step"] | _role_ids(body.archived_step, ("role_ids",)),
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


def delete_workflow(tx: Tx, ref: Identifier) -> None:
    """Delete a workflow: "Deletes an unused workflow."; 400 "The workflow is in use, or it's the
    default workflow." (mapi-v2-endpoints.json, Delete a workflow)."""
    workflow = domain.require(tx, domain.WORKFLOW, ref)
    in_use = any(v["workflow"]["workflow_identifier"]["id"] == workflow["id"] for v in tx.all(domain.VARIANT))
    if workflow["id"] == domain.DEFAULT_WORKFLOW_ID or in_use:
        raise errors.bad_request("The workflow is in use, or it's the default workflow.")
    tx.delete(domain.WORKFLOW, workflow["id"])
