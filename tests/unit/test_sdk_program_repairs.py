"""The program-side repairs of the Pulumi SDK's per-resource costs (kontent_resources/_sdk/program.py)."""

from __future__ import annotations

import asyncio
import importlib
import os
import traceback
from collections.abc import Awaitable, Callable, Iterator
from concurrent import futures
from typing import Any, NoReturn

import grpc
import pulumi
import pulumi._types as sdk_types
import pulumi.runtime.rpc as sdk_rpc
import pulumi.runtime.settings as sdk_settings
import pulumi.runtime.stack as sdk_stack
import pytest
from pulumi.runtime.settings import SETTINGS

from kontent_resources import _sdk
from kontent_resources._sdk import _core
from kontent_resources._sdk import program as _sdk_scale

# Any: the names the repairs replace are not the modules' typed exports.
sdk_resource: Any = importlib.import_module("pulumi.runtime.resource")
sdk_rpc_manager: Any = importlib.import_module("pulumi.runtime.rpc_manager")


class CountingFuture(asyncio.Future[Any]):
    """A future that counts the done-callbacks added to it: the cost of waiting on it."""

    added = 0

    def add_done_callback(self, fn: Any, *, context: Any = None) -> None:
        CountingFuture.added += 1
        super().add_done_callback(fn, context=context)


@pytest.fixture
def outputs() -> Iterator[set[Any]]:
    """SETTINGS.outputs of a program run, empty before and after the test."""
    with SETTINGS.lock:
        saved = set(SETTINGS.outputs)
        SETTINGS.outputs.clear()
    yield SETTINGS.outputs
    with SETTINGS.lock:
        SETTINGS.outputs.clear()
        SETTINGS.outputs.update(saved)


def _callbacks_to_drain(drain: Callable[[], Awaitable[None]], count: int) -> int:
    """Done-callbacks added while ``drain`` waits for ``count`` outputs finishing one at a time."""

    async def scenario() -> int:
        loop = asyncio.get_running_loop()
        futures = [CountingFuture(loop=loop) for _ in range(count)]
        with SETTINGS.lock:
            SETTINGS.outputs.update(futures)
        CountingFuture.added = 0

        async def finish_one_by_one() -> None:
            for future in futures:
                await asyncio.sleep(0)
                future.set_result(None)

        finisher = asyncio.ensure_future(finish_one_by_one())
        await drain()
        await finisher
        return CountingFuture.added

    return asyncio.run(scenario())


def test_the_pinned_sdk_still_drains_outputs_in_quadratic_time(outputs: set[Any]) -> None:
    """Documents why the repair exists; it fails once Pulumi makes the drain linear upstream."""
    assert _core.repair_named("output-drain").targets[0].mismatch() is None
    sdk_wait_for_rpcs = _core.original(sdk_stack, "wait_for_rpcs")
    added = _callbacks_to_drain(lambda: sdk_wait_for_rpcs(), 400)
    assert added > 400 * 400 // 4


def test_the_repaired_drain_waits_once_per_output(outputs: set[Any]) -> None:
    added = _callbacks_to_drain(lambda: _sdk_scale._wait_for_rpcs(), 400)
    assert added <= 2 * 400


def test_outputs_made_while_draining_are_waited_for(outputs: set[Any]) -> None:
    async def scenario() -> list[str]:
        loop = asyncio.get_running_loop()
        done: list[str] = []
        first, later = loop.create_future(), loop.create_future()
        first.add_done_callback(lambda _: done.append("first"))
        later.add_done_callback(lambda _: done.append("later"))
        with SETTINGS.lock:
            SETTINGS.outputs.add(first)

        def make_another() -> None:
            with SETTINGS.lock:
                SETTINGS.outputs.add(later)  # as an apply on the first output's value would
            first.set_result(None)
            loop.call_later(0.05, later.set_result, None)

        loop.call_soon(make_another)
        await _sdk_scale._wait_for_rpcs()
        return done

    assert asyncio.run(scenario()) == ["first", "later"]


def test_a_failed_output_fails_the_drain_at_once_while_others_still_wait(outputs: set[Any]) -> None:
    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        never, failing = loop.create_future(), loop.create_future()
        with SETTINGS.lock:
            SETTINGS.outputs.update([never, failing])
        loop.call_soon(failing.set_exception, ValueError("the program's own error"))
        try:
            await asyncio.wait_for(_sdk_scale._wait_for_rpcs(), timeout=30)
        finally:
            never.cancel()

    with pytest.raises(ValueError, match="the program's own error"):
        asyncio.run(scenario())


