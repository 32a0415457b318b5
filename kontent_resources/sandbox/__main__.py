"""``python -m kontent_resources.sandbox``: the Pulumi CLI for a project folder, run hermetically.

    python -m kontent_resources.sandbox [--project DIR] [--stack NAME] [--state-dir DIR] [--debug] \\
        COMMAND [OPTIONS]

``up``, ``preview``, ``refresh`` and ``destroy`` run the project's program in this process, driven
by the real engine (this machine cannot build the Python language host), and take the CLI's
options: ``--yes``, ``--skip-preview``, ``--diff``, ``--target URN``, ``--target-dependents``,
``--replace URN`` (up, preview), ``--expect-no-changes``, ``--refresh`` (up, preview),
``--clear-pending-creates`` (refresh), ``--parallel N``, ``--message TEXT``, ``--show-secrets``
(up, preview), ``--json`` (preview). As with ``pulumi up``, nothing is applied before its preview
succeeded and you confirmed it (a prompt, or ``--yes``).

Every other command goes to the real ``pulumi`` CLI unchanged, in the same environment:
``cancel``, ``config set --secret kontent:apiKey`` (the value from stdin, never argv),
``config get``, ``stack output``, ``stack export``, ``stack rename``, ``stack ls``,
``state delete``, ``state unprotect``, …; ``outputs`` and ``export`` are short for
``stack output --json`` and ``stack export``. ``migrate-passphrase`` re-encrypts a stack written
by an older sandbox with your passphrase.

State (backend and PULUMI_HOME) lives in ``--state-dir``, by default ``.kontent/`` inside the
project (git-ignored by a ``.gitignore`` of its own). Its secrets are encrypted with your
passphrase: ``PULUMI_CONFIG_PASSPHRASE`` or ``PULUMI_CONFIG_PASSPHRASE_FILE`` must be set.
"""

from __future__ import annotations

import sys

from kontent_resources import _sdk
from kontent_resources._sdk.sandbox import freeze_heap_at_exit
from kontent_resources.sandbox.cli import main


def run_and_exit() -> None:
    _sdk.install("sandbox")  # this process's own GC settings (KONTENT_SDK_REPAIRS=off: none)
    code = main(doc=__doc__)
    # Everything the program made (each resource with its Outputs and futures: millions of objects
    # at 5,000 assets) lives until the process ends, and the collector's passes over it at
    # interpreter shutdown took 3 of the 30 s of a 5,000-asset preview, after the engine was done.
    # The process ends here: frozen, the heap is skipped by those passes (objects still in reference
    # cycles are not finalized then, which Python does not promise at exit anyway).
    freeze_heap_at_exit()
    sys.exit(code)


if __name__ == "__main__":
    run_and_exit()
