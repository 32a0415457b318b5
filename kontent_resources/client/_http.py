"""The transport core shared by every API area: auth, rate limiting, retries, errors, logging."""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from ..models.common import PagedResponse
from .errors import (
    NOT_SENT_REASONS,
    KontentError,
    KontentResponseError,
    NotSentReason,
    error_from_response,
    error_from_transport,
)
from .identifiers import Identifier, path_ref
from .ratelimit import BlockingRateLimiter
from .retry import RETRY_STATUSES, ClientStats, GiveUp, RetryBudget, RetryPolicy, parse_retry_after

logger = logging.getLogger("kontent_resources.client")

BodyFactory = Callable[[], Iterable[bytes]]
"""Makes a fresh request body for each attempt, so that a retry re-sends it from the start."""

M = TypeVar("M", bound=BaseModel)
P = TypeVar("P", bound=PagedResponse)
T = TypeVar("T")


class BearerAuth(httpx.Auth):
    """Adds the API key per request; its repr never shows the key."""

    def __init__(self, api_key: str) -> None:
        self._header = f"Bearer {api_key}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:
        return "BearerAuth(***)"


# An https:// address answered by a plain-HTTP server: the TLS handshake fails the same way every time.
_NOT_TLS = frozenset({"WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "UNKNOWN_PROTOCOL", "HTTP_REQUEST"})


def _not_sent_reason(error: httpx.TransportError) -> NotSentReason | None:
    """Why ``error`` will happen again on retry (by its type and the TLS error's ``reason``),
    or None when retrying may help."""
    if isinstance(error, httpx.LocalProtocolError):
        return "invalid_http"
    if isinstance(error, httpx.UnsupportedProtocol):
        return "unsupported_scheme"
    seen: BaseException | None = error
    for _ in range(10):  # the TLS error sits a few causes down the transport's chain
        if seen is None:
            return None
        if isinstance(seen, ssl.SSLCertVerificationError):
            return "certificate_rejected"
        if isinstance(seen, ssl.SSLError) and getattr(seen, "reason", None) in _NOT_TLS:
            return "not_tls"
        seen = seen.__cause__ or seen.__context__
    return None


class _Outcome:
    """One attempt's result: a response, or the transport error that replaced it."""

    __slots__ = ("error", "response")

    def __init__(self, response: httpx.Response | None, error: httpx.TransportError | None) -> None:
        self.response = response
        self.error = error

    @property
    def retry_reason(self) -> str | None:
        if self.error is not None:
            return type(self.error).__name__
        assert self.response is not None
        return str(self.response.status_code) if self.response.status_code in RETRY_STATUSES else None

    @property
    def not_sent(self) -> NotSentReason | None:
        return _not_sent_reason(self.error) if self.error is not None else None

    @property
    def not_connected(self) -> bool:
        """No connection could be made: refused, host name not resolved, no route to the host."""
        return isinstance(self.error, httpx.ConnectError)


# A wait this long is announced: without it a rate-limited or stalled `up` looks hung.
_ANNOUNCED_WAIT = 5.0


class HttpCore:
    def __init__(
        self,
        *,
        base_url: str,
        environment_id: str,
        api_key: str,
        limiter: BlockingRateLimiter | None,
        retry: RetryPolicy,
        timeout: httpx.Timeout,
        stats: ClientStats,
        transport: httpx.BaseTransport | None = None,
        user_agent: str = "kontent-resources",
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._prefix = f"{self._base_url}/projects/{environment_id}"
        self._log_prefix = httpx.URL(self._prefix).path
        self._secrets = (api_key,)
        self._limiter = limiter
        self._retry = retry
        self._timeout = timeout
        self._stats = stats
        # Whether the server has ever answered this client, and whether a request already gave up
        # because it never did (plain flags: a stale read costs one attempt more or less).
        self._answered = False
        self._found_unreachable = False
        self._client = httpx.Client(
            auth=BearerAuth(api_key),
            timeout=timeout,
            transport=transport,
            verify=True,
            # Plain http:// is only allowed to loopback; an HTTP_PROXY/ALL_PROXY from the
            # environment must not receive those requests (and their Bearer key) in clear text.
            mounts={"http://": None},
            follow_redirects=False,
            headers={"User-Agent": user_agent, "Accept": "application/json"},
        )

    def close(self) -> None:
        self._client.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        body: BodyFactory | None = None,
        timeout: httpx.Timeout | None = None,
    ) -> httpx.Response:
        """Send with retries; return the 2xx response or raise the mapped :class:`KontentError`."""
        self._stats.count_request()
        log_path = self._log_prefix + path
        budget = RetryBudget(self._retry)
        attempt = 0
        while True:
            attempt += 1
            started = time.monotonic()
            limits = self._attempt_timeout(timeout, budget)
            outcome = self._attempt(method, path, json=json, headers=headers, body=body, timeout=limits)
            reason = outcome.retry_reason
            if reason is None:
                return self._finish(outcome, method, log_path, attempt, started)
            not_sent = outcome.not_sent
            if not_sent is not None:
                self._log(method, log_path, attempt, reason, "not retryable", started)
                stop = GiveUp("not_retryable", f"not retried: {NOT_SENT_REASONS[not_sent]}")
                raise self._error(outcome, method, log_path, stop=stop)
            unreachable = outcome.not_connected and not self._answered
            delay = self._delay(outcome, budget.record(reason))
            refusal = budget.refusal(delay, unreachable=unreachable)
            if unreachable and self._found_unreachable:
                # Every other request would wait out the same seconds: a refresh of many resources
                # would take minutes to say what the first one said.
                refusal = GiveUp(
                    "unreachable", "not retried: an earlier request found nothing answering at this address"
                )
            if refusal is not None:
                self._found_unreachable = self._found_unreachable or unreachable
                self._log(method, log_path, attempt, reason, "giving up", started)
                raise self._error(
                    outcome, method, log_path, stop=refusal, retry_after=delay, unreachable=unreachable
                )
            self._log(method, log_path, attempt, reason, f"retrying in {delay:.2f}s", started)
            self._announce(method, log_path, reason, delay, budget)
            self._stats.count_retry(reason, delay)
            if reason == "429" and self._limiter is not None:
                self._limiter.block_for(delay)
            time.sleep(delay)

    def _attempt_timeout(self, timeout: httpx.Timeout | None, budget: RetryBudget) -> httpx.Timeout:
        """The attempt's timeouts, none longer than what is left of the request's deadline."""
        base = timeout or self._timeout
        left = budget.remaining()

        def cap(value: float | None) -> float:
            return left if value is None else min(value, left)

        return httpx.Timeout(
            connect=cap(base.connect), read=cap(base.read), write=cap(base.write), pool=cap(base.pool)
        )

    def _announce(self, method: str, path: str, reason: str, delay: float, budget: RetryBudget) -> None:
        if delay < _ANNOUNCED_WAIT and budget.elapsed < _ANNOUNCED_WAIT * 6:
            return
        why = "rate limited (429)" if reason == "429" else f"no usable answer ({reason})"
        logger.warning(
            "%s %s: %s; retrying in %.0f s (%.0f s spent, the request gives up at %.0f s)",
            method,
            path,
            why,
            delay,
            budget.elapsed,
            self._retry.deadline,
        )

    def request_model(self, method: str, path: str, model: type[M], **kwargs: Any) -> M:
        """Like :meth:`request`, returning the body parsed into ``model``."""
        return self.decode(self.request(method, path, **kwargs), model)

    def decode(self, response: httpx.Response, model: type[M]) -> M:
        """Parse a 2xx body; a body that does not fit raises :class:`KontentResponseError`."""
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            problem = exc.errors(include_url=False, include_input=False)[0]
            where = ".".join(str(part) for part in problem["loc"]) or "body"
            raise KontentResponseError(
                f"unexpected {model.__name__} response ({where}: {problem['msg']})",
                status=response.status_code,
                request_id=response.headers.get("x-request-id"),
                method=response.request.method,
                path=response.request.url.path,
            ) from None

    def iter_pages(self, path: str, model: type[P]) -> Iterator[P]:
        """Every page of a list endpoint, following ``pagination.continuation_token``."""
        token: str | None = None
        seen: set[str] = set()
        while True:
            headers = {"x-continuation": token} if token else None
            page = self.request_model("GET", path, model, headers=headers)
            yield page
            token = page.pagination.continuation_token
            if not token:
                return
            if token in seen:
                raise KontentError(f"the API repeated a continuation token while listing {path}")
            seen.add(token)

    def _attempt(
        self,
        method: str,
        path: str,
        *,
        json: Any,
        headers: Mapping[str, str] | None,
        body: BodyFactory | None,
        timeout: httpx.Timeout | None,
    ) -> _Outcome:
        content = body() if body is not None else None
        try:
            with self._slot() as waited:
                self._stats.count_attempt(waited)
                response = self._client.request(
                    method,
                    self._prefix + path,
                    json=json,
                    content=content,
                    headers=headers,
                    timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT,
                )
            self._answered = True
            return _Outcome(response, None)
        except httpx.TransportError as exc:
            return _Outcome(None, exc)
        finally:
            _close(content)

    def _slot(self) -> AbstractContextManager[float]:
        return self._limiter.slot() if self._limiter is not None else nullcontext(0.0)

    def _delay(self, outcome: _Outcome, retry_number: int) -> float:
        if outcome.response is not None:
            hinted = parse_retry_after(outcome.response.headers.get("Retry-After"))
            if hinted is not None:
                return self._retry.after_retry_after(hinted)
        return self._retry.backoff(retry_number)

    def _finish(
        self, outcome: _Outcome, method: str, log_path: str, attempt: int, started: float
    ) -> httpx.Response:
        response = outcome.response
        assert response is not None
        final = "done" if response.is_success else "not retryable"
        self._log(method, log_path, attempt, str(response.status_code), final, started)
        if response.is_success:
            return response
        raise self._error(outcome, method, log_path)

    def _error(
        self,
        outcome: _Outcome,
        method: str,
        log_path: str,
        *,
        stop: GiveUp | None = None,
        retry_after: float | None = None,
        unreachable: bool = False,
    ) -> KontentError:
        error: KontentError
        if outcome.error is not None:
            error = error_from_transport(
                outcome.error,
                method=method,
                path=log_path,
                not_sent=outcome.not_sent,
                unreachable_base_url=self._base_url if unreachable else None,
            )
            error.__cause__ = outcome.error
        else:
            assert outcome.response is not None
            error = error_from_response(outcome.response, method=method, path=log_path, secrets=self._secrets)
            if outcome.response.status_code == 429:
                error.retry_after = retry_after
        if stop is not None:
            error.retries, error.retries_stopped_by = stop.text, stop.why
        return error

    def _log(self, method: str, path: str, attempt: int, outcome: str, then: str, started: float) -> None:
        if not logger.isEnabledFor(logging.DEBUG):
            return
        elapsed = (time.monotonic() - started) * 1000
        logger.debug("%s %s attempt %d: %s after %.1f ms, %s", method, path, attempt, outcome, elapsed, then)


def _close(content: object) -> None:
    close = getattr(content, "close", None)
    if callable(close):
        close()


class ApiArea:
    """One area of the API (``client.assets``, ``client.items``, …): its calls go through ``http``."""

    def __init__(self, http: HttpCore) -> None:
        self._http = http

    def _get(self, collection: str, ref: Identifier, what: str, model: type[M]) -> M:
        """``GET /<collection>/<ref>``: one object of the area, ``what`` naming it in errors."""
        return self._http.request_model("GET", f"/{collection}/{path_ref(ref, what=what)}", model)

    def _list(self, path: str, model: type[P], objects: Callable[[P], Iterable[T]]) -> Iterator[T]:
        """Every object a list endpoint has, page by page (``objects``: those of one page)."""
        for page in self._http.iter_pages(path, model):
            yield from objects(page)
