"""Workflows and the variant actions that follow them, as the reference states.

Passages: "The API follows the workflow transition limitations present in the UI" (Change the
workflow step of a language variant); "you can publish or schedule the variant … only if the
workflow allows you to" (Publish or schedule a language variant); "You can unpublish only a
published language variant" (Unpublish and archive); Delete a language variant (204 / 404);
Add a workflow (required name, scopes, steps, published_step, archived_step); Retrieve the
default workflow's steps (``GET /workflow``, transitions as bare ids).
"""

from __future__ import annotations

from typing import Any

import httpx

from .emulator_helpers import PUBLISHED_STEP, assert_error

ARCHIVED_STEP = "7a535a69-ad34-47f8-806a-def1fdf4d391"
SCHEDULED_STEP = "9d2b0228-4d0d-4c23-8b49-01a698857709"
HOME_EN = "/items/codename/home/variants/codename/en-US"
ABOUT_EN = "/items/codename/about_us/variants/codename/en-US"
INVALID_WORKFLOW_CHANGE = 215
NOT_PUBLISHED = 213
NOTHING_TO_CANCEL = 218
LATER, MUCH_LATER = "2998-01-01T00:00:00Z", "2999-01-01T00:00:00Z"


def approval_workflow(**overrides: Any) -> dict[str, Any]:
    """Draft → Review → Published: nothing is published without review."""
    body = {
        "name": "Approval",
        "codename": "approval",
        "scopes": [],
        "steps": [
            {"name": "Draft", "codename": "draft", "color": "sky-blue", "role_ids": [],
             "transitions_to": [{"step": {"codename": "review"}}]},
            {"name": "Review", "codename": "review", "color": "rose", "role_ids": [],
             "transitions_to": [{"step": {"codename": "draft"}}, {"step": {"codename": "published"}}]},
        ],
        "published_step": {},
        "archived_step": {},
    }  # fmt: skip
    return body | overrides


def step_id(workflow: dict[str, Any], codename: str) -> str:
    return next(str(s["id"]) for s in workflow["steps"] if s["codename"] == codename)


def move(client: httpx.Client, path: str, workflow: str, step: str) -> httpx.Response:
    body = {"workflow_identifier": {"codename": workflow}, "step_identifier": {"codename": step}}
    return client.put(f"{path}/change-workflow", json=body)


def current_step(client: httpx.Client, path: str) -> str:
    return str(client.get(path).json()["workflow"]["step_identifier"]["id"])


def test_add_and_list_workflows(client: httpx.Client) -> None:
    created = client.post("/workflows", json=approval_workflow())
    assert created.status_code == 201, created.text
    workflow = created.json()
    review = step_id(workflow, "review")
    assert workflow["steps"][0]["transitions_to"] == [{"step": {"id": review}}]
    assert workflow["published_step"]["id"] == PUBLISHED_STEP
    assert [w["codename"] for w in client.get("/workflows").json()] == ["default", "approval"]
    assert_error(client.post("/workflows", json=approval_workflow()), 400, 5)  # the codename is taken


def test_add_workflow_refuses_what_the_schema_forbids(client: httpx.Client) -> None:
    body = approval_workflow()
    body["steps"][0]["transitions_to"] = [{"step": {"codename": "nowhere"}}]
    error = assert_error(client.post("/workflows", json=body), 400, 5)
    assert error["validation_errors"][0]["path"] == "steps[0].transitions_to[0].step"
    missing = {k: v for k, v in approval_workflow().items() if k != "archived_step"}
    assert assert_error(client.post("/workflows", json=missing), 400, 5)["validation_errors"][0]["path"] == (
        "archived_step"
    )


def test_default_workflow_steps(client: httpx.Client) -> None:
    steps = client.get("/workflow").json()
    assert [s["codename"] for s in steps] == ["draft", "review", "scheduled", "published", "archived"]
    assert PUBLISHED_STEP in steps[0]["transitions_to"]
    assert all(isinstance(t, str) for s in steps for t in s["transitions_to"])


