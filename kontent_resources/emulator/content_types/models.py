"""Content types and snippets: adding them, and the rules the reference states (002, "Content
types", "Add a content type", "Content type snippets", "Add a content type snippet").

A content type is stored as its API object (kind ``type``), a snippet likewise (kind ``snippet``).
"""

from __future__ import annotations

from typing import Any

from .. import domain, errors
from ..errors import invalid_body
from ..refs import Identifier, find
from ..store import Doc, Tx
from ..util import codename_base, derived_id, is_valid_codename, new_id, now_iso, unique_codename
from .bodies import ContentGroupBody, ContentTypeBody, ElementBody, SnippetBody

SNIPPET = "snippet"

#: "Snippets cannot contain the URL slug and content type snippet elements." (Content type snippets)
_NOT_IN_SNIPPETS = frozenset({"url_slug", "snippet"})
#: Elements without a value or name of their own (guidelines: text only; snippet: a reference).
_NO_NAME = frozenset({"guidelines", "snippet"})


def missing_snippet(ref: Identifier) -> errors.ApiError:
    return errors.not_found(f"The requested content type snippet '{ref.value}' was not found.")


def require_snippet(tx: Tx, ref: Identifier) -> Doc:
    doc = find(tx, SNIPPET, ref)
    if doc is None:
        raise missing_snippet(ref)
    return doc


def add_content_type(tx: Tx, env: str, body: ContentTypeBody) -> Doc:
    codename = _codename(tx, domain.TYPE, body.name, body.codename, body.external_id)
    groups = [_group(tx, env, codename, g, i) for i, g in enumerate(body.content_groups)]
    # "If you define one or more content groups for a content type, every element in the type must
    # be assigned to a content group." (002, Content group object)
    if groups:
        ungrouped = [i for i, e in enumerate(body.elements) if e.content_group is None]
        if ungrouped:
            message = "The content type has content groups, so every element needs a content_group."
            raise invalid_body((message, f"elements[{ungrouped[0]}].content_group"))
    doc: Doc = {"id": _id(env, domain.TYPE, body.external_id), "codename": codename}
    if body.external_id is not None:
        doc["external_id"] = body.external_id
    doc |= {
        "last_modified": now_iso(),
        "name": body.name,
        "content_groups": groups,
        "elements": _elements(tx, env, codename, body.elements, groups, snippet=False),
    }
    tx.put(domain.TYPE, doc)
    return doc


def add_snippet(tx: Tx, env: str, body: SnippetBody) -> Doc:
    codename = _codename(tx, SNIPPET, body.name, body.codename, body.external_id)
    doc: Doc = {"id": _id(env, SNIPPET, body.external_id), "codename": codename}
    if body.external_id is not None:
        doc["external_id"] = body.external_id
    doc |= {
        "last_modified": now_iso(),
        "name": body.name,
        "elements": _elements(tx, env, codename, body.elements, [], snippet=True),
    }
    tx.put(SNIPPET, doc)
    return doc


def delete_content_type(tx: Tx, ref: Identifier) -> None:
    """Delete a content type: "Delete an unused content type."; 400 "The specified type is used by
    content items and cannot be deleted." (mapi-v2-endpoints.json, Delete a content type)."""
    doc = domain.require(tx, domain.TYPE, ref)
    if any(item["type"]["id"] == doc["id"] for item in tx.all(domain.ITEM)):
        raise errors.bad_request("The specified type is used by content items and cannot be deleted.")
    tx.delete(domain.TYPE, doc["id"])


def _id(env: str, kind: str, external_id: str | None) -> str:
    return derived_id(env, kind, external_id) if external_id else new_id()


def _codename(tx: Tx, kind: str, name: str, codename: str | None, external_id: str | None) -> str:
    """The given codename (unique within its kind, assumed) or one generated from the name ("Unless
    set while creating …, it is initially generated from the … name")."""
    if external_id is not None and tx.exists(kind, "external_id", external_id):
        raise errors.bad_request(f"A {_label(kind)} with the external ID '{external_id}' already exists.")
    if codename is None:
        return unique_codename(name, lambda c: tx.exists(kind, "codename", c))
    if not is_valid_codename(codename):
        raise invalid_body(("The codename is not valid: lowercase letters, digits and '_'.", "codename"))
    if tx.exists(kind, "codename", codename):
        raise errors.bad_request(f"A {_label(kind)} with the codename '{codename}' already exists.")
    return codename


