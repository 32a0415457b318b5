"""Repairs of the SDK's per-resource costs in the program process (``install("program")``).

Each applies only to what this package owns: the resources of its classes (``KontentResource``
subclasses, the ``kontent_resources`` component), and defers to the SDK's own function for every
other resource; figures from ``bench/bench_scale.py`` (docs/upstream.md has each one's account).

* ``outputs-on-first-use``: ``rpc.transfer_properties`` makes, for each property of each resource,
  four futures, an ``Output`` and the task that assembles it, tracked until the program ends: 28
  per ``Asset``, where a program reads two or three (``id``, ``url``). For this package's resources
  the resolvers record what the engine answered (``OutputsOnFirstUse``), and a property's Output is
  made when the program first reads it, from that answer or waiting for it; what the program can
  observe is the same: the value, whether it is known or secret, the resources it depends on, or
  the failure. ``stack.massage_complex`` (the export of a whole resource) makes the unread ones first.
* ``stack-traces``: the SDK records the Python stack of every resource (``_get_stack_trace``) with
  ``traceback.extract_stack()``, which stats every file on the stack and loads its lines, though
  only file names, line numbers and function names are sent. For this package's resources the
  same frames are taken without reading any file, ending at the SDK's program runner
  (``pulumi/runtime/stack.py``: the frames above it are the language host's machinery) and
  starting at the program's line, not at this package's constructors (which the SDK would record
  as every resource's source position, in the state: 488 B of an Asset's 3.6 KB before).
* ``resource-types``: ``pulumi._types.resource_types(cls)`` evaluates every annotation of the class
  with ``typing.get_type_hints`` once per resource; for this package's classes it is computed once.
* ``output-drain``: ``stack.wait_for_rpcs`` waits for the program's outstanding outputs with
  ``asyncio.wait(all_pending, FIRST_COMPLETED)`` in a loop: every completed output costs a pass
  over every pending one, O(N²) on the event loop. ``_wait_for_rpcs`` waits for the same outputs
  once each (``asyncio.as_completed``), re-raising the first failure as soon as it happens, as the
  SDK's loop does. It is the one repair that acts on every output of the program, this package's
  or not: what is awaited and what is raised are the same, only the cost of waiting differs, with
  one exception: a call the engine cancelled as it stopped the run (``context canceled``) is
  raised as the ``RunError`` the SDK makes of the same stop seen as ``UNAVAILABLE``, one line
  where the SDK prints two tracebacks of its own frames.

Dropped, as measured to gain under 5% at 1,000 assets with the others on (docs/upstream.md):
sending the SDK's debug lines to the engine from a thread of their own.
* ``pickler``: ``serialize_provider`` replaces ``pickle._Pickler._batch_setitems`` with a wrapper
  of the current method and never puts it back, so each dynamic resource wraps the previous
  wrapper; around a thousand in one program end in ``RecursionError``. After each of this
  package's resources (``KontentResource.__init__``) the standard library's own method is put
  back (``restore_pickler``). No SDK name is replaced, and ``KONTENT_SDK_REPAIRS=off`` does not
  turn it off: without it, a program of 1,000 assets fails.
"""

from __future__ import annotations

import asyncio
import functools
import os
import pickle
import sys
import traceback
import types
from collections.abc import Callable
from typing import Any

import grpc
import pulumi

from kontent_resources._sdk._core import Repair, Target, private_module, register, replace

_OWN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_PULUMI_DIR = os.path.dirname(os.path.abspath(pulumi.__file__)) + os.sep
_PROGRAM_RUNNER = os.path.join("pulumi", "runtime", "stack.py")


def _sdk(module: str) -> Any:
    """An SDK module by name (its private functions are looked up when a repair applies)."""
    return private_module(module)


def _is_own_class(cls: type) -> bool:
    return cls.__module__.startswith("kontent_resources.")


# -- outputs-on-first-use ------------------------------------------------------------------------

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


