"""Whose passphrase encrypts a sandbox stack's secrets (the API key in Pulumi.<stack>.yaml and state).

A stack whose state is kept uses the user's own passphrase, exactly as the Pulumi CLI does
(``PULUMI_CONFIG_PASSPHRASE`` or ``PULUMI_CONFIG_PASSPHRASE_FILE``); there is no default. A
throwaway sandbox (tests, the README's main job) gets a random passphrase that lives only in memory
and dies with the sandbox's folder.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

PASSPHRASE_VARIABLES = ("PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE")

# Sandboxes before the user's own passphrase was required encrypted every stack with this public
# constant. It is kept only so that `migrate-passphrase` can read such stacks once and re-encrypt
# them with the user's passphrase; nothing encrypts with it any more.
LEGACY_PASSPHRASE = "kontent-resources-sandbox"  # noqa: S105


class PassphraseError(RuntimeError):
    """The passphrase is missing, or not the one a command needs; the message says what to do."""


class PassphraseMissingError(PassphraseError):
    """A kept stack needs the user's passphrase and none is set."""

    def __init__(self) -> None:
        super().__init__(
            "fix: export PULUMI_CONFIG_PASSPHRASE=<a passphrase only you know> "
            "(or PULUMI_CONFIG_PASSPHRASE_FILE=<a file holding it>) and run the command again.\n"
            "The sandbox keeps this stack's state, and the passphrase is what encrypts its secrets "
            "(kontent:apiKey in Pulumi.<stack>.yaml and in the state); it has no default. Keep it "
            "where you keep the API key: every later command on this stack needs the same one."
        )


class NotLegacyStackError(PassphraseError):
    """``migrate-passphrase`` on a stack that the old constant does not decrypt."""

    def __init__(self, stack: str) -> None:
        super().__init__(
            f"Stack {stack} is not encrypted with the old sandbox passphrase: nothing to migrate. "
            "Its secrets open with the passphrase they were set with (PULUMI_CONFIG_PASSPHRASE or "
            "PULUMI_CONFIG_PASSPHRASE_FILE)."
        )


def given_passphrase(environ: Mapping[str, str]) -> dict[str, str]:
    """The passphrase variables the user set (non-empty), to pass on unchanged."""
    return {name: environ[name] for name in PASSPHRASE_VARIABLES if environ.get(name)}


def passphrase_environment(environ: Mapping[str, str], *, kept: bool) -> dict[str, str]:
    """The passphrase variables for a sandbox: the user's, or a random one for throwaway state."""
    given = given_passphrase(environ)
    if given:
        return given
    if kept:
        raise PassphraseMissingError
    return {"PULUMI_CONFIG_PASSPHRASE": secrets.token_urlsafe(32)}
