"""Content types and snippets: add, list, retrieve (002, "Content types", "Content type snippets").

Passages: Add a content type (``name`` required, 1-50; ``codename`` 1-60; ``elements`` required);
Content group object ("When adding a content type, you must identify the content group by
specifying its codename, external ID, or both"; "If you define one or more content groups for a
content type, every element in the type must be assigned to a content group"); Add a content type
snippet (``name`` 1-50, ``codename`` 1-50); "Snippets cannot contain the URL slug and content type
snippet elements. Snippets cannot specify their own content groups."
"""

from __future__ import annotations

from typing import Any

import httpx

from .emulator_helpers import assert_error

#: the request sample of Add a content type (002)
ARTICLE: dict[str, Any] = {
    "external_id": "article",
    "name": "Article",
    "codename": "my_article",
    "content_groups": [
        {"name": "Article copy", "external_id": "article-copy"},
        {"name": "Author", "codename": "author"},
    ],
    "elements": [
        {"name": "Article title", "codename": "title", "type": "text",
         "content_group": {"external_id": "article-copy"}},
        {"name": "Article body", "codename": "body", "type": "rich_text",
         "content_group": {"external_id": "article-copy"}},
        {"name": "Author bio", "codename": "bio", "allowed_blocks": ["images", "text"], "type": "rich_text",
         "content_group": {"codename": "author"}},
    ],
}  # fmt: skip
#: the request sample of Add a content type snippet (002)
METADATA: dict[str, Any] = {
    "name": "Metadata",
    "codename": "my_metadata",
    "external_id": "my_metadata_elements",
    "elements": [
        {"name": "Meta title", "codename": "my_metadata__meta_title",
         "guidelines": "Length: 30-60 characters", "type": "text", "external_id": "my-meta-title"},
        {"name": "Meta description", "codename": "my_metadata__meta_description",
         "guidelines": "Length: 70-150 characters", "type": "text", "external_id": "my-meta-description"},
    ],
}  # fmt: skip


def test_add_a_content_type_as_the_reference_sample_does(client: httpx.Client) -> None:
    added = client.post("/types", json=ARTICLE)
    assert added.status_code == 201, added.text
    body = added.json()
    assert (body["codename"], body["external_id"], body["name"]) == ("my_article", "article", "Article")
    groups = {g["codename"]: g for g in body["content_groups"]}
    assert set(groups) == {"article_copy", "author"}
    assert groups["article_copy"]["external_id"] == "article-copy"
    title, _, bio = body["elements"]
    assert title | {"id": "x"} == {
        "name": "Article title", "guidelines": None, "is_required": False, "is_non_localizable": False,
        "type": "text", "id": "x", "codename": "title", "content_group": {"id": groups["article_copy"]["id"]},
    }  # fmt: skip
    assert bio["allowed_blocks"] == ["images", "text"]
    assert bio["content_group"] == {"id": groups["author"]["id"]}
    assert client.get("/types/codename/my_article").json() == body
    assert client.get("/types/external-id/article").json()["id"] == body["id"]
    listed = client.get("/types").json()
    assert [t["codename"] for t in listed["types"]] == ["article", "my_article"]


def test_adding_a_content_type_refuses_what_the_reference_refuses(client: httpx.Client) -> None:
    ungrouped = ARTICLE | {"elements": [{"name": "Loose", "type": "text"}]}
    assert_error(client.post("/types", json=ungrouped), 400, 5)
    anonymous_group = ARTICLE | {"content_groups": [{"name": "No identifier"}], "elements": []}
    assert_error(client.post("/types", json=anonymous_group), 400, 5)
    assert_error(client.post("/types", json={"name": "x" * 51, "elements": []}), 400, 5)
    assert_error(client.post("/types", json={"name": "No elements"}), 400, 5)
    assert_error(client.post("/types", json={"name": "Article", "codename": "article", "elements": []}), 400)
    unknown_snippet = {"name": "S", "elements": [{"type": "snippet", "snippet": {"codename": "nope"}}]}
    assert_error(client.post("/types", json=unknown_snippet), 400, 5)


def test_add_list_and_retrieve_a_snippet(client: httpx.Client) -> None:
    assert client.get("/snippets").json() == {
        "snippets": [],
        "pagination": {"continuation_token": None, "next_page": None},
    }
    added = client.post("/snippets", json=METADATA)
    assert added.status_code == 201, added.text
    snippet = added.json()
    assert [e["codename"] for e in snippet["elements"]] == [
        "my_metadata__meta_title",
        "my_metadata__meta_description",
    ]
    assert all("content_group" not in e for e in snippet["elements"])
    assert client.get("/snippets/codename/my_metadata").json() == snippet
    assert client.get(f"/snippets/{snippet['id']}").json() == snippet
    assert client.get("/snippets").json()["snippets"] == [snippet]
    assert client.get("/snippets/codename/missing").status_code == 404
    generated = client.post(
        "/snippets", json={"name": "SEO", "elements": [{"name": "Keywords", "type": "text"}]}
    )
    assert generated.json()["elements"][0]["codename"] == "seo__keywords"
    in_type = {"name": "Page", "elements": [{"type": "snippet", "snippet": {"codename": "my_metadata"}}]}
    page = client.post("/types", json=in_type)
    assert page.status_code == 201, page.text
    assert page.json()["elements"][0]["snippet"] == {"id": snippet["id"]}


def test_adding_a_snippet_refuses_what_the_reference_refuses(client: httpx.Client) -> None:
    for element_type in ("url_slug", "snippet"):
        body = {"name": "S", "elements": [{"name": "E", "type": element_type, "snippet": {"codename": "x"}}]}
        assert_error(client.post("/snippets", json=body), 400, 5)
    grouped = {"name": "S", "elements": [{"name": "E", "type": "text", "content_group": {"codename": "g"}}]}
    assert_error(client.post("/snippets", json=grouped), 400, 5)
    assert_error(client.post("/snippets", json={"name": "S", "codename": "c" * 51, "elements": []}), 400, 5)
    assert (
        client.post("/snippets", json={"name": "S", "codename": "c" * 50, "elements": []}).status_code == 201
    )


def test_delete_an_unused_content_type(client: httpx.Client) -> None:
    """Delete a content type: "Delete an unused content type."; 400 "The specified type is used by
    content items and cannot be deleted."; 404 for an unknown one."""
    added = client.post("/types", json={"name": "Unused", "elements": []})
    assert client.delete("/types/codename/unused").status_code == 204
    assert client.get(f"/types/{added.json()['id']}").status_code == 404
    assert_error(client.delete("/types/codename/article"), 400)  # the sample items use it
    assert client.delete("/types/codename/unused").status_code == 404
