"""The optional metadata file of an AssetDirectory: titles, descriptions and moves per file.

    {
      "photos/team-photo.jpg": {
        "title": "Our team",
        "descriptions": {"en-US": "The four founders", "es-ES": "Los cuatro fundadores"}
      },
      "brand/logo.png": {"title": "Company logo", "moved_from": ["logo.png"]},
      "brand/divider.png": {"decorative": true}
    }

Keys are paths relative to the directory, '/'-separated. Unknown fields are refused, so that a
typo ("titel") fails the preview instead of silently dropping a title. ``moved_from`` (one path or
a list, oldest first) keeps the asset of a moved file; see ``asset_directory`` for its rules.
``decorative: true`` marks an image that carries no meaning: it needs no alt text (docs/alt-text.md).
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kontent_resources.api_limits import TITLE_MAX_LENGTH


class MetadataError(ValueError):
    """The metadata file is unreadable or malformed; the message names the entry and the fix."""


class FileMetadata(BaseModel):
    """What the metadata file says about one file."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    title: str | None = Field(default=None, min_length=1, max_length=TITLE_MAX_LENGTH)
    descriptions: dict[str, str] = Field(default_factory=dict)
    # An image that carries no meaning: no description is asked of it (Asset(decorative=True)).
    decorative: bool = False
    # Earlier paths of this file, oldest first: the asset (and its id) follows the file instead of
    # being replaced. Kept for the file's lifetime: the oldest path is the asset's identity.
    moved_from: list[str] = Field(default_factory=list)

    @field_validator("moved_from", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("moved_from")
    @classmethod
    def _relative_paths(cls, value: list[str]) -> list[str]:
        return [normalize_relative_path(path) for path in value]


def normalize_relative_path(raw: str) -> str:
    """``raw`` as a clean relative POSIX path (``./a//b`` → ``a/b``); ValueError if it escapes."""
    path = PurePosixPath(raw)
    if not raw.strip() or path.is_absolute() or ".." in path.parts or str(path) == ".":
        raise ValueError(f"{raw!r} is not a path inside the directory: use 'folder/file.ext', '/'-separated")
    return str(path)


def load_metadata(file: Path) -> dict[str, FileMetadata]:
    """Entries of the metadata file by normalized relative path."""
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise MetadataError(
            f"{file.name} is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno}): "
            "fix the syntax"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise MetadataError(f"{file.name} cannot be read ({error}): make it a readable UTF-8 file") from None
    if not isinstance(document, dict):
        raise MetadataError(
            f"{file.name} must hold a JSON object mapping file paths to entries, e.g. "
            '{"photos/team.jpg": {"title": "Our team"}}'
        )
    return _entries(file.name, document)


def _entries(file_name: str, document: dict[str, Any]) -> dict[str, FileMetadata]:
    entries: dict[str, FileMetadata] = {}
    for raw_key, raw_entry in document.items():
        try:
            key = normalize_relative_path(raw_key)
            entry = FileMetadata.model_validate(raw_entry)
        except ValidationError as error:
            raise MetadataError(f"{file_name}, entry {raw_key!r}: {_explain(error)}") from None
        except ValueError as error:
            raise MetadataError(f"{file_name}, entry {raw_key!r}: {error}") from None
        if key in entries:
            raise MetadataError(f"{file_name} has two entries for {key!r}: merge them into one")
        entries[key] = entry
    return entries


def _explain(error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"])
        problems.append(f"{where}: {item['msg']}" if where else item["msg"])
    allowed = ", ".join(FileMetadata.model_fields)
    return "; ".join(problems) + f" (an entry may have {allowed})"
