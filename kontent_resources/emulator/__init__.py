"""A local, wire-compatible Kontent.ai Management API v2 (see DESIGN §7).

Start it with ``python -m kontent_resources.emulator`` (or ``kontent-emulator``); in tests use
``EmulatorServer`` (in-process thread) or ``EmulatorProcess`` (subprocess) from ``.server``.
``create_app`` returns the ASGI app for in-process use (e.g. ``httpx.ASGITransport``).
The admin API is documented in ``kontent_resources.emulator.admin``.

Layout (moto's models/responses/urls split): one package per API area (``assets``, ``files``,
``folders``, ``renditions``, ``collections``, ``languages``, ``content_types``, ``items``,
``variants``, ``workflows``), each with ``models.py`` (state and rules, usable without HTTP; each
rule cites its passage of the reference or says it is assumed), ``bodies.py`` (request bodies) and
``urls.py`` (routes whose handlers only parse, call and render). Shared: ``errors`` (one class per
documented error), ``domain`` (kinds, the default workflow, lookups), ``refs``, ``pagination``,
``store`` (SQLite), ``gateway`` (auth, rate limits, faults, counters), ``new_environment`` (what
the official tools read outside the reference), ``seed`` and ``admin``. ``app.api_routes`` lists
every route; ``docs/emulator-fidelity.md`` has the coverage table and every rule with its source.
"""

from kontent_resources._extras import require_extra

require_extra("emulator", "starlette", "uvicorn")

from .app import EmulatorApp, create_app  # noqa: E402
from .config import DEFAULT_API_KEY, DEFAULT_ENVIRONMENT_ID, EmulatorConfig, RateLimitSettings  # noqa: E402
from .server import AdminApi, EmulatorProcess, EmulatorServer  # noqa: E402

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_ENVIRONMENT_ID",
    "AdminApi",
    "EmulatorApp",
    "EmulatorConfig",
    "EmulatorProcess",
    "EmulatorServer",
    "RateLimitSettings",
    "create_app",
]
