"""Request/response helpers shared by the route modules."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ValidationError
from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .config import MAX_JSON_BODY
from .context import Emulator
from .errors import ApiError, invalid_body

REQUEST_ID_KEY = "kontent.request_id"


class RefConvertor(Convertor[str]):
    """``{x:ref}`` matches one identifier: ``<id>``, ``codename/<c>`` or ``external-id/<e>``.

    Exact matching (rather than ``:path``) keeps ``/assets/{ref}`` from swallowing
    ``/assets/{ref}/renditions/{rendition_ref}``, so e.g. a DELETE there is a clean 405.
    """

    regex = r"(?:external-id/|codename/)?[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("ref", RefConvertor())
M = TypeVar("M", bound=BaseModel)


def emulator_of(request: Request) -> Emulator:
    return cast(Emulator, request.app.state.emulator)


def request_id(request: Request) -> str:
    return cast(str, request.scope.get(REQUEST_ID_KEY, "00000000-0000-0000-0000-000000000000"))


def path_param(request: Request, name: str) -> str:
    return cast(str, request.path_params[name])


def public_root(request: Request) -> str:
    """``http://host:port`` of this server, as configured or as the client reached it."""
    configured = emulator_of(request).config.public_root
    if configured:
        return configured.rstrip("/")
    return str(request.base_url).rstrip("/")


def api_base(request: Request) -> str:
    env = emulator_of(request).config.environment_id
    return f"{public_root(request)}/v2/projects/{env}"


async def read_json(request: Request) -> Any:
    """The JSON body, with the API's error for a missing, oversized or malformed one."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_JSON_BODY:
            raise invalid_body((f"The request body exceeds {MAX_JSON_BODY} bytes.", None))
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        raise invalid_body(("The request body is empty; provide a JSON value.", None))
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise invalid_body((f"The request body is not valid JSON: {exc}", None)) from exc


async def read_body(request: Request, model: type[M]) -> M:
    """The JSON body parsed into ``model``, with the API's errors for a bad one (``read_json``, then
    ``parse_model``)."""
    return parse_model(model, await read_json(request))


def parse_model(model: type[M], data: Any, prefix: str = "") -> M:
    """Validate ``data`` into ``model``; pydantic errors become the API's validation errors."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [(err["msg"], _loc_to_path(prefix, err["loc"]) or None) for err in exc.errors()]
        raise invalid_body(*problems) from exc


def parse_operations(
    model: type[M],
    data: Any,
    empty: str,
    not_array: str | None = None,
    describe: Callable[[ApiError], str] = lambda exc: exc.message,
) -> list[M]:
    """A PATCH body: a non-empty array of operations, each parsed into ``model``; an operation that
    does not parse is "Invalid operation with index 'i': …" as the API words it."""
    if not isinstance(data, list):
        raise invalid_body((not_array or empty, None))
    if not data:
        raise invalid_body((empty, None))
    operations = []
    for index, raw in enumerate(data):
        try:
            operations.append(parse_model(model, raw, f"[{index}]"))
        except ApiError as exc:
            raise invalid_body((f"Invalid operation with index '{index}': {describe(exc)}", None)) from exc
    return operations


def _loc_to_path(prefix: str, loc: tuple[int | str, ...]) -> str:
    path = prefix
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif not part.startswith(("function-", "literal", "json-or-python")):
            path = f"{path}.{part}" if path else part
    return path


def json_response(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)


def no_content() -> Response:
    return Response(status_code=204)


Endpoint = Callable[[Request], Awaitable[Response]]


def by_method(path: str, **handlers: Endpoint) -> Route:
    """One route per path with a handler per method, so a wrong method is a clean 405."""

    async def dispatch(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        return await handlers[method](request)

    dispatch.__name__ = "_".join(h.__name__ for h in handlers.values())
    return Route(path, dispatch, methods=list(handlers))
