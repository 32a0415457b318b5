"""The body of ``POST /_emulator/seed`` (shape in ``seed.py``'s docstring), parsed with pydantic."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ElementType = Literal[
    "text", "rich_text", "asset", "number", "date_time", "url_slug", "custom",
    "modular_content", "taxonomy", "multiple_choice",
]  # fmt: skip
StepName = Literal["draft", "review", "published", "archived"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Named(_Model):
    """What every seeded object has: a codename and a name, an id and an external id if given."""

    codename: str
    name: str
    id: str | None = None
    external_id: str | None = None


class SeedLanguage(_Named):
    is_active: bool = True
    is_default: bool = False
    fallback_language: str | None = None


class SeedCollection(_Named):
    pass


class SeedElement(_Named):
    type: ElementType
    guidelines: str = ""
    is_required: bool = False
    is_non_localizable: bool = False


class SeedType(_Named):
    elements: list[SeedElement] = Field(default_factory=list)


class SeedVariant(_Model):
    elements: dict[str, Any] = Field(default_factory=dict)
    workflow_step: StepName = "draft"


class SeedItem(_Named):
    type: str
    collection: str = "default"
    variants: dict[str, SeedVariant] = Field(default_factory=dict)


class SeedPayload(_Model):
    languages: list[SeedLanguage] = Field(default_factory=list)
    collections: list[SeedCollection] = Field(default_factory=list)
    types: list[SeedType] = Field(default_factory=list)
    items: list[SeedItem] = Field(default_factory=list)
