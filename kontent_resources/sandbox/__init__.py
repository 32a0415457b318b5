"""Run the real Pulumi engine hermetically: local backend, no network, no global state.

Used by the tests, the example stacks and the README's main job, so that each of them drives the
same engine build in the same isolated way.
"""

from kontent_resources._extras import require_extra

require_extra("sandbox", "yaml", "starlette", "uvicorn")

from kontent_resources.sandbox.engine import ENGINE_VERSION, EngineNotFoundError, locate_engine  # noqa: E402
from kontent_resources.sandbox.workspace import HermeticPulumi, PulumiRunError  # noqa: E402

__all__ = ["ENGINE_VERSION", "EngineNotFoundError", "HermeticPulumi", "PulumiRunError", "locate_engine"]
