"""Endpoints outside the reference the official tools call on every run answer as a new environment
(docs/emulator-fidelity.md, "Outside the reference"), and language variants by collection and
Update a workflow, the reference endpoints data-ops needs, work as documented."""

from __future__ import annotations

import httpx

from kontent_resources.emulator import EmulatorServer

from .emulator_helpers import assert_error
from .test_emulator_workflows import HOME_EN, approval_workflow

NO_PAGES = {"continuation_token": None, "next_page": None}


def test_a_new_environment_has_no_taxonomies_spaces_roles_webhooks_previews(client: httpx.Client) -> None:
    assert client.get("/taxonomies").json() == {"taxonomies": [], "pagination": NO_PAGES}
    assert client.get("/spaces").json() == []
    assert client.get("/webhooks-vnext").json() == []
    assert client.get("/roles").json() == {"roles": []}
    empty_preview: dict[str, list[object]] = {"space_domains": [], "preview_url_patterns": []}
    assert client.get("/preview-configuration").json() == empty_preview
    assert client.get("/web-spotlight/status").json() == {"enabled": False, "root_type": None}


def test_only_writes_that_change_nothing_are_accepted(client: httpx.Client) -> None:
    empty_preview: dict[str, list[object]] = {"space_domains": [], "preview_url_patterns": []}
    assert client.put("/preview-configuration", json=empty_preview).json() == empty_preview
    domains = {"space_domains": [{"space": {"id": "x"}, "domain": "example.org"}], "preview_url_patterns": []}
    assert_error(client.put("/preview-configuration", json=domains), 400)
    assert client.put("/web-spotlight/deactivate").json() == {"enabled": False, "root_type": None}
    assert client.put("/web-spotlight/activate", json={}).status_code == 404
    assert client.post("/taxonomies", json={"name": "Tags"}).status_code == 405
    assert client.get("/taxonomies/codename/tags").status_code == 404


def test_list_language_variants_by_collection(emu: EmulatorServer, client: httpx.Client) -> None:
    """List language variants by collection: "a dynamically paginated list" (x-continuation)."""
    listed = client.get("/collections/codename/default/variants").json()
    assert len(listed["variants"]) == 4  # the sample seed: home (en-US, es-ES), about_us, contact
    assert listed["pagination"] == NO_PAGES
    assert client.get(HOME_EN).json() in listed["variants"]
    emu.set_page_size(3)
    first = client.get("/collections/00000000-0000-0000-0000-000000000000/variants").json()
    token = first["pagination"]["continuation_token"]
    second = client.get("/collections/codename/default/variants", headers={"x-continuation": token}).json()
    assert [len(first["variants"]), len(second["variants"])] == [3, 1]
    assert first["variants"] + second["variants"] == listed["variants"]
    assert client.get("/collections/codename/missing/variants").status_code == 404


def test_update_a_workflow_keeps_steps_by_codename_and_refuses_removing_a_used_one(
    client: httpx.Client,
) -> None:
    """Update a workflow: "You can't remove a used workflow step." """
    default = next(w for w in client.get("/workflows").json() if w["codename"] == "default")
    steps = [
        {"name": s["name"] + "!", "codename": s["codename"], "color": s["color"], "role_ids": [],
         "transitions_to": [{"step": {"id": t["step"]["id"]}} for t in s["transitions_to"]]}
        for s in default["steps"]
    ]  # fmt: skip
    body = {"name": "Default", "scopes": [], "steps": steps, "published_step": {}, "archived_step": {}}
    updated = client.put(f"/workflows/{default['id']}", json=body)
    assert updated.status_code == 200, updated.text
    assert [(s["id"], s["name"]) for s in updated.json()["steps"]] == [
        (s["id"], s["name"] + "!") for s in default["steps"]
    ]
    draft = client.get(HOME_EN).json()["workflow"]["step_identifier"]["id"]
    without_draft = [s for s, old in zip(steps, default["steps"], strict=True) if old["id"] != draft]
    assert_error(client.put("/workflows/codename/default", json=body | {"steps": without_draft}), 400)
    assert_error(client.put("/workflows/codename/missing", json=body), 404)


def test_delete_an_unused_workflow(client: httpx.Client) -> None:
    """Delete a workflow: "Deletes an unused workflow."; 400 "The workflow is in use, or it's the
    default workflow."; 404 for an unknown one."""
    body = approval_workflow()
    assert client.post("/workflows", json=body).status_code == 201
    assert client.delete("/workflows/codename/approval").status_code == 204
    assert [w["codename"] for w in client.get("/workflows").json()] == ["default"]
    assert_error(client.delete("/workflows/codename/default"), 400)
    assert_error(client.delete("/workflows/codename/approval"), 404)
    scoped = approval_workflow(scopes=[{"content_types": [{"codename": "article"}], "collections": []}])
    client.post("/workflows", json=scoped).raise_for_status()
    home = client.put("/items/codename/home/variants/codename/en-US", json={"elements": []})
    assert home.status_code == 200, home.text
    moved = client.put(
        f"{HOME_EN}/change-workflow",
        json={"workflow_identifier": {"codename": "approval"}, "step_identifier": {"codename": "draft"}},
    )
    assert moved.status_code == 204, moved.text
    assert_error(client.delete("/workflows/codename/approval"), 400)