def output_on_first_use(resource: Any, name: str) -> pulumi.Output[Any] | None:
    """The Output of ``resource``'s property ``name``, made now (``None``: no such property)."""
    outputs = resource.__dict__.get(ON_FIRST_USE)
    if not isinstance(outputs, OutputsOnFirstUse) or name not in outputs.names:
        return None
    output = outputs.output(name)
    resource.__dict__[name] = output
    return output


def _apply_outputs_on_first_use() -> list[tuple[Any, str, Any]]:
    rpc, stack = _sdk("pulumi.runtime.rpc"), _sdk("pulumi.runtime.stack")
    sdk_transfer_properties = rpc.transfer_properties
    sdk_massage_complex = stack.massage_complex

    def transfer_properties(res: Any, props: Any, custom: bool) -> dict[str, Callable[..., None]]:
        if not getattr(res, "outputs_made_on_first_use", False):
            resolvers: dict[str, Callable[..., None]] = sdk_transfer_properties(res, props, custom)
            return resolvers
        names = [name for name in props if not (name == "urn" or (name == "id" and custom))]
        outputs = OutputsOnFirstUse(res, names)
        res.__dict__[ON_FIRST_USE] = outputs
        return {name: outputs.resolver(name) for name in names}

    def massage_complex(attr: Any, seen: list[Any]) -> Any:
        outputs = getattr(attr, "__dict__", {}).get(ON_FIRST_USE)
        if isinstance(outputs, OutputsOnFirstUse):
            for name in sorted(outputs.names):
                getattr(attr, name)
        return sdk_massage_complex(attr, seen)

    return [
        replace(rpc, "transfer_properties", transfer_properties),
        replace(stack, "massage_complex", massage_complex),
    ]


# -- stack-traces --------------------------------------------------------------------------------


def _extract_stack_without_source(f: types.FrameType | None = None, limit: int | None = None) -> Any:
    """``traceback.extract_stack``'s frames (file, line number, function), with no file read."""
    frame = sys._getframe(1) if f is None else f
    frames = []
    for step, lineno in traceback.walk_stack(frame):
        code = step.f_code
        if code.co_filename.endswith(_PROGRAM_RUNNER):
            break  # the SDK's own runner and what started it: not the program's frames
        frames.append(traceback.FrameSummary(code.co_filename, lineno, code.co_name, lookup_line=False))
    frames = _without_own_constructors(frames)
    if limit is not None:
        frames = frames[:limit]
    frames.reverse()
    return traceback.StackSummary.from_list(frames)


def _without_own_constructors(frames: list[traceback.FrameSummary]) -> list[traceback.FrameSummary]:
    """``frames`` (innermost first) without this package's constructors between the SDK's and the program's.

    The SDK records a resource's stack from above its third ``__init__`` (``Resource``,
    ``CustomResource``, the resource's class: ``dynamic.Resource`` here), and its first frame as the
    resource's source position: for this package's resources, a line of ``KontentResource.__init__``
    for every resource of every program, stored in the state after each step. Without the frames of
    this package's classes (and components) the trace starts, as the SDK means it to, at the line of
    the program that made the resource. A stack of no other frame is left as it is.
    """
    sdk = inits = 0
    while sdk < len(frames) and frames[sdk].filename.startswith(_PULUMI_DIR):
        inits += frames[sdk].name == "__init__"
        sdk += 1
    if inits < 3:
        return frames  # not the SDK's constructors of a custom resource: take nothing away
    end = sdk
    while end < len(frames) and frames[end].filename.startswith(_OWN_DIR):
        end += 1
    return frames if end == len(frames) else frames[:sdk] + frames[end:]


def _registered_by_this_package(frame: types.FrameType | None) -> bool:
    """Whether the first frame outside the SDK (the resource's own class) is this package's code."""
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith(_PULUMI_DIR) and filename != __file__:
            return filename.startswith(_OWN_DIR)
        frame = frame.f_back
    return False


