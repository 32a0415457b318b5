"""A trivial dynamic resource that proves the engine, the language host and dill pickling work.

It keeps its state in memory only: the id is random and the outputs echo the inputs, so every
lifecycle step (create, diff, update, read, delete) is observable without any external service.
"""

from __future__ import annotations

import uuid
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, ResourceProvider, UpdateResult


def _echo(props: dict[str, Any]) -> dict[str, Any]:
    message = props["message"]
    return {"message": message, "length": len(message), "replace_on": props.get("replace_on")}


class EchoProvider(ResourceProvider):
    """Echoes ``message`` into its outputs; ``replace_on`` changes force a replacement."""

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(id_=uuid.uuid4().hex, outs=_echo(props))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = [key for key in ("message", "replace_on") if olds.get(key) != news.get(key)]
        replaces = [key for key in changed if key == "replace_on"]
        return DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=False)

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(outs=_echo(news))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        inputs = {"message": props["message"], "replace_on": props.get("replace_on")}
        return ReadResult(id_=id_, outs=props, inputs=inputs)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None


class Echo(Resource):
    """A resource whose outputs repeat its inputs."""

    message: pulumi.Output[str]
    length: pulumi.Output[int]

    def __init__(
        self,
        name: str,
        message: pulumi.Input[str],
        replace_on: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props = {"message": message, "replace_on": replace_on, "length": None}
        super().__init__(EchoProvider(), name, props, opts)


def echo_program() -> None:
    """The program used by both the CLI and the Automation API e2e tests."""
    config = pulumi.Config()
    echo = Echo("greeting", message=config.get("message") or "hello")
    pulumi.export("message", echo.message)
    pulumi.export("length", echo.length)
