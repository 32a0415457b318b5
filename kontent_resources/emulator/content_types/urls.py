"""Routes of content types and snippets: list, retrieve, add (002, "Content types", "Content type
snippets"), and delete a content type. Handlers parse, call ``models``, render; nothing else."""

from __future__ import annotations

from .. import domain
from ..endpoints import (
    collection_route,
    delete_endpoint,
    get_endpoint,
    require_kind,
)
from ..web import by_method
from . import models
from .bodies import ContentTypeBody, SnippetBody

routes = [
    collection_route(domain.TYPE, "types", "type", ContentTypeBody, models.add_content_type),
    by_method(
        "/types/{ref:ref}",
        GET=get_endpoint("type", require_kind(domain.TYPE)),
        DELETE=delete_endpoint("type", models.delete_content_type),
    ),
    collection_route(models.SNIPPET, "snippets", "snippet", SnippetBody, models.add_snippet),
    by_method("/snippets/{ref:ref}", GET=get_endpoint("snippet", models.require_snippet)),
]
