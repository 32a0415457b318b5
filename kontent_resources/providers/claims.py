"""Which resource of this deployment manages which object, so a delete never removes a kept one.

The engine runs every create, update and diff of a deployment before its deletes, all in one
provider process. When a resource is replaced, renamed without an alias or moved into a
component, the new resource may end up managing the very object the old one did: a replacement
link whose target did not change, an asset with a user-set external id adopted under its new
name, a folder found again by its external id. Deleting "the old one" afterwards would delete
what the new one now manages, and the next preview would report "unchanged" over nothing.

So each resource that keeps or makes an object in this deployment records it here, together
with a fingerprint of its inputs (the resource's URN path is among them), and a delete of an
object recorded by a *different* resource removes the resource from the state only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Mapping
from typing import Any

from kontent_resources.providers.identity import RESOURCE_PATH

log = logging.getLogger(__name__)

__all__ = ["RESOURCE_PATH", "DeploymentClaims", "fingerprint"]


def _normalised(value: Any) -> Any:
    """Inputs as the state gives them back: numbers as numbers, no empty keys."""
    if isinstance(value, Mapping):
        return {
            str(k): _normalised(v) for k, v in value.items() if v is not None and not str(k).startswith("__")
        }
    if isinstance(value, list | tuple):
        return [_normalised(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def fingerprint(inputs: Mapping[str, Any]) -> str:
    """The identity of one resource's inputs; equal for the same resource read back from the state."""
    text = json.dumps(_normalised(inputs), sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


class DeploymentClaims:
    """Objects kept or made by resources in this provider process, by kind and id."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holders: dict[tuple[str, str], tuple[str, str | None]] = {}

    def keep(self, kind: str, object_id: str, inputs: Mapping[str, Any]) -> None:
        """``inputs``' resource manages ``object_id`` after this deployment."""
        path = inputs.get(RESOURCE_PATH)
        with self._lock:
            self._holders[(kind, object_id)] = (fingerprint(inputs), path if isinstance(path, str) else None)

    def is_kept(self, kind: str, object_id: str) -> bool:
        """True when some resource of this deployment keeps or made ``object_id``."""
        with self._lock:
            return (kind, object_id) in self._holders

    def held_by_another(self, kind: str, object_id: str, inputs: Mapping[str, Any]) -> str | None:
        """The resource path (or "another resource") that keeps ``object_id``, if not ``inputs``' own."""
        with self._lock:
            holder = self._holders.get((kind, object_id))
        if holder is None or holder[0] == fingerprint(inputs):
            return None
        return holder[1] or "another resource"

    def skip_delete(self, kind: str, object_id: str, inputs: Mapping[str, Any]) -> bool:
        """True, with a note to the user, when the delete must leave the object to its new manager."""
        holder = self.held_by_another(kind, object_id, inputs)
        if holder is None:
            return False
        log.warning(
            "kept %s %s: %s of this stack now manages it (a replacement, or a resource renamed or moved "
            "without an alias, found the same object); only the old resource left the state",
            kind,
            object_id,
            holder,
        )
        return True
