"""A certificate that fails verification is not retried; other connection errors are.

(That ``http://`` loopback requests never go to a proxy from the environment is tested end to end
with a real proxy in tests/reliability/test_security.py.)
"""

from __future__ import annotations

import ssl
from collections.abc import Callable

import httpx
import pytest

from kontent_resources.client import (
    KontentClient,
    KontentConnectionError,
    KontentError,
    KontentRequestNotSentError,
    RateLimit,
    RetryPolicy,
)

ENV = "11111111-1111-4111-8111-111111111111"
Handler = Callable[[httpx.Request], httpx.Response]


def _client(handler: Handler, attempts: int) -> KontentClient:
    return KontentClient(
        ENV,
        "key",
        "https://manage.example",
        rate_limit=RateLimit(enabled=False),
        retry=RetryPolicy(max_attempts=attempts, base_delay=0.01, max_delay=0.01),
        transport=httpx.MockTransport(handler),
    )


def _failing(calls: list[httpx.Request], certificate: bool) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        error = httpx.ConnectError("connection failed", request=request)
        if certificate:
            error.__cause__ = ssl.SSLCertVerificationError(
                1, "certificate verify failed: self-signed certificate"
            )
        raise error

    return handler


@pytest.mark.parametrize(
    ("certificate", "expected_calls", "error"),
    [(True, 1, KontentRequestNotSentError), (False, 3, KontentConnectionError)],
)
def test_only_certificate_failures_skip_the_retries(
    certificate: bool, expected_calls: int, error: type[KontentError]
) -> None:
    calls: list[httpx.Request] = []
    with _client(_failing(calls, certificate), attempts=3) as client, pytest.raises(error) as caught:
        client.languages.get("codename/en-US")
    assert len(calls) == expected_calls
    if certificate:
        assert "not retried: the server's TLS certificate was rejected" in str(caught.value)
