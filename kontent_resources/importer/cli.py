"""``kontent-resources import <folder>``: write a Pulumi project that takes over an environment.

The environment comes from ``KONTENT_ENVIRONMENT_ID``, ``KONTENT_API_KEY`` and, for another server
than Kontent.ai's (the emulator), ``KONTENT_BASE_URL``: the same variables the provider reads. The
key is never taken from the command line, where other users of the machine could read it.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

from kontent_resources.client import KontentError
from kontent_resources.client.downloads import AssetHosts, DownloadError
from kontent_resources.importer.files import FileResult, fetch_files
from kontent_resources.importer.layout import planned_files
from kontent_resources.importer.links import read_links
from kontent_resources.importer.output_folder import OutputFolder
from kontent_resources.importer.project import managed_here, manifest_of, write_project
from kontent_resources.importer.refusals import (
    Skipped,
    ordered,
    refused_by_the_providers,
    refused_link,
    shown,
    with_dependents,
)
from kontent_resources.importer.snapshot import EnvironmentSnapshot, read_environment
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


SKIPPED_EXIT = 3
ASSET_HOSTS_VARIABLE = "KONTENT_ASSET_HOSTS"
_EPILOG = f"""\
Configuration: KONTENT_ENVIRONMENT_ID, KONTENT_API_KEY, KONTENT_BASE_URL (optional),
{ASSET_HOSTS_VARIABLE} (optional: more asset hosts, separated by commas).

Asset files are downloaded only from the environment's asset hosts: Kontent.ai's
assets-*.kc-usercontent.com, or the API's own host:port when KONTENT_BASE_URL is on this machine
(the emulator); never from an address on this machine or a private network otherwise. Add a host
you trust (a custom asset domain) with --asset-host.

Exit status: 0 everything was imported; {SKIPPED_EXIT} the project was written, but some objects were
left out of it (each listed with its reason in the summary, in environment.json under "skipped"
and at the top of __main__.py; the stack never touches them); 1 nothing usable was written
(configuration, API or file system error); 2 bad command line."""


def parser() -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(
        prog="kontent-resources import",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
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
    command.add_argument(
        "--asset-host",
        action="append",
        default=[],
        type=asset_host,
        metavar="HOST[:PORT]",
        help="also download asset files from this host (e.g. a custom asset domain; '*' within the first "
        "label matches, as in assets-*.example.com); repeatable",
    )
    return command


def asset_host(value: str) -> str:
    """A host, ``host:port`` or a pattern with ``*`` in its first label, without scheme or path."""
    cleaned = value.strip().lower()
    first, _, domain = cleaned.partition(":")[0].partition(".")
    # '*' only within the first label, before a domain of two labels at least: "*.com" or
    # "cdn.*" would let any site's files in.
    wildcard_ok = "*" not in first or domain.count(".") >= 1
    if not first or not domain or "*" in domain or not wildcard_ok or any(ch in cleaned for ch in "/@?# "):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an asset host: give a host name (cdn.example.com, assets-*.example.com) "
            "or host:port, without https:// or a path"
        )
    return cleaned


def _asset_hosts(arguments: argparse.Namespace) -> list[str]:
    from_environment = [h for h in os.environ.get(ASSET_HOSTS_VARIABLE, "").split(",") if h.strip()]
    try:
        return [*arguments.asset_host, *(asset_host(h) for h in from_environment)]
    except argparse.ArgumentTypeError as error:
        raise SettingsError(f"{ASSET_HOSTS_VARIABLE}: {error}") from None


def run(arguments: argparse.Namespace) -> int:
    started = time.monotonic()
    settings = ProviderSettings.resolve(None)
    hosts = AssetHosts.for_base_url(settings.base_url, _asset_hosts(arguments))
    output = OutputFolder(arguments.folder.resolve())
    with settings.client() as client:
        everything = read_environment(
            client, renditions=not arguments.no_renditions, progress=Progress("reading renditions")
        )
        snapshot = managed_here(everything)
        languages = {language.id: language.codename for language in snapshot.languages}
        links = read_links(client, arguments.item, languages)
        calls = client.stats.requests
    refused = refused_by_the_providers(snapshot)  # not even downloaded
    planned = [p for p in planned_files(snapshot) if p.asset.id not in {s.id for s in refused}]
    files = fetch_files(output, planned, hosts=hosts, workers=arguments.workers, progress=Progress("files"))
    skipped = with_dependents(snapshot, [*refused, *_not_downloaded(snapshot, files)])
    skipped += [s for s in map(refused_link, links) if s is not None]
    kept_links = [link for link in links if refused_link(link) is None]
    manifest = manifest_of(snapshot, settings.environment_id, kept_links, skipped)
    write_project(output, manifest, arguments.project_name or project_name_for(output.root.name))
    _report(everything, snapshot, manifest, files, output, calls, started)
    _report_skipped(ordered(skipped), output.notes)
    print(
        f"Next: cd {output.root} && pulumi stack init, set kontent:environmentId and the secret "
        "kontent:apiKey, then `pulumi up`: it adopts everything and changes nothing."
    )
    if skipped:
        print(
            f"warning: {len(skipped)} object(s) skipped, listed above (exit status {SKIPPED_EXIT})",
            file=sys.stderr,
        )
    return SKIPPED_EXIT if skipped else 0


def _not_downloaded(snapshot: EnvironmentSnapshot, files: FileResult) -> list[Skipped]:
    names = {a.id: a.file_name or a.codename or a.id for a in snapshot.assets}
    return [
        Skipped("asset", asset_id, names[asset_id], problem) for asset_id, problem in files.failed.items()
    ]


def _report(
    everything: EnvironmentSnapshot,
    snapshot: EnvironmentSnapshot,
    manifest: dict[str, Any],
    files: FileResult,
    output: OutputFolder,
    calls: int,
    started: float,
) -> None:
    left = len(everything.assets) - len(snapshot.assets)
    if left:
        print(
            f"Left out {left} asset(s) that another stack of kontent_resources manages "
            "(external id 'pulumi:…')."
        )
    print(
        f"Imported {len(manifest['folders'])} folders, {len(manifest['assets'])} assets and "
        f"{len(manifest['renditions'])} renditions ({len(manifest.get('links', []))} links) into "
        f"{output.root} in {time.monotonic() - started:.1f} s "
        f"({calls} API calls; {files.downloaded} files downloaded, {files.kept} already here)."
    )
    if files.removed:
        print(
            f"Removed {files.removed} file(s) that an earlier import wrote for assets the environment "
            "no longer has."
        )
    if files.changed_here:
        print(
            f"Kept {len(files.changed_here)} file(s) an earlier import wrote for assets the environment no "
            "longer has, because they changed here since (they are yours now; remove them if unwanted):"
        )
        print("\n".join(f"  {shown(path)}" for path in files.changed_here))


def _report_skipped(skipped: list[Skipped], notes: list[str]) -> None:
    """What was left out and why, and which symbolic links were replaced (never followed)."""
    if notes:
        print("Symbolic links and stale partial files in the folder, not followed:")
        print("\n".join(f"  {shown(note)}" for note in notes))
    if not skipped:
        return
    print(
        f"Skipped {len(skipped)} object(s): left out of the program (listed in environment.json under "
        '"skipped" and at the top of __main__.py); this stack never touches them:'
    )
    print("\n".join(f"  {s.line()}" for s in skipped))


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    try:
        return run(arguments)
    except (SettingsError, KontentError, DownloadError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
