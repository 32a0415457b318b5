"""Deterministic external ids: the same program, stack and resource name always give the same id.

A create that crashed after the API acknowledged it is retried by the next ``pulumi up``; with
the same external id the retry finds and adopts what the first attempt made instead of
duplicating it.
"""

from __future__ import annotations

import hashlib
import re

import pulumi

_MAX_LENGTH = 200
_UNSAFE = re.compile(r"[^A-Za-z0-9_.:-]+")


def default_external_id(kind: str, resource_name: str, scope: str | None = None) -> str:
    """``pulumi:<project>:<stack>:<kind>:<name>[:<scope hash>]``, at most 200 characters."""
    parts = [pulumi.get_project(), pulumi.get_stack(), kind, resource_name]
    safe = [_UNSAFE.sub("-", part) for part in parts]
    text = "pulumi:" + ":".join(safe)
    if safe != parts:
        # "hero image" and "hero-image" must not share an id: the raw names tell them apart.
        text += ":" + hashlib.sha256("\0".join(parts).encode()).hexdigest()[:8]
    if scope is not None:
        text += ":" + hashlib.sha256(scope.encode()).hexdigest()[:12]
    if len(text) > _MAX_LENGTH:
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        text = f"{text[: _MAX_LENGTH - 17]}~{digest}"
    return text
