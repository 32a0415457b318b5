"""An asset element's value: the list of asset references a link puts its entry into.

The value is read through the models (``LanguageVariant.asset_values``) and written back as
``AssetElementValue``s. A link touches only its own entry: every other reference stays as it is.
"""

from __future__ import annotations

from kontent_resources.models.common import RequestReference
from kontent_resources.models.variants import AssetElementValue


def same_asset(value: AssetElementValue, asset: RequestReference) -> bool:
    """``value`` references ``asset``."""
    # Never None == None: an unresolved reference must match no entry, not an editor's first one.
    if asset.id is not None:
        return value.id == asset.id
    return asset.external_id is not None and value.external_id == asset.external_id


def find(values: list[AssetElementValue], asset: RequestReference) -> AssetElementValue | None:
    return next((value for value in values if same_asset(value, asset)), None)


def rendition_keys(value: AssetElementValue) -> list[str]:
    """The entry's renditions, sorted: by id, or ``external-id/<x>``."""
    return sorted(r.id or f"external-id/{r.external_id}" for r in value.renditions or [])


def wanted_values(
    values: list[AssetElementValue], asset: RequestReference, renditions: list[str], *, present: bool
) -> list[AssetElementValue]:
    """``values`` with ``asset``'s entry present (with ``renditions``, by id) or gone."""
    others = [value for value in values if not same_asset(value, asset)]
    if not present:
        return others
    current = find(values, asset)
    references = [RequestReference(id=rendition_id) for rendition_id in renditions]
    if current is None:
        return [*values, AssetElementValue.of(asset, references or None)]
    if references:
        entry = current.with_renditions(references)
    elif current.renditions:
        entry = current.with_renditions(None)
    else:
        entry = current  # an empty list read back is the same as none: no write for it
    return [entry if same_asset(value, asset) else value for value in values]
