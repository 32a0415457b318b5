"""A resource's property Outputs are made when the program first reads them (``outputs-on-first-use``).

Through the SDK's own registration path, with Pulumi's mocks in place of the engine: what the
program can observe of a property (value, known, secret, dependencies, failure) is what the SDK's
eager Outputs give, whether it is read before the engine answered or after.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any, cast

import pulumi
import pytest
from pulumi.dynamic import ResourceProvider
from pulumi.runtime import rpc as sdk_rpc
from pulumi.runtime import settings
from pulumi.runtime import stack as sdk_stack

from kontent_resources._sdk import _core
from kontent_resources._sdk import program as _sdk_scale
from kontent_resources.resources._base import KontentResource


class Probe(KontentResource, module="test", name="Probe"):
    def __init__(self, name: str, props: dict[str, Any]) -> None:
        super().__init__(ResourceProvider(), name, props, None)


class EchoMocks(pulumi.runtime.Mocks):
    """The engine's answer: the inputs, plus ``computed``; a resource named ``refused`` fails."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        if args.name == "refused":
            raise RuntimeError("the engine refused this resource")
        return f"{args.name}-id", {**args.inputs, "computed": f"made for {args.name}"}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


def run_program(body: Callable[[], Any]) -> None:
    """Run ``body`` as a Pulumi program on the mocks, waiting for what it returns and registers."""
    as_program = cast(Callable[[Callable[[], Any]], Callable[[], None]], pulumi.runtime.test)
    as_program(body)()


@pytest.fixture
def mocked_engine() -> Iterator[None]:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    pulumi.runtime.set_mocks(EchoMocks(), preview=False)
    yield
    settings.reset_options()
    asyncio.set_event_loop(None)
    loop.close()


def test_the_pinned_sdk_makes_every_output_at_registration() -> None:
    """Documents why the repair exists: one Output per property, read or not."""
    assert _core.repair_named("outputs-on-first-use").targets[0].mismatch() is None
    sdk_transfer_properties = _core.original(sdk_rpc, "transfer_properties")

    class Holder:
        pass

    async def transfer() -> dict[str, Any]:
        holder = Holder()
        sdk_transfer_properties(holder, {"a": 1, "b": None, "id": None}, True)
        return vars(holder)

    made = asyncio.run(transfer())
    assert sorted(made) == ["a", "b"]
    assert all(isinstance(output, pulumi.Output) for output in made.values())


def _read_before_and_after_the_answer() -> Any:
    probe = Probe("probe", {"given": "declared", "computed": None, "unread": None})
    read_early = probe.given  # the engine has not answered yet
    made_before_reading = {"given", "computed", "unread"} & set(vars(probe))

    async def check() -> None:
        assert made_before_reading == {"given"}
        assert await read_early.future() == "declared"
        assert await read_early.is_known()
        assert not await read_early.is_secret()
        assert probe in await read_early.resources()
        await probe.id.future()  # the answer is in
        read_late = probe.computed
        assert await read_late.future() == "made for probe"
        assert probe in await read_late.resources()
        assert probe.computed is read_late  # made once, then an ordinary attribute
        assert "unread" not in vars(probe)

    return asyncio.ensure_future(check())


def test_a_property_read_before_or_after_the_answer_has_the_answer(mocked_engine: None) -> None:
    run_program(_read_before_and_after_the_answer)


def _read_a_refused_resource() -> Any:
    probe = Probe("refused", {"given": "declared"})
    read_early = probe.given

    async def check() -> None:
        with pytest.raises(Exception, match="the engine refused"):
            await read_early.future()
        with pytest.raises(Exception, match="the engine refused"):
            await probe.urn.future()
        with pytest.raises(Exception, match="the engine refused"):
            await probe.given.future()

    return asyncio.ensure_future(check())


def test_a_refused_registration_fails_its_outputs_and_the_program(mocked_engine: None) -> None:
    with pytest.raises(Exception, match="the engine refused"):
        run_program(_read_a_refused_resource)


def test_a_name_that_is_no_property_is_an_attribute_error(mocked_engine: None) -> None:
    def program() -> None:
        probe = Probe("probe", {"given": "declared"})
        with pytest.raises(AttributeError, match="'Probe' object has no attribute 'not_a_property'"):
            _ = probe.not_a_property
        assert not hasattr(probe, "also_missing")

    run_program(program)


def _settled(outputs: _sdk_scale.OutputsOnFirstUse, name: str) -> tuple[Any, bool, bool, set[Any]]:
    async def read() -> tuple[Any, bool, bool, set[Any]]:
        output = outputs.output(name)
        return (
            await output.future(with_unknowns=True),
            await output.is_known(),
            await output.is_secret(),
            await output.resources(),
        )

    return asyncio.run(read())


def test_secret_and_unknown_answers_keep_their_flags_and_only_the_first_answer_counts() -> None:
    owner, dependency = object(), object()
    outputs = _sdk_scale.OutputsOnFirstUse(owner, ["secret", "unknown"])
    outputs.resolver("secret")("s3cr3t", True, True, {dependency}, None)
    outputs.resolver("secret")(None, False, False, None, RuntimeError("a later failure"))
    outputs.resolver("unknown")(None, False, False, None, None)
    assert _settled(outputs, "secret") == ("s3cr3t", True, True, {dependency, owner})
    assert _settled(outputs, "unknown") == (None, False, False, {owner})


def test_a_resource_exported_whole_exports_every_property(mocked_engine: None) -> None:
    """``pulumi.export("probe", probe)``: the SDK turns the resource into its public attributes."""

    def program() -> Any:
        probe = Probe("probe", {"given": "declared", "computed": None})
        _ = probe.given
        exported = sdk_stack.massage(probe, [])
        assert sorted(exported) == ["computed", "given", "id", "resource_path", "urn"]
        return pulumi.Output.all(exported["given"], exported["computed"]).apply(
            lambda values: _expect(values, ["declared", "made for probe"])
        )

    run_program(program)


def _expect(values: list[Any], expected: list[Any]) -> None:
    assert values == expected
