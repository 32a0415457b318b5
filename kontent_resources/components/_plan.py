"""What an AssetDirectory will declare: its folders and assets, computed from disk before any
resource is registered, so that every input problem fails the program early and all at once.

Pure Python (no Pulumi calls): the unit tests exercise it directly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kontent_resources.api_limits import TITLE_MAX_LENGTH
from kontent_resources.components._metadata import (
    FileMetadata,
    MetadataError,
    load_metadata,
    normalize_relative_path,
)
from kontent_resources.components._patterns import PathPatterns, PatternError
from kontent_resources.components._tree import is_hidden, scan_tree
from kontent_resources.providers.localfile import real_path

DEFAULT_METADATA_FILE = "assets.json"
_WORD_BREAKS = re.compile(r"[\s_-]+")


class AssetDirectoryError(ValueError):
    """An AssetDirectory's inputs cannot work; the message names the component and the fix."""

    def __init__(self, name: str, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        if len(self.problems) == 1:
            text = self.problems[0]
        else:
            text = "".join(f"\n  - {problem}" for problem in self.problems)
        super().__init__(f"AssetDirectory {name!r}: {text}")


@dataclass(frozen=True)
class PlannedAsset:
    """One file to upload: ``path`` (relative, '/'-separated) is its identity in the stack."""

    path: str
    source: Path
    folder: str  # relative directory; "" is the mounted root
    title: str
    descriptions: Mapping[str, str]
    moved_from: tuple[str, ...]  # earlier paths, oldest first
    decorative: bool = False  # needs no alt text (the metadata file's "decorative")

    @property
    def identity(self) -> str:
        """The path the asset was first created under: its external id derives from it."""
        return self.moved_from[0] if self.moved_from else self.path


@dataclass(frozen=True)
class DirectoryPlan:
    """Folders (parents before children) and assets, both in a fixed sorted order."""

    folders: tuple[str, ...]
    assets: tuple[PlannedAsset, ...]
    warnings: tuple[str, ...]


def title_from_file_name(file_name: str) -> str:
    """``team-photo.jpg`` → ``Team photo``: the stem, word breaks as spaces, first letter upper."""
    words = _WORD_BREAKS.sub(" ", PurePosixPath(file_name).stem).strip()
    if not words:
        return file_name[:TITLE_MAX_LENGTH]
    # Only the first letter changes: acronyms and product names (IMG, iPhone) keep their case.
    return (words[0].upper() + words[1:])[:TITLE_MAX_LENGTH]


def plan_directory(
    name: str,
    path: str | Path,
    *,
    include: Sequence[str],
    exclude: Sequence[str],
    metadata_file: str | None,
    default_descriptions: Mapping[str, str] | None,
) -> DirectoryPlan:
    """Read and validate everything the component needs; raise AssetDirectoryError on any problem."""
    _check_name(name)
    root = Path(path).expanduser()
    _check_root(name, root)
    patterns = _patterns(name, include, exclude)
    defaults = _default_descriptions(name, default_descriptions)
    metadata_path, entries = _metadata(name, root, metadata_file)
    scan = scan_tree(root)
    files = [f for f in scan.files if f != metadata_path and patterns.selects(f)]
    problems = [*_entry_problems(root, entries, files), *_move_problems(entries, files)]
    if problems:
        raise AssetDirectoryError(name, problems)
    assets = tuple(_planned(root, f, entries.get(f), defaults) for f in files)
    warnings = list(scan.skipped)
    if not files:
        warnings.append(f"no file in {str(root)!r} matches include/exclude: the component manages nothing")
    return DirectoryPlan(folders=_folders_of(files), assets=assets, warnings=tuple(warnings))


def _check_name(name: str) -> None:
    # Children are named "<name>/<relative path>". A '/' in the component's own name would make
    # two components' children collide ("a" with b/c.png and "a/b" with c.png), and URNs must be
    # unique: refuse it instead of producing a confusing engine error.
    if not name or "/" in name:
        raise AssetDirectoryError(
            name, ["the name must be non-empty and contain no '/' (its resources are named '<name>/<path>')"]
        )


def _check_root(name: str, root: Path) -> None:
    where = f"{str(root)!r} (resolved to {str(real_path(root))!r})"
    if not root.exists():
        raise AssetDirectoryError(
            name, [f"path {where} does not exist: fix path (relative paths start at the program's folder)"]
        )
    if not root.is_dir():
        raise AssetDirectoryError(
            name, [f"path {where} is not a directory: give the folder to mirror, or use Asset for one file"]
        )


def _patterns(name: str, include: Sequence[str], exclude: Sequence[str]) -> PathPatterns:
    if isinstance(include, str) or isinstance(exclude, str):
        # A bare string would be read character by character: ("*.png") is not a tuple.
        raise AssetDirectoryError(name, ["include and exclude take a list of patterns, e.g. ['**/*.png']"])
    try:
        return PathPatterns(include, exclude)
    except PatternError as error:
        raise AssetDirectoryError(name, [f"include/exclude: {error}"]) from None


def _default_descriptions(name: str, value: Mapping[str, str] | None) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and k and isinstance(v, str) for k, v in value.items()
    ):
        raise AssetDirectoryError(
            name, ["default_descriptions must map language codenames to text, e.g. {'en-US': 'Photo'}"]
        )
    return dict(value)