@pytest.fixture
def engine_that_cancels() -> Iterator[grpc.Channel]:
    """A channel to a gRPC server that cancels every call, as the engine does when it stops a run."""

    def cancel(request: bytes, context: grpc.ServicerContext) -> NoReturn:
        context.abort(grpc.StatusCode.CANCELLED, "context canceled")
        raise AssertionError("abort raises")

    handler = grpc.method_handlers_generic_handler(
        "pulumirpc.ResourceMonitor", {"RegisterResource": grpc.unary_unary_rpc_method_handler(cancel)}
    )
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=1), handlers=[handler])
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    try:
        yield channel
    finally:
        channel.close()
        server.stop(grace=None)


def _register_as_the_sdk_does(channel: grpc.Channel) -> None:
    """A RegisterResource call whose failure the SDK's own handle_grpc_error translates."""
    register = channel.unary_unary("/pulumirpc.ResourceMonitor/RegisterResource")
    try:
        register(b"")
    except grpc.RpcError as failure:
        sdk_settings.handle_grpc_error(failure)


def test_a_call_the_engine_cancelled_fails_the_run_in_one_line(
    outputs: set[Any], engine_that_cancels: grpc.Channel
) -> None:
    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        registration = loop.run_in_executor(None, _register_as_the_sdk_does, engine_that_cancels)
        with SETTINGS.lock:
            SETTINGS.outputs.add(registration)
        await _sdk_scale._wait_for_rpcs()

    with pytest.raises(Exception, match=r"^context canceled$") as sdk_failure:
        _register_as_the_sdk_does(engine_that_cancels)
    assert type(sdk_failure.value) is Exception, "the SDK's own translation, which the repair reads"
    with pytest.raises(pulumi.RunError, match=r"^Resource monitor has terminated, shutting down$") as failure:
        asyncio.run(scenario())
    assert failure.value.__cause__ is None
    assert failure.value.__suppress_context__, "printed without the gRPC error's traceback"


def test_the_programs_own_errors_are_raised_as_they_are(outputs: set[Any]) -> None:
    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        failing = loop.create_future()
        with SETTINGS.lock:
            SETTINGS.outputs.add(failing)
        failing.set_exception(Exception("context canceled"))  # the same text, no gRPC call behind it
        await _sdk_scale._wait_for_rpcs()

    with pytest.raises(Exception, match="context canceled") as failure:
        asyncio.run(scenario())
    assert type(failure.value) is Exception


def test_install_repairs_the_pinned_sdk_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KONTENT_SDK_REPAIRS", "all")
    _sdk.uninstall("program")
    try:
        _sdk.install("program")
        _sdk.install("program")
        assert sdk_stack.wait_for_rpcs is _sdk_scale._wait_for_rpcs
        assert sdk_resource.log is pulumi.log, "the SDK's debug lines are left as they are"
        assert sdk_rpc_manager.log is pulumi.log
        assert isinstance(sdk_resource.traceback, _sdk_scale._TracebackWithoutSource)
        assert sdk_types.resource_types.__module__ == _sdk_scale.__name__
        assert sdk_rpc.transfer_properties.__module__ == _sdk_scale.__name__
        assert sdk_stack.massage_complex.__module__ == _sdk_scale.__name__
        assert all(s.state == "on" for s in _sdk.status(["program"]))
    finally:
        _sdk.uninstall("program")
    restored: tuple[Any, Any] = (sdk_resource.log, sdk_resource.traceback)
    assert restored == (pulumi.log, traceback), "uninstall puts the SDK's names back"


_THREE = """
class Three:
    \"\"\"Three nested ``__init__`` frames, as a resource subclass, its base and pulumi's Resource are.\"\"\"

    def __init__(self, depth=3):
        self.trace = Three(depth - 1).trace if depth > 1 else stack_trace()
"""


def _three(filename: str) -> Any:
    """The class ``Three``, its code said to be in ``filename``."""
    namespace: dict[str, Any] = {"stack_trace": sdk_resource._get_stack_trace}
    exec(compile(_THREE, filename, "exec"), namespace)  # noqa: S102
    return namespace["Three"]


_OWN_DIR = os.path.dirname(os.path.abspath(_sdk.__file__ or ""))
_OwnThree = _three(os.path.join(os.path.dirname(_OWN_DIR), "resources", "_three_for_tests.py"))
_Three = _three(__file__)


