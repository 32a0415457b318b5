"""Folder: one node of the environment's single asset-folder tree.

The API has no move: a new parent replaces the folder. The old folder is removed first, so that
the new one keeps its codename, and the stack's assets wait aside meanwhile (``folder_move.py``);
a folder holding things the stack did not make is replaced new-first instead: its assets follow
to the new folder's id (an in-place update each), then the old, now empty, folder is removed.
Either way a move converges in one ``pulumi up``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from kontent_resources.client import KontentBadRequestError
from kontent_resources.client.identifiers import to_reference
from kontent_resources.models import Folder, FolderTree
from kontent_resources.models.common import RequestReference
from kontent_resources.models.folders import FolderCreate, folder_add_into, folder_remove, folder_rename
from kontent_resources.providers import folder_move, ownership
from kontent_resources.providers.adoption_notice import tell_written
from kontent_resources.providers.base import KontentProvider
from kontent_resources.providers.environment_checks import EnvironmentChecks
from kontent_resources.providers.errors import KontentResourceError
from kontent_resources.providers.inputs import FolderInputs, FolderOutputs
from kontent_resources.providers.props import applied, changed_keys, diff_result, with_applied

log = logging.getLogger(__name__)

_SCOPE = FolderInputs.SCOPE
_HOLDS_ASSETS_FIX = (
    "the folder (or a subfolder) still holds assets. Move or delete them first; assets managed by this "
    "stack move with their folder automatically."
)


def _parent_of(tree: FolderTree, folder_id: str) -> str | None:
    found = tree.find(RequestReference(id=folder_id))
    if found is None or found[1] is None:
        return None
    return found[1].id


def _refuse_foreign_subfolders(name: Any, folder: Folder) -> None:
    """The stack's own sub-folders are removed before their parent, so any left are not ours."""
    if not folder.folders:
        return
    names = ", ".join(repr(child.name) for child in folder.folders)
    raise KontentResourceError(
        f"Could not remove folder {name!r}: it holds sub-folder(s) {names} that this stack does not manage "
        "(made in Kontent.ai by someone else), and removing the folder would remove them too.\n  fix: move "
        "or delete those sub-folders in Kontent.ai, or declare them as Folder resources, then run again."
    )


def _outs(folder: Folder, parent_id: str | None, inputs: dict[str, Any]) -> dict[str, Any]:
    outs = FolderOutputs(
        name=folder.name,
        codename=folder.codename,
        external_id=folder.external_id,
        parent=FolderInputs.valid_part(inputs).parent,
        parent_id=parent_id,
    )
    return with_applied(outs.model_dump(), inputs)


def _old_name(olds: dict[str, Any]) -> str:
    return FolderInputs.valid_part(applied(olds)).name


def _refuse_unmovable(olds: dict[str, Any], news: FolderInputs, changes: list[str]) -> None:
    """A move is a new folder made before the old one goes: it cannot take a kept identity.

    The API has no move, and a codename or external id cannot exist twice, so a folder whose
    codename or external id the user set (and keeps) cannot be moved: said at preview, before
    anything is written, instead of failing half-way through the ``up``.
    """
    identity = {"codename": news.codename, "external_id": news.external_id}
    kept = [
        key
        for key, value in identity.items()
        if key not in changes and value and not (key == "external_id" and news.external_id_generated)
    ]
    if not kept:
        return
    values = ", ".join(f"{key} {identity[key]!r}" for key in kept)
    raise KontentResourceError(
        f"folder {_old_name(olds)!r} cannot move to another parent while it keeps its {values}: "
        "the Kontent.ai API cannot move folders, so a move creates a new folder before the old one is "
        "removed, and two folders cannot share a codename or external id.\n  fix: give the folder a new "
        f"{' and '.join(kept)} (or remove it to let one be chosen) and run `pulumi up`: the stack's assets "
        "move to the new folder; or leave the parent as it is."
    )


def _warn_new_codename(olds: dict[str, Any], news: FolderInputs, reason: str) -> None:
    """Said at preview: a moved folder whose content the stack cannot move keeps no codename."""
    codename = FolderInputs.valid_part(olds).codename  # the output: the codename the folder has
    if news.codename or not news.is_known("codename") or not codename:
        return
    log.warning(
        "folder %r moves to another parent, but %s: the Kontent.ai API cannot move folders or change a "
        "codename, so the move makes a new folder before the old one is removed, and the new folder gets a "
        "new codename (%r is taken until then). References to 'codename/%s' must change; set codename= on "
        "the folder to choose the new one.",
        _old_name(olds),
        reason,
        codename,
        codename,
    )


