"""The client-side limiter: both windows hold under concurrency, shared per environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from kontent_resources.client import KontentClient, RateLimit
from kontent_resources.client.ratelimit import BlockingRateLimiter, MachineLedger, shared_limiter

from .conftest import API_KEY


class FakeClock:
    """Virtual time that moves only when every participating thread sleeps, and then to the
    earliest wake-up among them.

    So a request (from taking its slot to releasing it) takes no virtual time however the real
    threads are scheduled: a sleeping thread cannot move time past a request still in flight,
    which would make that request end later and shift the limiter's windows.
    """

    def __init__(self, participants: int = 1) -> None:
        self._now = 0.0
        self._active = participants
        self._wakes: list[float] = []  # wake-up times of the threads asleep now
        self._cond = threading.Condition()

    def time(self) -> float:
        with self._cond:
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._cond:
            wake = self._now + seconds
            self._wakes.append(wake)
            self._advance_if_all_asleep()
            while self._now < wake:
                if not self._cond.wait(timeout=30):  # not an assert: the wait must survive python -O
                    raise AssertionError("virtual time stalled: a participant never slept")

    def leave(self) -> None:
        """A participating thread is done: time no longer waits for it."""
        with self._cond:
            self._active -= 1
            self._advance_if_all_asleep()

    def _advance_if_all_asleep(self) -> None:
        if self._wakes and len(self._wakes) >= self._active:
            self._now = max(self._now, min(self._wakes))
            self._wakes = [wake for wake in self._wakes if wake > self._now]
            self._cond.notify_all()


def max_in_window(stamps: list[float], window: float) -> int:
    """Largest number of stamps in any half-open interval [t, t + window)."""
    stamps = sorted(stamps)
    best, start = 0, 0
    for end, stamp in enumerate(stamps):
        while stamp - stamps[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def hammer(
    limiter: BlockingRateLimiter,
    clock: Callable[[], float],
    threads: int,
    per_thread: int,
    leave: Callable[[], None] = lambda: None,
) -> list[float]:
    """Requests from many threads; each records its time while it holds the slot, and calls
    ``leave`` when it is done (a :class:`FakeClock`'s participants)."""
    stamps: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            for _ in range(per_thread):
                with limiter.slot():
                    stamp = clock()
                with lock:
                    stamps.append(stamp)
        finally:
            leave()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=60)
    assert len(stamps) == threads * per_thread
    return stamps


def test_per_minute_and_per_second_windows_with_fake_clock_single_thread() -> None:
    clock = FakeClock()
    limiter = BlockingRateLimiter(RateLimit(), clock=clock.time, sleep=clock.sleep)
    stamps = []
    for _ in range(1000):
        limiter.acquire()
        stamps.append(clock.time())
    assert max_in_window(stamps, 1.0) <= 10
    assert max_in_window(stamps, 60.0) <= 400
    # 400 in [0, 40), 400 in [60, 100), the last 200 in [120, 140): no time wasted.
    assert 120.0 <= stamps[-1] < 140.0


def test_windows_hold_under_concurrent_threads_with_fake_clock() -> None:
    clock = FakeClock(participants=8)
    limiter = BlockingRateLimiter(
        RateLimit(per_second=10, per_minute=400), clock=clock.time, sleep=clock.sleep
    )
    stamps = hammer(limiter, clock.time, threads=8, per_thread=125, leave=clock.leave)
    assert max_in_window(stamps, 1.0) <= 10
    assert max_in_window(stamps, 60.0) <= 400
    # As one thread: 400 in [0, 40), 400 in [60, 100), the last 200 in [120, 140).
    assert 120.0 <= max(stamps) < 140.0


def test_per_second_window_in_real_time() -> None:
    limiter = BlockingRateLimiter(RateLimit(per_second=10, per_minute=10_000))
    started = time.monotonic()
    stamps = hammer(limiter, time.monotonic, threads=4, per_thread=8)
    elapsed = time.monotonic() - started
    assert max_in_window(stamps, 1.0) <= 10
    # 32 requests at 10/s: the 31st cannot start before 3 s.
    assert elapsed >= 2.95


