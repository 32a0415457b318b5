"""A scriptable HTTP server speaking the Management API's wire format, for client tests.

Run as a subprocess (``python _scripted_server.py``): it prints ``PORT <n>`` and serves on
127.0.0.1 until its stdin closes. Tests queue canned responses with ``POST /__admin/script``
(served in order to whatever API request comes next) and read what was received with
``GET /__admin/requests``. Request bodies are hashed and counted while streaming, never
buffered, so multi-gigabyte uploads cost the server no memory.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import socket
import sys
import threading
import uuid
from collections import deque
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

_KEEP_BODY = 256 * 1024

script: deque[dict[str, Any]] = deque()
received: list[dict[str, Any]] = []


async def admin_script(request: Request) -> Response:
    script.extend(await request.json())
    return JSONResponse({"queued": len(script)})


async def admin_requests(request: Request) -> Response:
    return JSONResponse(received)


async def admin_reset(request: Request) -> Response:
    script.clear()
    received.clear()
    return JSONResponse({})


async def _consume(request: Request) -> dict[str, Any]:
    digest, size, kept = hashlib.sha256(), 0, bytearray()
    async for chunk in request.stream():
        digest.update(chunk)
        size += len(chunk)
        if size <= _KEEP_BODY:
            kept += chunk
    body: Any = None
    if kept and size <= _KEEP_BODY:
        try:
            body = json.loads(kept)
        except ValueError:
            body = None
    return {"size": size, "sha256": digest.hexdigest(), "json": body}


def _default(method: str, path: str) -> dict[str, Any]:
    if method == "POST" and "/files/" in path:
        return {"status": 200, "json": {"id": str(uuid.uuid4()), "type": "internal"}}
    return {"status": 404, "json": {"request_id": "scripted", "error_code": 0, "message": "nothing scripted"}}


async def api(request: Request) -> Response:
    raw_path = request.scope["raw_path"].decode("latin-1")
    entry = {"method": request.method, "path": raw_path, "headers": dict(request.headers)}
    entry.update(await _consume(request))
    received.append(entry)
    spec = script.popleft() if script else _default(request.method, raw_path)
    if spec.get("delay"):
        await asyncio.sleep(float(spec["delay"]))
    content = json.dumps(spec["json"]) if "json" in spec else spec.get("body", "")
    return Response(
        content=content,
        status_code=int(spec.get("status", 200)),
        headers=spec.get("headers") or {},
        media_type="application/json",
    )


METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
app = Starlette(
    routes=[
        Route("/__admin/script", admin_script, methods=["POST"]),
        Route("/__admin/requests", admin_requests, methods=["GET"]),
        Route("/__admin/reset", admin_reset, methods=["POST"]),
        Route("/{path:path}", api, methods=METHODS),
    ]
)


def _exit_when_parent_goes() -> None:
    sys.stdin.read()
    os._exit(0)


def main() -> None:
    # IPPROTO_TCP explicitly: only then does asyncio set TCP_NODELAY on accepted connections
    # (Nagle + delayed ACK would otherwise add ~40 ms to every response).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    print(f"PORT {sock.getsockname()[1]}", flush=True)
    threading.Thread(target=_exit_when_parent_goes, daemon=True).start()
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