def _label(kind: str) -> str:
    return "content type snippet" if kind == SNIPPET else "content type"


def _group(tx: Tx, env: str, type_codename: str, body: ContentGroupBody, index: int) -> Doc:
    # "When adding a content type, you must identify the content group by specifying its codename,
    # external ID, or both." (002, Content group object)
    if body.codename is None and body.external_id is None:
        message = "Identify the content group by its codename, external ID, or both."
        raise invalid_body((message, f"content_groups[{index}]"))
    key = body.external_id or f"codename:{body.codename}"
    group: Doc = {
        "id": derived_id(env, f"content-group-{type_codename}", key),
        "name": body.name,
        "codename": body.codename or codename_base(body.name),
    }
    if body.external_id is not None:
        group["external_id"] = body.external_id
    return group


def _group_id(groups: list[Doc], element: ElementBody, path: str) -> str:
    ref = element.content_group
    assert ref is not None
    for group in groups:
        if (
            (ref.id and group["id"] == ref.id)
            or (ref.codename and group["codename"] == ref.codename)
            or (ref.external_id and group.get("external_id") == ref.external_id)
        ):
            return str(group["id"])
    raise invalid_body((f"The content group '{ref.to_identifier().describe()}' does not exist.", path))


def _elements(
    tx: Tx, env: str, owner: str, bodies: list[ElementBody], groups: list[Doc], *, snippet: bool
) -> list[Doc]:
    taken: set[str] = set()
    elements = []
    for index, body in enumerate(bodies):
        path = f"elements[{index}]"
        if snippet and body.type in _NOT_IN_SNIPPETS:
            raise invalid_body((f"A snippet cannot contain a '{body.type}' element.", f"{path}.type"))
        # "Snippets cannot specify their own content groups." (Content type snippets)
        if snippet and body.content_group is not None:
            raise invalid_body(
                ("Snippet elements cannot be assigned to content groups.", f"{path}.content_group")
            )
        elements.append(_element(tx, env, owner, body, groups, taken, path, snippet=snippet))
    return elements


def _element(
    tx: Tx,
    env: str,
    owner: str,
    body: ElementBody,
    groups: list[Doc],
    taken: set[str],
    path: str,
    *,
    snippet: bool,
) -> Doc:
    if body.type not in _NO_NAME and body.name is None:
        raise invalid_body(("The element needs a name.", f"{path}.name"))
    element: dict[str, Any] = {}
    if body.type not in _NO_NAME:
        element |= {"name": body.name, "guidelines": None, "is_required": False, "is_non_localizable": False}
    element |= body.extra_properties()
    if body.type == "snippet":
        if body.snippet is None:
            raise invalid_body(("A snippet element needs a 'snippet' reference.", f"{path}.snippet"))
        snippet_doc = find(tx, SNIPPET, body.snippet.to_identifier())
        if snippet_doc is None:
            message = f"The content type snippet '{body.snippet.to_identifier().describe()}' does not exist."
            raise invalid_body((message, f"{path}.snippet"))
        element["snippet"] = {"id": snippet_doc["id"]}
    element["type"] = body.type
    key = body.external_id or f"{body.codename or body.name}:{path}"
    element["id"] = derived_id(env, f"element-{owner}", key) if body.external_id else new_id()
    element["codename"] = _element_codename(owner, body, taken, snippet=snippet)
    if body.external_id is not None:
        element["external_id"] = body.external_id
    if groups:
        element["content_group"] = {"id": _group_id(groups, body, f"{path}.content_group")}
    return element


def _element_codename(owner: str, body: ElementBody, taken: set[str], *, snippet: bool) -> str:
    """Given, or generated from the name (assumed: a snippet's elements as ``<snippet>__<name>``,
    the form of the reference's sample "my_metadata__meta_title")."""
    if body.codename is not None:
        codename = body.codename
    else:
        base = codename_base(body.name or body.type)
        base = f"{owner}__{base}" if snippet else base
        codename, n = base, 2
        while codename in taken:
            codename, n = f"{base}_{n}", n + 1
    if codename in taken:
        raise invalid_body((f"The element codename '{codename}' is used twice.", "elements"))
    taken.add(codename)
    return codename