def test_slot_is_held_until_the_response_arrives() -> None:
    clock = FakeClock()
    limiter = BlockingRateLimiter(
        RateLimit(per_second=1, per_minute=100), clock=clock.time, sleep=clock.sleep
    )
    with limiter.slot():
        clock.sleep(5.0)  # a slow request: its slot ages only once it is over
    limiter.acquire()
    assert clock.time() >= 6.0


def test_block_for_delays_everyone() -> None:
    clock = FakeClock()
    limiter = BlockingRateLimiter(RateLimit(), clock=clock.time, sleep=clock.sleep)
    limiter.block_for(3.0)
    limiter.acquire()
    assert clock.time() >= 3.0


def test_one_shared_limiter_per_environment() -> None:
    first = shared_limiter("https://manage.kontent.ai/v2/", "ENV-A", RateLimit())
    assert shared_limiter("https://manage.kontent.ai/v2", "env-a", RateLimit()) is first
    assert shared_limiter("https://manage.kontent.ai/v2", "env-b", RateLimit()) is not first


def test_clients_of_one_environment_share_the_budget() -> None:
    """Two clients, two threads, 5 req/s between them: 12 requests need at least 2 s."""

    def ok(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"collections": [], "last_modified": None})

    limit = RateLimit(per_second=5, per_minute=1000)
    env = "shared-budget-env"
    clients = [
        KontentClient(
            env, API_KEY, "https://kontent.example", rate_limit=limit, transport=httpx.MockTransport(ok)
        )
        for _ in range(2)
    ]
    started = time.monotonic()
    threads = [threading.Thread(target=lambda c=c: [c.collections.list() for _ in range(6)]) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    elapsed = time.monotonic() - started
    for client in clients:
        client.close()
    assert elapsed >= 1.95
    assert sum(int(str(c.stats.snapshot()["attempts"])) for c in clients) == 12


def test_disabled_limit_does_not_wait() -> None:
    def ok(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"collections": []})

    env = "unlimited-env"
    with KontentClient(
        env, API_KEY, "https://kontent.example", rate_limit=None, transport=httpx.MockTransport(ok)
    ) as c:
        for _ in range(50):
            c.collections.list()
        assert c.stats.snapshot()["rate_limit_wait_seconds"] == 0.0
    limit = RateLimit(per_second=1, enabled=False)
    with KontentClient(
        env, API_KEY, "https://kontent.example", rate_limit=limit, transport=httpx.MockTransport(ok)
    ) as c:
        for _ in range(20):  # at 1/s, these would wait 19 s if the limit applied
            c.collections.list()
        assert c.stats.snapshot()["rate_limit_wait_seconds"] == 0.0


def test_limiters_sharing_a_ledger_share_the_windows(tmp_path: Path) -> None:
    """Two limiters with one ledger file (as two processes of one machine): both windows hold
    for their requests together, not for each alone."""
    clock = FakeClock(participants=6)
    path = tmp_path / "env.ratelimit.json"
    limiters = [
        BlockingRateLimiter(RateLimit(per_second=10, per_minute=60), clock=clock.time, sleep=clock.sleep,
                    ledger=MachineLedger(path, clock=clock.time))
        for _ in range(2)
    ]  # fmt: skip
    stamps: list[float] = []
    lock = threading.Lock()

    def run(limiter: BlockingRateLimiter) -> None:
        for stamp in hammer(limiter, clock.time, threads=3, per_thread=20, leave=clock.leave):
            with lock:
                stamps.append(stamp)

    pool = [threading.Thread(target=run, args=(limiter,)) for limiter in limiters]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=60)
    assert len(stamps) == 120
    assert max_in_window(stamps, 1.0) <= 10
    assert max_in_window(stamps, 60.0) <= 60
    assert json.loads(path.read_text()), "the ledger keeps the last minute's requests"


def test_a_ledger_forgets_requests_of_processes_that_died_in_flight(tmp_path: Path) -> None:
    path = tmp_path / "env.ratelimit.json"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(dead.stdout)
    path.write_text(json.dumps([[dead_pid, n, None] for n in range(10)]))  # 10 in flight forever
    limiter = BlockingRateLimiter(RateLimit(per_second=10, per_minute=400), ledger=MachineLedger(path))
    assert limiter.acquire() < 1.0, "the dead process's slots are free"
    assert all(entry[0] == os.getpid() for entry in json.loads(path.read_text()))