def test_stack_traces_are_the_sdks_own_without_reading_files(monkeypatch: pytest.MonkeyPatch) -> None:
    import linecache

    monkeypatch.setattr(sdk_resource, "traceback", traceback)
    as_shipped = _OwnThree().trace
    monkeypatch.setattr(sdk_resource, "traceback", _sdk_scale._TracebackWithoutSource())

    def no_file_reads(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a stack trace of a registration read a source file")

    monkeypatch.setattr(linecache, "checkcache", no_file_reads)
    monkeypatch.setattr(linecache, "getline", no_file_reads)
    monkeypatch.setattr(linecache, "lazycache", no_file_reads)
    repaired = _OwnThree().trace
    assert len(as_shipped.frames) > 3
    # The same frames but for the one line that differs: where _Three was constructed.
    shipped = [(f.pc.uri, f.pc.line) for f in as_shipped.frames]
    ours = [(f.pc.uri, f.pc.line) for f in repaired.frames]
    assert len(ours) == len(shipped)
    assert sum(a != b for a, b in zip(ours, shipped, strict=True)) == 1


def test_stack_traces_of_other_resources_are_the_sdks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A resource class outside this package gets the SDK's own ``traceback.extract_stack``."""
    monkeypatch.setattr(sdk_resource, "traceback", traceback)
    as_shipped = _Three().trace
    calls: list[Any] = []
    standard = traceback.extract_stack

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return standard(*args, **kwargs)

    monkeypatch.setattr(traceback, "extract_stack", counted)
    monkeypatch.setattr(sdk_resource, "traceback", _sdk_scale._TracebackWithoutSource())
    repaired = _Three().trace
    assert len(calls) == 1
    assert [(f.pc.uri, f.pc.line) for f in repaired.frames][1:] == [
        (f.pc.uri, f.pc.line) for f in as_shipped.frames
    ][1:]


def test_extract_stack_limit_keeps_the_innermost_frames() -> None:
    def inner() -> tuple[Any, Any]:
        return _sdk_scale._extract_stack_without_source(limit=2), traceback.extract_stack(limit=2)

    ours, standard = inner()
    assert [(f.filename, f.lineno, f.name) for f in ours] == [
        (f.filename, f.lineno, f.name) for f in standard
    ]


def test_the_gc_threshold_is_raised_only_from_pythons_default() -> None:
    """Only in the sandbox's own process (``install("sandbox")``), never in a user's program."""
    import gc

    from kontent_resources._sdk.sandbox import raise_gc_threshold

    saved = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        raise_gc_threshold()
        assert gc.get_threshold() == (20_000, 10, 10)
        gc.set_threshold(1234, 5, 5)  # the program's own choice
        raise_gc_threshold()
        assert gc.get_threshold() == (1234, 5, 5)
    finally:
        gc.set_threshold(*saved)


def test_resource_types_of_this_packages_classes_are_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from kontent_resources.resources import Asset

    calls: list[type] = []
    sdk_resource_types = _core.original(sdk_types, "resource_types")

    def counting(cls: type) -> dict[str, type]:
        calls.append(cls)
        result: dict[str, type] = sdk_resource_types(cls)
        return result

    monkeypatch.setattr(sdk_types, "resource_types", counting)
    monkeypatch.setattr(_sdk_scale, "_types_by_class", {})
    _sdk_scale._apply_resource_types()  # wraps `counting`; monkeypatch puts the SDK's back
    first = sdk_types.resource_types(Asset)
    first["url"] = int  # a caller's change stays its own
    second = sdk_types.resource_types(Asset)
    assert calls == [Asset]
    assert second == sdk_resource_types(Asset)
    assert second["url"] is str
    sdk_types.resource_types(pulumi.CustomResource)
    sdk_types.resource_types(pulumi.CustomResource)
    assert calls.count(pulumi.CustomResource) == 2, "other classes are left to the SDK"


def test_stack_traces_end_at_the_sdks_program_runner() -> None:
    """Frames above ``pulumi/runtime/stack.py`` (the language host, asyncio) are not the program's."""
    runner = compile(
        "def run_pulumi_func(program):\n    return program()\n", "/x/pulumi/runtime/stack.py", "exec"
    )
    namespace: dict[str, Any] = {}
    exec(runner, namespace)  # noqa: S102 - a function whose frame says it is the SDK's runner

    def program() -> Any:
        return _sdk_scale._extract_stack_without_source()

    frames = namespace["run_pulumi_func"](program)
    assert [f.name for f in frames] == ["program"]


def test_stack_traces_start_at_the_programs_line_not_this_packages_constructors() -> None:
    """The state records the first frame as the resource's source position (issue 37)."""

    def frame(path: str, name: str) -> traceback.FrameSummary:
        return traceback.FrameSummary(path, 1, name, lookup_line=False)

    sdk_dir, own_dir = _sdk_scale._PULUMI_DIR, _sdk_scale._OWN_DIR
    sdk = [
        frame(sdk_dir + "runtime/resource.py", "_get_stack_trace"),
        frame(sdk_dir + "resource.py", "__init__"),
        frame(sdk_dir + "resource.py", "__init__"),
        frame(sdk_dir + "dynamic/dynamic.py", "__init__"),
    ]
    own = [
        frame(own_dir + "resources/_base.py", "__init__"),
        frame(own_dir + "resources/asset.py", "__init__"),
    ]
    program = [frame("/project/__main__.py", "<module>")]
    trimmed = _sdk_scale._without_own_constructors
    assert trimmed(sdk + own + program) == sdk + program
    assert trimmed(sdk + own) == sdk + own, "a stack of nothing else is left as it is"
    component = sdk[:3] + own + program  # Resource, ComponentResource, then the component's own class
    assert trimmed(component) == component
