"""Continuation-token pagination, the way the real list endpoints page.

The token is opaque to clients; it encodes the position (insertion sequence) of the last
object returned, so objects added or removed meanwhile neither repeat nor shift pages.
Clients pass it back in the ``x-continuation`` header (or the ``continuationToken``
query parameter of ``pagination.next_page``).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from . import domain
from .errors import InvalidContinuationError
from .store import Doc, Tx
from .web import api_base, emulator_of, json_response

_PREFIX = "kemu:"


def encode_token(seq: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{seq}".encode()).decode("ascii")


def decode_token(token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token.encode("ascii")).decode("ascii")
        if not text.startswith(_PREFIX):
            raise ValueError(text)
        return int(text.removeprefix(_PREFIX))
    except (ValueError, binascii.Error, UnicodeError) as exc:
        raise InvalidContinuationError(
            "Query parameter 'continuationToken' is invalid. Please include the valid token "
            "specified in the pagination response.",
        ) from exc


def continuation_of(request: Request) -> str | None:
    return request.headers.get("x-continuation") or request.query_params.get("continuationToken") or None


def list_page(
    tx: Tx,
    kind: str,
    *,
    token: str | None,
    page_size: int,
    next_url: str,
    render: Callable[[Doc], dict[str, Any]],
    parent: str | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One page of ``kind`` documents and the ``pagination`` object to return with it."""
    after = decode_token(token) if token else 0
    rows = tx.page(kind, after, page_size + 1, parent)
    has_more = len(rows) > page_size
    rows = rows[:page_size]
    next_token = encode_token(rows[-1][0]) if has_more and rows else None
    return [render(doc) for _, doc in rows], pagination_of(next_url, next_token)


def pagination_of(next_url: str, next_token: str | None) -> dict[str, Any]:
    """The ``pagination`` object of a page: where the next one is, or nulls on the last page."""
    if next_token is None:
        return {"continuation_token": None, "next_page": None}
    return {"continuation_token": next_token, "next_page": f"{next_url}?continuationToken={next_token}"}


async def paginated_response(request: Request, kind: str, key: str, suffix: str) -> Response:
    """The page of ``kind`` the request asks for, as ``{key: [...], "pagination": {...}}``."""
    emu = emulator_of(request)
    token = continuation_of(request)
    next_url = api_base(request) + suffix

    def read(tx: Tx) -> dict[str, object]:
        page, pagination = list_page(
            tx, kind, token=token, page_size=emu.config.page_size, next_url=next_url, render=domain.public
        )
        return {key: page, "pagination": pagination}

    return json_response(await emu.store.run(read))
