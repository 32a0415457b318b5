"""The project folder the import writes, written without ever following a symbolic link inside it.

The folder may come from a cloned repository or an earlier import, with symbolic links (or hard
links) planted where the import writes. So, below the project folder itself (which the user named):

* every folder is opened one name at a time, relative to its parent and with ``O_NOFOLLOW``: a link
  anywhere on the way fails that one file (:class:`NotFollowedError`) instead of leading elsewhere;
* a file is written to a new file created exclusively (``O_EXCL`` never opens what is there) and
  renamed over its name: a link of that name is replaced, its target never opened;
* a file is only read, or a download resumed, when it is a regular file (a ``.part`` only when it is
  also ours and has no other name).

POSIX only (``dir_fd``), as the rest of the toolkit's file locking is.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
# O_NONBLOCK: opening a FIFO planted under a file's name must not hang the import.
_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_CREATE = os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_NEW_FILE_MODE = 0o666  # less the umask, as any file the user makes


class NotFollowedError(OSError):
    """Where the import needs a folder there is a symbolic link (or a file): not followed."""


class OutputFolder:
    """The project folder; thread-safe. ``notes`` says which links were replaced."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.root = root
        self._notes: list[str] = []
        self._lock = threading.Lock()

    @property
    def notes(self) -> list[str]:
        with self._lock:
            return sorted(self._notes)

    def note(self, text: str) -> None:
        with self._lock:
            self._notes.append(text)

    @contextmanager
    def directory(self, relative: str) -> Iterator[int]:
        """A descriptor of folder ``relative`` ('/'-separated), made where missing, no link followed."""
        fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            walked: list[str] = []
            for name in (part for part in relative.split("/") if part):
                walked.append(name)
                child = _open_subfolder(fd, name, "/".join(walked))
                os.close(fd)
                fd = child
            yield fd
        finally:
            os.close(fd)

    @contextmanager
    def existing_directory(self, relative: str) -> Iterator[int]:
        """A descriptor of folder ``relative`` when it is there: none is made, no link followed
        (:class:`NotFollowedError` for a link or a file on the way, FileNotFoundError if missing)."""
        fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            for name in (part for part in relative.split("/") if part):
                try:
                    child = os.open(name, _DIRECTORY, dir_fd=fd)
                except OSError as error:
                    if error.errno not in (errno.ELOOP, errno.ENOTDIR):
                        raise
                    raise NotFollowedError(f"{relative}: {name} is not a folder") from None
                os.close(fd)
                fd = child
            yield fd
        finally:
            os.close(fd)

    def remove_if(self, relative: str, unchanged: Callable[[BinaryIO], bool]) -> bool | None:
        """Remove file ``relative`` when it is a regular file for which ``unchanged`` holds: True.

        Nothing else is removed: a regular file whose content ``unchanged`` refuses, or one replaced
        under that name while it was read, stays (False); a symbolic link, a folder or nothing at
        all is left as it is (None). No folder is made on the way.
        """
        folder, name = _split(relative)
        try:
            with self.existing_directory(folder) as parent, open_regular(parent, name) as source:
                if source is None:
                    return None
                if not unchanged(source):
                    return False
                read = os.fstat(source.fileno())
                there = os.stat(name, dir_fd=parent, follow_symlinks=False)
                if (there.st_dev, there.st_ino) != (read.st_dev, read.st_ino):
                    return False
                os.unlink(name, dir_fd=parent)
                return True
        except (NotFollowedError, FileNotFoundError):
            return None

    def remove_empty_folder(self, relative: str) -> bool:
        """Remove folder ``relative`` if it is empty (never a link, never a folder with anything in it)."""
        folder, name = _split(relative)
        try:
            with self.existing_directory(folder) as parent:
                os.rmdir(name, dir_fd=parent)
                return True
        except OSError:  # not empty, not a folder (a link), or gone
            return False

    def read(self, relative: str) -> bytes | None:
        """The content of a regular file; None when there is none (or a link, which is not read)."""
        folder, name = _split(relative)
        try:
            with self.directory(folder) as parent, open_regular(parent, name) as source:
                return source.read() if source else None
        except (NotFollowedError, FileNotFoundError):
            return None

    def replace(self, relative: str, content: bytes) -> None:
        """Write ``relative`` whole: a new file, then renamed over the name (a link there is replaced)."""
        folder, name = _split(relative)
        with self.directory(folder) as parent:
            was_link = is_link(parent, name)
            temporary, fd = _new_temporary(parent, name)
            try:
                with os.fdopen(fd, "wb") as sink:
                    sink.write(content)
                os.replace(temporary, name, src_dir_fd=parent, dst_dir_fd=parent)
            except BaseException:
                with suppress(OSError):
                    os.unlink(temporary, dir_fd=parent)
                raise
        if was_link:
            self.note(f"{relative} was a symbolic link: replaced by the file (its target was left as it was)")

    def create(self, relative: str, content: bytes) -> bool:
        """Write ``relative`` only if no entry of that name exists (not even a dangling link)."""
        folder, name = _split(relative)
        with self.directory(folder) as parent:
            try:
                fd = os.open(name, _CREATE, _NEW_FILE_MODE, dir_fd=parent)
            except FileExistsError:
                return False
            with os.fdopen(fd, "wb") as sink:
                sink.write(content)
        return True


