"""The emulator's shape (issue 32), checked so it does not drift back: per API area a package with
``models`` (state and rules, usable without HTTP), ``bodies`` (request parsing, no state) and
``urls`` (routes whose handlers only parse, call and render: they raise nothing themselves), and no
module of 300 lines or more."""

from __future__ import annotations

import ast
from pathlib import Path

import kontent_resources.emulator as emulator_package

ROOT = Path(emulator_package.__file__).parent
AREAS = sorted(p.parent for p in ROOT.glob("*/urls.py"))


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_every_api_area_has_models_bodies_and_urls() -> None:
    names = {area.name for area in AREAS}
    assert names >= {"assets", "folders", "files", "renditions", "collections", "languages", "items"}
    assert names >= {"variants", "content_types", "workflows"}
    assert not (ROOT / "routes").exists(), "the old routes/ package is gone"
    for area in AREAS:
        assert (area / "models.py").is_file(), area.name


def test_no_emulator_module_reaches_300_lines() -> None:
    sizes = {str(p.relative_to(ROOT)): len(p.read_text().splitlines()) for p in ROOT.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n >= 300} == {}


def test_handlers_raise_nothing_themselves() -> None:
    """A rule lives in a function of ``models`` (or ``actions``/``elements``), never in a handler (a
    bare ``raise`` that passes an error on after cleaning up is not a rule)."""
    offenders = []
    for path in [*(area / "urls.py" for area in AREAS), ROOT / "new_environment.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.AsyncFunctionDef) and any(
                isinstance(n, ast.Raise) and n.exc is not None for n in ast.walk(node)
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.name}")
    assert offenders == []


def test_rules_work_without_http_and_bodies_hold_no_state() -> None:
    for area in AREAS:
        for name in ("models.py", "actions.py", "elements.py"):
            path = area / name
            if path.is_file():
                assert not any(i.startswith("starlette") for i in _imports(path)), path
        bodies = area / "bodies.py"
        if bodies.is_file():
            assert "..store" not in _imports(bodies), bodies


def test_one_error_class_per_documented_error() -> None:
    from kontent_resources.emulator import errors

    documented = {
        errors.INVALID_BODY, errors.ITEM_NOT_FOUND, errors.VARIANT_NOT_FOUND, errors.ASSET_NOT_FOUND,
        errors.LANGUAGE_NOT_FOUND, errors.RENDITION_NOT_FOUND, errors.WORKFLOW_NOT_FOUND,
        errors.MISSING_HEADER, errors.NOT_PUBLISHED_UNPUBLISH, errors.NOT_PUBLISHED_NEW_VERSION,
        errors.INVALID_WORKFLOW_CHANGE, errors.NOTHING_TO_CANCEL, errors.INVALID_CONTINUATION,
        errors.RATE_LIMITED,
    }  # fmt: skip
    assert documented <= {code for _, code in errors.DOCUMENTED}
    assert type(errors.not_found("x", errors.ITEM_NOT_FOUND)) is errors.ItemNotFoundError
    assert type(errors.bad_request("x", errors.NOTHING_TO_CANCEL)) is errors.NothingToCancelError
    assert type(errors.invalid_body(("x", None))) is errors.InvalidBodyError
    assert errors.TypeNotFoundError("x").error_code == errors.TYPE_NOT_FOUND