def test_publish_follows_the_transitions(client: httpx.Client) -> None:
    workflow = client.post("/workflows", json=approval_workflow()).json()
    assert move(client, HOME_EN, "approval", "draft").status_code == 204, "into another workflow: any step"
    error = assert_error(client.put(f"{HOME_EN}/publish"), 400, INVALID_WORKFLOW_CHANGE)
    assert "from the workflow step 'Draft'" in error["message"]
    assert "only to 'Review'" in error["message"]
    scheduled = {"scheduled_to": "2999-01-01T00:00:00Z"}
    assert_error(client.put(f"{HOME_EN}/publish", json=scheduled), 400, INVALID_WORKFLOW_CHANGE)
    assert current_step(client, HOME_EN) == step_id(workflow, "draft"), "a refused publish changes nothing"

    assert move(client, HOME_EN, "approval", "review").status_code == 204
    assert client.put(f"{HOME_EN}/publish").status_code == 204
    assert current_step(client, HOME_EN) == PUBLISHED_STEP

    assert client.put(f"{HOME_EN}/new-version").status_code == 204
    assert current_step(client, HOME_EN) == step_id(workflow, "draft"), "a new version starts at step 1"


def test_change_workflow_within_a_workflow_follows_the_transitions(client: httpx.Client) -> None:
    client.post("/workflows", json={**approval_workflow(), "steps": [
        {"name": "Draft", "codename": "draft", "color": "sky-blue", "role_ids": [],
         "transitions_to": [{"step": {"codename": "review"}}]},
        {"name": "Review", "codename": "review", "color": "rose", "role_ids": [],
         "transitions_to": [{"step": {"codename": "legal"}}]},
        {"name": "Legal", "codename": "legal", "color": "red", "role_ids": [],
         "transitions_to": [{"step": {"codename": "published"}}]},
    ]})  # fmt: skip
    assert move(client, HOME_EN, "approval", "draft").status_code == 204
    assert_error(move(client, HOME_EN, "approval", "legal"), 400, INVALID_WORKFLOW_CHANGE)
    assert move(client, HOME_EN, "approval", "review").status_code == 204
    assert move(client, HOME_EN, "approval", "legal").status_code == 204


def test_new_variants_start_in_the_workflow_whose_scope_covers_them(client: httpx.Client) -> None:
    article = client.get("/types/codename/article").json()["id"]
    scoped = approval_workflow(scopes=[{"content_types": [{"id": article}], "collections": []}])
    workflow = client.post("/workflows", json=scoped).json()
    body = {"elements": [{"element": {"codename": "title"}, "value": "Contacto"}]}
    created = client.put("/items/codename/contact/variants/codename/es-ES", json=body)
    assert created.status_code == 201
    assert created.json()["workflow"] == {
        "workflow_identifier": {"id": workflow["id"]},
        "step_identifier": {"id": step_id(workflow, "draft")},
    }


def test_unpublish_and_archive(client: httpx.Client) -> None:
    assert client.put(f"{ABOUT_EN}/unpublish-and-archive").status_code == 204
    assert current_step(client, ABOUT_EN) == ARCHIVED_STEP
    assert client.get(f"{ABOUT_EN}/published").status_code == 404
    assert_error(client.put(f"{ABOUT_EN}/unpublish-and-archive"), 400)
    assert_error(client.put(f"{HOME_EN}/unpublish-and-archive"), 400)  # a draft is not published
    assert move(client, ABOUT_EN, "default", "draft").status_code == 204, "an archived variant is restored"


def test_scheduled_unpublish_is_recorded(client: httpx.Client) -> None:
    body = {"scheduled_to": "2999-01-01T00:00:00Z", "display_timezone": "Europe/Prague"}
    assert client.put(f"{ABOUT_EN}/unpublish-and-archive", json=body).status_code == 204
    variant = client.get(ABOUT_EN).json()
    assert variant["schedule"]["unpublish_time"] == "2999-01-01T00:00:00Z"
    assert variant["workflow"]["step_identifier"]["id"] == PUBLISHED_STEP, "still live until then"
    assert_error(client.put(f"{HOME_EN}/unpublish-and-archive", json=body), 400)


def test_cancel_scheduled_publish(client: httpx.Client) -> None:
    assert client.put(f"{HOME_EN}/publish", json={"scheduled_to": "2999-01-01T00:00:00Z"}).status_code == 204
    assert client.put(f"{HOME_EN}/cancel-scheduled-publish").status_code == 204
    variant = client.get(HOME_EN).json()
    assert variant["schedule"]["publish_time"] is None
    assert client.put(HOME_EN, json={"elements": []}).status_code == 200, "editable again"
    error = assert_error(client.put(f"{HOME_EN}/cancel-scheduled-publish"), 400, NOTHING_TO_CANCEL)
    assert (
        error["message"] == "Cannot cancel scheduling of a language variant that is not scheduled to publish."
    )


