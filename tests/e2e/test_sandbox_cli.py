"""``python -m kontent_resources.sandbox`` as the README's user runs it, in a project folder of their own.

Issue 11: the key is encrypted with the user's passphrase (no constant of the source opens it), it is
never printed without ``--show-secrets`` nor put in an argument list, ``up`` previews first, and a
failure is one message with its fix and no traceback.
"""

from __future__ import annotations

import ast
import os
import secrets
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from kontent_resources.client import KontentClient, RateLimit
from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.sandbox.passphrase import LEGACY_PASSPHRASE
from tests.e2e.passphrase_crypto import readable_with, stack_secrets

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGE = REPO_ROOT / "kontent_resources"


class UserProject:
    """The quickstart program in a folder of its own, driven only through the sandbox's CLI."""

    def __init__(self, root: Path, emulator: EmulatorServer) -> None:
        self.folder = root / "brand-library"
        shutil.copytree(REPO_ROOT / "programs" / "quickstart", self.folder)
        (self.folder / "Pulumi.yaml").write_text("name: brand-library\nruntime: python\n")
        self.passphrase = secrets.token_urlsafe(24)
        self.passphrase_file = root / "passphrase"
        self.passphrase_file.write_text(self.passphrase + "\n")
        self.emulator = emulator
        self.env = {**os.environ, "PULUMI_CONFIG_PASSPHRASE_FILE": str(self.passphrase_file)}
        self.env["KONTENT_SECRET_FOR_STDIN"] = emulator.api_key
        for name in ("PULUMI_CONFIG_PASSPHRASE", "KONTENT_API_KEY"):
            self.env.pop(name, None)
        self.outputs: list[str] = []

    def run(
        self, *args: str, env: dict[str, str] | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "kontent_resources.sandbox", "--project", ".", *args]
        done = subprocess.run(
            command, cwd=self.folder, env=env or self.env, stdin=subprocess.DEVNULL,
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        self.outputs.append(done.stdout + done.stderr)
        if check:
            assert done.returncode == 0, f"{args}\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
        return done

    def set_key_from_stdin(self, *options: str) -> None:
        """The README's way: ``printenv KONTENT_API_KEY | … config set --secret kontent:apiKey``."""
        line = (
            f"printenv KONTENT_SECRET_FOR_STDIN | {sys.executable} -m kontent_resources.sandbox --project . "
            f"{' '.join(options)} config set --secret kontent:apiKey"
        )
        # A shell pipe, as the README writes it: the value travels on stdin, never in an argv.
        done = subprocess.run(  # noqa: S602
            line, shell=True, cwd=self.folder, env=self.env, capture_output=True, text=True, check=False
        )
        self.outputs.append(done.stdout + done.stderr)
        assert done.returncode == 0, done.stderr

    def connect(self) -> None:
        self.run("config", "set", "kontent:environmentId", self.emulator.environment_id)
        self.run("config", "set", "kontent:baseUrl", self.emulator.base_url)
        self.run("config", "set", "kontent:maxRequestsPerSecond", "0")
        self.set_key_from_stdin()

    def assert_untouched(self) -> None:
        """Nothing was applied: the environment has no asset and no folder."""
        with self.client() as client:
            assert list(client.assets.list()) == [], "nothing half-applied"
            assert client.folders.get().folders == [], "nothing half-applied"

    def client(self) -> KontentClient:
        emulator = self.emulator
        return KontentClient(
            emulator.environment_id, emulator.api_key, emulator.base_url, rate_limit=RateLimit(enabled=False)
        )


class ArgvWatcher:
    """Reads every process's command line under /proc while running: the key must be in none."""

    def __init__(self, needle: str) -> None:
        self._needle = needle.encode()
        self.seen: set[bytes] = set()
        self.hits: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.is_set():
            for entry in os.scandir("/proc"):
                if not entry.name.isdigit():
                    continue
                try:
                    argv = Path(entry.path, "cmdline").read_bytes()
                except OSError:
                    continue
                self.seen.add(argv)
                if self._needle in argv:
                    self.hits.append(argv.replace(b"\0", b" ").decode(errors="replace"))
            self._stop.wait(0.005)

    def __enter__(self) -> ArgvWatcher:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def _string_constants(package: Path) -> list[str]:
    """Every complete string value in ``package``'s source: literals, docstrings aside.

    The literal pieces of an f-string with placeholders are left out: such a piece is never a value
    on its own (a third of the literals, each costing a million-round key derivation below).
    """
    found: set[str] = set()
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text())
        skipped = _not_values(tree)
        found.update(
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped
        )
    return sorted(found)


