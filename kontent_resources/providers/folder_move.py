"""Moving a folder (a new ``parent``) keeps its codename: the old folder goes first.

The API cannot move a folder, and it cannot change a codename either: ``PATCH /folders`` has
``addInto``, ``remove`` and ``rename``, whose value is the new *name* only (API reference, "Modify
asset folders"); no two folders share a codename. A replacement made before the old folder is
removed therefore gets another codename (``alpha`` → ``alpha_2``), and every ``codename/alpha``
reference breaks. Creating under a temporary codename and renaming later is not possible.

So a move is a delete-before-replace: the old folder is removed, then the new one is added with
the old codename. The API refuses to remove a folder that holds assets, so the stack's assets in
it wait in a *parking folder* in between (top level, named "Moving: <name>", with an external id
derived from the stack's seed and the resource's path), and the new folder takes them in as soon
as it exists. Both halves run in the same ``pulumi up``, a few seconds apart.

If the run dies in between, nothing is lost and the next ``up`` finishes the move: the parking
folder is in the environment (not in a local file), the old folder's codename is still in the
stack's state (a delete-before-replace leaves the old resource there, pending replacement, until
its replacement exists), and the next ``up`` redoes the same steps: removing a folder already gone
succeeds, the new folder is found by its external id, and it takes the parked assets in. An editor
looking at the environment meanwhile sees the assets in "Moving: <name>", not scattered at the top.

The stack moves only what it can tell is its own: assets and sub-folders whose external ids this
stack generated (they carry its seed tag, ``providers/identity.py``). A folder that holds anything
else (an editor's asset, an asset given its own ``external_id``) is moved the old way, creating the
new folder first: the codename changes, as the preview warns, and the stack's assets follow by
their own updates.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterable
from typing import Any

from kontent_resources.api_limits import FOLDER_NAME_MAX_LENGTH
from kontent_resources.models import Asset, Folder, FolderTree
from kontent_resources.models.assets import AssetUpsert
from kontent_resources.models.common import RequestReference
from kontent_resources.models.folders import FolderCreate, folder_add_into, folder_remove
from kontent_resources.providers.errors import KontentResourceError
from kontent_resources.providers.identity import seed_tag
from kontent_resources.providers.inputs import FolderInputs
from kontent_resources.providers.ownership import generated_by
from kontent_resources.providers.props import applied
from kontent_resources.providers.runtime import Environment

log = logging.getLogger(__name__)

# External ids of parking folders; no other object of this toolkit's starts so.
PARKING_PREFIX = "pulumi:moving:"


class _Moves:
    """Moves ``diff`` planned in this provider process, for the ``delete`` and ``create`` that follow.

    The engine asks ``diff`` first, in the same process, every time (also after a crash: the old
    resource is still in the state), so nothing here has to survive the process.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._folders: set[str] = set()
        self._codenames: dict[str, str] = {}

    def note(self, folder_id: str, resource_path: Any, codename: Any) -> None:
        with self._lock:
            self._folders.add(folder_id)
            if isinstance(resource_path, str) and isinstance(codename, str) and codename:
                self._codenames[resource_path] = codename

    def moving(self, folder_id: str) -> bool:
        with self._lock:
            return folder_id in self._folders

    def codename_for(self, resource_path: Any) -> str | None:
        with self._lock:
            return self._codenames.get(resource_path) if isinstance(resource_path, str) else None


_moves = _Moves()


def plan_delete_first(env: Environment, folder_id: str, olds: dict[str, Any]) -> str | None:
    """Note a move that removes ``folder_id`` first; or say why the stack cannot move its content."""
    tree = env.folders.get()
    found = tree.find(RequestReference(id=folder_id))
    if found is not None:
        reason = _foreign_content(found[0], env.client.assets.list(), _owner_tag(olds))
        if reason is not None:
            return reason
    # The codename is the output's: the one the folder has.
    path = FolderInputs.valid_part(applied(olds)).resource_path
    _moves.note(folder_id, path, FolderInputs.valid_part(olds).codename)
    return None


def codename_to_keep(props: dict[str, Any]) -> str | None:
    """The codename of the folder this create replaces, when ``diff`` planned the move."""
    inputs = FolderInputs.valid_part(props)
    if inputs.codename:
        return None  # the user's own choice wins
    return _moves.codename_for(inputs.resource_path)


def is_moving(folder_id: str) -> bool:
    return _moves.moving(folder_id)


