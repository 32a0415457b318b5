"""Progress lines of long provider work: how far a task is, and why requests wait."""

from __future__ import annotations

import threading
import time

from kontent_resources.client.ratelimit import BlockingRateLimiter, RateLimit, Wait
from kontent_resources.providers.progress import Reporter


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_line_every_interval_while_a_task_runs_and_none_after() -> None:
    clock, written = Clock(), list[str]()
    reporter = Reporter(written.append, waits=lambda: None, clock=clock, interval=8.0)
    with reporter.task("asset set: creating members", 1000) as task:
        for _ in range(350):
            task.advance()
        clock.now += 7.9
        reporter.tick()
        assert written == [], "nothing before the interval"
        clock.now += 0.1
        reporter.tick()
        assert written == ["kontent: asset set: creating members: 350 of 1,000 done"]
    clock.now += 30
    reporter.tick()
    assert len(written) == 1, "no task, no wait: nothing to say"


def test_a_wait_says_how_long_and_why() -> None:
    clock, written = Clock(), list[str]()
    wait = Wait(until=clock.now + 20, reason="the API's limit of 400 requests per minute")
    reporter = Reporter(written.append, waits=lambda: wait, clock=clock, interval=8.0)
    clock.now += 8
    reporter.tick()
    assert written == ["kontent: waiting 12 s for the API's limit of 400 requests per minute"]


def test_the_limiter_reports_the_wait_of_a_request_it_holds_back() -> None:
    limiter = BlockingRateLimiter(RateLimit(per_second=10, per_minute=3))
    for _ in range(3):
        limiter.acquire()
    assert limiter.longest_wait() is None
    waiter = threading.Thread(target=limiter.acquire, daemon=True)
    waiter.start()
    deadline = time.monotonic() + 5
    while limiter.longest_wait() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    wait = limiter.longest_wait()
    assert wait is not None
    assert wait.reason == "the API's limit of 3 requests per minute"
    assert 55 < wait.until - time.monotonic() <= 60
