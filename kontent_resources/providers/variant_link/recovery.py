"""Carrying on after an answer that was lost: a step the API applied, but whose reply never came."""

from __future__ import annotations

from collections.abc import Callable

from kontent_resources.client import KontentBadRequestError
from kontent_resources.providers.runtime import Environment
from kontent_resources.providers.variant_link.target import Target
from kontent_resources.providers.variant_link.workflow import is_published


def step(
    env: Environment, target: Target, action: Callable[[str, str], None], *, published_after: bool
) -> None:
    """New version or publish. The client retries a request whose answer was lost; when the
    first attempt was applied, the retry is refused (400: "not published" / "already
    published"). The variant then already is where we wanted it: carry on."""
    try:
        action(*target.variant)
    except KontentBadRequestError:
        if is_published(env, env.client.variants.get(*target.variant)) != published_after:
            raise
