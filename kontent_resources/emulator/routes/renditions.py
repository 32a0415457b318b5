"""Asset renditions: list, add, retrieve and modify. The real API has no delete (→ 405)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response

from .. import domain, errors
from ..errors import ApiError
from ..pagination import continuation_of, list_page
from ..refs import Ref, find, parse_path_ref
from ..store import Doc, Tx
from ..util import derived_id, new_id, now_iso
from ..web import api_base, by_method, emulator_of, json_response, parse_model, path_param, read_json

INVALID_RENDITION = "Provided asset rendition is invalid. See ValidationErrors for detailed information."


class TransformationBody(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    mode: str
    fit: str
    x: int = Field(ge=0)
    y: int = Field(ge=0)
    width: int = Field(ge=1)
    height: int = Field(ge=1)
    custom_width: int = Field(ge=1)
    custom_height: int = Field(ge=1)


class RenditionBody(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    transformation: TransformationBody
    external_id: str | None = Field(default=None, min_length=1)


class RenditionUpdate(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    transformation: TransformationBody


def _problems(asset: Doc, t: TransformationBody) -> list[str]:
    """Everything wrong with ``t`` for this asset, in the wording style of the real API."""
    image_width, image_height = asset.get("image_width"), asset.get("image_height")
    if image_width is None or image_height is None:
        return [f"The asset '{asset['id']}' is not an image; renditions can only be made of images."]
    problems = []
    if t.mode != "rect":
        problems.append(f"Transformation mode '{t.mode}' is not supported; only 'rect' is allowed.")
    if t.fit != "clip":
        problems.append(f"Fit '{t.fit}' is not supported; only 'clip' is allowed.")
    if t.x + t.width > image_width:
        problems.append(f"The rectangle (x + width = {t.x + t.width}) exceeds the image width {image_width}.")
    if t.y + t.height > image_height:
        problems.append(
            f"The rectangle (y + height = {t.y + t.height}) exceeds the image height {image_height}."
        )
    if t.custom_width > t.width:
        problems.append(
            "Image cannot be up-scaled: custom_width must be less or equal to the rectangle width."
        )
    if t.custom_height > t.height:
        problems.append(
            "Image cannot be up-scaled: custom_height must be less or equal to the rectangle height."
        )
    return problems


def _validate(asset: Doc, t: TransformationBody) -> dict[str, Any]:
    problems = _problems(asset, t)
    if problems:
        raise ApiError(400, errors.GENERIC, INVALID_RENDITION, [{"message": p} for p in problems])
    return {
        "mode": t.mode,
        "fit": t.fit,
        "custom_width": t.custom_width,
        "custom_height": t.custom_height,
        "x": t.x,
        "y": t.y,
        "width": t.width,
        "height": t.height,
    }


def _require_rendition(tx: Tx, asset: Doc, ref: Ref) -> Doc:
    doc = find(tx, domain.RENDITION, ref, parent=asset["id"])
    if doc is None:
        raise errors.not_found(
            f"The requested rendition '{ref.value}' for asset '{asset['id']}' was not found.",
            errors.RENDITION_NOT_FOUND,
        )
    return doc


def add_rendition(tx: Tx, env: str, asset_ref: Ref, body: RenditionBody) -> Doc:
    asset = domain.require(tx, domain.ASSET, asset_ref)
    transformation = _validate(asset, body.transformation)
    rendition: Doc = {"rendition_id": new_id(), "asset_id": asset["id"]}
    if body.external_id is not None:
        if tx.exists(domain.RENDITION, "external_id", body.external_id, parent=asset["id"]):
            raise errors.bad_request(f"A rendition with the external ID '{body.external_id}' already exists.")
        rendition["rendition_id"] = derived_id(env, domain.RENDITION, f"{asset['id']}:{body.external_id}")
        rendition["external_id"] = body.external_id
    rendition |= {"transformation": transformation, "last_modified": now_iso()}
    tx.put(domain.RENDITION, rendition, key=rendition["rendition_id"], parent=asset["id"])
    return rendition


def modify_rendition(tx: Tx, asset_ref: Ref, ref: Ref, body: RenditionUpdate) -> Doc:
    asset = domain.require(tx, domain.ASSET, asset_ref)
    rendition = _require_rendition(tx, asset, ref)
    rendition["transformation"] = _validate(asset, body.transformation)
    rendition["last_modified"] = now_iso()
    tx.put(domain.RENDITION, rendition, key=rendition["rendition_id"], parent=asset["id"])
    return rendition


# -- handlers ---------------------------------------------------------------------------------
def _asset_ref(request: Request) -> Ref:
    return parse_path_ref(path_param(request, "ref"))


async def list_renditions(request: Request) -> Response:
    emu = emulator_of(request)
    token, asset_ref = continuation_of(request), _asset_ref(request)

    def read(tx: Tx) -> dict[str, Any]:
        asset = domain.require(tx, domain.ASSET, asset_ref)
        page, pagination = list_page(
            tx,
            domain.RENDITION,
            token=token,
            page_size=emu.config.page_size,
            next_url=f"{api_base(request)}/assets/{asset['id']}/renditions",
            render=domain.public,
            parent=asset["id"],
        )
        return {"asset_renditions": page, "pagination": pagination}

    return json_response(await emu.store.run(read))


async def post_rendition(request: Request) -> Response:
    emu = emulator_of(request)
    body = parse_model(RenditionBody, await read_json(request))
    asset_ref, env = _asset_ref(request), emu.config.environment_id
    return json_response(await emu.store.run(lambda tx: add_rendition(tx, env, asset_ref, body)), 201)


async def get_rendition(request: Request) -> Response:
    asset_ref = _asset_ref(request)
    ref = parse_path_ref(path_param(request, "rendition_ref"))

    def read(tx: Tx) -> Doc:
        return _require_rendition(tx, domain.require(tx, domain.ASSET, asset_ref), ref)

    return json_response(domain.public(await emulator_of(request).store.run(read)))


async def put_rendition(request: Request) -> Response:
    body = parse_model(RenditionUpdate, await read_json(request))
    asset_ref, ref = _asset_ref(request), parse_path_ref(path_param(request, "rendition_ref"))
    doc = await emulator_of(request).store.run(lambda tx: modify_rendition(tx, asset_ref, ref, body))
    return json_response(domain.public(doc))


routes = [
    by_method("/assets/{ref:ref}/renditions/{rendition_ref:ref}", GET=get_rendition, PUT=put_rendition),
    by_method("/assets/{ref:ref}/renditions", GET=list_renditions, POST=post_rendition),
]
