"""Everything this package changes in the Pulumi Python SDK's private code: one switch, one report.

``install(scope)`` applies, once per process, the repairs of that kind of process: ``"program"``
(when the first resource of this package is declared), ``"provider"`` (the dynamic provider's
``configure``) or ``"sandbox"`` (``python -m kontent_resources.sandbox``). Each is confined to what
this package owns (its resource classes, its errors, the sandbox's own process), gated on the exact
source of the SDK function it was written against, and switched by ``KONTENT_SDK_REPAIRS``
(``off`` turns every one off). ``status()`` says, for each, whether it is on and why;
``kontent-resources doctor`` prints it. docs/upstream.md has each repair's figure and what
upstream Pulumi could change so that it is no longer needed.
"""

from __future__ import annotations

from kontent_resources._sdk._core import (
    SWITCH,
    RepairStatus,
    SdkInternalsMissingError,
    install,
    private,
    sdk_version,
    status,
    switch_allows,
    uninstall,
)

__all__ = [
    "SWITCH",
    "RepairStatus",
    "SdkInternalsMissingError",
    "install",
    "private",
    "sdk_version",
    "status",
    "switch_allows",
    "uninstall",
]
