"""The package as a user's Pulumi project installs it: the wheel, in a fresh virtualenv.

``pip install kontent-resources`` brings what the providers need and nothing else (no web server,
no emulator dependencies); the emulator and the sandbox come with their extras and say so when
they are missing. Then the same virtualenv, with the ``sandbox`` extra, runs a program through the
real engine against the emulator, as on a machine without the Pulumi Python language host.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from kontent_resources.client import KontentClient
from kontent_resources.emulator.server import EmulatorServer

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO_ROOT = Path(__file__).resolve().parents[2]
RUNTIME_DEPENDENCIES = {"pulumi", "httpx", "pydantic", "pillow"}
EMULATOR_ONLY = {"starlette", "uvicorn", "httptools"}
PROGRAM = '''"""A user's program: one folder and one image in it."""

import pulumi

from kontent_resources import Asset, Folder

brand = Folder("brand", name="Brand")
logo = Asset("logo", source="logo.png", title="Logo", folder=brand, descriptions={"en-US": "Our logo"})
pulumi.export("logo_url", logo.url)
'''


def _requirement_name(line: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", line, maxsplit=1)[0].lower()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the sources so the build leaves nothing in the checkout."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO_ROOT / name, source / name)
    shutil.copytree(REPO_ROOT / "kontent_resources", source / "kontent_resources",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--disable-pip-version-check",
         "-w", str(dist), str(source)],
        check=True, timeout=600,
    )  # fmt: skip
    (built,) = dist.glob("kontent_resources-*.whl")
    print(f"\n--- wheel {built.name}: {built.stat().st_size / 1024:.0f} KiB")
    return built


def _metadata(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return archive.read(name).decode().splitlines()


def test_the_wheel_requires_only_what_the_providers_need(wheel: Path) -> None:
    requires = [
        line.split(":", 1)[1].strip() for line in _metadata(wheel) if line.startswith("Requires-Dist:")
    ]
    plain = {_requirement_name(r) for r in requires if "extra ==" not in r}
    emulator = {_requirement_name(r) for r in requires if 'extra == "emulator"' in r}
    print(f"\n--- Requires-Dist: {requires}")
    assert plain == RUNTIME_DEPENDENCIES
    assert emulator == EMULATOR_ONLY
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert not [n for n in names if n.startswith(("tests/", "bench/", "programs/"))]
    assert "kontent_resources/py.typed" in names


def _contents(api: EmulatorServer) -> dict[str, list[dict[str, object]]]:
    # Through the client, which keeps to the API's limits: the destroy just before may have used
    # this second's requests (its check of the content using an asset reads variants).
    with KontentClient(api.environment_id, api.api_key, api.base_url) as client:
        assets: list[dict[str, object]] = [
            {"title": a.title, "file_name": a.file_name} for a in client.assets.list()
        ]
    return {"assets": assets, "folders": api.state()["folders"]}


class UserVirtualenv:
    def __init__(self, folder: Path) -> None:
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, timeout=300)
        self.python = folder / "bin" / "python"

    def pip(self, *args: str) -> None:
        subprocess.run(
            [str(self.python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args],
            check=True, timeout=900,
        )  # fmt: skip

    def installed(self) -> set[str]:
        listed = subprocess.run(
            [str(self.python), "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"],
            check=True, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        return {line.split("==")[0].lower() for line in listed.stdout.splitlines()}

    def run(self, *args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.python), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
            check=False, stdin=subprocess.DEVNULL,
        )  # fmt: skip


def test_a_users_project_installs_the_wheel_and_deploys_through_the_engine(
    wheel: Path, tmp_path: Path
) -> None:
    project = tmp_path / "brand-library"
    project.mkdir()
    (project / "Pulumi.yaml").write_text(
        "name: brand-library\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n"
    )
    (project / "requirements.txt").write_text(f"kontent-resources @ {wheel.as_uri()}\n")
    (project / "__main__.py").write_text(PROGRAM)
    Image.new("RGB", (120, 80), "orange").save(project / "logo.png")
    venv = UserVirtualenv(project / "venv")
    venv.pip("-r", str(project / "requirements.txt"))

    installed = venv.installed()
    assert "kontent-resources" in installed
    assert not installed & EMULATOR_ONLY, f"the runtime install pulled {installed & EMULATOR_ONLY}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KONTENT_", "PULUMI_"))}
    env["KONTENT_ENGINE_CACHE"] = os.environ.get("KONTENT_ENGINE_CACHE", "")
    if not env["KONTENT_ENGINE_CACHE"]:
        del env["KONTENT_ENGINE_CACHE"]
    imports = venv.run(
        "-c", "from kontent_resources import Asset, AssetDirectory, Folder", cwd=project, env=env
    )
    assert imports.returncode == 0, imports.stderr
    missing = venv.run("-m", "kontent_resources.emulator", "--help", cwd=project, env=env)
    assert missing.returncode != 0
    assert "pip install 'kontent-resources[emulator]'" in missing.stderr

    venv.pip(f"kontent-resources[sandbox] @ {wheel.as_uri()}")
    with EmulatorServer() as api:
        env |= {
            "KONTENT_ENVIRONMENT_ID": api.environment_id,
            "KONTENT_API_KEY": api.api_key,
            "KONTENT_BASE_URL": api.base_url,
            "PULUMI_CONFIG_PASSPHRASE": secrets.token_urlsafe(16),
        }
        sandbox = ("-m", "kontent_resources.sandbox", "--project", ".")
        up = venv.run(*sandbox, "up", "--yes", cwd=project, env=env)
        assert up.returncode == 0, f"{up.stdout[-3000:]}\n{up.stderr[-3000:]}"
        print(f"\n--- up from the user's virtualenv\n{up.stdout[-1500:]}")
        after_up = _contents(api)
        again = venv.run(*sandbox, "preview", "--expect-no-changes", cwd=project, env=env)
        assert again.returncode == 0, f"{again.stdout[-3000:]}\n{again.stderr[-3000:]}"
        down = venv.run(*sandbox, "destroy", "--yes", cwd=project, env=env)
        assert down.returncode == 0, f"{down.stdout[-3000:]}\n{down.stderr[-3000:]}"
        after_destroy = _contents(api)
    assert [(a["title"], a["file_name"]) for a in after_up["assets"]] == [("Logo", "logo.png")]
    assert [f["name"] for f in after_up["folders"]] == ["Brand"]
    assert after_destroy["assets"] == []
    assert after_destroy["folders"] == []
