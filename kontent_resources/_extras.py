"""Parts of the package that need an optional extra say so on import, naming the install command."""

from __future__ import annotations

import importlib.util


def require_extra(extra: str, *modules: str) -> None:
    missing = [name for name in modules if importlib.util.find_spec(name) is None]
    if missing:
        raise ImportError(
            f"this part of kontent_resources needs the '{extra}' extra (missing: {', '.join(missing)}): "
            f"pip install 'kontent-resources[{extra}]'"
        )
