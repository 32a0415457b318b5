"""Issue 36, R3-1: another user of the machine cannot make a user's run overwrite a file.

The rate-limit ledger and the variant locks used to live in ``$TMPDIR/kontent-resources-locks-<uid>``,
a name anyone could create first. Another user who made that folder and planted a symlink under a
ledger's name had the victim's next API call truncate and rewrite the symlink's target, with the
victim's rights. Here the attacker is a real other user (uid 65534) when the tests run as root,
as CI does; otherwise a folder open to everyone stands in for theirs.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import textwrap
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

from kontent_resources._userstate import UnsafeStateDirError, open_private, state_dir
from kontent_resources.emulator.server import EmulatorServer

NOBODY = 65534
VICTIM_UID = os.geteuid()
PRECIOUS = "the victim's file, mode 600\n"
VICTIM_RUN = textwrap.dedent(
    """
    import sys
    from kontent_resources.client import KontentClient
    env, key, url = sys.argv[1:4]
    with KontentClient(env, key, url) as client:  # default limits: the machine-wide ledger is used
        list(client.languages.list())
    print("call done")
    """
)


@pytest.fixture(scope="module")
def api() -> Iterator[EmulatorServer]:
    with EmulatorServer(rate_limit=False) as server:
        yield server


def _ledger_names(base_url: str, environment_id: str) -> list[str]:
    """Every name a ledger of this environment has had: the attacker plants them all."""
    key = (base_url.rstrip("/").lower(), environment_id.lower())
    digests = ["\0".join(key), "\0".join((socket.gethostname(), *key))]
    return [hashlib.sha256(d.encode()).hexdigest()[:32] + ".ratelimit.json" for d in digests]


def _plant(shared: Path, victim: Path, names: list[str]) -> None:
    """The attacker's folders under every name the product has used, symlinks to the victim's file."""
    for folder in (f"kontent-resources-locks-{VICTIM_UID}", f"kontent-resources-{VICTIM_UID}"):
        path = shared / folder
        path.mkdir()
        path.chmod(0o777)
        for name in names:
            (path / name).symlink_to(victim)


def _as_attacker(shared: Path, victim: Path, names: list[str]) -> None:
    """Plants the trap as another user when we are root (a forked child that drops to uid 65534:
    no program of ours needs to be readable by it), else as ourselves, the stand-in."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            if os.geteuid() == 0:
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            _plant(shared, victim, names)
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the attacker could not plant the trap"


@pytest.fixture
def planted(api: EmulatorServer) -> Iterator[tuple[Path, Path]]:
    """A sticky world-writable temp folder where the attacker already laid the trap; the victim file.

    Outside pytest's own temp folder, which is private to us: the attacker must reach both paths."""
    base = Path(tempfile.mkdtemp(prefix="kontent-shared-machine-"))
    try:
        base.chmod(0o755)
        shared = base / "shared-tmp"
        shared.mkdir()
        shared.chmod(0o1777)
        private = base / "victim-only"
        private.mkdir()
        private.chmod(0o711)  # reachable, not readable: like /etc for /etc/shadow
        victim = private / "precious.txt"
        victim.write_text(PRECIOUS)
        victim.chmod(0o600)
        _as_attacker(shared, victim, _ledger_names(api.base_url, api.environment_id))
        yield shared, victim
    finally:
        shutil.rmtree(base)


def _victim_runs(api: EmulatorServer, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "KONTENT_STATE"))}
    return subprocess.run(
        [sys.executable, "-c", VICTIM_RUN, api.environment_id, api.api_key, api.base_url],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_trap_in_the_shared_temp_folder_is_never_followed(
    api: EmulatorServer, planted: tuple[Path, Path], tmp_path: Path
) -> None:
    shared, victim = planted
    home = tmp_path / "home"
    home.mkdir()
    run = _victim_runs(api, {"TMPDIR": str(shared), "HOME": str(home)})
    assert run.returncode == 0, run.stderr
    assert victim.read_text() == PRECIOUS
    # The ledger went to the user's own cache folder, private to them.
    folder = home / ".cache" / "kontent-resources" / "state"
    ledgers = list(folder.glob("*.ratelimit.json"))
    assert len(ledgers) == 1
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(ledgers[0].stat().st_mode) == 0o600


def test_the_temp_folder_fallback_refuses_a_folder_someone_else_made(
    api: EmulatorServer, planted: tuple[Path, Path], tmp_path: Path
) -> None:
    """No usable home (a file where the cache folder should be): the fallback is the temp folder,
    where the attacker's folder is refused. The call still succeeds, limited by this process alone."""
    shared, victim = planted
    not_a_folder = tmp_path / "cache-is-a-file"
    not_a_folder.write_text("")
    run = _victim_runs(api, {"TMPDIR": str(shared), "XDG_CACHE_HOME": str(not_a_folder)})
    assert run.returncode == 0, run.stderr
    assert "call done" in run.stdout
    assert victim.read_text() == PRECIOUS
    assert "refusing to keep rate-limit ledgers and locks in" in run.stderr
    assert "KONTENT_STATE_DIR" in run.stderr


# -- the folder and its files, directly -------------------------------------------------------


@pytest.fixture
def state_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("XDG_RUNTIME_DIR", "XDG_CACHE_HOME", "KONTENT_STATE_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path / "home" / ".cache" / "kontent-resources" / "state"


def test_state_dir_is_made_private(state_env: Path) -> None:
    assert state_dir() == state_env
    assert stat.S_IMODE(state_env.stat().st_mode) == 0o700


@pytest.mark.parametrize("mode", [0o777, 0o750, 0o701])
def test_state_dir_open_to_others_is_refused_not_changed(
    state_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mode: int
) -> None:
    chosen = tmp_path / "chosen"
    chosen.mkdir()
    chosen.chmod(mode)
    monkeypatch.setenv("KONTENT_STATE_DIR", str(chosen))
    with pytest.raises(UnsafeStateDirError, match="open to other users"):
        state_dir()
    assert stat.S_IMODE(chosen.stat().st_mode) == mode


def test_state_dir_that_is_a_symlink_is_refused(
    state_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real = tmp_path / "elsewhere"
    real.mkdir(mode=0o700)
    link = tmp_path / "link"
    link.symlink_to(real)
    monkeypatch.setenv("KONTENT_STATE_DIR", str(link))
    with pytest.raises(UnsafeStateDirError, match="symbolic link"):
        state_dir()


def test_a_symlink_or_hard_link_inside_the_folder_is_refused(state_env: Path, tmp_path: Path) -> None:
    folder = state_dir()
    target = tmp_path / "target.txt"
    target.write_text(PRECIOUS)
    (folder / "a.lock").symlink_to(target)
    with pytest.raises(UnsafeStateDirError, match="symbolic link"):
        open_private(folder / "a.lock")
    os.link(target, folder / "b.lock")
    with pytest.raises(UnsafeStateDirError, match="single link"):
        open_private(folder / "b.lock")
    assert target.read_text() == PRECIOUS


def test_private_files_are_created_0600(state_env: Path) -> None:
    with open_private(state_dir() / "x.json") as handle:
        handle.write("[]")
    assert stat.S_IMODE((state_env / "x.json").stat().st_mode) == 0o600
