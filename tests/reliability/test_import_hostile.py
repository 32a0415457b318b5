"""`kontent-resources import` into a folder or from an environment someone else prepared (R3-3..R3-8).

Each test meets the import as an attacker or an unlucky user would leave things: symbolic links
already in the output folder (a cloned repository, a re-import), a `.part` that points elsewhere,
names no file system takes, names the provider refuses, asset URLs that point at another service
on this machine. The import must never write outside its folder, never fetch from a host that is not
the environment's asset host, and always write the program for everything it could import, listing
the rest (exit status 3).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast

import httpx
import pytest

from kontent_resources.client import KontentClient, RateLimit
from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.models import Asset
from kontent_resources.models.assets import AssetCreate
from kontent_resources.models.common import RequestReference
from kontent_resources.models.folders import FolderCreate

pytestmark = [pytest.mark.timeout(300)]

SKIPPED_EXIT = 3
PRECIOUS = b"precious: must never change\n"


def _client(emulator: EmulatorServer) -> KontentClient:
    return KontentClient(
        emulator.environment_id, emulator.api_key, emulator.base_url, rate_limit=RateLimit(enabled=False)
    )


def _add_asset(
    emulator: EmulatorServer,
    scratch: Path,
    file_name: str,
    content: bytes,
    *,
    folder_id: str | None = None,
    external_id: str | None = None,
) -> Asset:
    scratch.mkdir(exist_ok=True)
    source = scratch / f"upload-{len(list(scratch.iterdir()))}"
    source.write_bytes(content)
    with _client(emulator) as client:
        reference = client.files.upload(source, file_name=file_name, content_type="text/plain")
        return client.assets.add(
            AssetCreate(
                file_reference=reference.to_request(),
                folder=RequestReference(id=folder_id) if folder_id else None,
                external_id=external_id,
            )
        )


def _add_folder(emulator: EmulatorServer, name: str) -> str:
    with _client(emulator) as client:
        tree = client.folders.add([FolderCreate(name=name)])
        return next(folder.id for folder, _parent in tree.walk() if folder.name == name)


def _import(
    emulator: EmulatorServer, project: Path, *extra: str, base_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("KONTENT_")},
        "KONTENT_ENVIRONMENT_ID": emulator.environment_id,
        "KONTENT_API_KEY": emulator.api_key,
        "KONTENT_BASE_URL": base_url or emulator.base_url,
        "KONTENT_MAX_REQUESTS_PER_SECOND": "0",
    }
    command = [sys.executable, "-m", "kontent_resources", "import", str(project), *extra]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=240, check=False)


def _manifest(project: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((project / "environment.json").read_text(encoding="utf-8"))
    return loaded


def _sources(project: Path) -> dict[str, str]:
    """asset id or external id -> its local file, as the generated program declares it."""
    return {a.get("id") or a["external_id"]: a["source"] for a in _manifest(project)["assets"]}


def _skipped_ids(project: Path) -> set[str]:
    return {entry["id"] for entry in _manifest(project).get("skipped", [])}


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "outside" / "victim.txt"
    victim.parent.mkdir()
    victim.write_bytes(PRECIOUS)
    return victim


# -- R3-3: symbolic links already in the output folder ----------------------------------------------


def test_a_symlinked_folder_in_the_output_is_not_written_through(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    brand = _add_folder(emulator, "Brand")
    inside = _add_asset(emulator, tmp_path / "seed", "logo.txt", b"logo\n", folder_id=brand)
    root = _add_asset(emulator, tmp_path / "seed", "readme.txt", b"readme\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    project = tmp_path / "project"
    (project / "files").mkdir(parents=True)
    (project / "files" / "Brand").symlink_to(outside, target_is_directory=True)

    done = _import(emulator, project)

    assert done.returncode == SKIPPED_EXIT, done.stderr
    assert list(outside.iterdir()) == [], "nothing is written into the symlink's target"
    assert (project / "files" / "Brand").is_symlink(), "the user's link is left as it is"
    assert _skipped_ids(project) == {inside.id}
    assert _sources(project) == {root.id: "files/readme.txt"}, "the rest is imported"
    assert (project / "files" / "readme.txt").read_bytes() == b"readme\n"
    assert "files/Brand" in done.stdout
    assert "symbolic link" in done.stdout
    assert inside.id in (project / "__main__.py").read_text(encoding="utf-8"), "listed in the program"


def test_a_symlinked_asset_file_is_replaced_never_trusted_or_read(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    asset = _add_asset(emulator, tmp_path / "seed", "logo.txt", b"the real logo\n")
    victim = _victim(tmp_path)
    project = tmp_path / "project"
    (project / "files").mkdir(parents=True)
    (project / "files" / "logo.txt").symlink_to(victim)
    # A cloned repository's import record claims the link is this asset's file, unchanged: kept as it
    # is, the program would upload the link's target (a private file) as the asset's new content.
    record = {
        "files/logo.txt": {
            "file_reference": asset.file_reference.id if asset.file_reference else "",
            "sha256": __import__("hashlib").sha256(PRECIOUS).hexdigest(),
        }
    }
    (project / ".kontent-import.json").write_text(json.dumps(record), encoding="utf-8")

    done = _import(emulator, project)

    assert done.returncode == 0, done.stdout + done.stderr
    local = project / "files" / "logo.txt"
    assert not local.is_symlink()
    assert local.read_bytes() == b"the real logo\n"
    assert victim.read_bytes() == PRECIOUS
    assert "1 files downloaded" in done.stdout
    assert "files/logo.txt" in done.stdout
    assert "symbolic link" in done.stdout


def test_a_part_symlink_is_never_appended_to(emulator: EmulatorServer, tmp_path: Path) -> None:
    asset = _add_asset(emulator, tmp_path / "seed", "logo.txt", b"x" * 4096)
    victim = _victim(tmp_path)
    project = tmp_path / "project"
    (project / "files").mkdir(parents=True)
    (project / "files" / "logo.txt.part").symlink_to(victim)

    done = _import(emulator, project)

    assert done.returncode == 0, done.stdout + done.stderr
    assert victim.read_bytes() == PRECIOUS, "the resumed download did not append into the link's target"
    local = project / "files" / "logo.txt"
    assert not local.is_symlink()
    assert local.read_bytes() == b"x" * 4096
    assert _sources(project) == {asset.id: "files/logo.txt"}


def test_a_part_hard_link_to_another_file_is_not_resumed(emulator: EmulatorServer, tmp_path: Path) -> None:
    _add_asset(emulator, tmp_path / "seed", "logo.txt", b"x" * 4096)
    victim = _victim(tmp_path)
    project = tmp_path / "project"
    (project / "files").mkdir(parents=True)
    os.link(victim, project / "files" / "logo.txt.part")

    done = _import(emulator, project)

    assert done.returncode == 0, done.stdout + done.stderr
    assert victim.read_bytes() == PRECIOUS
    assert (project / "files" / "logo.txt").read_bytes() == b"x" * 4096


def test_symlinked_project_files_are_replaced_not_written_through(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    _add_asset(emulator, tmp_path / "seed", "logo.txt", b"logo\n")
    victim = _victim(tmp_path)
    elsewhere = tmp_path / "outside" / "created-by-import"
    project = tmp_path / "project"
    project.mkdir()
    (project / "environment.json").symlink_to(victim)
    (project / "__main__.py").symlink_to(victim)
    (project / ".kontent-import.json").symlink_to(victim)
    (project / "requirements.txt").symlink_to(elsewhere)  # dangling: "missing", so written before

    done = _import(emulator, project)

    assert done.returncode == 0, done.stdout + done.stderr
    assert victim.read_bytes() == PRECIOUS
    assert not elsewhere.exists(), "no file is created through a dangling link"
    assert not (project / "environment.json").is_symlink()
    assert _manifest(project)["assets"]
    assert not (project / "__main__.py").is_symlink()


# -- R3-5: one object the file system refuses does not stop the import ------------------------------


def test_a_name_too_long_for_the_file_system_is_shortened(emulator: EmulatorServer, tmp_path: Path) -> None:
    long_folder = _add_folder(emulator, "é" * 200)  # 400 bytes in UTF-8: over the 255 of a name
    long_name = "é" * 196 + ".txt"  # 200 characters: the API's limit
    asset = _add_asset(emulator, tmp_path / "seed", long_name, b"long\n", folder_id=long_folder)

    done = _import(emulator, tmp_path / "project")

    assert done.returncode == 0, done.stdout + done.stderr
    source = _sources(tmp_path / "project")[asset.id]
    for component in source.split("/"):
        assert len(component.encode()) <= 255
    assert source.endswith(".txt"), "the extension is kept"
    assert (tmp_path / "project" / source).read_bytes() == b"long\n"
    assert _manifest(tmp_path / "project")["assets"][0]["file_name"] == long_name, "the asset is unchanged"


def test_one_file_that_cannot_be_written_leaves_the_rest_imported(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    brand = _add_folder(emulator, "Brand")
    blocked = _add_asset(emulator, tmp_path / "seed", "logo.txt", b"logo\n", folder_id=brand)
    root = _add_asset(emulator, tmp_path / "seed", "readme.txt", b"readme\n")
    project = tmp_path / "project"
    (project / "files").mkdir(parents=True)
    (project / "files" / "Brand").write_text("a file where the folder goes\n")

    done = _import(emulator, project)

    assert done.returncode == SKIPPED_EXIT, done.stderr
    assert _skipped_ids(project) == {blocked.id}
    assert set(_sources(project)) == {root.id}
    assert "logo" in done.stdout or blocked.id in done.stdout


# -- R3-6: objects the provider would refuse are listed, not declared -------------------------------


def test_names_the_provider_refuses_are_skipped_and_listed(emulator: EmulatorServer, tmp_path: Path) -> None:
    slashed = _add_asset(emulator, tmp_path / "seed", "a.txt", b"a\n", external_id="brand/logo")
    bell = _add_asset(emulator, tmp_path / "seed", "bell\x07.txt", b"b\n")
    fine = _add_asset(emulator, tmp_path / "seed", "fine.txt", b"c\n", external_id="legacy-1")

    done = _import(emulator, tmp_path / "project")

    project = tmp_path / "project"
    assert done.returncode == SKIPPED_EXIT, done.stderr
    assert set(_sources(project)) == {"legacy-1"}, fine.id
    assert _skipped_ids(project) == {slashed.id, bell.id}
    program = (project / "__main__.py").read_text(encoding="utf-8")
    assert slashed.id in program
    assert bell.id in program
    assert "\x07" not in program + done.stdout, "control characters are shown escaped, never raw"
    compile(program, "__main__.py", "exec")  # the comments cannot break the program


# -- R3-7: asset files only from the environment's asset host ---------------------------------------


class _Canary(ThreadingHTTPServer):
    """Another service on this machine: records every request it gets."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _CanaryHandler)
        self.hits: list[str] = []


