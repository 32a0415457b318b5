"""Names and paths of `kontent-resources import`: stable, unique, and safe on disk (issue 18)."""

from __future__ import annotations

import os

import pytest

from kontent_resources.importer.cli import project_name_for
from kontent_resources.importer.layout import (
    encoded_size,
    file_name_component,
    folder_dirs,
    path_component,
    planned_files,
)
from kontent_resources.importer.snapshot import EnvironmentSnapshot, PlacedFolder
from kontent_resources.models import Asset, Folder, ResponseReference


def _snapshot(folders: list[PlacedFolder], assets: list[Asset]) -> EnvironmentSnapshot:
    return EnvironmentSnapshot(
        folders=tuple(folders), assets=tuple(assets), renditions={}, languages=(), collections=()
    )


def _asset(codename: str, file_name: str, folder_id: str | None = None) -> Asset:
    folder = ResponseReference(id=folder_id) if folder_id else None
    return Asset(id=f"id-{codename}", codename=codename, file_name=file_name, folder=folder)


def test_path_components_keep_unicode_spaces_and_hashes_but_never_separators() -> None:
    assert path_component("Ünïcode ñ 日本 #1") == "Ünïcode ñ 日本 #1"
    assert path_component("a/b\\c") == "a_b_c"
    assert [path_component(n) for n in ("", " ", ".", "..")] == ["_", "_", "_", "_"]


def test_siblings_with_one_name_get_their_codename_the_same_way_every_time() -> None:
    logos = Folder(id="f1", name="Logos", codename="logos")
    shouting = Folder(id="f2", name="LOGOS", codename="logos_old")
    brand = Folder(id="f3", name="Brand", codename="brand", folders=[])
    inner = Folder(id="f4", name="Logos", codename="brand_logos")
    placed = [PlacedFolder(logos, None), PlacedFolder(shouting, None), PlacedFolder(brand, None)]
    placed.append(PlacedFolder(inner, brand))
    dirs = folder_dirs(_snapshot(placed, []))
    assert dirs == {
        "f3": "files/Brand",
        "f1": "files/Logos",
        "f2": "files/LOGOS (logos_old)",  # one folder on a case-insensitive disk otherwise
        "f4": "files/Brand/Logos",
    }
    assert folder_dirs(_snapshot(list(reversed(placed[:3])) + placed[3:], [])) == dirs, "order-independent"


def test_files_with_one_name_in_one_folder_are_told_apart_by_codename() -> None:
    folder = PlacedFolder(Folder(id="f1", name="Photos", codename="photos"), None)
    assets = [_asset("team_b", "team.jpg", "f1"), _asset("team_a", "team.jpg", "f1"), _asset("root", "a.pdf")]
    paths = {p.asset.codename: p.path for p in planned_files(_snapshot([folder], assets))}
    assert paths == {
        "root": "files/a.pdf",
        "team_a": "files/Photos/team.jpg",
        "team_b": "files/Photos/team (team_b).jpg",
    }


def test_the_project_name_is_made_valid_for_pulumi() -> None:
    assert project_name_for("brand library") == "brand-library"
    assert project_name_for("Médias & co.") == "M-dias-co"
    assert project_name_for("...") == "kontent-assets"


# -- R3-8 / R3-5: names every file system takes, and the same ones on every import ------------------

_DEVICES = {"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(10))}


@pytest.mark.parametrize(
    "name",
    [
        "CON",
        "con.txt",
        "Aux.tar.gz",
        "NUL ",
        "com1",
        "LPT9.log",
        "prn.",
        "conin$",
        "COM\u00b9.txt",
        "C:_Windows_win.ini",
    ],
)
def test_windows_device_and_drive_names_are_never_kept(name: str) -> None:
    safe = path_component(name)
    assert ":" not in safe
    assert safe.split(".")[0].rstrip(" ").casefold() not in {*_DEVICES, "conin$", "com\u00b9"}, safe
    assert safe[0].isalnum() or safe[0] == "_"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("CON", "CON_"),
        ("con.txt", "con_.txt"),
        ("C:_Windows_win.ini", "C__Windows_win.ini"),
        ('a<b>c"d|e?f*g', "a_b_c_d_e_f_g"),
        ("bell\x07.txt", "bell_.txt"),
        ("photo\u202egnp.exe", "photo_gnp.exe"),  # a right-to-left override hides the real extension
        ("report. . .", "report"),
        ("  spaced  ", "spaced"),
        ("logo.png.part", "logo.png.part_"),  # never taken for another file's download in progress
        ("conference.pdf", "conference.pdf"),  # only the device name itself is reserved
    ],
)
def test_names_are_made_safe_on_linux_macos_and_windows(name: str, expected: str) -> None:
    assert path_component(name) == expected


def test_long_names_fit_the_file_system_and_keep_their_extension() -> None:
    for name in ("é" * 196 + ".jpeg", "日本" * 100 + ".pdf", "a" * 400 + ".png", "x." + "y" * 300):
        safe = file_name_component(name)
        assert encoded_size(safe) + len(".part") <= 255, name[:20]
        assert safe.endswith(os.path.splitext(name)[1] if len(os.path.splitext(name)[1]) <= 16 else "y")
    assert encoded_size("e\u0301") == encoded_size("é"), "measured decomposed, as macOS stores names"


def test_long_names_that_share_their_start_stay_apart_and_stable() -> None:
    folder = PlacedFolder(Folder(id="f1", name="é" * 200, codename="long_folder"), None)
    prefix = "é" * 150
    assets = [_asset("b_second", prefix + "b.png", "f1"), _asset("a_first", prefix + "a.png", "f1")]
    paths = {p.asset.codename: p.path for p in planned_files(_snapshot([folder], assets))}
    assert len(set(paths.values())) == 2
    for path in paths.values():
        assert all(len(part.encode()) <= 255 for part in path.split("/")), path
        assert path.endswith(".png")
    again = {p.asset.codename: p.path for p in planned_files(_snapshot([folder], list(reversed(assets))))}
    assert again == paths, "the same names on the next import"


def test_names_equal_once_made_safe_are_told_apart_the_same_way_every_time() -> None:
    assets = [_asset("b", "CON"), _asset("a", "con_"), _asset("c", "Café.txt"), _asset("d", "cafe\u0301.TXT")]
    paths = {p.asset.codename: p.path for p in planned_files(_snapshot([], assets))}
    assert paths == {
        "a": "files/con_",
        "b": "files/CON_ (b)",  # one name on Windows and macOS otherwise
        "c": "files/Café.txt",
        "d": "files/cafe\u0301 (d).TXT",  # the same name on macOS, in another Unicode form
    }
    assert {p.asset.codename: p.path for p in planned_files(_snapshot([], assets[::-1]))} == paths


def test_a_file_is_never_named_as_a_folder_beside_it() -> None:
    folder = PlacedFolder(Folder(id="f1", name="Logos", codename="logos"), None)
    paths = [p.path for p in planned_files(_snapshot([folder], [_asset("logos_file", "logos")]))]
    assert paths == ["files/logos (logos_file)"]
