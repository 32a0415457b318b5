"""Retry-After parsing and backoff bounds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kontent_resources.client import RetryPolicy
from kontent_resources.client.retry import NO_RETRY, RetryBudget, parse_retry_after


@pytest.mark.parametrize(("value", "expected"), [("1", 1.0), (" 30 ", 30.0), ("0", 0.0), ("2.5", 2.5)])
def test_retry_after_seconds(value: str, expected: float) -> None:
    assert parse_retry_after(value) == expected


def test_retry_after_http_date() -> None:
    now = datetime(2024, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Mon, 01 Jan 2024 12:00:07 GMT", now=now) == 7.0
    assert parse_retry_after("Mon, 01 Jan 2024 11:00:00 GMT", now=now) == 0.0


@pytest.mark.parametrize("value", [None, "", "soon", "-"])
def test_retry_after_unusable(value: str | None) -> None:
    assert parse_retry_after(value) is None


def test_backoff_grows_from_one_second_with_jitter_and_cap() -> None:
    policy = RetryPolicy()
    for _ in range(50):
        assert 0.75 <= policy.backoff(1) <= 1.25
        assert 1.5 <= policy.backoff(2) <= 2.5
        assert policy.backoff(20) <= policy.max_delay * 1.25


def test_a_short_retry_after_is_waited_out_plus_a_random_part_of_a_second() -> None:
    """The API rounds its wait up to whole seconds: a client told "1 s" each time would come back
    at the same point of the second, where another machine's run keeps the window full (issue 37)."""
    policy = RetryPolicy()
    waits = [policy.after_retry_after(1.0) for _ in range(200)]
    assert all(1.0 <= wait <= 1.0 + policy.retry_after_jitter for wait in waits), "never sooner than told"
    assert max(waits) - min(waits) > policy.retry_after_jitter / 2, "spread over the extra"
    assert 2.0 <= policy.after_retry_after(2.0) <= 2.0 + policy.retry_after_jitter


@pytest.mark.parametrize("seconds", [0.0, 2.5, 20.0, 90.0])
def test_now_and_a_wait_for_the_minute_window_are_kept_exact(seconds: float) -> None:
    assert RetryPolicy().after_retry_after(seconds) == seconds
    assert RetryPolicy(retry_after_jitter=0.0).after_retry_after(1.0) == 1.0


def test_policy_validation() -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)


def test_budget_counts_429_separately_and_bounds_the_whole_request() -> None:
    now = [0.0]
    policy = RetryPolicy(max_attempts=2, max_rate_limited_attempts=3, deadline=10.0)
    budget = RetryBudget(policy, clock=lambda: now[0])
    assert budget.record("503") == 1
    assert budget.refusal(1.0) is None
    assert budget.record("429") == 1
    now[0] = 6.0  # the attempts took time too: it counts against the deadline
    assert budget.refusal(1.0) is None
    assert budget.record("429") == 2
    past_deadline = budget.refusal(4.5)
    assert past_deadline is not None
    assert past_deadline.why == "deadline"
    assert "past the request's deadline of 10 s" in past_deadline.text
    assert budget.remaining() == policy.min_attempt_time, "an attempt near the end still gets its minimum"
    assert budget.record("ConnectError") == 2
    out_of_attempts = budget.refusal(0.0)
    assert out_of_attempts is not None
    assert out_of_attempts.why == "attempts"
    assert "after 2 failed attempts" in out_of_attempts.text


def test_attempts_wait_at_most_what_is_left_of_the_deadline() -> None:
    now = [0.0]
    budget = RetryBudget(RetryPolicy(deadline=100.0, min_attempt_time=5.0), clock=lambda: now[0])
    assert budget.remaining() == 100.0
    now[0] = 70.0
    assert budget.remaining() == 30.0
    now[0] = 99.0
    assert budget.remaining() == 5.0


def test_no_retry_policy_never_retries() -> None:
    for reason in ("429", "503"):
        budget = RetryBudget(NO_RETRY)
        budget.record(reason)
        assert budget.refusal(0.0) is not None
