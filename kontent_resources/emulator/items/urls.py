"""Routes of items; the passages they follow are cited in the
package docstring and next to each rule."""

from __future__ import annotations

from .. import domain
from ..endpoints import (
    collection_route,
    delete_endpoint,
    get_endpoint,
    require_kind,
    upsert_endpoint,
)
from ..web import by_method
from .bodies import ItemBody
from .models import create_item, delete_item_tx, upsert_item

routes = [
    collection_route(domain.ITEM, "items", "item", ItemBody, create_item),
    by_method(
        "/items/{ref:ref}",
        GET=get_endpoint("item", require_kind(domain.ITEM)),
        PUT=upsert_endpoint("item", ItemBody, upsert_item),
        DELETE=delete_endpoint("item", delete_item_tx),
    ),
]
