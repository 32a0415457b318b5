"""The emulator's coverage of the reference's endpoints, as a table for docs/emulator-fidelity.md.

Endpoints of the reference: every record of ``mapi-v2-endpoints.json``, plus the endpoints the long
reference page (002) documents that the records lack (content types and snippets). Each is emulated
(the emulator's route table matches it) or listed in ``NOT_EMULATED`` with the reason; endpoints the
emulator serves beyond the reference are listed in ``BEYOND_REFERENCE`` with theirs.

Regenerate the table after a change: ``.venv/bin/python -m tests.emulator.endpoint_coverage``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from starlette.routing import Match

from kontent_resources.emulator.app import api_routes
from tests.reference import ENDPOINTS, REFERENCE_DIR

DOC = Path(__file__).resolve().parents[2] / "docs" / "emulator-fidelity.md"
START, END = "<!-- coverage table: generated -->", "<!-- end of coverage table -->"
LONG_PAGE = "002_5ee99c27a9373247.txt"

_PREFIX = "https://manage.kontent.ai/v2/projects/{environment_id}"
_WHY_TYPES = (
    "content types are added, read and deleted; a stack never changes one (data-ops' restore modifies"
    " a type only to re-point references to other types or items, a known gap: 405)"
)
_WHY_BULK = "bulk reads of items with their variants: neither the toolkit nor the official tools use them"
#: (method, path) → why the emulator answers 404/405
NOT_EMULATED = {
    ("POST", "/items-with-variant/filter"): _WHY_BULK,
    ("POST", "/items-with-variant/bulk-get"): _WHY_BULK,
    ("PATCH", "/types/{type_identifier}"): _WHY_TYPES,
    ("PUT", "/items/{item_identifier}/variants/{language_identifier}/workflow/{workflow_step_identifier}"): (
        "the older per-step endpoint; change-workflow (emulated) moves a variant between steps"
    ),
}
_NEW_ENVIRONMENT = (
    "outside the reference; the official tools call it on every run: a new environment's answer "
    "(assumed; `new_environment.py`)"
)
#: (method, path) → why the emulator serves an endpoint the reference does not document
BEYOND_REFERENCE = {
    ("GET", "/snippets/{snippet_identifier}"): (
        "Retrieve a content type snippet: the reference's page ends at List content type snippets; "
        "the same lookup as Retrieve a content type (assumed)"
    ),
    ("GET", "/taxonomies"): _NEW_ENVIRONMENT,
    ("GET", "/spaces"): _NEW_ENVIRONMENT,
    ("GET", "/webhooks-vnext"): _NEW_ENVIRONMENT,
    ("GET", "/roles"): _NEW_ENVIRONMENT,
    ("GET", "/preview-configuration"): _NEW_ENVIRONMENT,
    ("PUT", "/preview-configuration"): _NEW_ENVIRONMENT + "; only the empty configuration is accepted",
    ("GET", "/web-spotlight/status"): _NEW_ENVIRONMENT,
    ("PUT", "/web-spotlight/deactivate"): _NEW_ENVIRONMENT + "; it stays deactivated",
}


def reference_endpoints() -> dict[tuple[str, str], str]:
    """(method, path relative to the environment) → title, records first, then the long page."""
    found: dict[tuple[str, str], str] = {}
    for record in json.loads(ENDPOINTS.read_text()):
        urls = record["endpointUrls"]
        url = urls[0] if isinstance(urls, list) else urls
        found[(record["httpMethod"].upper(), str(url).removeprefix(_PREFIX))] = record["title"]
    lines = (REFERENCE_DIR / LONG_PAGE).read_text().splitlines()
    for index, line in enumerate(lines):
        match = re.fullmatch(r"(get|post|put|patch|delete)/projects/\{project_id\}(/\S*)", line.strip())
        if match:
            found.setdefault((match.group(1).upper(), match.group(2)), lines[index - 2].strip())
    return found


def _concrete(path: str) -> str:
    """A path the route table would see: identifiers as ``codename/x``, a file name as ``x.png``."""
    return re.sub(r"\{[a-z_]+\}", "codename/x", path.replace("{file_name}", "x.png"))


def emulated(method: str, path: str) -> bool:
    scope = {"type": "http", "method": method, "path": _concrete(path), "root_path": ""}
    return any(route.matches(scope)[0] == Match.FULL for route in api_routes())


def served_paths() -> set[tuple[str, str]]:
    """(method, route path) of every API route of the emulator."""
    served = set()
    for route in api_routes():
        for method in getattr(route, "methods", None) or ():
            if method != "HEAD":
                served.add((method, str(getattr(route, "path", ""))))
    return served


def render_table() -> str:
    rows = ["| endpoint | reference | emulated |", "| --- | --- | --- |"]
    endpoints = reference_endpoints()
    for (method, path), title in sorted(endpoints.items(), key=lambda e: (e[0][1], e[0][0])):
        why = NOT_EMULATED.get((method, path))
        state = "yes" if emulated(method, path) else f"**no**: {why or 'NOT LISTED'}"
        rows.append(f"| `{method} {path}` | {title} | {state} |")
    for (method, path), why in sorted(BEYOND_REFERENCE.items(), key=lambda e: (e[0][1], e[0][0])):
        rows.append(f"| `{method} {path}` | — | yes: {why} |")
    counts = (
        f"{sum(emulated(*e) for e in endpoints)} of the reference's {len(endpoints)} endpoints are emulated; "
        f"{len(BEYOND_REFERENCE)} endpoints outside it are served."
    )
    return "\n".join([counts, "", *rows])


def documented_table() -> str:
    text = DOC.read_text()
    return text[text.index(START) + len(START) : text.index(END)].strip()


def write_table() -> None:
    text = DOC.read_text()
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{START}\n{render_table()}\n{END}{tail}")


if __name__ == "__main__":
    write_table()
    sys.stdout.write(f"wrote the coverage table into {DOC}\n")
