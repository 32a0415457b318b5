"""The typed inputs of Folder, Asset, Rendition (and an AssetSet's members): one frozen model each.

Each key of a resource's inputs is spelled once, as a field here: the resource classes build
their props with ``Model.props(...)`` (which refuses a name that is no field), and the providers
read them as attributes of the model ``check`` parsed. The state keeps the inputs as the program
sent them (``check`` returns them unchanged, so existing stacks diff as before); a model is a
typed view of them, built again where a provider needs one (``Model.of``).

``check`` parses in two steps: the offline checks of the raw values (``check_values``: the
messages users see, one failure per property), then, when none failed, the model itself, whose
errors become failures naming the property. Values the engine does not know yet (a preview) are
left out of the model and named in ``unknowns``: the checks that need them are skipped.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from kontent_resources.api_limits import FOLDER_NAME_MAX_LENGTH, TITLE_MAX_LENGTH
from kontent_resources.models.renditions import TRANSFORMATION_FIELDS, TransformationRequest
from kontent_resources.providers.identity import IdentityInputs
from kontent_resources.providers.localfile import file_problem
from kontent_resources.providers.props import applied
from kontent_resources.providers.validation import Failures, is_unknown


class ResourceOutputs(BaseModel):
    """A resource's outputs: what its provider writes to the state beside the inputs and reads
    back, typed. A field of an input's name holds the value the API keeps for that input; the
    others are the outputs the resource declares (``ResourceInputs.declared_outputs``)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    @classmethod
    def of(cls, outs: Mapping[str, Any]) -> Self:
        """The outputs of ``outs``; a value of an unexpected type reads as absent."""
        try:
            return cls.model_validate(outs)
        except ValidationError as error:
            bad = {str(problem["loc"][0]) for problem in error.errors() if problem["loc"]}
            return cls.model_validate({k: v for k, v in outs.items() if k not in bad})


class FolderOutputs(ResourceOutputs):
    """A folder's outputs."""

    name: str | None = None
    """The display name, as the API holds it."""
    codename: str | None = None
    """The codename: the one given, or the one the API generated."""
    external_id: str | None = None
    parent: str | None = None
    """The ``parent`` input as checked (a reference, or ``None`` for the root)."""
    parent_id: str | None = None
    """The parent the folder was made under, by id (an update keeps it: no move in the API)."""


class RenditionOutputs(ResourceOutputs):
    """A rendition's outputs."""

    external_id: str | None = None
    transformation: dict[str, int] | None = None
    """The six numbers (``TRANSFORMATION_FIELDS``) as the API holds them."""
    asset_id: str | None = None
    """The asset it belongs to, by id (what its read and delete address)."""
    last_modified: str | None = None
    """When the API last changed it, ISO 8601 in UTC (``Z``)."""


class AssetOutputs(ResourceOutputs):
    """An asset's outputs: what the API holds of its inputs, measured, and the ids it holds."""

    title: str | None = None
    codename: str | None = None
    """The codename: the one given, or the one the API generated."""
    external_id: str | None = None
    url: str | None = None
    """Where the file is served (the asset CDN)."""
    size: int | None = None
    """The file's size in bytes."""
    type: str | None = None
    """The file's MIME type, as the API holds it."""
    image_width: int | None = None
    """The image's pixels across and down (``None`` for other files), as the API measured them."""
    image_height: int | None = None
    file_reference: str | None = None
    """The uploaded file the asset held at the last write: another one means new content (refresh)."""
    folder_id: str | None = None
    """The ids the API holds for the ``folder`` and ``collection`` inputs (refresh compares them)."""
    collection_id: str | None = None
    last_modified: str | None = None
    """When the API last changed the asset, ISO 8601 in UTC (``Z``)."""