def park_and_remove(env: Environment, folder: Folder, props: dict[str, Any]) -> None:
    """Move the stack's assets out of ``folder`` into its parking folder, then remove ``folder``.

    Refused before anything is written when the folder holds anything the stack did not make.
    """
    assets = [a for a in env.client.assets.list() if _folder_of(a) == folder.id]
    reason = _foreign_content(folder, assets, _owner_tag(props))
    if reason is not None:
        raise KontentResourceError(
            f"folder {folder.name!r} cannot move: {reason}, and the API cannot remove a folder that holds "
            "anything. Nothing was changed.\n  fix: move those out of the folder in Kontent.ai and run "
            "again, or leave the folder's parent as it is."
        )
    key = _parking_key(props)
    if assets and key is not None:
        parking = _parking_folder(env, key, folder.name)
        _move_assets(env, assets, parking.id)
    env.folder_patches.apply([folder_remove(RequestReference(id=folder.id))])


def take_in_parked(env: Environment, folder_id: str, props: dict[str, Any]) -> None:
    """Move the assets that wait in this resource's parking folder into ``folder_id``; remove it."""
    key = _parking_key(props)
    if key is None:
        return
    found = env.folders.get().find(RequestReference(external_id=PARKING_PREFIX + key))
    if found is None:
        return
    parking = found[0]
    _move_assets(env, [a for a in env.client.assets.list() if _folder_of(a) == parking.id], folder_id)
    env.folder_patches.apply([folder_remove(RequestReference(id=parking.id))])
    log.info("folder moved: %s took in the assets parked in %s", folder_id, parking.id)


def _parking_folder(env: Environment, key: str, name: str) -> Folder:
    external_id = PARKING_PREFIX + key
    tree = env.folders.get()
    found = tree.find(RequestReference(external_id=external_id))
    if found is None:
        value = FolderCreate(name=f"Moving: {name}"[:FOLDER_NAME_MAX_LENGTH], external_id=external_id)
        tree = env.folder_patches.apply([folder_add_into(value)])
        found = tree.find(RequestReference(external_id=external_id))
    if found is None:
        raise KontentResourceError(
            f"the API did not return the parking folder {external_id!r} after adding it"
        )
    return found[0]


def _move_assets(env: Environment, assets: Iterable[Asset], folder_id: str) -> None:
    for asset in assets:
        moved = env.client.assets.upsert(asset.id, AssetUpsert(folder=RequestReference(id=folder_id))).value
        env.assets.remember(moved)


def _foreign_content(folder: Folder, assets: Iterable[Asset], tag: str | None) -> str | None:
    """What in ``folder`` (sub-folders included) the stack with seed tag ``tag`` did not make."""
    below = [child for child, _ in FolderTree(folders=folder.folders).walk()]
    theirs_below = [child.name for child in below if not _ours(child.external_id, tag)]
    if theirs_below:
        names = ", ".join(repr(name) for name in theirs_below[:3])
        return f"it holds sub-folder(s) {names} this stack did not make"
    inside = {folder.id, *(child.id for child in below)}
    theirs = [a for a in assets if _folder_of(a) in inside and not _ours(a.external_id, tag)]
    if theirs:
        names = ", ".join(repr(a.file_name) for a in theirs[:3])
        return f"it holds {len(theirs)} asset(s) this stack did not generate an external id for ({names})"
    return None


def _ours(external_id: str | None, tag: str | None) -> bool:
    generated = generated_by(external_id)
    return tag is not None and generated is not None and generated.tag == tag


def _declared(props: dict[str, Any]) -> FolderInputs:
    """The inputs ``props`` record (a state's applied inputs over its outputs; checked inputs as they are)."""
    return FolderInputs.valid_part({**props, **applied(props)})


def _owner_tag(props: dict[str, Any]) -> str | None:
    seed = (
        FolderInputs.valid_part(applied(props)).identity_seed or FolderInputs.valid_part(props).identity_seed
    )
    return seed_tag(seed) if seed else None


def _parking_key(props: dict[str, Any]) -> str | None:
    """The same for the folder a move replaces and its replacement: the stack's seed and resource path."""
    inputs = _declared(props)
    seed, path = inputs.identity_seed, inputs.resource_path
    if not (seed and path):
        return None
    return hashlib.sha256(f"{seed}\0{path}".encode()).hexdigest()[:32]


def _folder_of(asset: Asset) -> str | None:
    return asset.folder.id if asset.folder else None
