"""The ASGI application: routes of every area, the error handlers, and the request gateway."""

from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.types import Receive, Scope, Send

from . import admin, errors, new_environment
from .assets import urls as assets
from .collections import urls as collections
from .config import EmulatorConfig
from .content_types import urls as content_types
from .context import Emulator
from .counters import Counters
from .errors import ApiError, error_response
from .faults import FaultInjector
from .files import urls as files
from .folders import urls as folders
from .gateway import Gateway
from .items import urls as items
from .languages import urls as languages
from .ratelimit import RejectingRateLimiter
from .renditions import urls as renditions
from .seed import reset_state
from .store import Store, Tx
from .util import new_id
from .variants import urls as variants
from .web import REQUEST_ID_KEY
from .workflows import urls as workflows

logger = logging.getLogger("kontent_resources.emulator")

_HTTP_MESSAGES = {
    404: "The requested resource was not found.",
    405: "The requested HTTP method is not supported for the specified resource.",
}


def _request_id(request: Request) -> str:
    return str(request.scope.get(REQUEST_ID_KEY) or new_id())


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(_request_id(request), exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = _HTTP_MESSAGES.get(exc.status_code, exc.detail)
    return error_response(
        _request_id(request),
        ApiError(exc.status_code, errors.GENERIC, message, headers=dict(exc.headers or {})),
    )


async def _unexpected(request: Request, exc: Exception) -> Response:
    logger.exception("unexpected emulator error", exc_info=exc)
    return error_response(
        _request_id(request), ApiError(500, errors.GENERIC, f"Internal emulator error: {exc!r}")
    )


def api_routes() -> list[BaseRoute]:
    """Order matters: ``/assets/{ref}/renditions`` before ``/assets/{ref}``, variants before items."""
    return [
        *files.routes,
        *renditions.routes,
        *assets.routes,
        *folders.routes,
        *languages.routes,
        *collections.routes,
        *content_types.routes,
        *variants.routes,
        *workflows.routes,
        *items.routes,
        *new_environment.routes,
    ]


class EmulatorApp:
    """ASGI callable plus the emulator state behind it (``.emulator``); ``close()`` releases the store."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        routes = api_routes()
        starlette = Starlette(
            routes=[
                Mount("/v2/projects/{environment_id}", routes=routes),
                Mount("/_emulator", routes=admin.routes),
                *files.cdn_routes,
            ],
            exception_handlers={ApiError: _api_error, HTTPException: _http_error, Exception: _unexpected},
        )
        starlette.state.emulator = emulator
        self._asgi = Gateway(starlette, emulator, routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._asgi(scope, receive, send)

    def close(self) -> None:
        self.emulator.close()


def _initialize(store: Store, config: EmulatorConfig) -> None:
    """Seed a data directory the first time; an existing one is used as it is."""

    def init(tx: Tx) -> None:
        if tx.meta_get("initialized") is None:
            reset_state(tx, config.environment_id, config.seed)

    store.run_sync(init)


def create_app(config: EmulatorConfig) -> EmulatorApp:
    config.data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(config.data_dir)
    _initialize(store, config)
    emulator = Emulator(
        config=config,
        store=store,
        limiter=RejectingRateLimiter(config.rate_limit),
        faults=FaultInjector(),
        counters=Counters(),
    )
    return EmulatorApp(emulator)
