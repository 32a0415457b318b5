"""Costs of the Pulumi Python SDK that grow with the number of resources, removed in the program.

Measured on no-change previews of an ``AssetDirectory`` (SDK 3.272, engine 3.277, 2 cores): of
1,000 files, 11.7 s as the SDK ships, 9.4 s with the first repair, 7.8 s with the first two; of
5,000 files, the five others took the program's CPU from 31 s to 18 s, and Outputs made on first
read from 16.4 s to 12.2 s and its peak memory from 773 to 375 MiB (bench/bench_scale.py).

* **The end-of-program drain is quadratic.** ``pulumi.runtime.stack.wait_for_rpcs`` waits for the
  program's outstanding outputs with ``asyncio.wait(all_pending, FIRST_COMPLETED)`` in a loop: every
  completed output costs a pass over every pending one (a callback added to each and removed
  again), so a program of N resources, each with a few dozen outputs, spends O(N²) on its event loop.
  ``_drain_outputs`` waits for the same outputs with ``asyncio.as_completed``, once per output,
  re-raising the first failure as soon as it happens, as the SDK's loop does.
* **Debug messages block the event loop.** ``register_resource`` and the RPC manager send four
  debug lines per resource as synchronous gRPC calls to the engine, on the event loop thread,
  which then registers nothing while it waits. ``_BackgroundDebugLog`` hands those lines (only the
  SDK's own: the ``runtime.resource`` and ``runtime.rpc_manager`` modules' reference to
  ``pulumi.log``) to one thread that sends them in order, the lines waiting together as one
  message, and the drain flushes it before the program ends, so ``--debug`` shows the same lines.
* **Each registration reads source files.** The SDK records the Python stack of every resource
  (``_get_stack_trace``) with ``traceback.extract_stack()``, which stats every file on the stack
  and loads its lines, though only file names, line numbers and function names are sent.
  ``runtime.resource`` gets a ``traceback`` whose ``extract_stack`` gives the same frames without
  reading any file (12% of the program's time in a 5,000-file preview), and stops at the SDK's
  program runner (``pulumi/runtime/stack.py``): the frames above it are the language host's or the
  Automation API's machinery, the same for every resource, and each costs about 100 bytes of state per
  resource. The source position the SDK derives (the first frame in user code) is unchanged.
* **Each registration re-reads its class's annotations.** ``resolve_outputs`` asks
  ``pulumi._types.resource_types(cls)``, which evaluates every annotation of the class with
  ``typing.get_type_hints``, once per resource (8% of that preview). The answer depends on the class
  alone; for this package's classes it is computed once and handed out as a copy.
* **Every property gets its Output at registration.** ``rpc.transfer_properties`` makes, for each
  property of each resource, four futures, an ``Output`` and the task that assembles it, tracked
  until the program ends: 28 of them per ``Asset``, 140,000 in a 5,000-file preview, where the
  program reads two or three (``id``, ``url``). It was more than half of the time the program
  spends declaring its resources, time in which the engine waits for the first registration. For
  this package's resources the resolvers record what the engine answered (``OutputsOnFirstUse``),
  and a property's Output is made when the program first reads it, from that answer or waiting for
  it; what the program can observe is the same: the value, whether it is known or secret, the
  resources it depends on, or the failure. A registration that fails still fails the program: its
  ``urn`` and ``id`` Outputs and the registration itself carry the error, as before. A resource
  exported whole (``pulumi.export("logo", logo)``) still exports every property: the SDK builds
  that export from the instance's attributes (``stack.massage_complex``), so the ones not read yet
  are made first.
* **The cyclic garbage collector runs every 700 allocations.** Each resource allocates a few
  hundred objects (an Output, futures and callbacks per property) that live to the end of the
  program, so collections find almost nothing and rescan an ever larger heap: 7 s of the program's
  31 s CPU in that preview. The first collection threshold is raised to 20,000 (the later two are
  kept), only when it is still Python's default, so a program that tunes it keeps its own.

Each repair applies only where the installed SDK has the shape it repairs; otherwise the SDK is left
as it is (tests/unit/test_sdk_scale.py checks the pinned SDK still needs each of them).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import importlib
import inspect
import os
import queue
import sys
import threading
import traceback
import types
from collections.abc import Callable
from typing import Any

import pulumi
from pulumi.runtime.settings import SETTINGS, _get_rpc_manager

# The SDK modules whose names are swapped (Any: they are replaced by what they do, not their type).
sdk_resource: Any = importlib.import_module("pulumi.runtime.resource")
sdk_rpc_manager: Any = importlib.import_module("pulumi.runtime.rpc_manager")
sdk_stack: Any = importlib.import_module("pulumi.runtime.stack")
sdk_rpc: Any = importlib.import_module("pulumi.runtime.rpc")
sdk_types: Any = importlib.import_module("pulumi._types")

_PROGRAM_RUNNER = os.path.join("pulumi", "runtime", "stack.py")
_PYTHON_DEFAULT_GC_THRESHOLD = 700
_GC_THRESHOLD = 20_000
_installed = False
_install_lock = threading.Lock()


class _BackgroundDebugLog:
    """``pulumi.log`` for the SDK's registration code, with ``debug`` sent from a thread of its own.

    Lines waiting together are sent as one message of several lines (one gRPC call instead of
    one per line: 20,000 calls in a preview of 5,000 files), in the order they were written.
    """

    _BATCH = 500

    def __init__(self) -> None:
        self._lines: queue.Queue[tuple[tuple[Any, ...], dict[str, Any]]] = queue.Queue()
        self._sender: threading.Thread | None = None
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(pulumi.log, name)

    def debug(self, *args: Any, **kwargs: Any) -> None:
        with self._lock:
            if self._sender is None or not self._sender.is_alive():
                self._sender = threading.Thread(target=self._send, name="pulumi-debug-log", daemon=True)
                self._sender.start()
        self._lines.put((args, kwargs))

    def _waiting(self) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
        """The next line, and those already queued behind it (at most a batch)."""
        taken = [self._lines.get()]
        while len(taken) < self._BATCH:
            try:
                taken.append(self._lines.get_nowait())
            except queue.Empty:
                break
        return taken

    def _send(self) -> None:
        while True:
            taken = self._waiting()
            plain: list[str] = []
            for args, kwargs in taken:
                if len(args) == 1 and isinstance(args[0], str) and not kwargs:
                    plain.append(args[0])
                    continue
                self._emit(*_joined(plain))
                plain = []
                self._emit(*args, **kwargs)
            self._emit(*_joined(plain))
            for _ in taken:
                self._lines.task_done()

    @staticmethod
    def _emit(*args: Any, **kwargs: Any) -> None:
        if not args:
            return
        with contextlib.suppress(Exception):  # a debug line the engine no longer takes is no error
            pulumi.log.debug(*args, **kwargs)

    def flush(self) -> None:
        """Return once every line handed over so far has been sent."""
        self._lines.join()


def _joined(lines: list[str]) -> tuple[str, ...]:
    return ("\n".join(lines),) if lines else ()


_debug_log = _BackgroundDebugLog()


def _extract_stack_without_source(f: types.FrameType | None = None, limit: int | None = None) -> Any:
    """``traceback.extract_stack``'s frames (file, line number, function), with no file read."""
    frame = sys._getframe(1) if f is None else f
    frames = []
    for step, lineno in traceback.walk_stack(frame):
        code = step.f_code
        if code.co_filename.endswith(_PROGRAM_RUNNER):
            break  # the SDK's own runner and what started it: not the program's frames
        frames.append(traceback.FrameSummary(code.co_filename, lineno, code.co_name, lookup_line=False))
    if limit is not None:
        frames = frames[:limit]
    frames.reverse()
    return traceback.StackSummary.from_list(frames)


