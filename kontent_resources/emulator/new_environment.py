"""Endpoints outside the reference that the official tools (migration toolkit, data-ops) call on
every run, answered as a new environment answers them: with nothing in it.

Assumption, documented in docs/emulator-fidelity.md ("Outside the reference"): the emulator keeps
none of these objects, so a list is always empty and a setting always its default. A write is
accepted only when it leaves the environment as it is (data-ops restores an empty preview
configuration and a disabled web spotlight on every run); any other write is refused (400), and
the methods the tools do not call are not routed (405). Shapes: the management SDK's contracts.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .errors import bad_request
from .web import Endpoint, by_method, json_response, read_json

_NO_PAGES: dict[str, None] = {"continuation_token": None, "next_page": None}
_NO_PREVIEW: dict[str, list[Any]] = {"space_domains": [], "preview_url_patterns": []}
_NO_SPOTLIGHT: dict[str, Any] = {"enabled": False, "root_type": None}

#: path → what a new environment answers to GET
READS: dict[str, Any] = {
    "/taxonomies": {"taxonomies": [], "pagination": _NO_PAGES},
    "/spaces": [],
    "/webhooks-vnext": [],
    "/roles": {"roles": []},
    "/preview-configuration": _NO_PREVIEW,
    "/web-spotlight/status": _NO_SPOTLIGHT,
}
#: path → (the body that leaves a new environment as it is, or None for no body; the answer)
NO_CHANGE_WRITES: dict[str, tuple[Any, Any]] = {
    "/preview-configuration": (_NO_PREVIEW, _NO_PREVIEW),
    "/web-spotlight/deactivate": (None, _NO_SPOTLIGHT),
}


def refuse_change(path: str, sent: Any, unchanged: Any) -> None:
    """400 for a write that would change what the emulator does not keep."""
    if unchanged is not None and sent != unchanged:
        raise bad_request(f"The emulator keeps no state for '{path}': only {unchanged!r} can be written.")


def _read(path: str, answer: Any) -> Endpoint:
    async def read(request: Request) -> Response:
        return json_response(answer)

    read.__name__ = "get_" + path.strip("/").replace("-", "_").replace("/", "_")
    return read


def _write(path: str, unchanged: Any, answer: Any) -> Endpoint:
    async def write(request: Request) -> Response:
        sent = await read_json(request) if unchanged is not None else None
        refuse_change(path, sent, unchanged)
        return json_response(answer)

    write.__name__ = "put_" + path.strip("/").replace("-", "_").replace("/", "_")
    return write


def _route(path: str) -> Any:
    handlers: dict[str, Endpoint] = {}
    if path in READS:
        handlers["GET"] = _read(path, READS[path])
    if path in NO_CHANGE_WRITES:
        handlers["PUT"] = _write(path, *NO_CHANGE_WRITES[path])
    return by_method(path, **handlers)


routes = [_route(path) for path in dict.fromkeys([*READS, *NO_CHANGE_WRITES])]
