"""Routes of content types and snippets: list, retrieve, add (002, "Content types", "Content type
snippets"), and delete a content type. Handlers parse, call ``models``, render; nothing else."""

from __future__ import annotations

from .. import domain
from ..endpoints import add_endpoint, delete_endpoint, get_endpoint, list_endpoint, require_kind
from ..web import by_method
from . import models
from .bodies import ContentTypeBody, SnippetBody

routes = [
    by_method(
        "/types",
        GET=list_endpoint(domain.TYPE, "types", "/types"),
        POST=add_endpoint("type", ContentTypeBody, models.add_content_type),
    ),
    by_method(
        "/types/{ref:ref}",
        GET=get_endpoint("type", require_kind(domain.TYPE)),
        DELETE=delete_endpoint("type", models.delete_content_type),
    ),
    by_method(
        "/snippets",
        GET=list_endpoint(models.SNIPPET, "snippets", "/snippets"),
        POST=add_endpoint("snippet", SnippetBody, models.add_snippet),
    ),
    by_method("/snippets/{ref:ref}", GET=get_endpoint("snippet", models.require_snippet)),
]