class _TracebackWithoutSource(types.ModuleType):
    """The ``traceback`` module, with a file-free ``extract_stack``."""

    def __init__(self) -> None:
        super().__init__("traceback", traceback.__doc__)
        self.__dict__.update({k: v for k, v in vars(traceback).items() if not k.startswith("__")})
        self.extract_stack = _extract_stack_without_source


async def _drain_outputs() -> None:
    """Wait for every tracked output, including those made while waiting; each costs O(1)."""
    while True:
        with SETTINGS.lock:
            pending = list(SETTINGS.outputs)
            SETTINGS.outputs.clear()
        if not pending:
            return
        for finished in asyncio.as_completed(pending):
            await finished  # the first failure is raised here, as soon as it happens


async def _wait_for_rpcs(await_all_outstanding_tasks: bool = True) -> None:
    """``pulumi.runtime.stack.wait_for_rpcs`` with a linear output drain (same order of waits)."""
    rpc_manager = _get_rpc_manager()
    while True:
        while rpc_manager.rpcs:
            await asyncio.sleep(0)
            try:
                await rpc_manager.rpcs.pop()
            except Exception as failure:
                if rpc_manager.unhandled_exception is not None:
                    cause = rpc_manager.unhandled_exception.with_traceback(rpc_manager.exception_traceback)
                    raise failure from cause
                raise
        if rpc_manager.unhandled_exception is not None:
            raise rpc_manager.unhandled_exception.with_traceback(rpc_manager.exception_traceback)
        if await_all_outstanding_tasks:
            await _drain_outputs()
        if not rpc_manager.rpcs:
            break
    await asyncio.get_running_loop().run_in_executor(None, _debug_log.flush)


