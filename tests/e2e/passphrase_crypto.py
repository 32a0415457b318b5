"""Pulumi's passphrase secrets, opened in Python: to prove which passphrases can read a stack.

The format (pkg/secrets/passphrase and sdk/go/common/resource/config/crypt.go): a stack's
``encryptionsalt`` is ``v1:<base64 salt>:v1:<base64 nonce>:<base64 AES-256-GCM of "pulumi">``, the
key is PBKDF2-HMAC-SHA256(passphrase, salt, 1,000,000 iterations, 32 bytes), and each secret is
``v1:<base64 nonce>:<base64 ciphertext>`` under that key.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ITERATIONS = 1_000_000


def _salt(encryption_salt: str) -> bytes:
    version, salt, *_ = encryption_salt.split(":")
    assert version == "v1", encryption_salt
    return base64.b64decode(salt)


def _check_message(encryption_salt: str) -> str:
    return encryption_salt.split(":", 2)[2]


def opens(key: bytes, ciphertext: str) -> bool:
    version, nonce, sealed = ciphertext.split(":")
    assert version == "v1", ciphertext
    try:
        AESGCM(key).decrypt(base64.b64decode(nonce), base64.b64decode(sealed), None)
    except InvalidTag:
        return False
    return True


def readable_with(passphrase: str, encryption_salt: str, ciphertexts: list[str]) -> list[str]:
    """The ciphertexts (and the salt's check message) that ``passphrase`` decrypts."""
    key = hashlib.pbkdf2_hmac("sha256", passphrase.encode(), _salt(encryption_salt), ITERATIONS, 32)
    return [text for text in [_check_message(encryption_salt), *ciphertexts] if opens(key, text)]


def _ciphertexts_in(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in ("secure", "ciphertext") and isinstance(inner, str):
                yield inner
            else:
                yield from _ciphertexts_in(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _ciphertexts_in(inner)


def stack_secrets(project: Path, stack: str, state_dir: Path) -> tuple[str, list[str]]:
    """The stack's salt and every secret the sandbox wrote: in Pulumi.<stack>.yaml and the state."""
    settings = yaml.safe_load((project / f"Pulumi.{stack}.yaml").read_text())
    secrets = list(_ciphertexts_in(settings.get("config")))
    states = [p for p in state_dir.rglob("*.json") if ".pulumi" in p.parts]  # stacks, history, backups
    assert states, f"no state file under {state_dir}"
    for state in states:
        secrets.extend(_ciphertexts_in(json.loads(state.read_text())))
    return str(settings["encryptionsalt"]), secrets
