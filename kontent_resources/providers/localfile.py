"""The local file behind an Asset: problems found offline, content hash, image dimensions."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from kontent_resources.api_limits import MAX_FILE_SIZE

_HASH_CHUNK = 1024 * 1024


def real_path(path: Path) -> Path:
    """``path`` absolute, symlinks resolved; a symlink loop stays as it is (``file_problem`` names it)."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # RuntimeError: pathlib's "Symlink loop from …"
        return Path(os.path.abspath(path))


def file_problem(path: Path, *, max_size: int | None = MAX_FILE_SIZE) -> str | None:
    """Why ``path`` cannot be uploaded, phrased with the fix; ``None`` when it can.

    ``max_size=None`` leaves the size to the provider's check, which knows the configured limit.
    """
    # One stat for a file that is fine (every member of a large AssetDirectory, at every preview).
    try:
        found = path.stat()
    except PermissionError:
        return f"file {str(path)!r} cannot be reached by this user: fix the permissions of its folders."
    except (OSError, ValueError):
        found = None
    if found is None and path.is_symlink():
        return (
            f"{str(path)!r} is a symlink that leads nowhere (a loop, or its target is missing): point "
            "source at the file itself."
        )
    if found is None:
        return (
            f"file {str(path)!r} does not exist: fix the path (relative paths start at the program's folder)."
        )
    if stat.S_ISDIR(found.st_mode):
        return f"{str(path)!r} is a directory: point source at a file inside it."
    if not stat.S_ISREG(found.st_mode):
        return f"{str(path)!r} is not a regular file: point source at a regular file."
    if not os.access(path, os.R_OK):
        return f"file {str(path)!r} is not readable by this user: fix its permissions (chmod a+r)."
    size = found.st_size
    if max_size is not None and size > max_size:
        return (
            f"file {str(path)!r} is {size:,} bytes; Kontent.ai accepts at most {max_size:,} bytes per "
            "asset: compress or split it (an environment with a higher limit sets kontent:maxFileSizeBytes)."
        )
    return None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class ImageSize:
    width: int
    height: int


def image_size(path: Path) -> ImageSize | None:
    """Width and height read from the image header; ``None`` for files that are not images."""
    try:
        with Image.open(path) as image:
            return ImageSize(*image.size)
    except (UnidentifiedImageError, OSError):
        return None
