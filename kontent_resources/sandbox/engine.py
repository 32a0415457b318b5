"""Where the Pulumi CLI built by ``scripts/build-engine.sh`` lives, and how to get it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ENGINE_VERSION = "3.277.0"
# The engine starts every dynamic provider through pulumi-resource-pulumi-python.
_REQUIRED_BINARIES = ("pulumi", "pulumi-resource-pulumi-python")


class EngineNotFoundError(RuntimeError):
    """The Pulumi CLI and its Python language host are not installed where we look."""


def cache_root() -> Path:
    """The fixed cache folder outside the repository shared by builds, tests and CI."""
    override = os.environ.get("KONTENT_ENGINE_CACHE")
    return Path(override) if override else Path.home() / ".cache" / "kontent-resources"


def default_bin_dir() -> Path:
    return cache_root() / f"pulumi-{ENGINE_VERSION}" / "bin"


def _build_script() -> Path | None:
    """The build script exists only in a source checkout, not in an installed wheel."""
    script = Path(__file__).resolve().parents[2] / "scripts" / "build-engine.sh"
    return script if script.is_file() else None


def _is_complete(bin_dir: Path) -> bool:
    return all(os.access(bin_dir / name, os.X_OK) for name in _REQUIRED_BINARIES)


def locate_engine(*, build: bool = True) -> Path:
    """Return the folder holding ``pulumi`` and the dynamic provider launcher.

    Order: ``KONTENT_PULUMI_BIN``, the build cache (built on demand from a checkout), then a
    ``pulumi`` already on PATH.
    """
    explicit = os.environ.get("KONTENT_PULUMI_BIN")
    if explicit:
        bin_dir = Path(explicit)
        if not _is_complete(bin_dir):
            raise EngineNotFoundError(f"KONTENT_PULUMI_BIN={bin_dir} lacks one of {_REQUIRED_BINARIES}")
        return bin_dir
    bin_dir = default_bin_dir()
    if _is_complete(bin_dir):
        return bin_dir
    script = _build_script()
    if build and script is not None:
        env = {**os.environ, "KONTENT_PULUMI_VERSION": ENGINE_VERSION}
        result = subprocess.run(["bash", str(script)], check=True, capture_output=True, text=True, env=env)
        return Path(result.stdout.strip().splitlines()[-1])
    on_path = shutil.which("pulumi")
    if on_path:
        return Path(on_path).parent
    raise EngineNotFoundError(
        f"No Pulumi CLI found: run scripts/build-engine.sh (it builds v{ENGINE_VERSION} into {bin_dir}) "
        "or set KONTENT_PULUMI_BIN to a folder holding pulumi and pulumi-resource-pulumi-python."
    )