class ResourceInputs(IdentityInputs):
    """What every resource's inputs share: the identity (``identity.py``) and the unknown values."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    unknowns: frozenset[str] = frozenset()
    """The fields the engine does not know yet (at preview): left at their defaults here."""

    OUTPUT_MODEL: ClassVar[type[ResourceOutputs]] = ResourceOutputs

    @classmethod
    @functools.cache
    def declared_outputs(cls) -> tuple[str, ...]:
        """The outputs the resource declares as props (None), so the SDK makes their Output
        attributes: the output model's fields that are no input."""
        return tuple(name for name in cls.OUTPUT_MODEL.model_fields if name not in cls.model_fields)

    @classmethod
    def of(cls, props: Mapping[str, Any]) -> Self:
        """The model of ``props`` (checked inputs, or the applied inputs of a state)."""
        known: dict[str, Any] = {}
        unknowns: set[str] = set()
        for name in cls.model_fields:
            if name in props and name != "unknowns":
                value = props[name]
                if is_unknown(value):
                    unknowns.add(name)
                else:
                    known[name] = value
        return cls.model_validate({**known, "unknowns": frozenset(unknowns)})

    @classmethod
    def valid_part(cls, props: Mapping[str, Any]) -> Self:
        """The model of ``props``' known and valid values (a value that fails is left at its default):
        for ``check`` before its failures are final, and for states written by something else."""
        try:
            return cls.of(props)
        except ValidationError as error:
            bad = {str(problem["loc"][0]) for problem in error.errors() if problem["loc"]}
            return cls.of({k: v for k, v in props.items() if k not in bad})

    @classmethod
    def parsed(cls, props: Mapping[str, Any], failures: Failures) -> Self | None:
        """In ``check``, after ``check_values``: the model, or its errors as failures naming the
        property (a property already reported is not reported twice)."""
        try:
            return cls.of(props)
        except ValidationError as error:
            reported = {item.property for item in failures.items}
            for problem in error.errors():
                prop = str(problem["loc"][0]) if problem["loc"] else "inputs"
                if prop not in reported:
                    reported.add(prop)
                    failures.add(prop, str(problem["msg"]).removeprefix("Value error, "))
            return None

    @classmethod
    def props(cls, **values: Any) -> dict[str, Any]:
        """The props a resource declares: ``values`` keyed by field names, plus the outputs (None)."""
        cls._refuse_other_names(values)
        return {**values, **dict.fromkeys(cls.declared_outputs())}

    @classmethod
    def updated(cls, props: Mapping[str, Any], **changes: Any) -> dict[str, Any]:
        """``props`` (inputs as the state holds them) with ``changes``, keyed by field names."""
        cls.props(**changes)  # refuses a name that is no field
        return {**props, **changes}

    @classmethod
    def same_as_sent(cls, olds: Mapping[str, Any], news: Mapping[str, Any], fields: Iterable[str]) -> bool:
        """Whether ``fields`` hold the same values in both, compared as sent: no parsing, the
        cheap test before a check that would parse them (``cls.of``) at scale."""
        cls._refuse_other_names(fields)
        return all(olds.get(field) == news.get(field) for field in fields)

    @classmethod
    def _refuse_other_names(cls, names: Iterable[str]) -> None:
        unknown = sorted(name for name in names if name not in cls.model_fields)
        if unknown:
            raise TypeError(f"{cls.__name__} has no field(s) {', '.join(unknown)}")

    def is_known(self, field: str) -> bool:
        return field not in self.unknowns


class FolderInputs(ResourceInputs):
    name: str = ""
    parent: str | None = None
    codename: str | None = None

    OUTPUT_MODEL: ClassVar[type[ResourceOutputs]] = FolderOutputs
    DIFFED: ClassVar[tuple[str, ...]] = ("name", "parent", "codename", "external_id")
    REPLACE_ON: ClassVar[tuple[str, ...]] = ("parent", "codename", "external_id")
    # The replacing inputs a generated external id is derived from (a replacement must not find the old).
    SCOPE: ClassVar[tuple[str, ...]] = ("parent", "codename")

    @staticmethod
    def check_values(props: Mapping[str, Any], failures: Failures) -> None:
        failures.text("name", props.get("name"), max_length=FOLDER_NAME_MAX_LENGTH, required=True)
        failures.reference("parent", props.get("parent"), "folder", in_body=True)
        failures.identity(dict(props))


class RenditionInputs(ResourceInputs):
    asset: str | None = None
    transformation: TransformationRequest | None = None
    # What the program knows of an Asset resource given as the asset (for check only).
    image_width: float | None = None
    """Width of the asset's local image: the rectangle must fit (None: not known)."""
    image_height: float | None = None
    source_is_image: bool | None = None
    """False when the asset's local file is known not to be an image (a PDF, an SVG)."""
    asset_in_stack: bool | None = None
    """The asset is an Asset of this stack: deleting it deletes the rendition too (no warning)."""

    OUTPUT_MODEL: ClassVar[type[ResourceOutputs]] = RenditionOutputs
    DIFFED: ClassVar[tuple[str, ...]] = ("asset", "transformation", "external_id")
    REPLACE_ON: ClassVar[tuple[str, ...]] = ("asset", "external_id")
    SCOPE: ClassVar[tuple[str, ...]] = ("asset",)

    @field_validator("transformation", mode="before")
    @classmethod
    def _six_numbers(cls, value: Any) -> Any:
        """The six numbers only (``check_transformation`` reads no other key either)."""
        if isinstance(value, Mapping):
            return {k: value.get(k) for k in TRANSFORMATION_FIELDS}
        return value

    @staticmethod
    def check_values(props: Mapping[str, Any], failures: Failures) -> None:
        """The rendition's own values, but its transformation (``check_transformation``)."""
        if props.get("asset") is None:
            failures.add("asset", "is required: give an Asset, its id, or 'external-id/<x>' of an asset.")
        failures.reference("asset", props.get("asset"), "asset")
        failures.identity(dict(props), codename=False)

    @staticmethod
    def raw_transformation(props: Mapping[str, Any]) -> tuple[Any, tuple[Any, Any]]:
        """The transformation as sent, and the local image's size when the program knew it."""
        return props.get("transformation"), (props.get("image_width"), props.get("image_height"))


