"""State and rules of folders; the passages they follow are cited in the
package docstring and next to each rule."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from kontent_resources.api_limits import FOLDER_NAME_MAX_LENGTH

from .. import domain, errors
from ..errors import ApiError, invalid_body
from ..refs import Identifier, Reference
from ..store import Tx
from ..util import derived_id, is_valid_codename, new_id, now_iso, unique_codename
from .bodies import FolderIn, FolderOp, FoldersBody

MAX_FOLDERS = 1000


Node = dict[str, Any]


class OpError(Exception):
    """A PATCH operation that cannot be applied; the whole PATCH is then rejected."""


def load_tree(tx: Tx) -> list[Node]:
    stored = tx.meta_get(domain.FOLDERS_META)
    return list(stored["folders"]) if stored else []


def _save_tree(tx: Tx, tree: list[Node]) -> dict[str, Any]:
    document = {"folders": tree, "last_modified": now_iso()}
    tx.meta_set(domain.FOLDERS_META, document)
    return document


def walk(tree: list[Node]) -> Iterator[tuple[Node, list[Node]]]:
    """Every folder with the list that holds it, depth first."""
    for node in tree:
        yield node, tree
        yield from walk(node["folders"])


def _matches(node: Node, ref: Identifier) -> bool:
    if ref.by == "id":
        return str(node["id"]).lower() == ref.value.lower()
    return node.get(ref.by) == ref.value


def locate(tree: list[Node], ref: Identifier) -> tuple[Node, list[Node]] | None:
    return next(((node, siblings) for node, siblings in walk(tree) if _matches(node, ref)), None)


def find_folder(tree: list[Node], ref: Identifier) -> Node | None:
    found = locate(tree, ref)
    return None if found is None else found[0]


def subtree_ids(node: Node) -> list[str]:
    return [node["id"], *(n["id"] for n, _ in walk(node["folders"]))]


class _Builder:
    """Turns ``FolderIn`` values into stored nodes, keeping codenames/external ids unique."""

    def __init__(self, env: str, tree: list[Node]) -> None:
        self.env = env
        self.codenames = {n["codename"] for n, _ in walk(tree)}
        self.external_ids = {n["external_id"] for n, _ in walk(tree) if "external_id" in n}

    def build(self, value: FolderIn) -> Node:
        node: Node = {"id": self._id(value), "name": value.name, "codename": self._codename(value)}
        if value.external_id is not None:
            node["external_id"] = value.external_id
        node["folders"] = [self.build(child) for child in value.folders]
        return node

    def _id(self, value: FolderIn) -> str:
        if value.external_id is None:
            return new_id()
        if value.external_id in self.external_ids:
            raise OpError(f"A folder with the external ID '{value.external_id}' already exists.")
        self.external_ids.add(value.external_id)
        return derived_id(self.env, "folder", value.external_id)

    def _codename(self, value: FolderIn) -> str:
        if value.codename is None:
            codename = unique_codename(value.name, self.codenames.__contains__)
        elif not is_valid_codename(value.codename):
            raise OpError(f"The codename '{value.codename}' is not valid.")
        elif value.codename in self.codenames:
            raise OpError(f"A folder with the codename '{value.codename}' already exists.")
        else:
            codename = value.codename
        self.codenames.add(codename)
        return codename


def _check_size(tree: list[Node]) -> None:
    count = sum(1 for _ in walk(tree))
    if count > MAX_FOLDERS:
        raise OpError(
            f"An environment can have at most {MAX_FOLDERS} asset folders; this would make {count}."
        )


def _require(tree: list[Node], ref: Reference | None, role: str) -> tuple[Node, list[Node]]:
    if ref is None:
        raise OpError(f"The '{role}' property is required.")
    found = locate(tree, ref.to_identifier())
    if found is None:
        raise OpError(f"The referenced object ({ref.to_identifier().describe()}) was not found.")
    return found


def _insert_position(siblings: list[Node], op: FolderOp) -> int:
    if op.before is not None and op.after is not None:
        raise OpError("The 'before' and 'after' properties are mutually exclusive.")
    anchor = op.before or op.after
    if anchor is None:
        return len(siblings)
    for index, node in enumerate(siblings):
        if _matches(node, anchor.to_identifier()):
            return index if op.before is not None else index + 1
    raise OpError(
        f"The folder ({anchor.to_identifier().describe()}) is not a sibling at the insert position."
    )


def _op_add(env: str, tree: list[Node], op: FolderOp) -> None:
    try:
        value = FolderIn.model_validate(op.value)
    except ValidationError as exc:
        raise OpError("The 'value' must be a folder: " + "; ".join(e["msg"] for e in exc.errors())) from exc
    siblings = tree if op.reference is None else _require(tree, op.reference, "reference")[0]["folders"]
    position = _insert_position(siblings, op)
    siblings.insert(position, _Builder(env, tree).build(value))


def _op_rename(tree: list[Node], op: FolderOp) -> None:
    node, _ = _require(tree, op.reference, "reference")
    if not isinstance(op.value, str) or not 1 <= len(op.value) <= FOLDER_NAME_MAX_LENGTH:
        raise OpError(
            f"The 'value' of a rename must be the new name, 1 to {FOLDER_NAME_MAX_LENGTH} characters."
        )
    node["name"] = op.value


def _op_remove(tx: Tx, tree: list[Node], op: FolderOp) -> None:
    node, siblings = _require(tree, op.reference, "reference")
    in_use = tx.count_in_folders(domain.ASSET, subtree_ids(node))
    if in_use:
        raise OpError(
            f"The folder '{node['name']}' ({node['id']}) or one of its subfolders contains {in_use} asset(s) "
            "and cannot be removed. Move or delete the assets first."
        )
    siblings.remove(node)


def apply_operations(tx: Tx, env: str, operations: list[FolderOp]) -> dict[str, Any]:
    tree = copy.deepcopy(load_tree(tx))  # edits stay private until every operation succeeded
    for index, operation in enumerate(operations):
        try:
            _apply_one(tx, env, tree, operation)
            _check_size(tree)
        except (OpError, ApiError) as exc:
            raise invalid_body((f"Invalid operation with index '{index}': {describe(exc)}", None)) from exc
    return _save_tree(tx, tree)


def describe(exc: OpError | ApiError) -> str:
    if isinstance(exc, OpError):
        return str(exc)
    details = [f"{e.get('path', '')}: {e['message']}".lstrip(": ") for e in exc.validation_errors or []]
    return "; ".join(details) or exc.message


def _apply_one(tx: Tx, env: str, tree: list[Node], op: FolderOp) -> None:
    kind = op.op.lower()
    if kind == "addinto":
        _op_add(env, tree, op)
    elif kind == "rename":
        _op_rename(tree, op)
    elif kind == "remove":
        _op_remove(tx, tree, op)
    else:
        raise OpError(f"Unknown operation '{op.op}'; use addInto, rename or remove.")


def create_tree(tx: Tx, env: str, body: FoldersBody) -> dict[str, Any]:
    if load_tree(tx):
        raise errors.bad_request(
            "The environment already has asset folders. Use PATCH /folders to add, rename or remove folders."
        )
    builder = _Builder(env, [])
    try:
        tree = [builder.build(value) for value in body.folders]
        _check_size(tree)
    except OpError as exc:
        raise invalid_body((str(exc), "folders")) from exc
    return _save_tree(tx, tree)


def read_tree(tx: Tx) -> dict[str, Any]:
    stored = tx.meta_get(domain.FOLDERS_META)
    return stored if stored else {"folders": [], "last_modified": now_iso()}
