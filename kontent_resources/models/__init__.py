"""Pydantic v2 models of the Kontent.ai Management API v2 objects.

Response models keep unknown fields (``extra="allow"``); request models reject them
(``extra="forbid"``). ``to_api()`` gives the JSON body with the API's field names; request
bodies carry exactly the fields that were set, explicit ``None`` included.

The public names are those in ``__all__``: the objects the client returns and users read, and
``Transformation`` (a rendition's rectangle, an input of the ``Rendition`` resource). Request
bodies, list pages and the helpers that build them are internal: import them from their modules
inside this package only.
"""

from .assets import Asset, AssetCollection, AssetDescription, AssetElement, FileReference
from .common import ResponseReference, ValidationErrorItem
from .content_types import ContentGroup, ContentType, ContentTypeElement
from .folders import Folder, FolderTree
from .items import ContentItem
from .languages import Collection, Language
from .renditions import Rendition, RenditionTransformation, Transformation
from .variants import (
    AssetElementEntry,
    DueDate,
    LanguageVariant,
    VariantElement,
    VariantSchedule,
    VariantWorkflow,
)
from .workflows import Workflow, WorkflowFixedStep, WorkflowScope, WorkflowStep, WorkflowTransition

# isort: split

__all__ = [
    "Asset",
    "AssetCollection",
    "AssetDescription",
    "AssetElement",
    "AssetElementEntry",
    "Collection",
    "ContentGroup",
    "ContentItem",
    "ContentType",
    "ContentTypeElement",
    "DueDate",
    "FileReference",
    "Folder",
    "FolderTree",
    "Language",
    "LanguageVariant",
    "Rendition",
    "RenditionTransformation",
    "ResponseReference",
    "Transformation",
    "ValidationErrorItem",
    "VariantElement",
    "VariantSchedule",
    "VariantWorkflow",
    "Workflow",
    "WorkflowFixedStep",
    "WorkflowScope",
    "WorkflowStep",
    "WorkflowTransition",
]