class AssetInputs(ResourceInputs):
    source: str | None = None
    source_path: str | None = None
    content_sha256: str | None = None
    file_name: str | None = None
    content_type: str | None = None
    title: str | None = None
    descriptions: dict[str, str] | None = None
    decorative: bool | None = None
    folder: str | None = None
    collection: str | None = None
    codename: str | None = None
    elements: dict[str, list[str]] | None = None

    OUTPUT_MODEL: ClassVar[type[ResourceOutputs]] = AssetOutputs
    CONTENT: ClassVar[tuple[str, ...]] = ("content_sha256", "file_name", "content_type")
    METADATA: ClassVar[tuple[str, ...]] = (
        "title",
        "descriptions",
        "folder",
        "collection",
        "codename",
        "elements",
    )
    DIFFED: ClassVar[tuple[str, ...]] = (*CONTENT, *METADATA, "external_id")
    REPLACE_ON: ClassVar[tuple[str, ...]] = ("external_id",)
    # Inputs that are not shown as outputs (the path is the machine's, the source is).
    HIDDEN: ClassVar[tuple[str, ...]] = ("source_path",)

    @staticmethod
    def check_values(
        olds: Mapping[str, Any], props: Mapping[str, Any], failures: Failures, *, max_file_size: int
    ) -> None:
        """The asset's own values, in the order the failures have always been listed."""
        _check_source(props.get("source_path"), failures, max_file_size)
        _check_title(applied(olds).get("title"), props.get("title"), failures)
        failures.file_name("file_name", props.get("file_name"), max_length=TITLE_MAX_LENGTH)
        failures.content_type("content_type", props.get("content_type"))
        failures.reference("folder", props.get("folder"), "folder", in_body=True)
        failures.reference("collection", props.get("collection"), "collection", in_body=True)
        failures.codename("codename", props.get("codename"))
        failures.external_id("external_id", props.get("external_id"))
        failures.adopt_id(dict(props))

    @staticmethod
    def check_contents(props: Mapping[str, Any], failures: Failures) -> None:
        """Descriptions, decorative and taxonomy elements: checked after the adoption."""
        _check_descriptions(props.get("descriptions"), failures)
        _check_decorative(props.get("decorative"), failures)
        _check_elements(props.get("elements"), failures)

    @staticmethod
    def with_defaults(news: Mapping[str, Any], content_type_of: Any) -> dict[str, Any]:
        """file_name defaults to the source's name and content_type to the type that name implies."""
        inputs = dict(news)
        source = inputs.get("source")
        if not inputs.get("file_name") and isinstance(source, str) and not is_unknown(source):
            inputs["file_name"] = Path(source).name
        name = inputs.get("file_name")
        if not inputs.get("content_type") and isinstance(name, str) and not is_unknown(name):
            inputs["content_type"] = content_type_of(name)
        return inputs

    @property
    def label(self) -> str:
        return repr(self.title or self.file_name or self.source or "?")


def _check_source(path: Any, failures: Failures, max_size: int) -> None:
    if is_unknown(path):
        return
    if not isinstance(path, str) or not path:
        failures.add("source", "is required: give the path of the file to upload.")
        return
    problem = file_problem(Path(path), max_size=max_size)
    if problem:
        failures.add("source", problem)


def _check_title(old_title: Any, title: Any, failures: Failures) -> None:
    """ "title: string [ 1 .. 200 ] characters" (Upsert an asset): no empty title, and none to remove."""
    if title == "":
        failures.add("title", "must not be empty: omit it to leave the asset untitled.")
        return
    failures.text("title", title, max_length=TITLE_MAX_LENGTH)
    if title is None and old_title:
        failures.add(
            "title",
            f"cannot be removed: the API keeps an asset's title ({old_title!r}) when none is "
            "sent and accepts no empty one. Give the title it should have instead.",
        )


def _check_descriptions(value: Any, failures: Failures) -> None:
    if value is None or is_unknown(value):
        return
    if not isinstance(value, dict) or not all(isinstance(k, str) and k for k in value):
        failures.add("descriptions", "must map language codenames to text, e.g. {'en-US': 'Company logo'}.")
        return
    for language, text in value.items():
        if not is_unknown(text) and not isinstance(text, str):
            failures.add("descriptions", f"the description for {language!r} must be a string.")


def _check_decorative(value: Any, failures: Failures) -> None:
    if value is None or is_unknown(value) or isinstance(value, bool):
        return
    failures.add(
        "decorative",
        "must be True or False: True marks an image that carries no meaning (it then needs no alt text).",
    )


def _check_elements(value: Any, failures: Failures) -> None:
    if value is None or is_unknown(value):
        return
    if not isinstance(value, dict):
        failures.add(
            "elements",
            "must map taxonomy element codenames to lists of term references, "
            "e.g. {'brand_tags': ['codename/logo']}.",
        )
        return
    for element, terms in value.items():
        failures.codename("elements", element)
        if not isinstance(terms, list):
            failures.add("elements", f"the terms of {element!r} must be a list of term references.")
            continue
        for term in terms:
            failures.reference("elements", term, "taxonomy term", in_body=True)