def _extract_stack(f: types.FrameType | None = None, limit: int | None = None) -> Any:
    frame = sys._getframe(1) if f is None else f
    if _registered_by_this_package(frame):
        return _extract_stack_without_source(frame, limit)
    return traceback.extract_stack(frame, limit)


class _TracebackWithoutSource(types.ModuleType):
    """The ``traceback`` module, with ``extract_stack`` file-free for this package's resources."""

    def __init__(self) -> None:
        super().__init__("traceback", traceback.__doc__)
        self.__dict__.update({k: v for k, v in vars(traceback).items() if not k.startswith("__")})
        self.extract_stack = _extract_stack


def _stack_traces_precondition() -> str | None:
    if _sdk("pulumi.runtime.resource").traceback is not traceback:
        return "pulumi.runtime.resource.traceback is no longer the traceback module"
    return None


def _apply_stack_traces() -> list[tuple[Any, str, Any]]:
    return [replace(_sdk("pulumi.runtime.resource"), "traceback", _TracebackWithoutSource())]


# -- resource-types ------------------------------------------------------------------------------

_types_by_class: dict[type, dict[str, type]] = {}


def _apply_resource_types() -> list[tuple[Any, str, Any]]:
    sdk_types = _sdk("pulumi._types")
    sdk_resource_types = sdk_types.resource_types

    def resource_types(resource_cls: type) -> dict[str, type]:
        if not _is_own_class(resource_cls):
            result: dict[str, type] = sdk_resource_types(resource_cls)
            return result
        known = _types_by_class.get(resource_cls)
        if known is None:
            known = _types_by_class.setdefault(resource_cls, sdk_resource_types(resource_cls))
        return dict(known)

    return [replace(sdk_types, "resource_types", resource_types)]


# -- output-drain --------------------------------------------------------------------------------


async def _drain_outputs() -> None:
    """Wait for every tracked output, including those made while waiting; each costs O(1)."""
    settings = _sdk("pulumi.runtime.settings").SETTINGS
    while True:
        with settings.lock:
            pending = list(settings.outputs)
            settings.outputs.clear()
        if not pending:
            return
        for finished in asyncio.as_completed(pending):
            await finished  # the first failure is raised here, as soon as it happens


_ENGINE_STOPPED = "Resource monitor has terminated, shutting down"


def _cancelled_by_the_engine(failure: Exception) -> bool:
    """Whether ``failure`` is ``grpc_error_to_exception``'s plain ``Exception`` for a CANCELLED call.

    The engine cancels the program's calls still in flight when it stops a run (at a resource that
    failed its check, say): ``context canceled``. The SDK makes ``UNAVAILABLE``, the other way the
    same stop reaches the program, a ``RunError`` printed as one line; CANCELLED it leaves a plain
    ``Exception``, printed with two tracebacks of gRPC's and asyncio's frames above the engine's own
    account of what went wrong. Which of the two a run gets is a race.
    """
    call = failure.__context__
    code = getattr(call, "code", None)
    return (
        type(failure) is Exception
        and isinstance(call, grpc.RpcError)
        and callable(code)
        and code() == grpc.StatusCode.CANCELLED
    )


async def _wait_for_rpcs(await_all_outstanding_tasks: bool = True) -> None:
    """``pulumi.runtime.stack.wait_for_rpcs`` with a linear output drain (same order of waits).

    A call the engine cancelled as it stopped the run fails it as the SDK fails an engine that is
    gone (``RunError``, one line), not with a traceback.
    """
    try:
        await _wait_for_rpcs_and_outputs(await_all_outstanding_tasks)
    except Exception as failure:
        if _cancelled_by_the_engine(failure):
            raise pulumi.RunError(_ENGINE_STOPPED) from None
        raise


async def _wait_for_rpcs_and_outputs(await_all_outstanding_tasks: bool) -> None:
    rpc_manager = _sdk("pulumi.runtime.settings")._get_rpc_manager()
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