class _CanaryHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        cast(_Canary, self.server).hits.append(self.path)
        _answer(self, 200, b"stolen", {})

    def log_message(self, *_args: object) -> None:
        pass


class _Rewriter(ThreadingHTTPServer):
    """The API as an attacker in the path (or a compromised API) answers it: forwarded to the
    emulator, with one file's URL replaced by ``hostile_url`` and another's by a redirect to it."""

    def __init__(self, upstream: str, hostile_url: str, hostile_file: str, redirected_file: str) -> None:
        super().__init__(("127.0.0.1", 0), _RewriterHandler)
        self.root = f"http://127.0.0.1:{self.server_address[1]}"
        self.upstream, self.hostile_url = upstream, hostile_url
        self.replaced = {hostile_file: hostile_url, redirected_file: f"{self.root}/redirect/file.txt"}

    def rewrite(self, text: str) -> str:
        text = text.replace(f"{self.upstream}/assets/", f"{self.root}/assets/")
        for part in text.split('"'):
            for file_id, url in self.replaced.items():
                if part.startswith(f"{self.root}/assets/") and file_id in part:
                    text = text.replace(part, url)
        return text


class _RewriterHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        proxy = cast(_Rewriter, self.server)
        if self.path.startswith("/redirect/"):
            _answer(self, 302, b"", {"Location": proxy.hostile_url})
            return
        wanted = ("authorization", "range", "x-continuation")
        headers = {k: v for k, v in self.headers.items() if k.lower() in wanted}
        answer = httpx.get(proxy.upstream + self.path, headers=headers, timeout=30)
        body = answer.content
        if "json" in answer.headers.get("content-type", ""):
            body = proxy.rewrite(body.decode()).encode()
        dropped = ("content-length", "transfer-encoding", "connection", "content-encoding")
        _answer(
            self,
            answer.status_code,
            body,
            {k: v for k, v in answer.headers.items() if k.lower() not in dropped},
        )

    def log_message(self, *_args: object) -> None:
        pass