def _not_values(tree: ast.Module) -> set[int]:
    """Ids of the string constants that are docstrings or pieces of formatted strings."""
    skipped = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and any(isinstance(v, ast.FormattedValue) for v in node.values):
            skipped.update(id(part) for part in ast.walk(node) if isinstance(part, ast.Constant))
    return skipped


@pytest.fixture
def project(tmp_path: Path, secret_emulator: EmulatorServer, engine_bin: Path) -> UserProject:
    return UserProject(tmp_path, secret_emulator)


@pytest.mark.timeout(900)
@pytest.mark.slow
def test_the_key_is_the_users_secret_and_never_shown(project: UserProject) -> None:
    key = project.emulator.api_key
    unset = {k: v for k, v in project.env.items() if k != "PULUMI_CONFIG_PASSPHRASE_FILE"}
    refused = project.run("config", "set", "kontent:environmentId", "x", env=unset, check=False)
    assert refused.returncode == 1
    assert refused.stderr.startswith("fix: export PULUMI_CONFIG_PASSPHRASE="), refused.stderr
    assert "Traceback" not in refused.stderr
    assert not (project.folder / ".kontent").exists(), "nothing is kept before the passphrase is known"

    with ArgvWatcher(key) as argv:
        project.connect()
        project.run("up", "--yes")
        for command in (
            ["outputs"],
            ["export"],
            ["preview", "--expect-no-changes"],
            ["refresh", "--yes"],
            ["config"],
            ["stack", "ls"],
            ["stack", "output", "--json"],
            ["stack", "history"],
        ):
            project.run(*command)  # fmt: skip
        refused_get = project.run("config", "get", "kontent:apiKey", check=False)
        shown = project.run("config", "get", "kontent:apiKey", "--show-secrets")
    print(f"\nwatched {len(argv.seen)} distinct command lines during {len(project.outputs)} sandbox commands")
    assert argv.hits == [], "the key was in a command line"
    assert any(b"pulumi" in line and b"config" in line for line in argv.seen), (
        "the watcher saw the CLI's argv"
    )
    assert refused_get.returncode == 1
    assert "--show-secrets" in refused_get.stderr
    assert shown.stdout.strip() == key, "asked with --show-secrets, the key is printed"
    hidden = project.outputs[:-1]
    assert [text for text in hidden if key in text] == [], "the key was printed without --show-secrets"

    files = [p for p in project.folder.rglob("*") if p.is_file() and not p.is_symlink()]
    assert [str(p) for p in files if key.encode() in p.read_bytes()] == [], "the key is in clear in a file"

    subprocess.run(["git", "init", "-q"], cwd=project.folder, check=True)
    tracked = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=project.folder,
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert ".kontent" not in tracked, "the sandbox's state is git-ignored"
    assert "Pulumi.dev.yaml" in tracked, "the stack file is the user's to commit: its secrets are encrypted"

    salt, ciphertexts = stack_secrets(project.folder, "dev", project.folder / ".kontent")
    assert len(ciphertexts) >= 2, "the key in Pulumi.dev.yaml and the provider's config in the state"
    assert len(readable_with(project.passphrase, salt, ciphertexts)) == len(ciphertexts) + 1, (
        "the user's passphrase opens every secret: the check below can tell"
    )
    # The user's passphrase opens every secret (above), and AES-GCM opens a ciphertext with its own
    # key only: so no other passphrase, constant or not, opens any of them. The search below is the
    # concrete check where a constant passphrase would live, the sandbox that hands one to the engine
    # (the whole package's ~1,000 literals cost four minutes of key derivation for the same answer).
    constants = _string_constants(PACKAGE / "sandbox")
    assert LEGACY_PASSPHRASE in constants
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        opened = list(
            pool.map(readable_with, constants, [salt] * len(constants), [ciphertexts] * len(constants))
        )
    print(f"tried {len(constants)} string constants of the package against {len(ciphertexts)} secrets")
    assert [c for c, texts in zip(constants, opened, strict=True) if texts] == []


