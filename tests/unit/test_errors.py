"""Mapping responses to exceptions, and how they read."""

from __future__ import annotations

import json

import httpx
import pytest

from kontent_resources.client import (
    KontentAuthenticationError,
    KontentBadRequestError,
    KontentClientError,
    KontentConflictError,
    KontentConnectionError,
    KontentError,
    KontentMethodNotAllowedError,
    KontentNotFoundError,
    KontentPermissionError,
    KontentRateLimitError,
    KontentRequestNotSentError,
    KontentServerError,
    KontentTimeoutError,
    KontentValidationError,
)
from kontent_resources.client.errors import error_from_response, error_from_transport
from kontent_resources.providers.errors import explain
from tests.reference import PAYLOADS

from .conftest import API_KEY


def _response(status: int, body: object = None, text: str | None = None) -> httpx.Response:
    if text is not None:
        return httpx.Response(status, text=text)
    return httpx.Response(status, json=body if body is not None else {"message": "m", "error_code": 1})


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, KontentBadRequestError),
        (401, KontentAuthenticationError),
        (403, KontentPermissionError),
        (404, KontentNotFoundError),
        (405, KontentMethodNotAllowedError),
        (408, KontentTimeoutError),
        (409, KontentConflictError),
        (413, KontentClientError),
        (429, KontentRateLimitError),
        (500, KontentServerError),
        (503, KontentServerError),
    ],
)
def test_status_maps_to_class(status: int, cls: type[KontentError]) -> None:
    error = error_from_response(_response(status), method="GET", path="/p")
    assert type(error) is cls
    assert error.status == status


@pytest.mark.recorded_reference
def test_validation_error_from_real_payload() -> None:
    body = json.loads((PAYLOADS / "sdk-js/errors/cm-error-with-validation-errors.json").read_text())
    error = error_from_response(_response(400, body), method="POST", path="/v2/projects/e/folders")
    assert isinstance(error, KontentValidationError)
    assert isinstance(error, KontentBadRequestError)
    assert error.error_code == 5
    assert error.request_id == "4df10acd-4c69-4043-854f-bc175adbeb8f"
    text = str(error)
    assert text.splitlines()[0].startswith("400 Bad Request: The provided request body is invalid")
    assert "POST /v2/projects/e/folders" in text
    assert "request_id: 4df10acd-4c69-4043-854f-bc175adbeb8f" in text
    assert "- Provide a nonempty name which fits within 50 characters." in text


def test_validation_error_paths_are_rendered() -> None:
    body = {
        "request_id": "r",
        "error_code": 5,
        "message": "invalid",
        "validation_errors": [{"message": "bad date", "path": "elements.post_date"}],
    }
    error = error_from_response(_response(400, body), method="PUT", path="/x")
    assert "elements.post_date: bad date" in str(error)
    assert error.validation_errors[0].path == "elements.post_date"


def test_non_json_body() -> None:
    error = error_from_response(_response(502, text="<html>Bad gateway</html>"), method="GET", path="/x")
    assert isinstance(error, KontentServerError)
    assert "Bad gateway" in error.message


def test_echoed_key_is_redacted() -> None:
    body = {"message": f"token Bearer {API_KEY} is invalid", "request_id": "r"}
    error = error_from_response(_response(401, body), method="GET", path="/x", secrets=[API_KEY])
    assert API_KEY not in str(error)
    assert API_KEY not in repr(error)
    assert "***" in error.message


def test_transport_errors() -> None:
    request = httpx.Request("GET", "https://example.invalid/x")
    timeout = error_from_transport(httpx.ReadTimeout("timed out", request=request), method="GET", path="/x")
    assert isinstance(timeout, KontentTimeoutError)
    refused = error_from_transport(httpx.ConnectError("refused", request=request), method="GET", path="/x")
    assert isinstance(refused, KontentConnectionError)
    assert "ConnectError" in str(refused)


def test_advice_follows_the_attributes_not_the_message_text() -> None:
    past_deadline = KontentRateLimitError("rate limited", status=429)
    past_deadline.retry_after, past_deadline.retries_stopped_by = 900.0, "deadline"
    past_deadline.retries = "gave up after 12 s"  # the words do not decide
    assert "longer than one request may take" in str(explain(past_deadline, "create asset 'Logo'"))

    out_of_attempts = KontentRateLimitError("rate limited", status=429)
    out_of_attempts.retry_after, out_of_attempts.retries_stopped_by = 2.0, "rate_limited"
    out_of_attempts.retries = "past the deadline, by its words"
    assert "kept answering 429" in str(explain(out_of_attempts, "create asset 'Logo'"))

    rejected = KontentRequestNotSentError("SSLCertVerificationError", reason="certificate_rejected")
    assert "SSL_CERT_FILE" in str(explain(rejected, "list collections"))
