"""Routes of language variants: retrieve, upsert, delete, list an item's variants, and the workflow
actions, table-driven (``ACTIONS``: path suffix → the rule function and its body). Handlers only
parse the request, run one function of ``models``/``elements``/``actions`` and render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from ..pagination import continuation_of, decode_token, encode_token, pagination_of
from ..refs import Identifier, parse_path_ref
from ..store import Tx
from ..web import (
    Endpoint,
    api_base,
    by_method,
    emulator_of,
    json_response,
    no_content,
    parse_model,
    path_param,
    read_body,
    read_json,
)
from . import actions
from .bodies import ChangeWorkflowBody, PublishBody, ScheduleBody, VariantBody
from .elements import upsert_variant
from .models import (
    render_variant,
    require_published,
    require_variant,
    variants_in_collection,
    variants_of_item,
)


@dataclass(frozen=True)
class Action:
    """A workflow action: ``run(tx, item_ref, language_ref[, body])``; answers 204."""

    run: Callable[..., None]
    body: type[BaseModel] | None = None
    #: whether the body is required; the others accept an empty one
    body_required: bool = False


ACTIONS: dict[str, Action] = {
    "publish": Action(actions.publish, PublishBody),
    "unpublish": Action(actions.unpublish),
    "unpublish-and-archive": Action(actions.unpublish_and_archive, PublishBody),
    "cancel-scheduled-publish": Action(actions.cancel_scheduled_publish),
    "schedule-publish-and-unpublish": Action(actions.schedule_publish_and_unpublish, ScheduleBody),
    "cancel-scheduled-unpublish": Action(actions.cancel_scheduled_unpublish),
    "new-version": Action(actions.new_version),
    "change-workflow": Action(actions.change_workflow, ChangeWorkflowBody, body_required=True),
}


def _refs(request: Request) -> tuple[Identifier, Identifier]:
    return parse_path_ref(path_param(request, "ref")), parse_path_ref(path_param(request, "language_ref"))


async def _body(request: Request, model: type[BaseModel], required: bool) -> BaseModel:
    """The parsed body; workflow actions accept an empty one."""
    raw: Any = await read_json(request) if required or (await request.body()).strip() else {}
    return parse_model(model, raw)


def _action_endpoint(name: str, action: Action) -> Endpoint:
    async def run_action(request: Request) -> Response:
        body = [] if action.body is None else [await _body(request, action.body, action.body_required)]
        item_ref, language_ref = _refs(request)
        await emulator_of(request).store.run(lambda tx: action.run(tx, item_ref, language_ref, *body))
        return no_content()

    run_action.__name__ = "put_" + name.replace("-", "_")
    return run_action


async def get_variant(request: Request) -> Response:
    item_ref, language_ref = _refs(request)

    def read(tx: Tx) -> dict[str, Any]:
        return render_variant(tx, require_variant(tx, item_ref, language_ref))

    return json_response(await emulator_of(request).store.run(read))


async def get_published_variant(request: Request) -> Response:
    item_ref, language_ref = _refs(request)

    def read(tx: Tx) -> dict[str, Any]:
        return render_variant(tx, require_published(tx, item_ref, language_ref), published=True)

    return json_response(await emulator_of(request).store.run(read))


async def put_variant(request: Request) -> Response:
    emu = emulator_of(request)
    item_ref, language_ref = _refs(request)
    body = await read_body(request, VariantBody)
    env = emu.config.environment_id

    def write(tx: Tx) -> tuple[dict[str, Any], bool]:
        variant, created = upsert_variant(tx, env, item_ref, language_ref, body)
        return render_variant(tx, variant), created

    rendered, created = await emu.store.run(write)
    return json_response(rendered, 201 if created else 200)


async def list_variants(request: Request) -> Response:
    item_ref = parse_path_ref(path_param(request, "ref"))

    def read(tx: Tx) -> list[dict[str, Any]]:
        return [render_variant(tx, v) for v in variants_of_item(tx, item_ref)]

    return json_response(await emulator_of(request).store.run(read))


async def list_collection_variants(request: Request) -> Response:
    emu = emulator_of(request)
    ref = parse_path_ref(path_param(request, "ref"))
    token = continuation_of(request)
    offset = decode_token(token) if token else 0
    size = emu.config.page_size
    next_url = f"{api_base(request)}/collections/{path_param(request, 'ref')}/variants"

    def read(tx: Tx) -> dict[str, Any]:
        variants = variants_in_collection(tx, ref)
        page = variants[offset : offset + size]
        next_token = encode_token(offset + size) if offset + size < len(variants) else None
        return {
            "variants": [render_variant(tx, v) for v in page],
            "pagination": pagination_of(next_url, next_token),
        }

    return json_response(await emu.store.run(read))


_delete_variant = _action_endpoint("delete", Action(actions.delete_variant))
_VARIANT = "/items/{ref:ref}/variants/{language_ref:ref}"
routes = [
    *(by_method(f"{_VARIANT}/{name}", PUT=_action_endpoint(name, a)) for name, a in ACTIONS.items()),
    by_method(_VARIANT + "/published", GET=get_published_variant),
    by_method(
        _VARIANT,
        GET=get_variant,
        PUT=put_variant,
        DELETE=_delete_variant,
    ),
    by_method("/items/{ref:ref}/variants", GET=list_variants),
    by_method("/collections/{ref:ref}/variants", GET=list_collection_variants),
]