@contextmanager
def open_regular(parent: int, name: str) -> Iterator[BinaryIO | None]:
    """``name`` in ``parent`` opened for reading when it is a regular file, else None."""
    try:
        fd = os.open(name, _READ, dir_fd=parent)
    except FileNotFoundError:
        yield None
        return
    except OSError as error:
        if error.errno != errno.ELOOP:  # ELOOP: a symbolic link, never followed
            raise
        yield None
        return
    with os.fdopen(fd, "rb") as source:
        yield source if stat.S_ISREG(os.fstat(fd).st_mode) else None


def open_partial(parent: int, name: str, shown: str) -> tuple[BinaryIO, str | None]:
    """The ``.part`` file to download into, positioned at its end, and a note when one was dropped.

    An existing one is resumed only when it is a regular file of ours with no other name (a hard
    link would have the download written into that other file). Anything else of that name is
    removed (the name is the import's own; removing a link never touches its target) and the file
    is made anew, exclusively.
    """
    try:
        found = os.stat(name, dir_fd=parent, follow_symlinks=False)
    except FileNotFoundError:
        found = None
    if found is not None and _resumable(found):
        fd = os.open(name, os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=parent)
        opened = os.fstat(fd)
        if (opened.st_dev, opened.st_ino) == (found.st_dev, found.st_ino):
            sink = os.fdopen(fd, "r+b")
            sink.seek(0, os.SEEK_END)
            return sink, None
        os.close(fd)  # replaced in between: start again below
    note = None
    if found is not None:
        if stat.S_ISDIR(found.st_mode):
            raise NotFollowedError(f"{shown} is a folder, where the download is written")
        os.unlink(name, dir_fd=parent)
        note = f"{shown} was {_what(found)}: removed, not resumed (its target was left as it was)"
    fd = os.open(name, _CREATE, _NEW_FILE_MODE, dir_fd=parent)
    return os.fdopen(fd, "r+b"), note


def is_link(parent: int, name: str) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=parent, follow_symlinks=False).st_mode)
    except FileNotFoundError:
        return False


def _resumable(found: os.stat_result) -> bool:
    return stat.S_ISREG(found.st_mode) and found.st_uid == os.geteuid() and found.st_nlink == 1


def _what(found: os.stat_result) -> str:
    if stat.S_ISLNK(found.st_mode):
        return "a symbolic link"
    if stat.S_ISREG(found.st_mode):
        return "another user's file" if found.st_uid != os.geteuid() else "a file with a second name"
    return "not a regular file"


def _open_subfolder(parent: int, name: str, shown: str) -> int:
    """Folder ``name`` in ``parent``, made if missing; :class:`NotFollowedError` for a link or a file."""
    with suppress(FileExistsError):  # there already (or made by another download meanwhile)
        os.mkdir(name, dir_fd=parent)  # never follows: a link of that name is "there already"
    try:
        return os.open(name, _DIRECTORY, dir_fd=parent)
    except OSError as error:
        if error.errno not in (errno.ELOOP, errno.ENOTDIR):
            raise
        raise NotFollowedError(f"{shown} is {_what_instead_of_a_folder(parent, name)}") from None


def _what_instead_of_a_folder(parent: int, name: str) -> str:
    if is_link(parent, name):
        return "a symbolic link: not followed (remove it and import again)"
    return "a file where a folder goes (move it and import again)"


def _new_temporary(parent: int, name: str) -> tuple[str, int]:
    """A new file beside ``name``, created exclusively (never an existing file or link)."""
    while True:
        temporary = f".{name}.{secrets.token_hex(6)}.tmp"
        try:
            return temporary, os.open(temporary, _CREATE, _NEW_FILE_MODE, dir_fd=parent)
        except FileExistsError:
            continue


def _split(relative: str) -> tuple[str, str]:
    folder, _, name = relative.rpartition("/")
    return folder, name