def test_a_plaintext_key_is_warned_about_and_old_stacks_migrate(project: UserProject) -> None:
    plain = project.run("--stack", "plain", "config", "set", "kontent:apiKey", "not-a-secret")
    assert "warning: kontent:apiKey is stored in plaintext in Pulumi.plain.yaml" in plain.stderr

    legacy_env = {k: v for k, v in project.env.items() if k != "PULUMI_CONFIG_PASSPHRASE_FILE"}
    legacy_env["PULUMI_CONFIG_PASSPHRASE"] = LEGACY_PASSPHRASE
    project.run("--stack", "old", "config", "set", "kontent:environmentId", "x", env=legacy_env)
    old_key = project.run("--stack", "old", "config", "get", "kontent:environmentId", env=legacy_env)
    assert old_key.stdout.strip() == "x"
    project.env, saved = legacy_env, project.env
    project.set_key_from_stdin("--stack", "old")
    project.env = saved

    migrated = project.run("--stack", "old", "migrate-passphrase")
    assert "re-encrypted with your passphrase" in migrated.stdout
    key = project.run("--stack", "old", "config", "get", "kontent:apiKey", "--show-secrets")
    assert key.stdout.strip() == project.emulator.api_key
    stale = project.run("--stack", "old", "config", "get", "kontent:apiKey", "--show-secrets", env=legacy_env,
                        check=False)  # fmt: skip
    assert stale.returncode != 0, "the public constant opens nothing any more"
    again = project.run("--stack", "old", "migrate-passphrase", check=False)
    assert again.returncode == 1
    assert "nothing to migrate" in again.stderr


def _one_clean_failure(done: subprocess.CompletedProcess[str], message: str) -> str:
    """A failed command whose message appears once, without a traceback or the SDK's wrappers."""
    text = done.stdout + done.stderr
    assert done.returncode == 1
    assert text.count(message) == 1, text
    for noise in ("Traceback", "Exception calling application", "inline source runtime error"):
        assert noise not in text
    return text


def test_up_previews_first_and_a_failure_is_one_message_with_its_fix(project: UserProject) -> None:
    project.connect()
    program = project.folder / "__main__.py"
    source = program.read_text()

    unconfirmed = project.run("up", check=False)
    assert unconfirmed.returncode == 1
    assert "+ 13 to create" in unconfirmed.stdout, "the preview is shown"
    assert "fix: pass --yes" in unconfirmed.stderr
    project.assert_untouched()

    program.write_text(source.replace('title="App icon"', 'title="x" * 201'))
    failed = project.run("up", "--yes", check=False)
    assert "shorten it" in _one_clean_failure(failed, "is 201 characters long")
    assert "the preview failed (1 error(s) above); nothing was changed" in failed.stderr, failed.stdout
    project.assert_untouched()

    lookup = '\nfrom kontent_resources import Asset as _Asset\n_Asset.lookup("codename/missing")\n'
    program.write_text(source + lookup)
    missing = project.run("preview", check=False)
    text = _one_clean_failure(missing, "Could not read Asset.lookup('codename/missing')")
    assert "fix: the referenced object does not exist" in text


def test_a_cloned_state_folder_symlink_is_refused(project: UserProject, tmp_path: Path) -> None:
    """Issue 36: a checkout that carries ``.kontent`` as a symlink must not get the state (with its
    encrypted secrets) written wherever the checkout's author pointed it."""
    elsewhere = tmp_path / "someone-elses-folder"
    elsewhere.mkdir()
    (elsewhere / ".gitignore").write_text("theirs\n")
    (project.folder / ".kontent").symlink_to(elsewhere)
    done = project.run("stack", "ls", check=False)
    assert done.returncode != 0
    assert "is a symbolic link" in done.stderr
    assert "--state-dir" in done.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == [".gitignore"]
    assert (elsewhere / ".gitignore").read_text() == "theirs\n"


@pytest.mark.timeout(600)
@pytest.mark.slow
def test_refresh_and_destroy_use_the_key_configured_now(project: UserProject) -> None:
    """Issue 31: after a key rotation (config set to the new key, the old one revoked), refresh and
    destroy work with no `up` between; a wrong key in config fails refresh with the fix."""
    project.connect()
    project.run("up", "--yes")
    rotated = "rotated-" + secrets.token_urlsafe(16)
    project.emulator.rotate_api_key(rotated)
    project.env["KONTENT_SECRET_FOR_STDIN"] = rotated
    project.set_key_from_stdin()
    project.run("refresh", "--yes")

    project.env["KONTENT_SECRET_FOR_STDIN"] = "wrong-" + secrets.token_urlsafe(16)
    project.set_key_from_stdin()
    refused = project.run("refresh", "--yes", check=False)
    shown = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert "401" in shown
    assert "fix: the API key was rejected" in shown

    project.env["KONTENT_SECRET_FOR_STDIN"] = rotated
    project.set_key_from_stdin()
    project.run("destroy", "--yes")
    project.assert_untouched()


