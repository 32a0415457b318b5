"""The files this package keeps for the current user on this machine: rate-limit ledgers and locks.

They coordinate the processes of one user (two stacks deploying into one environment at once), so
they must live where no other user can create, replace or redirect them. A predictable name in a
world-writable folder is not such a place: another user could create the folder first, or plant a
symlink under the name of a ledger, and make this user's run truncate any file this user can write.

So the folder is, in order of preference:

1. ``KONTENT_STATE_DIR``, when set (a deployment that wants it elsewhere);
2. ``$XDG_RUNTIME_DIR/kontent-resources``: the per-user runtime folder the login session makes
   (tmpfs, removed at logout: right for locks and ledgers, which only matter while processes run);
3. ``$XDG_CACHE_HOME/kontent-resources/state`` (``~/.cache/kontent-resources/state`` by default);
4. ``$TMPDIR/kontent-resources-<uid>``, only when neither of the others can be made.

Whichever it is, it is used only when it is a real folder (not a symlink) owned by this user with no
access for group or others; it is created so when missing, and refused otherwise (never "fixed":
a folder someone else owns is theirs). Files in it are opened without following symlinks, created
with mode 0600, and refused unless they are regular files of this user.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import IO

STATE_DIR_ENV = "KONTENT_STATE_DIR"
_NAME = "kontent-resources"


class UnsafeStateDirError(OSError):
    """The folder for per-user state is not this user's alone; nothing was written to it."""


def _verified(folder: Path, *, make_parents: bool) -> Path:
    """``folder``, created with mode 0700 if missing; refused unless it is this user's alone."""
    if make_parents:
        folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):  # then it is checked like any existing one
        folder.mkdir(mode=0o700)
    problem = _not_private(folder.lstat()) or _replaceable_by_others(folder.parent.stat())
    if problem:
        raise UnsafeStateDirError(
            f"refusing to keep rate-limit ledgers and locks in {folder}: it {problem}. "
            f"Remove it if it is not yours, or set {STATE_DIR_ENV} to a folder only you can write."
        )
    return folder


def _not_private(info: os.stat_result) -> str | None:
    uid = os.geteuid()
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link"
    if not stat.S_ISDIR(info.st_mode):
        return "is not a folder"
    if info.st_uid != uid:
        return f"belongs to uid {info.st_uid}, not to this user (uid {uid})"
    if info.st_mode & 0o077:
        return f"is open to other users (mode {stat.S_IMODE(info.st_mode):o})"
    return None


def _replaceable_by_others(parent: os.stat_result) -> str | None:
    """Others may rename entries of a folder they can write unless its sticky bit is set (/tmp)."""
    if parent.st_mode & 0o022 and not parent.st_mode & stat.S_ISVTX:
        return "is in a folder other users can write without the sticky bit"
    return None


def _candidates() -> list[tuple[Path, bool]]:
    """``(folder, make its parents)`` in order of preference."""
    explicit = os.environ.get(STATE_DIR_ENV)
    if explicit:
        return [(Path(explicit), True)]  # the user's choice: no silent fallback elsewhere
    found: list[tuple[Path, bool]] = []
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_absolute():
        found.append((Path(runtime) / _NAME, False))  # the session makes that folder, never us
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if Path(cache).is_absolute():
        found.append((Path(cache) / _NAME / "state", True))
    found.append((Path(tempfile.gettempdir()) / f"{_NAME}-{os.geteuid()}", False))
    return found


def state_dir() -> Path:
    """This user's folder for state shared by the processes of this machine.

    Raises :class:`UnsafeStateDirError` when the first folder that can be made is not this user's
    alone (someone else's folder under our name is reported, not worked around), and ``OSError``
    when none can be made at all.
    """
    last_error: OSError | None = None
    for folder, make_parents in _candidates():
        try:
            return _verified(folder, make_parents=make_parents)
        except UnsafeStateDirError:
            raise
        except OSError as error:  # cannot be made here (read-only home, stale runtime dir)
            last_error = error
    assert last_error is not None
    raise last_error


def open_private(path: Path, mode: str = "r+") -> IO[str]:
    """``path`` opened for reading and writing text, created with mode 0600 when missing.

    Never through a symlink (``O_NOFOLLOW``), and only a regular file owned by this user with a
    single link: a file planted by someone else is refused, not truncated.
    """
    if mode not in ("r+", "a+"):
        raise ValueError(f"unsupported mode {mode!r}")
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    if mode == "a+":
        flags |= os.O_APPEND
    try:
        descriptor = os.open(path, flags, 0o600)
    except OSError as error:
        if error.errno == errno.ELOOP:  # O_NOFOLLOW met a symlink
            raise UnsafeStateDirError(f"refusing to open {path}: it is a symbolic link") from None
        raise
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_nlink != 1:
            raise UnsafeStateDirError(
                f"refusing to use {path}: not a regular file of this user with a single link"
            )
        return os.fdopen(descriptor, mode, encoding="utf-8")
    except BaseException:
        os.close(descriptor)
        raise


def write_if_missing(path: Path, text: str) -> None:
    """Creates ``path`` with ``text`` unless something (a file, or a symlink to anything) is there."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
