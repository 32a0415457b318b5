"""Every endpoint of the reference (``mapi-v2-endpoints.json`` and the long page 002) is emulated or
listed in ``endpoint_coverage.NOT_EMULATED`` with the reason; the emulator serves nothing else
unless ``BEYOND_REFERENCE`` says why; and the table in docs/emulator-fidelity.md is the one these
lists generate (``python -m tests.emulator.endpoint_coverage`` rewrites it)."""

from __future__ import annotations

import re

import pytest

from .endpoint_coverage import (
    BEYOND_REFERENCE,
    NOT_EMULATED,
    documented_table,
    emulated,
    reference_endpoints,
    render_table,
    served_paths,
)

pytestmark = pytest.mark.recorded_reference


def test_every_reference_endpoint_is_emulated_or_listed_with_its_reason() -> None:
    endpoints = reference_endpoints()
    assert len(endpoints) == 53, "the reference's endpoints changed: review endpoint_coverage.py"
    missing = {endpoint for endpoint in endpoints if not emulated(*endpoint)}
    assert missing == set(NOT_EMULATED), (
        f"emulated now (drop from the list): {sorted(set(NOT_EMULATED) - missing)}; "
        f"not emulated and not listed: {sorted(missing - set(NOT_EMULATED))}"
    )


def test_the_emulator_serves_nothing_beyond_the_reference_unless_listed() -> None:
    def shape(path: str) -> str:
        return re.sub(r"\{[a-z_]+(:[a-z]+)?\}", "{}", path)

    documented = {(method, shape(path)) for method, path in reference_endpoints()}
    listed = {(method, shape(path)) for method, path in BEYOND_REFERENCE}
    served = {(method, shape(path)) for method, path in served_paths()}
    assert served - documented == listed


def test_the_fidelity_documents_coverage_table_is_the_generated_one() -> None:
    assert documented_table() == render_table(), (
        "docs/emulator-fidelity.md is stale: run .venv/bin/python -m tests.emulator.endpoint_coverage"
    )