def test_a_misspelt_config_key_is_named_with_the_key_it_meant(project: UserProject) -> None:
    """Issue 34: `kontent:enviromentId` was reported as kontent:environmentId missing."""
    project.run("config", "set", "kontent:enviromentId", project.emulator.environment_id)
    project.run("config", "set", "kontent:baseUrl", project.emulator.base_url)
    project.set_key_from_stdin()
    refused = project.run("preview", check=False)
    shown = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert "kontent:enviromentId is not a kontent: setting; did you mean kontent:environmentId?" in shown
    assert "`pulumi config rm kontent:enviromentId`" in shown
    assert "is not configured" not in shown
    assert "Traceback" not in shown
    project.assert_untouched()


def test_an_error_raised_in_the_program_names_its_file_and_line(project: UserProject) -> None:
    """Issue 34: a typo, or a ValueError this package raises, names the line of the user's program
    that caused it (the innermost frame in their files, not this package's), without a traceback."""
    program = project.folder / "__main__.py"
    program.write_text("import pulumi\n\nimport library\n\npulumi.export('icon', icon_url)\n")
    (project.folder / "library.py").write_text(
        "from kontent_resources import AssetDirectory\n\n\ndef build(path: str) -> None:\n"
        "    AssetDirectory('library', path=path)\n"
    )
    typo = _one_clean_failure(project.run("preview", check=False), "name 'icon_url' is not defined")
    assert "      at __main__.py, line 5: pulumi.export('icon', icon_url)" in typo.splitlines(), typo

    program.write_text("import library\n\nlibrary.build('no-such-folder')\n")
    raised = _one_clean_failure(project.run("preview", check=False), "path 'no-such-folder'")
    assert "      at library.py, line 5: AssetDirectory('library', path=path)" in raised.splitlines(), raised
    assert "_plan.py" not in raised
    assert "asset_directory.py" not in raised


def _logging_engine(engine_bin: Path, folder: Path, log: Path) -> Path:
    """The engine's folder again, its ``pulumi`` a script that writes down each command line first."""
    folder.mkdir(parents=True)
    (folder / "pulumi-resource-pulumi-python").symlink_to(engine_bin / "pulumi-resource-pulumi-python")
    script = folder / "pulumi"
    script.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{engine_bin / "pulumi"}" "$@"\n')
    script.chmod(0o755)
    return folder


@pytest.mark.timeout(600)
@pytest.mark.slow
def test_each_program_command_runs_the_engine_as_the_cli_would(
    project: UserProject, engine_bin: Path, tmp_path: Path
) -> None:
    """Issue 37: ``up``, ``refresh`` and ``destroy`` are one engine run each (after their preview),
    with the user's flags; none is followed by the Automation API's own ``stack output`` and
    ``stack history`` runs (1.2 s after an ``up`` of 1,000 assets, for results nobody prints)."""
    log = tmp_path / "pulumi-commands.log"
    project.env["KONTENT_PULUMI_BIN"] = str(
        _logging_engine(engine_bin, tmp_path / "logging-engine" / "bin", log)
    )
    project.connect()

    def engine_runs(*args: str) -> list[str]:
        """The engine runs of one sandbox command, without the stack selection before them."""
        log.write_text("")
        project.run(*args)
        lines = [
            line.replace("--non-interactive ", "").split(" --client=")[0]
            for line in log.read_text().splitlines()
        ]
        assert not [line for line in lines if line.startswith(("stack output", "stack history"))], lines
        return [line for line in lines if line.split()[0] in ("up", "preview", "refresh", "destroy")]

    assert engine_runs("up", "--yes", "--show-secrets", "--message", "first") == [
        "preview --message first --show-secrets",
        "up --yes --skip-preview",  # a new stack's identity first (ProjectRunner.record_identity_first)
        "up --yes --skip-preview --message first --show-secrets",
    ]
    assert engine_runs("refresh", "--yes", "--clear-pending-creates") == [
        "refresh --preview-only --run-program=true",
        "refresh --yes --skip-preview --run-program=true --clear-pending-creates",
    ]
    assert engine_runs("destroy", "--yes", "--skip-preview") == [
        "destroy --yes --skip-preview --run-program=true"
    ]
    project.assert_untouched()
    refused = project.run("refresh", "--yes", "--show-secrets", check=False)
    assert refused.returncode == 2, "pulumi refresh has no --show-secrets: the sandbox's neither"
    assert "unrecognized arguments: --show-secrets" in refused.stderr
