"""What happens to every Management API request before its handler runs, in the real API's order.

request id → counters → environment path → API key → injected faults → rate limit → route.
Admin (``/_emulator``) and file-download (``/assets``) requests bypass all of it.
"""

from __future__ import annotations

import hmac
import re

import anyio
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import errors
from .context import Emulator
from .errors import ApiError, error_response
from .faults import Decision
from .util import new_id
from .web import REQUEST_ID_KEY

#: Key under ``scope["state"]`` where the server puts the connection's transport (see server.py),
#: so that a fault can really drop the connection.
TRANSPORT_STATE_KEY = "kontent_emulator_transport"
_API_PATH = re.compile(r"^/v2/projects/([^/]+)(/.*)?$")
_CONVERTOR = re.compile(r":\w+}")
_UNAUTHORIZED = (
    "The request is not authorized: send the environment's Management API key as "
    "'Authorization: Bearer <key>'."
)


_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_FORBIDDEN = "The API key does not have the permission this request needs (it may only read)."


def bearer_token(scope: Scope) -> str | None:
    """The key of an ``Authorization: Bearer <key>`` header; the scheme is case-insensitive."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").strip().partition(" ")
            return token.strip() if scheme.lower() == "bearer" and token.strip() else None
    return None


def key_matches(scope: Scope, api_key: str) -> bool:
    token = bearer_token(scope)
    return token is not None and hmac.compare_digest(token.encode(), api_key.encode())


class Gateway:
    def __init__(self, app: ASGIApp, emulator: Emulator, api_routes: list[BaseRoute]) -> None:
        self.app = app
        self.emulator = emulator
        self.api_routes = [r for r in api_routes if isinstance(r, Route)]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v2/"):
            await self.app(scope, receive, send)
            return
        scope[REQUEST_ID_KEY] = new_id()
        match = _API_PATH.match(scope["path"])
        relative = (match.group(2) or "/") if match else scope["path"]
        endpoint = f"{scope['method']} {self.template(scope['method'], relative)}"
        status: list[int | None] = [None]

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
            await send(message)

        try:
            await self._process(scope, receive, recording_send, match)
        finally:
            self.emulator.counters.record(endpoint, status[0])

    def template(self, method: str, relative: str) -> str:
        """Route template of a path (``/assets/{asset_ref}``), used as the counters' key."""
        fallback: str | None = None
        for route in self.api_routes:
            if route.path_regex.match(relative):
                template = _CONVERTOR.sub("}", route.path)
                if route.methods is None or method in route.methods:
                    return template
                fallback = fallback or template
        return fallback or relative

    async def _process(self, scope: Scope, receive: Receive, send: Send, match: re.Match[str] | None) -> None:
        request_id: str = scope[REQUEST_ID_KEY]
        config = self.emulator.config
        if match is None:
            await error_response(
                request_id, ApiError(404, errors.GENERIC, "The requested resource was not found.")
            )(scope, receive, send)
            return
        read_only = config.read_only_key is not None and key_matches(scope, config.read_only_key)
        if not read_only and not key_matches(scope, config.api_key):
            await error_response(request_id, ApiError(401, errors.GENERIC, _UNAUTHORIZED))(
                scope, receive, send
            )
            return
        if read_only and scope["method"] not in _READ_METHODS:
            await error_response(request_id, ApiError(403, errors.GENERIC, _FORBIDDEN))(scope, receive, send)
            return
        if match.group(1).lower() != config.environment_id.lower():
            message = f"The requested environment '{match.group(1)}' was not found."
            await error_response(request_id, ApiError(404, errors.GENERIC, message))(scope, receive, send)
            return
        if await self._apply_faults(scope, receive, send):
            return
        retry_after = self.emulator.limiter.acquire()
        if retry_after is not None:
            self.emulator.counters.rate_limited()
            await _too_many(request_id, retry_after)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _apply_faults(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """Apply injected faults; True when the request has been answered (or dropped)."""
        decision: Decision = self.emulator.faults.decide(scope["method"], scope["path"])
        if not decision.fired:
            return False
        self.emulator.counters.fault_injected()
        if decision.latency_s:
            await anyio.sleep(decision.latency_s)
        if decision.drop:
            await _drop_connection(scope, receive)
            return True
        if decision.status is None:
            return False
        request_id: str = scope[REQUEST_ID_KEY]
        if decision.status == 429:
            response = _too_many(request_id, decision.retry_after or 0)
        else:
            message = f"Injected fault: the emulator answers {decision.status} on purpose."
            headers = {"Retry-After": str(decision.retry_after)} if decision.retry_after else None
            response = error_response(
                request_id, ApiError(decision.status, errors.GENERIC, message, headers=headers)
            )
        await response(scope, receive, send)
        return True


def _too_many(request_id: str, retry_after: int) -> JSONResponse:
    headers = {"Retry-After": str(retry_after)}
    return error_response(
        request_id, ApiError(429, errors.RATE_LIMITED, errors.RATE_LIMIT_MESSAGE, headers=headers)
    )


async def _drop_connection(scope: Scope, receive: Receive) -> None:
    """Close the TCP connection without any response, so the client sees a transport error."""
    transport = scope.get("state", {}).get(TRANSPORT_STATE_KEY)
    if transport is None:  # not served by our uvicorn setup (e.g. an in-process ASGI transport)
        raise ConnectionResetError("injected fault: connection dropped")
    transport.abort()
    # Wait until the server notices, so it does not try to answer the dead connection.
    with anyio.move_on_after(5):
        while (await receive())["type"] != "http.disconnect":
            pass
