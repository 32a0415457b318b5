"""Delete an asset: "Delete an unused asset from an environment." A used one (latest or published
version, asset element or rich text) is refused with 400 naming each use, and nothing is deleted;
once unused it deletes with 204 (the 400 is this emulator's assumption: docs/emulator-fidelity.md)."""

from __future__ import annotations

import httpx

from tests.emulator.emulator_helpers import assert_error, create_asset

HOME_EN = "/items/codename/home/variants/codename/en-US"
ABOUT_ES = "/items/codename/about_us/variants/codename/es-ES"


def _hero(value: list[dict[str, object]]) -> dict[str, object]:
    return {"elements": [{"element": {"codename": "hero_image"}, "value": value}]}


def test_a_used_asset_is_refused_naming_each_use_until_it_is_unused(client: httpx.Client) -> None:
    asset = create_asset(client, "used-logo")
    assert client.put(HOME_EN, json=_hero([{"id": asset["id"]}])).status_code == 200
    assert client.put(f"{HOME_EN}/publish").status_code == 204
    assert client.put(f"{HOME_EN}/new-version").status_code == 204
    assert client.put(HOME_EN, json=_hero([])).status_code == 200  # the draft drops it; published keeps it
    body = '<figure data-asset-external-id="used-logo"></figure>'
    rich_text = {"elements": [{"element": {"codename": "body"}, "value": body}]}
    assert client.put(ABOUT_ES, json=rich_text).status_code == 201  # a new variant

    error = assert_error(client.delete(f"/assets/{asset['id']}"), 400)
    assert error["message"] == (
        f"The asset '{asset['id']}' is in use in 2 language variant version(s) (item 'about_us' (es-ES), "
        "element 'body', draft; item 'home' (en-US), element 'hero_image', published) and cannot be deleted. "
        "Only unused assets can be deleted: remove it from those variants first."
    )
    assert client.get(f"/assets/{asset['id']}").status_code == 200

    empty = {"elements": [{"element": {"codename": "body"}, "value": "<p><br></p>"}]}
    assert client.put(ABOUT_ES, json=empty).status_code == 200
    assert client.put(f"{HOME_EN}/publish").status_code == 204  # the draft without it goes live
    assert client.delete(f"/assets/{asset['id']}").status_code == 204
    assert client.get(f"/assets/{asset['id']}").status_code == 404
