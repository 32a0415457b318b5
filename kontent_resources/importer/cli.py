"""``kontent-resources import <folder>``: write a Pulumi project that takes over an environment.

The environment comes from ``KONTENT_ENVIRONMENT_ID``, ``KONTENT_API_KEY`` and, for another server
than Kontent.ai's (the emulator), ``KONTENT_BASE_URL``: the same variables the provider reads. The
key is never taken from the command line, where other users of the machine could read it.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from kontent_resources.client import KontentError
from kontent_resources.client.downloads import DownloadError
from kontent_resources.importer.files import fetch_files
from kontent_resources.importer.layout import planned_files
from kontent_resources.importer.links import read_links
from kontent_resources.importer.project import managed_here, manifest_of, write_project
from kontent_resources.importer.snapshot import read_environment
from kontent_resources.providers.settings import ProviderSettings, SettingsError


class Progress:
    """One status line on a terminal (redrawn), a line per tenth of the work otherwise."""

    def __init__(self, what: str) -> None:
        self._what = what
        self._tty = sys.stderr.isatty()
        self._shown = -1

    def __call__(self, done: int, total: int) -> None:
        tenth = done * 10 // max(total, 1)
        if self._tty:
            print(f"\r{self._what}: {done}/{total}", end="\n" if done == total else "", file=sys.stderr)
        elif tenth != self._shown:
            self._shown = tenth
            print(f"{self._what}: {done}/{total}", file=sys.stderr)


def project_name_for(folder_name: str) -> str:
    """A Pulumi project name (alphanumerics, '-', '_', '.') made from the folder's name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", folder_name).strip("-.") or "kontent-assets"


def parser() -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(
        prog="kontent-resources import",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        epilog="Configuration: KONTENT_ENVIRONMENT_ID, KONTENT_API_KEY, KONTENT_BASE_URL (optional).",
    )
    command.add_argument("folder", type=Path, help="where to write the project (created if missing)")
    command.add_argument("--project-name", help="the Pulumi project name (default: the folder's name)")
    command.add_argument("--no-renditions", action="store_true", help="leave renditions out (never touched)")
    command.add_argument(
        "--item",
        action="append",
        default=[],
        metavar="REF",
        help="also import the asset links of this content item (codename/x, external-id/x or id); repeatable",
    )
    command.add_argument("--workers", type=int, default=8, help="parallel downloads (default: 8)")
    return command


def run(arguments: argparse.Namespace) -> int:
    started = time.monotonic()
    settings = ProviderSettings.resolve(None)
    folder: Path = arguments.folder.resolve()
    with settings.client() as client:
        everything = read_environment(
            client, renditions=not arguments.no_renditions, progress=Progress("reading renditions")
        )
        snapshot = managed_here(everything)
        languages = {language.id: language.codename for language in snapshot.languages}
        links = read_links(client, arguments.item, languages)
        calls = client.stats.requests
    files = fetch_files(
        folder, planned_files(snapshot), workers=arguments.workers, progress=Progress("files")
    )
    manifest = manifest_of(snapshot, settings.environment_id, links)
    write_project(folder, manifest, arguments.project_name or project_name_for(folder.name))
    left = len(everything.assets) - len(snapshot.assets)
    if left:
        print(
            f"Left out {left} asset(s) that another stack of kontent_resources manages "
            "(external id 'pulumi:…')."
        )
    print(
        f"Imported {len(manifest['folders'])} folders, {len(manifest['assets'])} assets and "
        f"{len(manifest['renditions'])} renditions ({len(manifest.get('links', []))} links) into {folder} "
        f"in {time.monotonic() - started:.1f} s "
        f"({calls} API calls; {files.downloaded} files downloaded, {files.kept} already here).\n"
        f"Next: cd {folder} && pulumi stack init, set kontent:environmentId and the secret "
        "kontent:apiKey, then `pulumi up`: it adopts everything and changes nothing."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    try:
        return run(arguments)
    except (SettingsError, KontentError, DownloadError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