class FolderProvider(KontentProvider):
    """CRUD of one folder through PATCH /folders operations."""

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        news, failures = self.start_check("folder", olds, news, _SCOPE)
        FolderInputs.check_values(news, failures)
        ownership.check_adoption(
            "folder",
            olds,
            news,
            failures,
            external_id_of=self._read_external_id(),
            scope_keys=_SCOPE,
            exists_by_external_id=self._exists,
        )
        environment = EnvironmentChecks(self, olds, news, failures)
        environment.folder("parent")
        environment.adopted_folder()
        if not failures.items:
            FolderInputs.parsed(news, failures)
        return CheckResult(news, failures.items)

    def _exists(self, external_id: str) -> bool | None:
        """Whether ``adopt=True`` finds a folder with this external id (one tree read per run)."""
        if self._settings is None:
            return None
        return self.env.folders.get().find(RequestReference(external_id=external_id)) is not None

    def _read_external_id(self) -> Callable[[str], str | None] | None:
        """How ``check`` reads an adopted folder's external id (one tree read: allowed at preview)."""
        if self._settings is None:
            return None

        def external_id_of(folder_id: str) -> str | None:
            found = self.env.folders.get().find(RequestReference(id=folder_id))
            return found[0].external_id if found else None

        return external_id_of

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changes = changed_keys(olds, news, FolderInputs.DIFFED, api_chooses=["codename"])
        moves = "parent" in changes
        delete_first = moves and self._moves_first(_id, olds, FolderInputs.of(news), changes)
        result = diff_result(changes, FolderInputs.REPLACE_ON, delete_first=delete_first)
        return self.keeping("folder", _id, news, result)

    def _moves_first(self, id_: str, olds: dict[str, Any], news: FolderInputs, changes: list[str]) -> bool:
        """A move removes the old folder first, so the new one keeps its codename (folder_move.py),
        unless the folder holds things the stack did not make: then the new folder comes first."""
        reason: str | None = "the provider is not configured"
        if self._settings is not None:
            with self.api_errors(f"plan the move of folder {_old_name(olds)!r}"):
                reason = folder_move.plan_delete_first(self.env, id_, olds)
        if reason is None:
            return True
        _refuse_unmovable(olds, news, changes)
        _warn_new_codename(olds, news, reason)
        return False

    def create(self, props: dict[str, Any]) -> CreateResult:
        with self.api_errors(f"create folder {FolderInputs.of(props).name!r}"):
            folder, parent_id = self._adopt_or_add(props)
            folder_move.take_in_parked(self.env, folder.id, props)  # the assets of a moved folder
        return CreateResult(id_=self.kept("folder", folder.id, props), outs=_outs(folder, parent_id, props))

    def _adopt_or_add(self, props: dict[str, Any]) -> tuple[Folder, str | None]:
        env = self.env
        tree = env.folders.get()
        inputs = FolderInputs.of(props)
        if inputs.adopt_id:
            asked_for = self._asked_for(tree, inputs.adopt_id)
            what = f"folder {asked_for.id} ({asked_for.name!r})"
            ownership.refuse_in_create("folder", "adopt_id", what, asked_for.external_id, props, _SCOPE)
            return self._adopt(asked_for, tree, inputs.model_copy(update={"adopt": True}), props)
        external_id = inputs.external_id
        ownership.refuse_foreign_external_id("folder", props, _SCOPE)
        existing = tree.find(RequestReference(external_id=external_id))
        if existing is not None:
            return self._adopt(existing[0], tree, inputs, props)
        value = FolderCreate(name=inputs.name, external_id=external_id)
        codename = inputs.codename or folder_move.codename_to_keep(props)
        if codename:
            value = value.with_changes(codename=codename)
        parent = to_reference(inputs.parent) if inputs.parent else None
        try:
            tree = env.folder_patches.apply([folder_add_into(value, parent=parent)])
        except KontentBadRequestError as refusal:
            return self._made_by_lost_attempt(inputs, props, refusal)
        created = tree.find(RequestReference(external_id=external_id))
        if created is None:
            raise KontentResourceError(f"the API did not return folder {external_id!r} after adding it")
        return created[0], created[1].id if created[1] else None

    @staticmethod
    def _asked_for(tree: FolderTree, folder_id: str) -> Folder:
        found = tree.find(RequestReference(id=folder_id))
        if found is None:
            raise KontentResourceError(
                f"adopt_id: there is no folder with id {folder_id!r} in this environment. Give the id of "
                "an existing folder, or remove adopt_id to create a new one."
            )
        return found[0]

    def _made_by_lost_attempt(
        self, inputs: FolderInputs, props: dict[str, Any], refusal: KontentBadRequestError
    ) -> tuple[Folder, str | None]:
        """After a refused add: if an earlier attempt whose answer was lost made the folder, take it.

        The client retries a PATCH whose answer never came; when the first one was applied, the
        retry is refused ("already exists"). The folder is ours when it has our external id, name
        and parent; anything else is a real refusal and is raised as such.
        """
        env = self.env
        env.folders.invalidate()
        tree = env.folders.get()
        found = tree.find(RequestReference(external_id=inputs.external_id))
        if found is None or found[0].name != inputs.name:
            raise refusal
        return self._adopt(found[0], tree, inputs.model_copy(update={"adopt": True}), props)

    def _adopt(
        self, folder: Folder, tree: FolderTree, inputs: FolderInputs, props: dict[str, Any]
    ) -> tuple[Folder, str | None]:
        if not inputs.adopt and not inputs.external_id_generated:
            raise KontentResourceError(
                f"a folder with external id {inputs.external_id!r} already exists (id {folder.id}, "
                f"name {folder.name!r}). Set adopt=True to manage it from this stack, or choose another "
                "external_id. If a resource of this stack made it and you renamed that resource or moved it "
                "into a component, add aliases=[pulumi.Alias(...)] naming where it was."
            )
        parent_id = _parent_of(tree, folder.id)
        wanted = inputs.parent
        wanted_found = tree.find(to_reference(wanted)) if wanted else None
        wanted_id = wanted_found[0].id if wanted_found else None
        if wanted_id != parent_id:
            which = f"id {folder.id}" if inputs.adopt_id else f"external id {inputs.external_id!r}"
            raise KontentResourceError(
                f"folder {folder.name!r} with {which} exists under another parent, and the API cannot "
                "move folders. Give this folder another external_id, or set parent to where it is."
            )
        if folder.name != inputs.name:
            what = f"folder {folder.id} differs from the program: renamed to {inputs.name!r}"
            tell_written("folder", props, what)
            folder = self._rename(folder.id, inputs.name)
        return folder, parent_id

    def _rename(self, folder_id: str, name: str) -> Folder:
        current = self.env.folders.get().find(RequestReference(id=folder_id))
        if current is not None and current[0].name == name:
            return current[0]  # renamed so already (in Kontent.ai, since the last refresh): no write
        tree = self.env.folder_patches.apply([folder_rename(RequestReference(id=folder_id), name)])
        found = tree.find(RequestReference(id=folder_id))
        if found is None:
            raise KontentResourceError(f"folder {folder_id} disappeared while it was renamed")
        return found[0]

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        name = FolderInputs.of(news).name
        with self.api_errors(f"rename folder {_old_name(olds)!r} to {name!r}"):
            folder = self._rename(id_, name)
        self.kept("folder", id_, news)
        return UpdateResult(outs=_outs(folder, FolderOutputs.of(olds).parent_id, news))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        env = self.env
        name = FolderInputs.valid_part(props).name
        if self.left_to_another("folder", id_, props):
            return
        with self.api_errors(f"remove folder {name!r}", bad_request_fix=_HOLDS_ASSETS_FIX):
            found = env.folders.get().find(RequestReference(id=id_))
            if found is None:
                return  # already gone: deleting is idempotent
            _refuse_foreign_subfolders(name, found[0])
            try:
                if folder_move.is_moving(id_):
                    folder_move.park_and_remove(env, found[0], props)
                else:
                    env.folder_patches.apply([folder_remove(RequestReference(id=id_))])
            except KontentBadRequestError:
                env.folders.invalidate()  # the refusal may come from a tree changed elsewhere
                if env.folders.get().find(RequestReference(id=id_)) is not None:
                    raise  # still there: a real refusal (it holds assets)
                # gone: an earlier attempt whose answer was lost removed it

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        with self.api_errors(f"read folder {FolderInputs.valid_part(props).name!r}"):
            tree = self.env.folders.get()
        found = tree.find(RequestReference(id=id_))
        if found is None:
            return ReadResult(None, {})
        folder, parent = found
        parent_id = parent.id if parent else None
        inputs = applied(props)
        if folder.name != FolderInputs.valid_part(inputs).name:
            inputs = FolderInputs.updated(inputs, name=folder.name)
        # A parent changed outside Pulumi shows up in parent_id; it is not undone, because
        # the API cannot move folders and recreating one would orphan its assets.
        outs = _outs(folder, parent_id, inputs)
        return ReadResult(id_, outs, inputs)
