"""A refresh of an unchanged asset changes nothing, whatever form its declared descriptions take.

``pulumi refresh`` shows every output that ``read`` returns differently from the state, and the next
``up`` compares the program against the inputs ``read`` returned: an asset declared with an empty
description (``{"en-US": ""}``, which Kontent.ai stores as no description) once showed
``~ descriptions`` on every refresh and an update on every following ``up``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kontent_resources.providers import AssetProvider, invalidate_caches
from kontent_resources.providers.props import applied
from tests.providers.conftest import outs_of
from tests.providers.test_asset_provider import Make, checked, inputs


@pytest.mark.parametrize(
    "descriptions",
    [
        {"en-US": ""},
        {"en-US": "", "es-ES": "Logotipo"},
        {},
        None,
        {"en-US": "Company logo"},
    ],
    ids=["empty", "one-empty-one-set", "no-languages", "none", "set"],
)
def test_refresh_of_an_unchanged_asset_is_clean(
    make_provider: Make, image: Path, descriptions: dict[str, str] | None
) -> None:
    provider = make_provider(AssetProvider)
    declared = checked(provider, inputs(image, descriptions=descriptions))
    created = provider.create(declared)
    state: dict[str, Any] = outs_of(created)
    for _ in range(2):  # refresh, then refresh again from what the first one recorded
        invalidate_caches()
        read = provider.read(created.id, state)
        assert read.outs == state, "refresh would show a difference"
        assert read.inputs == applied(state)
        state = outs_of(read)
    assert not provider.diff(created.id, state, declared).changes, "the next up would update"
