"""The program-side repairs of the Pulumi SDK's per-resource costs (resources/_sdk_scale.py)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pulumi
import pytest
from pulumi.runtime.settings import SETTINGS

from kontent_resources.resources import _sdk_scale


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
    assert _sdk_scale.sdk_drain_is_quadratic()
    added = _callbacks_to_drain(lambda: _sdk_scale.SDK_WAIT_FOR_RPCS(), 400)
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


def test_debug_lines_reach_the_engine_in_order_before_the_program_ends(
    outputs: set[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[tuple[str, dict[str, Any]]] = []
    senders: set[int] = set()

    def slow_engine_log(message: str, **kwargs: Any) -> None:
        time.sleep(0.002)
        senders.add(threading.get_ident())
        sent.append((message, kwargs))

    monkeypatch.setattr(pulumi.log, "debug", slow_engine_log)
    log = _sdk_scale._BackgroundDebugLog()
    monkeypatch.setattr(_sdk_scale, "_debug_log", log)
    for i in range(50):
        log.debug(f"line {i}")
    log.debug("about one stream", stream_id=7)
    for i in range(50, 60):
        log.debug(f"line {i}")
    asyncio.run(_sdk_scale._wait_for_rpcs())
    assert threading.get_ident() not in senders, "the caller (the event loop) never sends a line itself"
    plain_before = [m for m, kw in sent[: sent.index(("about one stream", {"stream_id": 7}))]]
    plain_after = [m for m, kw in sent[sent.index(("about one stream", {"stream_id": 7})) + 1 :]]
    assert "\n".join(plain_before).split("\n") == [f"line {i}" for i in range(50)]
    assert "\n".join(plain_after).split("\n") == [f"line {i}" for i in range(50, 60)]
    assert len(sent) < 61, "lines waiting together went out as one message"


def test_debug_lines_the_engine_refuses_are_dropped_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    def engine_gone(message: str, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the engine closed its connection")

    monkeypatch.setattr(pulumi.log, "debug", engine_gone)
    log = _sdk_scale._BackgroundDebugLog()
    log.debug("a line after the engine left")
    log.flush()


def test_other_log_levels_go_straight_to_pulumi_log() -> None:
    assert _sdk_scale._BackgroundDebugLog().warn is pulumi.log.warn


def test_install_repairs_the_pinned_sdk_once() -> None:
    sdk_resource, sdk_rpc_manager, sdk_stack = (
        _sdk_scale.sdk_resource,
        _sdk_scale.sdk_rpc_manager,
        _sdk_scale.sdk_stack,
    )
    assert _sdk_scale.sdk_debug_log_blocks()
    assert _sdk_scale.sdk_reads_source_for_stack_traces()
    _sdk_scale.install()
    _sdk_scale.install()
    assert sdk_stack.wait_for_rpcs is _sdk_scale._wait_for_rpcs
    assert sdk_resource.log is _sdk_scale._debug_log
    assert sdk_rpc_manager.log is _sdk_scale._debug_log
    assert isinstance(sdk_resource.traceback, _sdk_scale._TracebackWithoutSource)
    assert _sdk_scale.sdk_types.resource_types is _sdk_scale._resource_types
    assert _sdk_scale.sdk_rpc.transfer_properties is _sdk_scale._transfer_properties
    assert _sdk_scale.sdk_stack.massage_complex is _sdk_scale._massage_complex


class _Three:
    """Three nested ``__init__`` frames, as a resource subclass, its base and pulumi's Resource are."""

    def __init__(self, depth: int = 3) -> None:
        self.trace: Any = _Three(depth - 1).trace if depth > 1 else _sdk_stack_trace()


def _sdk_stack_trace() -> Any:
    return _sdk_scale.sdk_resource._get_stack_trace()


def test_stack_traces_are_the_sdks_own_without_reading_files(monkeypatch: pytest.MonkeyPatch) -> None:
    import linecache

    sdk_resource = _sdk_scale.sdk_resource
    monkeypatch.setattr(sdk_resource, "traceback", _sdk_scale.SDK_REGISTRATION_TRACEBACK)
    as_shipped = _Three().trace
    monkeypatch.setattr(sdk_resource, "traceback", _sdk_scale._TracebackWithoutSource())

    def no_file_reads(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a stack trace of a registration read a source file")

    monkeypatch.setattr(linecache, "checkcache", no_file_reads)
    monkeypatch.setattr(linecache, "getline", no_file_reads)
    monkeypatch.setattr(linecache, "lazycache", no_file_reads)
    repaired = _Three().trace
    assert len(as_shipped.frames) > 3
    # The same frames but for the one line that differs: where _Three was constructed.
    shipped = [(f.pc.uri, f.pc.line) for f in as_shipped.frames]
    ours = [(f.pc.uri, f.pc.line) for f in repaired.frames]
    assert len(ours) == len(shipped)
    assert sum(a != b for a, b in zip(ours, shipped, strict=True)) == 1


def test_extract_stack_limit_keeps_the_innermost_frames() -> None:
    import traceback

    def inner() -> tuple[Any, Any]:
        return _sdk_scale._extract_stack_without_source(limit=2), traceback.extract_stack(limit=2)

    ours, standard = inner()
    assert [(f.filename, f.lineno, f.name) for f in ours] == [
        (f.filename, f.lineno, f.name) for f in standard
    ]


def test_the_gc_threshold_is_raised_only_from_pythons_default() -> None:
    import gc

    saved = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        _sdk_scale.raise_gc_threshold()
        assert gc.get_threshold() == (20_000, 10, 10)
        gc.set_threshold(1234, 5, 5)  # the program's own choice
        _sdk_scale.raise_gc_threshold()
        assert gc.get_threshold() == (1234, 5, 5)
    finally:
        gc.set_threshold(*saved)


def test_resource_types_of_this_packages_classes_are_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from kontent_resources.resources import Asset

    calls: list[type] = []
    sdk_resource_types = _sdk_scale.SDK_RESOURCE_TYPES

    def counting(cls: type) -> dict[str, type]:
        calls.append(cls)
        result: dict[str, type] = sdk_resource_types(cls)
        return result

    monkeypatch.setattr(_sdk_scale, "SDK_RESOURCE_TYPES", counting)
    monkeypatch.setattr(_sdk_scale, "_types_by_class", {})
    first = _sdk_scale._resource_types(Asset)
    first["url"] = int  # a caller's change stays its own
    second = _sdk_scale._resource_types(Asset)
    assert calls == [Asset]
    assert second == sdk_resource_types(Asset)
    assert second["url"] is str
    _sdk_scale._resource_types(pulumi.CustomResource)
    _sdk_scale._resource_types(pulumi.CustomResource)
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