def _metadata(name: str, root: Path, metadata_file: str | None) -> tuple[str | None, dict[str, FileMetadata]]:
    """The metadata file's relative path (never uploaded) and its entries."""
    if metadata_file is None:
        return None, {}
    try:
        relative = normalize_relative_path(metadata_file)
    except ValueError as error:
        raise AssetDirectoryError(name, [f"metadata_file: {error}"]) from None
    file = root / relative
    if not file.is_file():
        if metadata_file == DEFAULT_METADATA_FILE:
            return relative, {}  # the default file is optional
        raise AssetDirectoryError(
            name, [f"metadata_file {relative!r} is not a file in {str(root)!r}: fix the name, or pass None"]
        )
    try:
        return relative, load_metadata(file)
    except MetadataError as error:
        raise AssetDirectoryError(name, [f"metadata file {error}"]) from None


def _entry_problems(root: Path, entries: Mapping[str, FileMetadata], files: Sequence[str]) -> list[str]:
    selected = set(files)
    problems = []
    for key in entries:
        if key in selected:
            continue
        if (root / key).is_file() and not is_hidden(key):
            problems.append(
                f"the metadata has an entry for {key!r}, which include/exclude leave out: "
                "remove the entry or change the patterns"
            )
        else:
            problems.append(
                f"the metadata has an entry for {key!r}, but there is no such file in {str(root)!r} "
                "(hidden files are never uploaded): fix the path or remove the entry"
            )
    return problems


def _move_problems(entries: Mapping[str, FileMetadata], files: Sequence[str]) -> list[str]:
    selected = set(files)
    claimed: dict[str, str] = {}
    problems = []
    for key, entry in entries.items():
        for old in entry.moved_from:
            if old in selected or old == key:
                problems.append(
                    f"{key!r} moved from {old!r}, so a file there would take over its asset: "
                    f"rename the file at {old!r}, or drop {old!r} from moved_from (which replaces "
                    f"the asset of {key!r})"
                )
            elif old in claimed:
                problems.append(
                    f"{key!r} and {claimed[old]!r} both say they moved from {old!r}: "
                    "only one asset can keep it"
                )
            claimed.setdefault(old, key)
    return problems


def _planned(
    root: Path, relative: str, entry: FileMetadata | None, defaults: Mapping[str, str]
) -> PlannedAsset:
    pure = PurePosixPath(relative)
    descriptions = {**defaults, **(entry.descriptions if entry else {})}
    return PlannedAsset(
        path=relative,
        source=root.joinpath(*pure.parts),
        folder="" if str(pure.parent) == "." else str(pure.parent),
        title=(entry.title if entry and entry.title else title_from_file_name(pure.name)),
        descriptions=descriptions,
        moved_from=tuple(entry.moved_from) if entry else (),
        decorative=entry.decorative if entry else False,
    )


def _folders_of(files: Sequence[str]) -> tuple[str, ...]:
    """Every directory holding an uploaded file (directly or below), parents first."""
    folders = {
        parent for relative in files for parent in PurePosixPath(relative).parents if str(parent) != "."
    }
    return tuple(str(folder) for folder in sorted(folders, key=lambda folder: folder.parts))