# How a call the engine cancelled reaches the program: _cancelled_by_the_engine reads its shape.
_CANCELLED_CALL = Target("pulumi.runtime.settings", "grpc_error_to_exception", "17387e92c69b48ca")


def _apply_output_drain() -> list[tuple[Any, str, Any]]:
    return [replace(_sdk("pulumi.runtime.stack"), "wait_for_rpcs", _wait_for_rpcs)]


# -- pickler -------------------------------------------------------------------------------------


def _unwrap(method: Callable[..., Any]) -> Callable[..., Any]:
    """Follow the wrappers' closures back to the standard library's own method."""
    seen = 0
    while getattr(method, "__module__", "pickle") != "pickle" and seen < 10_000:
        cells = [
            c.cell_contents for c in getattr(method, "__closure__", None) or () if callable(c.cell_contents)
        ]
        if not cells:
            break
        method, seen = cells[0], seen + 1
    return method


_ORIGINAL_BATCH_SETITEMS = _unwrap(pickle._Pickler._batch_setitems)  # type: ignore[attr-defined]


def restore_pickler() -> None:
    """Put the standard library's ``_batch_setitems`` back, undoing every wrapper of the SDK."""
    pickle._Pickler._batch_setitems = _ORIGINAL_BATCH_SETITEMS  # type: ignore[attr-defined]


# -- the registry --------------------------------------------------------------------------------

# bench/bench_scale.py --repairs ablation, 1,000 assets, no-change preview, medians of 5 (docs/upstream.md):
# what turning this one off (the others on) costs, in the program process's CPU and in wall time.
_FIGURES = {
    "outputs-on-first-use": "off costs +26.5% program CPU, +24.8% wall (1,000 assets, no-change preview)",
    "stack-traces": "off costs +7.9% program CPU, +23.2% wall (1,000 assets, no-change preview)",
    "resource-types": "off costs +11.6% program CPU, +19.6% wall (1,000 assets, no-change preview)",
    "output-drain": "off costs +20.9% program CPU, +18.4% wall (1,000 assets, no-change preview)",
    "pickler": "1,000+ dynamic resources in one program end in RecursionError without it",
}

register(
    Repair(
        "outputs-on-first-use",
        "program",
        "this package's resources make a property's Output when the program first reads it",
        _FIGURES["outputs-on-first-use"],
        (
            Target("pulumi.runtime.rpc", "transfer_properties", "0e7c02ffa04ff20b"),
            Target("pulumi.runtime.stack", "massage_complex", "70edb02c574df0f0"),
        ),
        _apply_outputs_on_first_use,
    )
)
register(
    Repair(
        "stack-traces",
        "program",
        "this package's resources record their stack without reading source files, from the program's line",
        _FIGURES["stack-traces"],
        (Target("pulumi.runtime.resource", "_get_stack_trace", "3943b22730169251"),),
        _apply_stack_traces,
        _stack_traces_precondition,
    )
)
register(
    Repair(
        "resource-types",
        "program",
        "this package's classes have their annotations evaluated once per class",
        _FIGURES["resource-types"],
        (Target("pulumi._types", "resource_types", "36ca79dc260ad3c1"),),
        _apply_resource_types,
    )
)
register(
    Repair(
        "output-drain",
        "program",
        "the end-of-program wait on outputs is linear instead of quadratic",
        _FIGURES["output-drain"],
        (Target("pulumi.runtime.stack", "wait_for_rpcs", "c0f9027f85ad0925"), _CANCELLED_CALL),
        _apply_output_drain,
    )
)
register(
    Repair(
        "pickler",
        "program",
        "the standard library's pickler, which the SDK leaves wrapped, is put back after each of this "
        "package's resources (not switchable: no SDK name is replaced, and 1,000 resources fail without)",
        _FIGURES["pickler"],
        (),
        lambda: [],
        always=True,
    )
)
