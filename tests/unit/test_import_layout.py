"""Names and paths of `kontent-resources import`: stable, unique, and safe on disk (issue 18)."""

from __future__ import annotations

from kontent_resources.importer.cli import project_name_for
from kontent_resources.importer.layout import folder_dirs, path_component, planned_files
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