# What a resolver is called with: value, is known, is secret, dependencies, failure.
_Resolution = tuple[Any, bool, bool, "set[Any] | None", "Exception | None"]
# The futures of one Output: value, is known, is secret, dependencies.
_Futures = tuple[
    "asyncio.Future[Any]", "asyncio.Future[bool]", "asyncio.Future[bool]", "asyncio.Future[set[Any]]"
]


class OutputsOnFirstUse:
    """A resource's property Outputs, each made when the program first reads it.

    ``resolver(name)`` is what the SDK calls with the engine's answer for a property, once; a
    second call (the SDK makes one only for a failure after a partial answer, which its own settled
    futures would refuse) is ignored. ``output(name)`` is the property's Output: settled at once
    when the answer is in, else settled by it.
    """

    __slots__ = ("_answers", "_resource", "_waiting", "names")

    def __init__(self, resource: Any, names: list[str]) -> None:
        self.names = frozenset(names)
        self._resource = resource
        self._answers: dict[str, _Resolution] = {}
        self._waiting: dict[str, _Futures] = {}

    def resolver(self, name: str) -> Callable[..., None]:
        return functools.partial(self._resolve, name)

    def _resolve(
        self, name: str, value: Any, is_known: bool, is_secret: bool, deps: Any, failed: Exception | None
    ) -> None:
        if name in self._answers:
            return
        answer: _Resolution = (value, is_known, is_secret, deps, failed)
        self._answers[name] = answer
        futures = self._waiting.pop(name, None)
        if futures is not None:
            self._settle(futures, answer)

    def output(self, name: str) -> pulumi.Output[Any]:
        futures: _Futures = (asyncio.Future(), asyncio.Future(), asyncio.Future(), asyncio.Future())
        answer = self._answers.get(name)
        if answer is None:
            self._waiting[name] = futures
        else:
            self._settle(futures, answer)
        value, known, secret, deps = futures
        return pulumi.Output(deps, value, known, secret)

    def _settle(self, futures: _Futures, answer: _Resolution) -> None:
        """As the SDK's own resolver does: the resource joins the dependencies, a failure fails all."""
        value_future, known_future, secret_future, deps_future = futures
        value, is_known, is_secret, deps, failed = answer
        deps_future.set_result({*(deps or ()), self._resource})
        if failed is not None:
            for future in (value_future, known_future, secret_future):
                future.set_exception(failed)
            return
        value_future.set_result(value)
        known_future.set_result(is_known)
        secret_future.set_result(is_secret)


ON_FIRST_USE = "_kontent_outputs_on_first_use"


def _transfer_properties(res: Any, props: Any, custom: bool) -> dict[str, Callable[..., None]]:
    """``rpc.transfer_properties``; for this package's resources, no Output before it is read."""
    if not getattr(res, "outputs_made_on_first_use", False):
        resolvers: dict[str, Callable[..., None]] = SDK_TRANSFER_PROPERTIES(res, props, custom)
        return resolvers
    names = [name for name in props if not (name == "urn" or (name == "id" and custom))]
    outputs = OutputsOnFirstUse(res, names)
    res.__dict__[ON_FIRST_USE] = outputs
    return {name: outputs.resolver(name) for name in names}


def output_on_first_use(resource: Any, name: str) -> pulumi.Output[Any] | None:
    """The Output of ``resource``'s property ``name``, made now (``None``: no such property)."""
    outputs = resource.__dict__.get(ON_FIRST_USE)
    if not isinstance(outputs, OutputsOnFirstUse) or name not in outputs.names:
        return None
    output = outputs.output(name)
    resource.__dict__[name] = output
    return output


def _massage_complex(attr: Any, seen: list[Any]) -> Any:
    """``stack.massage_complex``, with every property Output of this package's resources made."""
    outputs = getattr(attr, "__dict__", {}).get(ON_FIRST_USE)
    if isinstance(outputs, OutputsOnFirstUse):
        for name in sorted(outputs.names):
            getattr(attr, name)
    return SDK_MASSAGE_COMPLEX(attr, seen)


