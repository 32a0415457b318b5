"""Glob patterns over relative POSIX paths, as ``include``/``exclude`` of an AssetDirectory use them.

Python 3.11 has no ``PurePath.full_match``, and ``fnmatch`` lets ``*`` cross ``/``, so patterns are
compiled here with gitignore-like rules that users of sync tools already know:

* ``*`` and ``?`` stay within one path segment, ``[abc]``/``[!abc]`` are character classes;
* ``**`` as a whole segment matches any number of segments, including none;
* a pattern without ``/`` matches a name at any depth (``*.tmp``, ``drafts``);
* a pattern that matches a directory matches everything below it (``drafts/`` → its files).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath


class PatternError(ValueError):
    """A pattern that cannot be used; the message says why."""


def _segment_regex(segment: str) -> str:
    """One path segment's glob as a regex that never matches ``/``."""
    out: list[str] = []
    i = 0
    while i < len(segment):
        char = segment[i]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and (end := segment.find("]", i + 2)) != -1:
            body = segment[i + 1 : end]
            negate = body.startswith("!")
            body = re.escape(body[1:] if negate else body).replace(r"\-", "-")
            out.append(f"[^/{body}]" if negate else f"[{body}]")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """The regex of ``pattern``, to be used with ``fullmatch`` on a relative POSIX path."""
    cleaned = pattern.strip().rstrip("/")
    if not cleaned or cleaned.startswith("/"):
        raise PatternError(f"{pattern!r} is not a relative glob pattern (e.g. '**/*.png', 'photos/**')")
    segments = cleaned.split("/")
    if ".." in segments:
        raise PatternError(f"{pattern!r} points outside the directory ('..'): patterns stay inside it")
    if len(segments) == 1 and segments[0] != "**":
        segments = ["**", *segments]  # no '/': a name at any depth, as in .gitignore
    parts: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "**":
            parts.append(".*" if last else "(?:.*/)?")
        else:
            parts.append(_segment_regex(segment) + ("" if last else "/"))
    return re.compile("".join(parts))


class PathPatterns:
    """``include`` minus ``exclude``: decides which relative paths are part of the tree."""

    def __init__(self, include: Iterable[str], exclude: Iterable[str]) -> None:
        self._include = [compile_pattern(p) for p in include]
        self._exclude = [compile_pattern(p) for p in exclude]

    def selects(self, relative_path: str) -> bool:
        return _any_match(self._include, relative_path) and not _any_match(self._exclude, relative_path)


def _any_match(patterns: list[re.Pattern[str]], relative_path: str) -> bool:
    """The path or one of its parent directories matches (a matched directory covers its files)."""
    path = PurePosixPath(relative_path)
    candidates = [str(path), *(str(parent) for parent in path.parents if str(parent) != ".")]
    return any(p.fullmatch(c) for p in patterns for c in candidates)
