"""Each API area sends the right method, path and body, and parses the answer (mock transport)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from kontent_resources.client import InvalidIdentifierError, KontentClient
from kontent_resources.models import Transformation
from kontent_resources.models.assets import AssetCreate, FileReferenceRequest
from kontent_resources.models.common import RequestReference
from kontent_resources.models.folders import FolderCreate, folder_add_into, folder_remove, folder_rename
from kontent_resources.models.renditions import RenditionCreate
from kontent_resources.models.variants import AssetElementValue, VariantElementUpsert, WorkflowReferences
from tests.reference import PAYLOADS

from .conftest import API_KEY, ENV_ID

pytestmark = pytest.mark.recorded_reference

PREFIX = f"/v2/projects/{ENV_ID}"
ITEM = "f4b3fc05-e988-4dae-9ac1-a94aba566474"
LANG = "d1f95fde-af02-b3b5-bd9e-f232311ccab8"
ASSET_ID = "fcbb12e6-66a3-4672-85d9-d502d16b8d9c"


def payload(relative: str) -> Any:
    return json.loads((PAYLOADS / relative).read_text(encoding="utf-8-sig"))


class Recorder:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.answers: list[httpx.Response] = []

    def answer(self, status: int = 200, body: Any = None) -> None:
        self.answers.append(httpx.Response(status, json=body) if body is not None else httpx.Response(status))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.answers.pop(0)

    @property
    def last(self) -> tuple[str, str, Any]:
        request = self.requests[-1]
        body = json.loads(request.content) if request.content else None
        return request.method, request.url.raw_path.decode(), body


@pytest.fixture
def rec() -> Recorder:
    return Recorder()


@pytest.fixture
def client(rec: Recorder) -> Iterator[KontentClient]:
    with KontentClient(
        ENV_ID, API_KEY, "https://manage.kontent.ai/v2", rate_limit=None, transport=httpx.MockTransport(rec)
    ) as c:
        yield c


def test_assets_add_get_delete(client: KontentClient, rec: Recorder) -> None:
    rec.answer(201, payload("sdk-js/assets/fake-add-asset.json"))
    asset = client.assets.add(AssetCreate(file_reference=FileReferenceRequest(id="f"), title="T"))
    assert asset.image_width == 1280
    assert rec.last == (
        "POST",
        f"{PREFIX}/assets",
        {"file_reference": {"id": "f", "type": "internal"}, "title": "T"},
    )
    rec.answer(200, payload("sdk-js/assets/fake-view-asset.json"))
    client.assets.get("codename/my_asset")
    assert rec.last[:2] == ("GET", f"{PREFIX}/assets/codename/my_asset")
    rec.answer(204)
    client.assets.delete("external-id/a b")
    assert rec.last[:2] == ("DELETE", f"{PREFIX}/assets/external-id/a%20b")


def test_folders(client: KontentClient, rec: Recorder) -> None:
    tree = payload("sdk-net/AssetFolder/Folder.json")
    rec.answer(200, tree)
    assert [f.name for f in client.folders.get().folders] == ["Downloads", "Legal documents"]
    assert rec.last[:2] == ("GET", f"{PREFIX}/folders")
    rec.answer(201, tree)
    client.folders.add([FolderCreate(name="Downloads", folders=[FolderCreate(name="Archives")])])
    assert rec.last[2] == {
        "folders": [{"name": "Downloads", "folders": [{"name": "Archives", "folders": []}]}],
    }
    rec.answer(200, tree)
    client.folders.patch(
        [
            folder_add_into(FolderCreate(name="New"), parent=RequestReference.by_id(ASSET_ID)),
            folder_rename(RequestReference.by_external_id("folder-documents"), "Legal"),
            folder_remove(RequestReference.by_codename("archives")),
        ]
    )
    method, path, body = rec.last
    assert (method, path) == ("PATCH", f"{PREFIX}/folders")
    assert [op["op"] for op in body] == ["addInto", "rename", "remove"]
    assert body[0]["reference"] == {"id": ASSET_ID}
    with pytest.raises(ValueError, match="at least one"):
        client.folders.patch([])


def test_renditions(client: KontentClient, rec: Recorder) -> None:
    rec.answer(200, payload("sdk-net/AssetRendition/AssetRenditionPage1.json"))
    rec.answer(200, payload("sdk-net/AssetRendition/AssetRenditionPage3.json"))
    assert len(list(client.renditions.list(ASSET_ID))) == 3
    assert rec.last[1] == f"{PREFIX}/assets/{ASSET_ID}/renditions"
    transformation = Transformation(x=0, y=30, width=500, height=100, custom_width=250, custom_height=50)
    rec.answer(201, payload("sdk-js/asset-renditions/fake-add-asset-rendition.json"))
    rendition = client.renditions.add("external-id/hero", RenditionCreate(transformation=transformation))
    assert rendition.transformation.to_request() == transformation.to_request()
    assert rec.last[:2] == ("POST", f"{PREFIX}/assets/external-id/hero/renditions")
    rec.answer(200, payload("sdk-js/asset-renditions/fake-view-asset-rendition.json"))
    client.renditions.get(ASSET_ID, "external-id/r 1")
    assert rec.last[1] == f"{PREFIX}/assets/{ASSET_ID}/renditions/external-id/r%201"
    rec.answer(200, payload("sdk-js/asset-renditions/fake-modify-asset-rendition.json"))
    client.renditions.modify(ASSET_ID, "d866c136-8824-45f9-af39-9ebf9c31ea8f", transformation)
    method, _, body = rec.last
    assert method == "PUT"
    assert body == {"transformation": transformation.to_request().to_api()}
    with pytest.raises(InvalidIdentifierError):
        client.renditions.get(ASSET_ID, "codename/not-allowed")


def test_languages_collections_types_items_workflows(client: KontentClient, rec: Recorder) -> None:
    for number in (1, 2, 3):
        page = payload(f"sdk-net/Language/LanguagesPage{number}.json")
        if number < 3:  # the recorded pages share one placeholder token; real tokens differ
            page["pagination"]["continuation_token"] = f"page-{number + 1}"
        rec.answer(200, page)
    assert [lang.codename for lang in client.languages.list()] == [
        "default",
        "de-DE",
        "espanol",
        "fr-fr",
        "cz",
    ]
    assert [r.headers.get("x-continuation") for r in rec.requests] == [None, "page-2", "page-3"]
    rec.answer(200, payload("sdk-js/languages/fake-view-language.json"))
    assert client.languages.get("codename/de-DE").external_id == "standard-german"
    assert rec.last[1] == f"{PREFIX}/languages/codename/de-DE"
    rec.answer(200, payload("sdk-js/collections/fake-list-collections.json"))
    assert [c.codename for c in client.collections.list()] == ["default", "development", "marketing"]
    rec.answer(200, payload("sdk-js/content-types/fake-view-content-type.json"))
    assert client.types.get("codename/hosted_video").element_ids()["video_id"]
    type_page = {"types": [payload("sdk-js/content-types/fake-view-content-type.json")], "pagination": {}}
    rec.answer(200, type_page)
    assert [t.codename for t in client.types.list()] == ["hosted_video"]
    rec.answer(200, payload("sdk-js/content-items/view-content-item.json"))
    assert client.items.get("external-id/59713").codename == "on_roasts"
    assert rec.last[1] == f"{PREFIX}/items/external-id/59713"
    rec.answer(200, payload("sdk-js/content-items/fake-list-content-items.json") | {"pagination": {}})
    assert len(list(client.items.list())) == 3
    rec.answer(200, payload("sdk-js/workflow/fake-list-workflows.json"))
    (workflow,) = client.workflows.list()
    assert workflow.step_by_codename("published") is not None


def test_variants(client: KontentClient, rec: Recorder) -> None:
    rec.answer(200, payload("sdk-js/language-variants/fake-view-language-variant.json"))
    variant = client.variants.get("codename/on_roasts", "codename/es-ES")
    assert variant.language.id == LANG
    assert rec.last[1] == f"{PREFIX}/items/codename/on_roasts/variants/codename/es-ES"
    rec.answer(200, payload("sdk-js/language-variants/fake-list-language-variants-of-item.json"))
    assert len(client.variants.list_by_item(ITEM)) == 1
    assert rec.last[1] == f"{PREFIX}/items/{ITEM}/variants"

    rec.answer(201, payload("sdk-net/CodeSamples/PutLanguageVariantResponse.json"))
    element = VariantElementUpsert.assets(
        RequestReference.by_codename("teaser_image"),
        [AssetElementValue.of(RequestReference.by_external_id("a"))],
    )
    workflow = WorkflowReferences(
        workflow_identifier=RequestReference.by_codename("default"),
        step_identifier=RequestReference.by_codename("draft"),
    )
    result = client.variants.upsert(ITEM, LANG, [element], workflow=workflow)
    assert result.created is True
    method, path, body = rec.last
    assert (method, path) == ("PUT", f"{PREFIX}/items/{ITEM}/variants/{LANG}")
    assert body == {
        "elements": [{"element": {"codename": "teaser_image"}, "value": [{"external_id": "a"}]}],
        "workflow": {
            "workflow_identifier": {"codename": "default"},
            "step_identifier": {"codename": "draft"},
        },
    }


@pytest.mark.parametrize(
    ("call", "suffix", "body"),
    [
        (lambda c: c.variants.create_new_version(ITEM, LANG), "new-version", None),
        (lambda c: c.variants.publish(ITEM, LANG), "publish", None),
        (
            lambda c: c.variants.publish(
                ITEM,
                LANG,
                scheduled_to=datetime(2038, 1, 19, 4, 14, 8, tzinfo=UTC),
                display_timezone="Europe/Prague",
            ),
            "publish",
            {"scheduled_to": "2038-01-19T04:14:08Z", "display_timezone": "Europe/Prague"},
        ),
        (lambda c: c.variants.unpublish(ITEM, LANG), "unpublish", None),
        (
            lambda c: c.variants.change_workflow(ITEM, LANG, "codename/default", "codename/review"),
            "change-workflow",
            {"workflow_identifier": {"codename": "default"}, "step_identifier": {"codename": "review"}},
        ),
    ],
)
def test_variant_workflow_actions(
    client: KontentClient, rec: Recorder, call: Callable[[KontentClient], None], suffix: str, body: Any
) -> None:
    rec.answer(204)
    call(client)
    assert rec.last == ("PUT", f"{PREFIX}/items/{ITEM}/variants/{LANG}/{suffix}", body)


def test_variant_language_must_be_id_or_codename(client: KontentClient) -> None:
    with pytest.raises(InvalidIdentifierError):
        client.variants.get(ITEM, "external-id/lang")


def test_repeated_continuation_token_is_an_error(client: KontentClient, rec: Recorder) -> None:
    from kontent_resources.client import KontentError

    page = {"assets": [], "pagination": {"continuation_token": "same"}}
    rec.answer(200, page)
    rec.answer(200, page)
    with pytest.raises(KontentError, match="repeated a continuation token"):
        list(client.assets.list())


def test_unexpected_success_body_raises_response_error(client: KontentClient, rec: Recorder) -> None:
    from kontent_resources.client import KontentResponseError

    rec.answers.append(httpx.Response(200, text="<html>captive portal</html>"))
    with pytest.raises(KontentResponseError, match="unexpected Asset response") as caught:
        client.assets.get(ASSET_ID)
    assert caught.value.path == f"{PREFIX}/assets/{ASSET_ID}"
    rec.answer(200, {"file_name": "no id"})
    with pytest.raises(KontentResponseError, match="id: Field required"):
        client.assets.get(ASSET_ID)


def test_a_rendition_read_goes_back_as_its_transformation(client: KontentClient, rec: Recorder) -> None:
    """A rendition's transformation, as read, is a ``Transformation``: the client sends it back
    (and a ``Rendition`` resource declares it) by its six numbers, whatever the response adds."""
    rec.answer(200, payload("sdk-js/asset-renditions/fake-view-asset-rendition.json"))
    read = client.renditions.get(ASSET_ID, "external-id/r 1").transformation
    assert isinstance(read, Transformation)
    assert (read.mode, read.fit) == ("rect", "clip")
    assert set(read.as_dict()) == {"x", "y", "width", "height", "custom_width", "custom_height"}
    rec.answer(200, payload("sdk-js/asset-renditions/fake-modify-asset-rendition.json"))
    client.renditions.modify(ASSET_ID, "d866c136-8824-45f9-af39-9ebf9c31ea8f", read)
    assert rec.last[2] == {"transformation": {"mode": "rect", "fit": "clip", **read.as_dict()}}