def _answer(handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@contextmanager
def _serving(server: ThreadingHTTPServer) -> Iterator[None]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


def test_an_asset_url_to_another_local_service_is_not_fetched(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    hostile = _add_asset(emulator, tmp_path / "seed", "admin.txt", b"a\n")
    redirected = _add_asset(emulator, tmp_path / "seed", "redirected.txt", b"r\n")
    honest = _add_asset(emulator, tmp_path / "seed", "honest.txt", b"honest\n")
    canary = _Canary()
    canary_url = f"http://127.0.0.1:{canary.server_address[1]}/internal/admin?delete=all"
    file_ids = [a.file_reference.id if a.file_reference else "" for a in (hostile, redirected)]
    proxy = _Rewriter(emulator.root_url, canary_url, *file_ids)

    with _serving(canary), _serving(proxy):  # the API is local: its own host:port is the asset host
        done = _import(emulator, tmp_path / "project", base_url=f"{proxy.root}/v2")

    assert canary.hits == [], "the importer never requests a URL outside the environment's asset host"
    assert done.returncode == SKIPPED_EXIT, done.stdout + done.stderr
    assert _skipped_ids(tmp_path / "project") == {hostile.id, redirected.id}
    assert set(_sources(tmp_path / "project")) == {honest.id}
    assert "--asset-host" in done.stdout, "the summary says how to allow a host the user trusts"


# -- R3-8: names Windows (or macOS) cannot hold -----------------------------------------------------


def test_windows_device_and_drive_names_are_not_kept(emulator: EmulatorServer, tmp_path: Path) -> None:
    names = ["CON", "aux.txt", "C:_Windows_win.ini", "trailing. ", "Lpt1.tar.gz"]
    made = {_add_asset(emulator, tmp_path / "seed", name, name.encode()).id: name for name in names}

    done = _import(emulator, tmp_path / "project")

    assert done.returncode == 0, done.stdout + done.stderr
    sources = _sources(tmp_path / "project")
    reserved = {"con", "prn", "aux", "nul", *(f"{p}{n}" for p in ("com", "lpt") for n in range(10))}
    for asset_id, name in made.items():
        local = sources[asset_id].removeprefix("files/")
        assert ":" not in local, local
        assert not local.endswith((".", " ")), local
        assert local.split(".")[0].rstrip(" ").casefold() not in reserved, local
        assert (tmp_path / "project" / sources[asset_id]).read_bytes() == name.encode()
