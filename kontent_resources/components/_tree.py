"""A sorted, symlink-safe walk of a local directory tree.

The order is fixed (names sorted at every level) so that the resources of an AssetDirectory are
registered in the same order on every run and previews are stable. Symlinks are followed only
while they stay inside the root: a link out of the tree would upload files nobody put there, and
a link back to an ancestor would loop forever.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from kontent_resources.providers.localfile import real_path


@dataclass
class TreeScan:
    """Relative POSIX paths of the regular files found, and why some entries were skipped."""

    files: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def is_hidden(relative_path: str) -> bool:
    """Dot files and everything inside dot directories (.git, .DS_Store, .kontent …)."""
    return any(part.startswith(".") for part in PurePosixPath(relative_path).parts)


def scan_tree(root: Path) -> TreeScan:
    """Every non-hidden regular file under ``root``, sorted, symlinks resolved inside ``root`` only."""
    real_root = real_path(root)
    scan = TreeScan()
    _visit(root, real_root, PurePosixPath(), real_root, frozenset({real_root}), scan)
    return scan


def _visit(
    directory: Path,
    real_directory: Path,
    relative: PurePosixPath,
    real_root: Path,
    chain: frozenset[Path],
    scan: TreeScan,
) -> None:
    """``chain`` holds the real paths of the directories being visited, to cut symlink loops.

    Only a symlink is resolved: any other entry's real path is its directory's, joined with its
    name, and its kind is in the listing (a library of thousands of files is scanned at every
    preview)."""
    with os.scandir(directory) as listing:
        entries = sorted(listing, key=lambda child: child.name)
    for entry in entries:
        if entry.name.startswith("."):
            continue
        entry_relative = relative / entry.name
        if entry.is_symlink():
            try:
                target = Path(entry.path).resolve()
            except (RuntimeError, OSError):  # RuntimeError: pathlib's "Symlink loop from …"
                scan.skipped.append(f"{entry_relative}: a symlink loop, not followed")
                continue
            if not target.is_relative_to(real_root):
                scan.skipped.append(f"{entry_relative}: a symlink out of the directory, not followed")
                continue
            is_dir, is_file = target.is_dir(), target.is_file()
        else:
            target = real_directory / entry.name
            is_dir, is_file = entry.is_dir(follow_symlinks=False), entry.is_file(follow_symlinks=False)
        if is_dir:
            if target in chain:
                scan.skipped.append(f"{entry_relative}: a symlink to one of its parents, not followed")
            else:
                _visit(Path(entry.path), target, entry_relative, real_root, chain | {target}, scan)
        elif is_file:
            scan.files.append(str(entry_relative))
        else:
            scan.skipped.append(f"{entry_relative}: not a regular file (broken link, socket, device…)")
