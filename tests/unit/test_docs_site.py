"""The documentation site builds strictly, and the README stays a short entry point (issue 33).

``mkdocs build --strict`` fails on a broken link or anchor, a page missing from the nav, a nav entry
without its page, and a ``:::`` directive mkdocstrings cannot collect: so the reference pages follow
the docstrings of the public classes, and the README's test command (scripts/test.sh) checks it all.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
README_MAX_LINES = 150
# [text](target) with a relative target: an address, an anchor or a mail link is not a file.
RELATIVE_LINK = re.compile(r"\]\((?!https?://|#|mailto:)([^)\s#]+)(?:#[^)]*)?\)")


@pytest.mark.slow
def test_mkdocs_build_strict_succeeds(tmp_path: Path) -> None:
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # the theme's banner about its successor
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            "mkdocs.yml",
            "--site-dir",
            str(site),
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    # Every reference page was generated from its docstrings, not left as a bare directive.
    for page in ("folder", "asset", "rendition", "variant-asset-link", "asset-set", "asset-directory"):
        html = (site / "reference" / page / "index.html").read_text()
        assert "doc-class" in html, page
        assert ":::" not in html, page


def test_readme_is_at_most_150_lines() -> None:
    lines = (REPO_ROOT / "README.md").read_text().splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines; move detail into docs/"


def test_readme_links_point_at_files_that_exist() -> None:
    text = (REPO_ROOT / "README.md").read_text()
    targets = RELATIVE_LINK.findall(text)
    assert targets, "the README links to the documentation pages"
    missing = [target for target in targets if not (REPO_ROOT / target).exists()]
    assert missing == []