def test_schedule_publish_and_unpublish_together_and_reschedule(client: httpx.Client) -> None:
    """Reference (Schedule publishing and unpublishing): both dates at once; a second call
    reschedules to the dates it names."""
    path = f"{HOME_EN}/schedule-publish-and-unpublish"
    body = {"publish_scheduled_to": LATER, "publish_display_timezone": "Europe/Prague",
            "unpublish_scheduled_to": MUCH_LATER}  # fmt: skip
    assert client.put(path, json=body).status_code == 204
    variant = client.get(HOME_EN).json()
    assert variant["workflow"]["step_identifier"]["id"] == SCHEDULED_STEP
    assert variant["schedule"] == {
        "publish_time": LATER,
        "publish_display_timezone": "Europe/Prague",
        "unpublish_time": MUCH_LATER,
        "unpublish_display_timezone": None,
    }
    assert client.put(path, json={"publish_scheduled_to": MUCH_LATER}).status_code == 204
    schedule = client.get(HOME_EN).json()["schedule"]
    assert (schedule["publish_time"], schedule["unpublish_time"]) == (MUCH_LATER, None), (
        "rescheduled; an omitted unpublish date is not scheduled (assumed: the earlier one is removed)"
    )


def test_schedule_follows_the_workflow_and_the_variants_state(client: httpx.Client) -> None:
    """ "you can schedule the variant ... only if the workflow allows you to"; "Scheduling an unpublish
    date works only when the variant is published or scheduled for publishing"; "Scheduling a
    published language variant has no effect"; dates in the future."""
    path = f"{HOME_EN}/schedule-publish-and-unpublish"
    client.post("/workflows", json=approval_workflow())
    assert move(client, HOME_EN, "approval", "draft").status_code == 204
    assert_error(client.put(path, json={"publish_scheduled_to": LATER}), 400, INVALID_WORKFLOW_CHANGE)
    assert_error(client.put(path, json={"unpublish_scheduled_to": LATER}), 400, NOT_PUBLISHED)
    error = assert_error(client.put(path, json={"publish_scheduled_to": "2000-01-01T00:00:00Z"}), 400, 5)
    assert error["validation_errors"][0]["path"] == "publish_scheduled_to"
    assert client.get(HOME_EN).json()["schedule"]["publish_time"] is None, (
        "a refused schedule changes nothing"
    )

    about = f"{ABOUT_EN}/schedule-publish-and-unpublish"
    assert (
        client.put(
            about, json={"publish_scheduled_to": LATER, "unpublish_scheduled_to": MUCH_LATER}
        ).status_code
        == 204
    )
    variant = client.get(ABOUT_EN).json()
    assert variant["workflow"]["step_identifier"]["id"] == PUBLISHED_STEP, (
        "a published variant stays published"
    )
    assert (variant["schedule"]["publish_time"], variant["schedule"]["unpublish_time"]) == (None, MUCH_LATER)


def test_cancel_scheduled_unpublish(client: httpx.Client) -> None:
    """Reference (Cancel scheduled unpublishing): the date is removed; 400 with error 218 when there is
    none."""
    path = f"{ABOUT_EN}/cancel-scheduled-unpublish"
    error = assert_error(client.put(path), 400, NOTHING_TO_CANCEL)
    assert (
        error["message"]
        == "Nothing to cancel. The specified language variant is not scheduled for unpublishing."
    )
    assert client.put(f"{ABOUT_EN}/unpublish-and-archive", json={"scheduled_to": LATER}).status_code == 204
    assert client.put(path).status_code == 204
    variant = client.get(ABOUT_EN).json()
    assert variant["schedule"]["unpublish_time"] is None
    assert variant["workflow"]["step_identifier"]["id"] == PUBLISHED_STEP
    assert_error(client.put("/items/codename/home/variants/codename/nope/cancel-scheduled-unpublish"), 404)


def test_delete_variant(client: httpx.Client) -> None:
    assert client.delete(HOME_EN).status_code == 204
    assert_error(client.get(HOME_EN), 404, 103)
    assert_error(client.delete(HOME_EN), 404, 103)
    assert client.get("/items/codename/home/variants/codename/es-ES").status_code == 200, "others stay"
