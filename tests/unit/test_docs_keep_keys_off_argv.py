"""The docs never tell a user to type the API key as an argument (shell history, the process list),
against their own advice to pipe it in or let Pulumi ask (issue 34; docs/troubleshooting.md, its 401 row)."""

from __future__ import annotations

import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# `config set [--secret] kontent:apiKey <anything but a flag, a comment or the end of the span>`
KEY_AS_ARGUMENT = re.compile(r"config set(?: --secret)? kontent:apiKey +(?![-#(`|\s])\S")


def test_no_doc_puts_the_api_key_on_the_command_line() -> None:
    # Every page of the documentation site, in its sub-folders too (docs/guides/, docs/reference/).
    documents = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").rglob("*.md"))]
    offending = [
        f"{path.relative_to(REPO_ROOT)}:{number}: {line.strip()}"
        for path in documents
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if KEY_AS_ARGUMENT.search(line)
    ]
    assert offending == []


def test_the_pattern_finds_the_forms_it_is_meant_to() -> None:
    assert KEY_AS_ARGUMENT.search("`pulumi config set kontent:apiKey <key> --secret`")
    assert KEY_AS_ARGUMENT.search("pulumi config set --secret kontent:apiKey abc123")
    assert not KEY_AS_ARGUMENT.search("`pulumi config set --secret kontent:apiKey` (it asks)")
    assert not KEY_AS_ARGUMENT.search("pulumi config set --secret kontent:apiKey          # asks for the key")
    assert not KEY_AS_ARGUMENT.search("printenv KONTENT_API_KEY | pulumi config set --secret kontent:apiKey")
