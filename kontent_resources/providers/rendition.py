"""Rendition: a crop-and-resize of an image asset. The API cannot delete renditions."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult
from pydantic import ValidationError

from kontent_resources.client import KontentBadRequestError, KontentNotFoundError, by_external_id
from kontent_resources.models import Rendition
from kontent_resources.models._base import api_datetime
from kontent_resources.models.renditions import TRANSFORMATION_FIELDS as _FIELDS
from kontent_resources.models.renditions import RenditionCreate, TransformationRequest
from kontent_resources.providers import ownership
from kontent_resources.providers.adoption_notice import tell_written
from kontent_resources.providers.base import KontentProvider
from kontent_resources.providers.environment_checks import EnvironmentChecks
from kontent_resources.providers.errors import KontentResourceError
from kontent_resources.providers.identity import IDENTITY_KEYS
from kontent_resources.providers.inputs import RenditionInputs, RenditionOutputs
from kontent_resources.providers.props import applied, changed_keys, diff_result, with_applied
from kontent_resources.providers.validation import Failures, is_unknown

_SCOPE = RenditionInputs.SCOPE


def check_transformation(value: Any, image: tuple[Any, Any], failures: Failures) -> None:
    """Shape, no upscaling, and (when the local image is known) the rectangle inside the image."""
    if value is None:
        failures.add("transformation", "is required: give x, y, width, height, custom_width, custom_height.")
        return
    if is_unknown(value):
        return
    try:
        transformation = TransformationRequest.model_validate({k: value.get(k) for k in _FIELDS})
    except (ValidationError, AttributeError) as error:
        failures.add("transformation", _first_problem(error))
        return
    width, height = image
    if isinstance(width, int | float) and isinstance(height, int | float):  # numbers arrive as floats
        right, bottom = transformation.x + transformation.width, transformation.y + transformation.height
        if right > width or bottom > height:
            failures.add(
                "transformation",
                f"the rectangle reaches ({right}, {bottom}) but the image is {width:.0f}x{height:.0f}: "
                "keep x+width and y+height inside the image.",
            )


def _first_problem(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        text = str(first["msg"]).removeprefix("Value error, ")
        return f"{where}: {text}" if where else text
    return "must be a Transformation(x, y, width, height, custom_width, custom_height)."


def _required(inputs: RenditionInputs) -> tuple[TransformationRequest, str]:
    """The transformation and asset ``check`` made sure of (create and update get checked inputs)."""
    if inputs.transformation is None or inputs.asset is None:
        raise KontentResourceError("a rendition needs its asset and transformation (check refuses none)")
    return inputs.transformation, inputs.asset


def _numbers(transformation: TransformationRequest | None) -> dict[str, int | None]:
    return {k: getattr(transformation, k) if transformation else None for k in _FIELDS}


def _outs(rendition: Rendition, inputs: dict[str, Any]) -> dict[str, Any]:
    visible = {k: v for k, v in inputs.items() if k not in IDENTITY_KEYS}
    outs = {
        **visible,
        **RenditionOutputs(
            external_id=rendition.external_id,
            transformation=rendition.transformation.as_dict(),
            asset_id=rendition.asset_id,
            last_modified=api_datetime(rendition.last_modified),
        ).model_dump(),
    }
    return with_applied(outs, inputs)


class RenditionProvider(KontentProvider):
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        news, failures = self.start_check("rendition", olds, news, _SCOPE)
        RenditionInputs.check_values(news, failures)
        inputs = RenditionInputs.valid_part(news)
        ownership.check_adoption(
            "rendition",
            olds,
            news,
            failures,
            external_id_of=self._read_external_id(inputs),
            scope_keys=_SCOPE,
        )
        if inputs.source_is_image is False:
            failures.add(
                "asset",
                "the asset's local file is not an image Kontent.ai can crop (a PDF, an SVG, a text file): "
                "renditions are made of raster images only (JPEG, PNG, GIF, WebP, ...). Remove the "
                "Rendition, or point it at an image asset.",
            )
        transformation, image = RenditionInputs.raw_transformation(news)
        check_transformation(transformation, image, failures)
        environment = EnvironmentChecks(self, olds, news, failures)
        environment.asset()
        environment.adopted_rendition(inputs, self._renditions_of)
        if not failures.items:
            RenditionInputs.parsed(news, failures)
        return CheckResult(news, failures.items)

    def _renditions_of(self, asset: str) -> dict[str, str | None]:
        """Rendition id → external id of ``asset``'s renditions, listed once for all of them (an
        imported program adopts every one)."""
        return self.env.references.get(
            ("renditions of", asset),
            lambda: {r.rendition_id: r.external_id for r in self.env.client.renditions.list(asset)},
        )

    def _read_external_id(self, news: RenditionInputs) -> Callable[[str], str | None] | None:
        """How ``check`` reads an adopted rendition's external id: known once its asset is. The asset's
        renditions are listed once for all of them (an imported program adopts every one)."""
        asset = news.asset
        if self._settings is None or asset is None:
            return None

        def external_id_of(rendition_id: str) -> str | None:
            return self._renditions_of(asset).get(rendition_id)

        return external_id_of

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return diff_result(changed_keys(olds, news, RenditionInputs.DIFFED), RenditionInputs.REPLACE_ON)

    def create(self, props: dict[str, Any]) -> CreateResult:
        client = self.env.client
        inputs = RenditionInputs.of(props)
        transformation, asset = _required(inputs)
        external_id = inputs.external_id
        ownership.refuse_foreign_external_id("rendition", props, _SCOPE)
        with self.api_errors(f"create rendition {external_id or inputs.adopt_id!r}"):
            existing = (
                self._asked_for(asset, inputs.adopt_id, props)
                if inputs.adopt_id
                else self._existing(asset, external_id or "")
            )
            if existing is None:
                request = RenditionCreate(transformation=transformation, external_id=external_id)
                rendition = self._add(asset, request)
            elif existing.transformation.to_request() == transformation:
                self._refuse_unasked_adoption(existing, inputs)
                rendition = existing  # already as declared: adopted without a write
            else:
                self._refuse_unasked_adoption(existing, inputs)
                if inputs.adopt_id or inputs.adopt:
                    what = f"rendition {existing.rendition_id} differs from the program: its crop written"
                    tell_written("rendition", props, what)
                rendition = client.renditions.modify(asset, existing.rendition_id, transformation)
        return CreateResult(id_=rendition.rendition_id, outs=_outs(rendition, props))

    def _asked_for(self, asset: str, adopt_id: str, props: dict[str, Any]) -> Rendition:
        try:
            found = self.env.client.renditions.get(asset, adopt_id)
        except KontentNotFoundError:
            raise KontentResourceError(
                f"adopt_id: asset {asset!r} has no rendition with id {adopt_id!r}. Give "
                "the id of one of its renditions, or remove adopt_id to create a new one."
            ) from None
        what = f"rendition {found.rendition_id}"
        ownership.refuse_in_create("rendition", "adopt_id", what, found.external_id, props, _SCOPE)
        return found

    def _add(self, asset: str, request: RenditionCreate) -> Rendition:
        try:
            return self.env.client.renditions.add(asset, request)
        except KontentBadRequestError:
            # The client retries a POST whose answer was lost; if the first attempt was applied,
            # the retry meets that very rendition ("already exists"): it is ours, not a conflict.
            existing = self._existing(asset, request.external_id or "")
            if existing is None or existing.transformation.to_request() != request.transformation:
                raise
            return existing

    def _existing(self, asset: str, external_id: str) -> Rendition | None:
        try:
            return self.env.client.renditions.get(asset, by_external_id(external_id))
        except KontentNotFoundError:
            return None

    def _refuse_unasked_adoption(self, existing: Rendition, inputs: RenditionInputs) -> None:
        if inputs.adopt or inputs.adopt_id or inputs.external_id_generated:
            return
        raise KontentResourceError(
            f"a rendition with external id {inputs.external_id!r} already exists on this asset "
            f"(id {existing.rendition_id}). Set adopt=True to manage it, or choose another external_id."
        )

    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        inputs = RenditionInputs.of(news)
        transformation, asset = _required(inputs)
        with self.api_errors(f"update rendition {inputs.external_id!r}"):
            try:
                rendition = self.env.client.renditions.get(asset, id_)
            except KontentNotFoundError:
                rendition = None
            if rendition is None or rendition.transformation.to_request() != transformation:
                # Unless it is so already (changed in Kontent.ai since the last refresh): no write.
                rendition = self.env.client.renditions.modify(asset, id_, transformation)
        return UpdateResult(outs=_outs(rendition, news))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        # The Management API has no way to delete a rendition: forgetting it is all we can do,
        # and failing would block every destroy of a stack that has one.
        if self._goes_with_its_asset(props):
            return
        asset_id = RenditionOutputs.of(props).asset_id
        print(
            f"warning: rendition {id_} of asset {asset_id} was removed from the stack but "
            "still exists in Kontent.ai: the Management API cannot delete renditions. It goes away "
            "when its asset is deleted.",
            file=sys.stderr,
            flush=True,
        )

    def _goes_with_its_asset(self, props: dict[str, Any]) -> bool:
        """Whether this deployment deletes the rendition's asset too (and the API its renditions).

        The engine deletes a rendition before its asset and tells a provider nothing of the deletes
        still to come. What it does guarantee: every resource the program declares is diffed before
        any delete, and an asset kept by one is recorded in the claims. So an Asset resource of this
        stack that no resource keeps is being deleted in this run (a destroy, or an up that removed
        it too). A destroy targeting the rendition alone looks the same and gets no warning; the
        Rendition's docs say it lives until its asset is deleted.
        """
        asset_id = RenditionOutputs.of(props).asset_id
        if not RenditionInputs.valid_part(props).asset_in_stack or asset_id is None or self._settings is None:
            return False
        return not self.env.claims.is_kept("asset", asset_id)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        inputs = applied(props)
        declared = RenditionInputs.valid_part(inputs)
        with self.api_errors(f"read rendition {declared.external_id!r}"):
            try:
                rendition = self.env.client.renditions.get(str(RenditionOutputs.of(props).asset_id), id_)
            except KontentNotFoundError:
                return ReadResult(None, {})
        actual = rendition.transformation.as_dict()
        if actual != _numbers(declared.transformation):
            inputs = RenditionInputs.updated(inputs, transformation=actual)
        return ReadResult(id_, _outs(rendition, inputs), inputs)
