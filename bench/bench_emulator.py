"""Emulator throughput: sustained requests/s for a mix of asset reads, upserts and list calls.

Starts ``python -m kontent_resources.emulator --no-rate-limit`` in a subprocess (fresh temporary
data dir), creates a few assets, then runs client threads for a fixed time and prints the
figures. Usage::

    python bench/bench_emulator.py [--seconds 10] [--threads 1 4 8] [--assets 20]
"""

from __future__ import annotations

import argparse
import io
import itertools
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from PIL import Image

from kontent_resources.emulator import EmulatorProcess

# The mix: half reads of one asset, 30% upserts (a durable write each), 20% first page of the list.
MIX = ["get"] * 5 + ["put"] * 3 + ["list"] * 2


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, op: str, seconds: float, ok: bool) -> None:
        with self.lock:
            self.latencies[op].append(seconds)
            self.errors += 0 if ok else 1


def photo_jpeg() -> bytes:
    """A photo-sized JPEG (849 x 565, a gradient so it compresses like a photo)."""
    buffer = io.BytesIO()
    Image.linear_gradient("L").resize((849, 565)).convert("RGB").save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def prepare(emulator: EmulatorProcess, count: int) -> list[str]:
    data = photo_jpeg()
    with emulator.client() as client:
        for index in range(count):
            upload = client.post(
                f"/files/bench-{index}.jpg", content=data, headers={"Content-Type": "image/jpeg"}
            )
            body = {
                "file_reference": {"id": upload.json()["id"], "type": "internal"},
                "title": f"Bench {index}",
            }
            client.put(f"/assets/external-id/bench-{index}", json=body).raise_for_status()
    return [f"bench-{index}" for index in range(count)]


def operations(client: httpx.Client, external_ids: list[str]) -> dict[str, Callable[[int], httpx.Response]]:
    def get(n: int) -> httpx.Response:
        return client.get(f"/assets/external-id/{external_ids[n % len(external_ids)]}")

    def put(n: int) -> httpx.Response:
        return client.put(
            f"/assets/external-id/{external_ids[n % len(external_ids)]}", json={"title": f"T{n}"}
        )

    def list_(n: int) -> httpx.Response:
        return client.get("/assets")

    return {"get": get, "put": put, "list": list_}


def worker(
    emulator: EmulatorProcess, external_ids: list[str], deadline: float, offset: int, tally: Tally
) -> None:
    with emulator.client() as client:
        ops = operations(client, external_ids)
        for n, op in enumerate(itertools.islice(itertools.cycle(MIX), offset, None)):
            if time.perf_counter() >= deadline:
                return
            started = time.perf_counter()
            response = ops[op](n + offset)
            tally.add(op, time.perf_counter() - started, response.status_code < 400)


def run(emulator: EmulatorProcess, external_ids: list[str], threads: int, seconds: float) -> None:
    tally = Tally()
    started = time.perf_counter()
    deadline = started + seconds
    pool = [
        threading.Thread(target=worker, args=(emulator, external_ids, deadline, i * 3, tally))
        for i in range(threads)
    ]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    total = sum(len(v) for v in tally.latencies.values())
    rate = total / elapsed
    head = f"threads={threads:<2} {total:>6} requests in {elapsed:4.1f} s"
    print(f"{head} -> {rate:6.0f} req/s  errors={tally.errors}")
    for op in ("get", "put", "list"):
        values = sorted(tally.latencies[op])
        if values:
            p95 = values[int(len(values) * 0.95) - 1]
            p50 = statistics.median(values)
            share = f"    {op:<4} {len(values) / elapsed:6.0f} req/s"
            print(f"{share}  p50 {p50 * 1000:6.2f} ms  p95 {p95 * 1000:6.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--assets", type=int, default=20)
    args = parser.parse_args()
    with EmulatorProcess(rate_limit=False) as emulator:
        external_ids = prepare(emulator, args.assets)
        print(f"emulator at {emulator.base_url}; mix: 50% GET asset, 30% PUT asset (upsert), 20% GET /assets")
        print(
            f"{args.assets} assets; list page = first 50; "
            "every PUT is committed (WAL, synchronous=NORMAL: durable across a kill -9)"
        )
        for threads in args.threads:
            run(emulator, external_ids, threads, args.seconds)


if __name__ == "__main__":
    main()