def _source_of(function: Callable[..., Any]) -> str:
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


# As the SDK ships them, before install() replaces them.
SDK_RESOURCE_TYPES = sdk_types.resource_types
SDK_WAIT_FOR_RPCS = sdk_stack.wait_for_rpcs
SDK_REGISTRATION_LOG = sdk_resource.log
SDK_REGISTRATION_TRACEBACK = sdk_resource.traceback
SDK_TRANSFER_PROPERTIES = sdk_rpc.transfer_properties
SDK_MASSAGE_COMPLEX = sdk_stack.massage_complex


def sdk_drain_is_quadratic() -> bool:
    """Whether the SDK's ``wait_for_rpcs`` is the FIRST_COMPLETED loop this module replaces."""
    source = _source_of(SDK_WAIT_FOR_RPCS)
    return "FIRST_COMPLETED" in source and "SETTINGS.outputs" in source


def sdk_debug_log_blocks() -> bool:
    """Whether the SDK's registration logs through ``pulumi.log``, synchronously for unattached lines."""
    return SDK_REGISTRATION_LOG is pulumi.log and "engine.Log(req)" in _source_of(pulumi.log._log)


def sdk_reads_source_for_stack_traces() -> bool:
    """Whether the SDK's ``_get_stack_trace`` calls ``traceback.extract_stack()`` (which reads files)."""
    return SDK_REGISTRATION_TRACEBACK is traceback and "traceback.extract_stack()" in _source_of(
        sdk_resource._get_stack_trace
    )


def sdk_makes_every_output_at_registration() -> bool:
    """Whether ``rpc.transfer_properties`` is the eager one, with the resolver signature replaced."""
    source = _source_of(SDK_TRANSFER_PROPERTIES)
    resolver_signature = all(
        f"{parameter}," in source.replace(" ", "")
        for parameter in ("value:Any", "is_known:bool", "is_secret:bool", 'deps:set["Resource"]')
    )
    return (
        "res.__dict__[name] = Output(" in source
        and resolver_signature
        and "rpc.transfer_properties(res, props, custom)" in _source_of(sdk_resource.register_resource)
        and "attr.__dict__" in _source_of(SDK_MASSAGE_COMPLEX)
    )


_types_by_class: dict[type, dict[str, type]] = {}


def _resource_types(resource_cls: type) -> dict[str, type]:
    """``pulumi._types.resource_types``, computed once per class of this package."""
    if not resource_cls.__module__.startswith("kontent_resources."):
        result: dict[str, type] = SDK_RESOURCE_TYPES(resource_cls)
        return result
    known = _types_by_class.get(resource_cls)
    if known is None:
        known = _types_by_class.setdefault(resource_cls, SDK_RESOURCE_TYPES(resource_cls))
    return dict(known)


def raise_gc_threshold() -> None:
    """Collect young objects every 20,000 allocations instead of 700, unless the program chose."""
    first, *later = gc.get_threshold()
    if first == _PYTHON_DEFAULT_GC_THRESHOLD:
        gc.set_threshold(_GC_THRESHOLD, *later)


def install() -> None:
    """Apply the repairs the installed SDK needs, once per process."""
    global _installed
    with _install_lock:
        if _installed:
            return
        _installed = True
        if sdk_drain_is_quadratic() and sdk_stack.wait_for_rpcs is SDK_WAIT_FOR_RPCS:
            sdk_stack.wait_for_rpcs = _wait_for_rpcs
            if sdk_debug_log_blocks() and sdk_resource.log is SDK_REGISTRATION_LOG:
                # Only with the drain that flushes it: the lines must be sent before the program ends.
                sdk_resource.log = _debug_log
                if sdk_rpc_manager.log is pulumi.log:
                    sdk_rpc_manager.log = _debug_log
        if sdk_reads_source_for_stack_traces():
            sdk_resource.traceback = _TracebackWithoutSource()
        eager = sdk_rpc.transfer_properties is SDK_TRANSFER_PROPERTIES
        if eager and sdk_makes_every_output_at_registration():
            sdk_rpc.transfer_properties = _transfer_properties
            sdk_stack.massage_complex = _massage_complex
        if sdk_types.resource_types is SDK_RESOURCE_TYPES:
            sdk_types.resource_types = _resource_types
        raise_gc_threshold()
