"""Admin API of the emulator, under ``/_emulator`` at the server root (not under ``/v2``).

Same API key as the Management API (``Authorization: Bearer <key>``); admin requests are
neither rate limited nor counted. Errors use the Management API error object.

==========================  ================================================================
``GET /_emulator/health``   ``{"status": "ok", "environment_id": …}`` — no key needed.
``POST /_emulator/reset``   Back to the seed state: everything created is forgotten, uploaded
                            files are deleted. Faults, counters and rate limits are untouched.
                            → 200 ``{"status": "reset"}``
``POST /_emulator/seed``    Add languages, collections, content types and items (with variants);
                            body shape in ``seed.py``. → 200 ``{"created": {kind: {codename: id}}}``
``GET /_emulator/faults``   ``{"faults": [fault, …]}``
``POST /_emulator/faults``  Add a fault → 201 fault. Body (all optional but one of status,
                            drop_connection, latency_ms)::

                              {"status": 408|429|500|502|503|504, "rate": 0.3,
                               "retry_after": 1, "latency_ms": 0, "drop_connection": false,
                               "count": N, "duration_s": S, "path_contains": "/assets",
                               "methods": ["PUT"]}

                            ``rate``: share of matching requests hit (default 1.0);
                            ``retry_after``: the ``Retry-After`` header of 429/5xx answers;
                            ``latency_ms``: delay before answering (alone: only slows down);
                            ``drop_connection``: close the connection without a response;
                            ``count`` / ``duration_s``: the fault expires after N hits / S seconds.
                            Several faults may be active; the first hit one with a status or
                            drop decides, latencies add up.
``DELETE /_emulator/faults``            Remove all faults → 204
``DELETE /_emulator/faults/{id}``       Remove one fault → 204 (404 if unknown)
``GET /_emulator/counters``  ``{"total": n, "by_endpoint": {"GET /assets": n,
                             "PUT /assets/{asset_ref}": n, …}, "by_status": {"200": n, …},
                             "rate_limited": n, "faults_injected": n}`` — endpoint keys are
                             route templates; ``by_status`` has ``"dropped"`` for dropped connections.
``DELETE /_emulator/counters``          Zero the counters → 204
``GET|PUT /_emulator/rate-limit``       ``{"enabled": bool, "per_second": n, "per_minute": n}``;
                                        PUT changes the fields given and restarts the windows.
``GET|PUT /_emulator/settings``         ``{"page_size": n}`` (items per page of list endpoints).
``GET /_emulator/state``                Debug dump: settings, object counts, folders, faults, and
                                        ``unreferenced_files``: uploaded files no asset points at.
==========================  ================================================================
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import domain, errors
from .errors import ApiError
from .faults import FaultSpec
from .folders.models import read_tree
from .gateway import key_matches
from .seed import apply_seed, reset_state
from .seed_bodies import SeedPayload
from .store import Tx
from .web import by_method, emulator_of, json_response, no_content, path_param, read_body


class RateLimitUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    enabled: bool | None = None
    per_second: int | None = Field(default=None, ge=1)
    per_minute: int | None = Field(default=None, ge=1)


class SettingsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    page_size: int | None = Field(default=None, ge=1, le=10_000)
    #: A key rotation: the new key is accepted from now on and the old one is revoked (401).
    api_key: str | None = Field(default=None, min_length=8, pattern=r"^\S+$")


def _authorize(request: Request) -> None:
    if not key_matches(request.scope, emulator_of(request).config.api_key):
        raise ApiError(
            401,
            errors.GENERIC,
            "The admin API needs the emulator's API key as 'Authorization: Bearer <key>'.",
        )


async def health(request: Request) -> Response:
    return json_response({"status": "ok", "environment_id": emulator_of(request).config.environment_id})


async def reset(request: Request) -> Response:
    _authorize(request)
    emu = emulator_of(request)

    def write(tx: Tx) -> None:
        reset_state(tx, emu.config.environment_id, emu.config.seed)
        tx.after_commit(emu.store.remove_all_blobs)

    await emu.store.run(write)
    return json_response({"status": "reset"})


async def seed(request: Request) -> Response:
    _authorize(request)
    emu = emulator_of(request)
    payload = await read_body(request, SeedPayload)
    created = await emu.store.run(lambda tx: apply_seed(tx, emu.config.environment_id, payload))
    return json_response({"created": created})


async def list_faults(request: Request) -> Response:
    _authorize(request)
    return json_response({"faults": emulator_of(request).faults.list()})


async def add_fault(request: Request) -> Response:
    _authorize(request)
    spec = await read_body(request, FaultSpec)
    return json_response(emulator_of(request).faults.add(spec).describe(), 201)


async def clear_faults(request: Request) -> Response:
    _authorize(request)
    emulator_of(request).faults.clear()
    return no_content()


async def delete_fault(request: Request) -> Response:
    _authorize(request)
    if not emulator_of(request).faults.remove(path_param(request, "fault_id")):
        raise errors.not_found("The fault was not found.")
    return no_content()


async def get_counters(request: Request) -> Response:
    _authorize(request)
    return json_response(emulator_of(request).counters.snapshot())


async def reset_counters(request: Request) -> Response:
    _authorize(request)
    emulator_of(request).counters.reset()
    return no_content()


def _rate_limit_view(request: Request) -> dict[str, Any]:
    settings = emulator_of(request).limiter.settings
    return {"enabled": settings.enabled, "per_second": settings.per_second, "per_minute": settings.per_minute}


async def get_rate_limit(request: Request) -> Response:
    _authorize(request)
    return json_response(_rate_limit_view(request))


async def put_rate_limit(request: Request) -> Response:
    _authorize(request)
    update = await read_body(request, RateLimitUpdate)
    emulator_of(request).limiter.configure(update.enabled, update.per_second, update.per_minute)
    return json_response(_rate_limit_view(request))


async def get_settings(request: Request) -> Response:
    _authorize(request)
    return json_response({"page_size": emulator_of(request).config.page_size})


async def put_settings(request: Request) -> Response:
    _authorize(request)
    update = await read_body(request, SettingsUpdate)
    config = emulator_of(request).config
    if update.page_size is not None:
        config.page_size = update.page_size
    if update.api_key is not None:
        config.api_key = update.api_key
    return json_response({"page_size": config.page_size})  # a key is never echoed


_KINDS = (domain.LANGUAGE, domain.COLLECTION, domain.TYPE, domain.ITEM, domain.VARIANT, domain.ASSET,
          domain.FILE, domain.RENDITION, domain.WORKFLOW, domain.ASSET_PLACEHOLDER)  # fmt: skip


def _unreferenced_files(tx: Tx) -> int:
    """Uploaded binaries no asset points at. The real API can neither list nor delete them ("Binary
    files that are not used by any assets will not be visible in the Kontent.ai UI", API reference,
    Assets), so a client that leaves some behind cannot clean up: tests count them here."""
    return sum(1 for record in tx.all(domain.FILE) if not record.get("_asset_id"))


async def state(request: Request) -> Response:
    _authorize(request)
    emu = emulator_of(request)

    def read(tx: Tx) -> dict[str, Any]:
        return {
            "environment_id": emu.config.environment_id,
            "settings": {"page_size": emu.config.page_size, "rate_limit": _rate_limit_view(request)},
            "counts": {kind: len(tx.all(kind)) for kind in _KINDS},
            "unreferenced_files": _unreferenced_files(tx),
            "folders": read_tree(tx)["folders"],
            "faults": emu.faults.list(),
        }

    return json_response(await emu.store.run(read))


routes = [
    Route("/health", health, methods=["GET"]),
    by_method("/reset", POST=reset),
    by_method("/seed", POST=seed),
    by_method("/faults", GET=list_faults, POST=add_fault, DELETE=clear_faults),
    by_method("/faults/{fault_id}", DELETE=delete_fault),
    by_method("/counters", GET=get_counters, DELETE=reset_counters),
    by_method("/rate-limit", GET=get_rate_limit, PUT=put_rate_limit),
    by_method("/settings", GET=get_settings, PUT=put_settings),
    by_method("/state", GET=state),
]
