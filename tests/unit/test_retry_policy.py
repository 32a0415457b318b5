"""Retry-After parsing and backoff bounds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kontent_resources.client import NO_RETRY, RetryPolicy, parse_retry_after
from kontent_resources.client.retry import RetryBudget


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


def test_policy_validation() -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)


def test_budget_counts_429_separately_and_bounds_total_wait() -> None:
    budget = RetryBudget(RetryPolicy(max_attempts=2, max_rate_limited_attempts=3, max_total_wait=10.0))
    assert budget.record("503") == 1
    assert budget.allows(1.0)
    assert budget.record("429") == 1
    assert budget.allows(1.0)
    assert budget.record("429") == 2
    assert not budget.allows(8.5), "would exceed max_total_wait"
    assert budget.record("ConnectError") == 2
    assert not budget.allows(0.0), "max_attempts reached for non-429 failures"


def test_no_retry_policy_never_retries() -> None:
    for reason in ("429", "503"):
        budget = RetryBudget(NO_RETRY)
        budget.record(reason)
        assert not budget.allows(0.0)
