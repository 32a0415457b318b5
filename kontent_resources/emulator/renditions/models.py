"""State and rules of renditions; the passages they follow are cited in the
package docstring and next to each rule."""

from __future__ import annotations

from typing import Any

from .. import domain, errors
from ..refs import Identifier, find
from ..store import Doc, Tx
from ..util import derived_id, new_id, now_iso
from .bodies import RenditionBody, RenditionUpdate, TransformationBody

INVALID_RENDITION = "Provided asset rendition is invalid. See ValidationErrors for detailed information."


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
        raise errors.BadRequestError(INVALID_RENDITION, [{"message": p} for p in problems])
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


def require_rendition(tx: Tx, asset: Doc, ref: Identifier) -> Doc:
    doc = find(tx, domain.RENDITION, ref, parent=asset["id"])
    if doc is None:
        raise errors.not_found(
            f"The requested rendition '{ref.value}' for asset '{asset['id']}' was not found.",
            errors.RENDITION_NOT_FOUND,
        )
    return doc


def add_rendition(tx: Tx, env: str, asset_ref: Identifier, body: RenditionBody) -> Doc:
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


def modify_rendition(tx: Tx, asset_ref: Identifier, ref: Identifier, body: RenditionUpdate) -> Doc:
    asset = domain.require(tx, domain.ASSET, asset_ref)
    rendition = require_rendition(tx, asset, ref)
    rendition["transformation"] = _validate(asset, body.transformation)
    rendition["last_modified"] = now_iso()
    tx.put(domain.RENDITION, rendition, key=rendition["rendition_id"], parent=asset["id"])
    return rendition
