"""Client overhead benchmark: KontentClient vs raw httpx against an unthrottled local server.

Run: ``.venv/bin/python bench/bench_client.py [--requests N] [--rounds R]``

The server (this same file with ``--serve``) runs in a subprocess so that its CPU time is not
charged to the client. Both sides do the same sequential GETs of one asset over keep-alive
connections; the client additionally validates the path, runs the retry loop and parses the
JSON into the ``Asset`` model. Overhead per request = (client time - raw time) / N.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ENV_ID = "11111111-2222-3333-4444-555555555555"
API_KEY = "bench-key"
ASSET_ID = "fcbb12e6-66a3-4672-85d9-d502d16b8d9c"
ASSET = {
    "id": ASSET_ID,
    "file_name": "which-brewing-fits-you-1080px.jpg",
    "title": "Coffee Brewing Techniques",
    "size": 125770,
    "type": "image/jpeg",
    "url": f"https://assets-us-01.kc-usercontent.com/{ENV_ID}/{ASSET_ID}/which-brewing-fits-you-1080px.jpg",
    "image_width": 1000,
    "image_height": 666,
    "file_reference": {"id": ASSET_ID, "type": "internal"},
    "folder": {"id": "4033071a-5bc1-48da-8342-d129bb967d1d"},
    "collection": {"reference": None},
    "codename": "coffee_brewing",
    "external_id": "xid",
    "descriptions": [
        {
            "language": {"id": "00000000-0000-0000-0000-000000000000"},
            "description": "Coffee Brewing Techniques",
        }
    ],
    "elements": [],
    "last_modified": "2017-09-12T08:29:36.1645977Z",
}


def serve() -> None:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    body = json.dumps(ASSET).encode()

    async def asset(request: Request) -> Response:
        return Response(body, media_type="application/json")

    app = Starlette(routes=[Route("/v2/projects/{env}/assets/{ref:path}", asset)])
    # An explicit IPPROTO_TCP makes asyncio set TCP_NODELAY on accepted connections; with
    # proto 0 it does not, and Nagle + delayed ACK add ~40 ms to every response.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    # Exit with the parent: stdin closes when the benchmark process ends, however it ends.
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])


def start_server() -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    port = process.stdout.readline().strip()
    return process, f"http://127.0.0.1:{port}/v2"


def timed(run: Callable[[int], None], n: int) -> tuple[float, float]:
    """Wall-clock and this process's CPU seconds for ``run(n)``."""
    wall, cpu = time.perf_counter(), time.process_time()
    run(n)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve()
        return

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import httpx

    from kontent_resources.client import KontentClient, RateLimit

    process, base_url = start_server()
    url = f"{base_url}/projects/{ENV_ID}/assets/{ASSET_ID}"
    raw = httpx.Client(headers={"Authorization": f"Bearer {API_KEY}"}, timeout=30.0)
    client = KontentClient(ENV_ID, API_KEY, base_url, rate_limit=None)
    huge = RateLimit(per_second=10**9, per_minute=10**9)
    limited = KontentClient(ENV_ID, API_KEY, base_url, rate_limit=huge)

    def run_raw(n: int) -> None:
        for _ in range(n):
            response = raw.get(url)
            response.raise_for_status()
            response.json()

    def run_client(n: int) -> None:
        for _ in range(n):
            client.assets.get(ASSET_ID)

    def run_limited(n: int) -> None:
        for _ in range(n):
            limited.assets.get(ASSET_ID)

    def run_threads(n: int) -> None:
        workers = [threading.Thread(target=run_client, args=(n // 4,)) for _ in range(4)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    runs = {"raw httpx": run_raw, "KontentClient": run_client, "KontentClient+limiter": run_limited}
    try:
        for run in runs.values():
            run(200)  # warm up connections and code paths
        walls: dict[str, list[float]] = {name: [] for name in runs}
        cpus: dict[str, list[float]] = {name: [] for name in runs}
        for round_number in range(args.rounds):
            order = list(runs) if round_number % 2 == 0 else list(reversed(runs))
            for name in order:  # interleaved and alternated, so drift hits every variant alike
                wall_seconds, cpu_seconds = timed(runs[name], args.requests)
                walls[name].append(wall_seconds)
                cpus[name].append(cpu_seconds)
        threaded = statistics.median(timed(run_threads, args.requests)[0] for _ in range(args.rounds))
    finally:
        raw.close()
        client.close()
        limited.close()
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=10)

    n = args.requests
    wall = {name: statistics.median(values) for name, values in walls.items()}
    cpu = {name: statistics.median(values) / n * 1e6 for name, values in cpus.items()}
    print(f"{n} sequential GET /assets/{{id}} per round, {args.rounds} rounds, median round")
    print(f"  {'':<24} {'req/s':>8} {'wall us/req':>12} {'client CPU us/req':>18}")
    for name, seconds in wall.items():
        print(f"  {name:<24} {n / seconds:8.0f} {seconds / n * 1e6:12.1f} {cpu[name]:18.1f}")
    wall_overhead = (wall["KontentClient"] - wall["raw httpx"]) / n * 1e6
    print(
        f"  client overhead vs raw httpx: {cpu['KontentClient'] - cpu['raw httpx']:.1f} us CPU/request, "
        f"{wall_overhead:.1f} us wall/request (path check, retry loop, model parse)"
    )
    limiter = cpu["KontentClient+limiter"] - cpu["KontentClient"]
    print(f"  limiter bookkeeping (limits never binding): {limiter:.1f} us CPU/request")
    print(f"  KontentClient, 4 threads:  {n / threaded:8.0f} req/s (server is single-process uvicorn)")
    print(f"  client stats: {client.stats.snapshot()}")


if __name__ == "__main__":
    main()
