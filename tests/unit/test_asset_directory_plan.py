"""AssetDirectory's planning: walk, patterns, metadata and validation, without the engine."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from kontent_resources.components import AssetDirectoryError, title_from_file_name
from kontent_resources.components._patterns import PathPatterns, PatternError, compile_pattern
from kontent_resources.components._plan import DirectoryPlan, plan_directory

PROGRAM_LIBRARY = Path(__file__).resolve().parents[2] / "programs" / "asset-directory" / "library"


def _tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return root


def _plan(root: Path, name: str = "lib", **options: Any) -> DirectoryPlan:
    settings: dict[str, Any] = {
        "include": ("**/*",),
        "exclude": (),
        "metadata_file": "assets.json",
        "default_descriptions": None,
        **options,
    }
    return plan_directory(name, root, **settings)


def _paths(plan: DirectoryPlan) -> list[str]:
    return [asset.path for asset in plan.assets]


@pytest.mark.parametrize(
    ("file_name", "title"),
    [
        ("team-photo.jpg", "Team photo"),
        ("company_logo.png", "Company logo"),
        ("IMG_0042.JPG", "IMG 0042"),
        ("iPhone  case--red.png", "IPhone case red"),
        ("archive.tar.gz", "Archive.tar"),
        ("-.png", "-.png"),
        ("x" * 300 + ".png", "X" + "x" * 199),
    ],
)
def test_title_from_file_name(file_name: str, title: str) -> None:
    assert title_from_file_name(file_name) == title


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("**/*", "a.png", True),
        ("**/*", "a/b/c.png", True),
        ("*.png", "deep/down/x.png", True),  # no '/': any depth
        ("*.png", "x.jpg", False),
        ("photos/*.jpg", "photos/a.jpg", True),
        ("photos/*.jpg", "photos/sub/a.jpg", False),  # '*' stays in one segment
        ("photos/**", "photos/sub/a.jpg", True),
        ("photos/**/*.jpg", "photos/a.jpg", True),  # '**' may be zero segments
        ("drafts", "photos/drafts/a.png", True),  # a matched directory covers its files
        ("file?.txt", "file1.txt", True),
        ("[!a]*.txt", "a1.txt", False),
        ("[a-c]*.txt", "b1.txt", True),
        ("a+b(1).png", "a+b(1).png", True),  # regex characters are literal
    ],
)
def test_patterns(pattern: str, path: str, matches: bool) -> None:
    assert PathPatterns([pattern], []).selects(path) is matches


@pytest.mark.parametrize("pattern", ["", "  ", "/abs/*.png", "../*.png", "a/../../b"])
def test_bad_patterns(pattern: str) -> None:
    with pytest.raises(PatternError):
        compile_pattern(pattern)


def test_exclude_wins_over_include() -> None:
    patterns = PathPatterns(["**/*.png"], ["drafts/**", "*-old.png"])
    assert patterns.selects("a/logo.png")
    assert not patterns.selects("drafts/logo.png")
    assert not patterns.selects("a/logo-old.png")


def test_plan_of_the_shipped_library() -> None:
    plan = _plan(PROGRAM_LIBRARY)
    assert plan.folders == ("brand", "photos", "photos/events")
    assert _paths(plan) == sorted(_paths(plan))
    assert "assets.json" not in _paths(plan)
    metadata = json.loads((PROGRAM_LIBRARY / "assets.json").read_text())
    for asset in plan.assets:
        expected = metadata.get(asset.path, {}).get("title") or title_from_file_name(Path(asset.path).name)
        assert asset.title == expected
        assert asset.source.is_file()
    assert plan.warnings == ()


def test_plan_folders_titles_descriptions(tmp_path: Path) -> None:
    root = _tree(
        tmp_path / "lib",
        {
            "top.txt": "t",
            "b/z/deep.txt": "d",
            "b/one.png": "1",
            "a b/two.png": "2",
            ".hidden.png": "h",
            ".git/config": "c",
            "b/.DS_Store": "x",
            "assets.json": json.dumps(
                {"b/one.png": {"title": "One", "descriptions": {"es-ES": "Uno", "en-US": "One!"}}}
            ),
        },
    )
    plan = _plan(root, default_descriptions={"en-US": "Default", "de-DE": "Standard"})
    assert _paths(plan) == ["a b/two.png", "b/one.png", "b/z/deep.txt", "top.txt"]
    assert plan.folders == ("a b", "b", "b/z")  # parents before children
    by_path = {asset.path: asset for asset in plan.assets}
    assert by_path["b/one.png"].title == "One"
    assert by_path["b/one.png"].descriptions == {"en-US": "One!", "es-ES": "Uno", "de-DE": "Standard"}
    assert by_path["top.txt"].descriptions == {"en-US": "Default", "de-DE": "Standard"}
    assert by_path["top.txt"].folder == ""
    assert by_path["b/z/deep.txt"].folder == "b/z"
    assert by_path["a b/two.png"].title == "Two"
    assert by_path["b/z/deep.txt"].source == root / "b" / "z" / "deep.txt"


def test_plan_is_deterministic_and_filtered(tmp_path: Path) -> None:
    root = _tree(tmp_path / "lib", {f"d{i % 3}/f{i}.png": str(i) for i in range(12)} | {"d1/notes.md": "n"})
    first = _plan(root, include=["*.png"], exclude=["d2"])
    assert first == _plan(root, include=["*.png"], exclude=["d2"])
    assert all(p.endswith(".png") and not p.startswith("d2/") for p in _paths(first))
    assert first.folders == ("d0", "d1")


def test_empty_selection_warns(tmp_path: Path) -> None:
    plan = _plan(_tree(tmp_path / "lib", {"a.txt": "a"}), include=["*.png"])
    assert plan.assets == ()
    assert "matches include/exclude" in plan.warnings[0]


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_symlinks_stay_inside_the_root(tmp_path: Path) -> None:
    outside = _tree(tmp_path / "outside", {"secret.txt": "s", "dir/x.txt": "x"})
    root = _tree(tmp_path / "lib", {"real/a.txt": "a"})
    (root / "inside-link.txt").symlink_to(root / "real" / "a.txt")
    (root / "out-link.txt").symlink_to(outside / "secret.txt")
    (root / "out-dir").symlink_to(outside / "dir")
    (root / "real" / "loop").symlink_to(root)
    (root / "broken.txt").symlink_to(root / "missing.txt")
    plan = _plan(root)
    assert _paths(plan) == ["inside-link.txt", "real/a.txt"]
    skipped = "\n".join(plan.warnings)
    for name in ("out-link.txt", "out-dir", "real/loop", "broken.txt"):
        assert name in skipped


def test_a_symlink_loop_is_skipped_with_its_reason(tmp_path: Path) -> None:
    root = _tree(tmp_path / "lib", {"a.txt": "a"})
    (root / "x.png").symlink_to(root / "y.png")
    (root / "y.png").symlink_to(root / "x.png")  # x → y → x: pathlib raises RuntimeError here
    plan = _plan(root)
    assert _paths(plan) == ["a.txt"]
    skipped = "\n".join(plan.warnings)
    assert "x.png: a symlink loop, not followed" in skipped
    assert "y.png: a symlink loop, not followed" in skipped


def _error(root: Path, **options: Any) -> str:
    with pytest.raises(AssetDirectoryError) as raised:
        _plan(root, **options)
    message = str(raised.value)
    assert message.startswith("AssetDirectory 'lib': ")
    return message


def test_path_errors(tmp_path: Path) -> None:
    assert "does not exist" in _error(tmp_path / "nope")
    (tmp_path / "file.txt").write_text("x")
    assert "is not a directory" in _error(tmp_path / "file.txt")


def test_name_with_a_slash_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AssetDirectoryError, match="contain no '/'"):
        _plan(tmp_path, name="a/b")


def test_bare_string_patterns_are_refused(tmp_path: Path) -> None:
    assert "list of patterns" in _error(tmp_path, include="*.png")
    assert "points outside" in _error(tmp_path, exclude=["../x"])


@pytest.mark.parametrize(
    ("metadata", "fragment"),
    [
        ('{"a.png": {"title": "A"', "is not valid JSON (Expecting ',' delimiter at line 1"),
        ('["a.png"]', "must hold a JSON object"),
        ('{"a.png": {"titel": "A"}}', "entry 'a.png': titel: Extra inputs are not permitted"),
        ('{"a.png": {"title": 5}}', "entry 'a.png': title: Input should be a valid string"),
        (json.dumps({"a.png": {"title": "x" * 201}}), "at most 200 characters"),
        ('{"a.png": {"descriptions": {"en-US": 1}}}', "descriptions.en-US"),
        ('{"../a.png": {}}', "is not a path inside the directory"),
        ('{"a.png": {}, "./a.png": {}}', "two entries for 'a.png'"),
        ('{"missing.png": {"title": "M"}}', "entry for 'missing.png', but there is no such file"),
        ('{".hidden.png": {"title": "H"}}', "hidden files are never uploaded"),
        ('{"skip.txt": {"title": "S"}}', "which include/exclude leave out"),
        ('{"a.png": {"moved_from": "b.png"}}', "a file there would take over its asset"),
        ('{"a.png": {"moved_from": "a.png"}}', "a file there would take over its asset"),
        ('{"a.png": {"moved_from": "old.png"}, "b.png": {"moved_from": ["old.png"]}}', "both say"),
    ],
)
def test_metadata_errors(tmp_path: Path, metadata: str, fragment: str) -> None:
    root = _tree(
        tmp_path / "lib",
        {"a.png": "a", "b.png": "b", ".hidden.png": "h", "skip.txt": "s", "assets.json": metadata},
    )
    assert fragment in _error(root, exclude=["*.txt"])


def test_all_entry_problems_are_reported_at_once(tmp_path: Path) -> None:
    root = _tree(tmp_path / "lib", {"a.png": "a", "assets.json": '{"x.png": {}, "y.png": {}}'})
    message = _error(root)
    assert "'x.png'" in message
    assert "'y.png'" in message


def test_metadata_file_options(tmp_path: Path) -> None:
    root = _tree(tmp_path / "lib", {"a.png": "a", "meta/info.json": '{"a.png": {"title": "Alpha"}}'})
    assert _paths(_plan(root)) == ["a.png", "meta/info.json"]  # default file absent: optional
    plan = _plan(root, metadata_file="meta/info.json")
    assert _paths(plan) == ["a.png"]  # the metadata file is never uploaded
    assert plan.assets[0].title == "Alpha"
    assert "is not a file" in _error(root, metadata_file="meta/typo.json")
    assert _paths(_plan(root, metadata_file=None)) == ["a.png", "meta/info.json"]


def test_moved_from_is_normalized(tmp_path: Path) -> None:
    root = _tree(
        tmp_path / "lib", {"new/a.png": "a", "assets.json": '{"new/a.png": {"moved_from": "./old//a.png"}}'}
    )
    assert _plan(root).assets[0].moved_from == ("old/a.png",)


def test_a_moved_file_keeps_its_first_path_as_identity(tmp_path: Path) -> None:
    metadata = {"c.png": {"moved_from": ["a.png", "b.png"]}, "d.png": {"title": "D"}}
    root = _tree(tmp_path / "lib", {"c.png": "c", "d.png": "d", "assets.json": json.dumps(metadata)})
    identities = {asset.path: asset.identity for asset in _plan(root).assets}
    assert identities == {"c.png": "a.png", "d.png": "d.png"}


def test_default_descriptions_are_checked(tmp_path: Path) -> None:
    assert "default_descriptions" in _error(tmp_path, default_descriptions={"en-US": 3})
