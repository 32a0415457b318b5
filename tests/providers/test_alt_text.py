"""Issue 35, part 1: an image needs alt text in every active language, told by ``check``.

``kontent:altText`` = warn (the default) prints one line per asset on stderr, which the engine
shows as a diagnostic; error fails the preview on ``descriptions``; off checks nothing. The
environment here has en-US and es-ES active and de-DE inactive (deactivated through the API's
"Modify a language"): de-DE is never demanded. Nothing is ever written by a check.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import dill
import httpx
import pytest
from PIL import Image
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.dynamic.dynamic import serialize_provider

from kontent_resources.emulator.server import EmulatorServer
from kontent_resources.providers import AssetProvider, invalidate_caches
from kontent_resources.providers.alt_text import SHOWN_PER_SET
from kontent_resources.providers.asset_set import MEMBERS, AssetSetProvider, in_buckets
from kontent_resources.providers.base import KontentProvider
from kontent_resources.providers.settings import ProviderSettings, SettingsError
from tests.providers.conftest import raw_config, unknown
from tests.providers.test_asset_provider import inputs
from tests.providers.test_environment_checks import reasons, requests, writes

P = TypeVar("P", bound=KontentProvider)
LOGO = "pulumi-python:dynamic/kontent:Asset::logo"
FIX = (
    "fix: add a description in each of those languages (descriptions={...}; in an AssetDirectory, "
    '"descriptions" in its assets.json entry), or mark the image decorative=True ("decorative": true '
    "in assets.json) if it carries no meaning"
)


def set_active(emulator: EmulatorServer, codename: str, active: bool) -> None:
    """PATCH /languages/codename/<x> with ``is_active`` (the reference's "Modify a language")."""
    response = httpx.patch(
        f"{emulator.project_url}/languages/codename/{codename}",
        json=[{"op": "replace", "property_name": "is_active", "value": active}],
        headers=emulator.auth_headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["is_active"] is active


@pytest.fixture
def languages(emulator: EmulatorServer) -> Iterator[None]:
    emulator.seed_content({"languages": [{"codename": "de-DE", "name": "German"}]})
    set_active(emulator, "de-DE", False)
    emulator.reset_counters()
    yield
    invalidate_caches()


def provider(emulator: EmulatorServer, cls: type[P], mode: str | None) -> P:
    """A provider configured as the engine would, with ``kontent:altText`` set to ``mode``."""
    raw = raw_config(emulator) | ({"kontent:altText": mode} if mode is not None else {})
    restored: P = dill.loads(base64.b64decode(serialize_provider(cls())))
    restored.configure(ConfigureRequest(Config(raw, project_name="provider-tests")))
    return restored


def asset(image: Path, **overrides: Any) -> dict[str, Any]:
    return inputs(image, resource_path=LOGO, **overrides)


def warnings_in(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("kontent: warning:")]


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "terms.pdf"
    path.write_bytes(b"%PDF-1.4\n%%EOF\n")
    return path


ONE = {"descriptions": {"en-US": "Logo of ACME"}}


# -- warn (the default) ----------------------------------------------------------------------


@pytest.mark.usefixtures("languages")
def test_warn_is_the_default_and_prints_one_line_naming_the_asset_and_languages(
    emulator: EmulatorServer, image: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assets = provider(emulator, AssetProvider, None)
    result = assets.check({}, asset(image, descriptions={"en-US": "Company logo"}))
    assert result.failures == []
    assert warnings_in(capsys) == [
        "kontent: warning: Asset 'logo': image 'logo.png' has no alt text in es-ES (no description). "
        f"{FIX}; `pulumi config set kontent:altText off` silences this."
    ]
    assets.check({}, asset(image, descriptions={"en-US": "Company logo"}))
    assert warnings_in(capsys) == [], "once per deployment"
    assert writes(emulator) == {}
    assert emulator.counters()["by_endpoint"] == {"GET /languages": 1}


@pytest.mark.usefixtures("languages")
def test_warn_says_nothing_on_a_preview_without_changes_and_asks_nothing(
    emulator: EmulatorServer, image: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assets = provider(emulator, AssetProvider, "warn")
    applied = assets.check({}, asset(image, descriptions=None)).inputs
    capsys.readouterr()
    invalidate_caches()
    emulator.reset_counters()
    assert assets.check(applied, asset(image, descriptions=None)).failures == []
    assert warnings_in(capsys) == []
    assert requests(emulator) == 0


@pytest.mark.usefixtures("languages")
@pytest.mark.parametrize(
    ("before", "after"),
    [
        ({"descriptions": {"en-US": "Logo of ACME", "es-ES": "Logotipo"}}, ONE),
        ({"decorative": True, **ONE}, {"decorative": None, **ONE}),
        ({"file_name": "brand.png", **ONE}, {"file_name": "logo.png", **ONE}),
    ],
)  # fmt: skip
def test_warn_tells_again_when_descriptions_decorative_or_file_change(
    emulator: EmulatorServer, image: Path, capsys: pytest.CaptureFixture[str], before: dict[str, Any],
    after: dict[str, Any],
) -> None:  # fmt: skip
    assets = provider(emulator, AssetProvider, "warn")
    olds = assets.check({}, asset(image, **before)).inputs
    capsys.readouterr()
    assets.check(olds, asset(image, **after))
    assert len(warnings_in(capsys)) == 1


# -- error -------------------------------------------------------------------------------------


@pytest.mark.usefixtures("languages")
def test_error_fails_check_on_descriptions_and_writes_nothing(
    emulator: EmulatorServer, image: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assets = provider(emulator, AssetProvider, "error")
    found = reasons(assets.check({}, asset(image, descriptions=None)))
    assert found == {
        "descriptions": "Asset 'logo': image 'logo.png' has no alt text in en-US (no description), "
        f"es-ES (no description) (kontent:altText is error).\n  {FIX}."
    }
    assert warnings_in(capsys) == []
    assert writes(emulator) == {}


@pytest.mark.usefixtures("languages")
def test_off_checks_nothing(
    emulator: EmulatorServer, image: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assets = provider(emulator, AssetProvider, "off")
    assert assets.check({}, asset(image, descriptions=None)).failures == []
    assert warnings_in(capsys) == []
    assert requests(emulator) == 0


@pytest.mark.usefixtures("languages")
def test_a_decorative_image_needs_no_alt_text(
    emulator: EmulatorServer, image: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assets = provider(emulator, AssetProvider, "error")
    assert assets.check({}, asset(image, descriptions=None, decorative=True)).failures == []
    assert warnings_in(capsys) == []
    found = reasons(assets.check({}, asset(image, decorative="yes")))
    assert list(found) == ["decorative"], found


def test_an_inactive_language_is_never_demanded_an_active_one_is(
    emulator: EmulatorServer, image: Path
) -> None:
    emulator.seed_content({"languages": [{"codename": "de-DE", "name": "German"}]})
    set_active(emulator, "de-DE", False)
    described = {"en-US": "Company logo", "es-ES": "Logotipo de la empresa"}
    assert (
        provider(emulator, AssetProvider, "error").check({}, asset(image, descriptions=described)).failures
        == []
    )
    set_active(emulator, "de-DE", True)
    invalidate_caches()  # the next run reads the languages again
    found = reasons(
        provider(emulator, AssetProvider, "error").check({}, asset(image, descriptions=described))
    )
    assert "image 'logo.png' has no alt text in de-DE (no description) (" in found["descriptions"], found
    invalidate_caches()


@pytest.mark.usefixtures("languages")
def test_a_pdf_is_exempt(emulator: EmulatorServer, pdf: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assets = provider(emulator, AssetProvider, "error")
    checked = assets.check({}, asset(pdf, descriptions=None))
    assert checked.failures == []
    assert checked.inputs["content_type"] == "application/pdf"
    assert warnings_in(capsys) == []
    assert requests(emulator) == 0


@pytest.mark.usefixtures("languages")
@pytest.mark.parametrize(
    ("descriptions", "said"),
    [
        ({"en-US": "logo.png", "es-ES": "Logotipo"}, "en-US ('logo.png' is the file name)"),
        ({"en-US": "Company logo", "es-ES": " LOGO "}, "es-ES ('LOGO' is the file name)"),
        ({"en-US": "Image", "es-ES": "Logotipo"}, "en-US ('Image' is a placeholder)"),
        ({"en-US": "  photo of ", "es-ES": "untitled"},
         "en-US ('photo of' is a placeholder), es-ES ('untitled' is a placeholder)"),
        ({"en-US": "Company logo", "es-ES": "   "}, "es-ES (no description)"),
    ],
)  # fmt: skip
def test_a_file_name_or_placeholder_counts_as_missing_with_the_reason(
    emulator: EmulatorServer, image: Path, descriptions: dict[str, str], said: str
) -> None:
    assets = provider(emulator, AssetProvider, "error")
    found = reasons(assets.check({}, asset(image, descriptions=descriptions)))
    assert f"has no alt text in {said} (kontent:altText is error)" in found["descriptions"], found


@pytest.mark.usefixtures("languages")
def test_unknown_values_are_left_to_up(
    emulator: EmulatorServer, image: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assets = provider(emulator, AssetProvider, "error")
    assert assets.check({}, asset(image, descriptions={"en-US": unknown()})).failures == []
    assert assets.check({}, asset(image, descriptions=None, file_name=unknown())).failures == []
    assert warnings_in(capsys) == []


@pytest.mark.usefixtures("languages")
def test_an_asset_set_member_is_checked_as_its_asset(
    emulator: EmulatorServer, image: Path, pdf: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def member(file: Path, key: str, **overrides: Any) -> dict[str, Any]:
        path = f"pulumi-python:dynamic/kontent:AssetSet::site/assets[{key}]"
        return inputs(file, identity_path=f"set::{key}", resource_path=path, descriptions=None, **overrides)

    members = {
        "logo.png": member(image, "logo.png"),
        "divider.png": member(image, "divider.png", decorative=True),
        "terms.pdf": member(pdf, "terms.pdf"),
    }
    sets = provider(emulator, AssetSetProvider, "error")
    found = reasons(sets.check({}, {MEMBERS: in_buckets(members)}))
    assert list(found) == ['members["logo.png"].descriptions'], found
    assert found['members["logo.png"].descriptions'].startswith(
        "AssetSet member 'site/assets[logo.png]': image 'logo.png' has no alt text in "
        "en-US (no description), es-ES (no description) (kontent:altText is error)."
    )
    warned = provider(emulator, AssetSetProvider, "warn")
    invalidate_caches()
    assert warned.check({}, {MEMBERS: in_buckets(members)}).failures == []
    assert [line.split(": image")[0] for line in warnings_in(capsys)] == [
        "kontent: warning: AssetSet member 'site/assets[logo.png]'"
    ]
    assert writes(emulator) == {}


@pytest.mark.usefixtures("languages")
@pytest.mark.parametrize("count", [10, 25])
def test_an_asset_set_tells_its_first_members_and_then_how_many_more(
    emulator: EmulatorServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], count: int
) -> None:
    """A bulk library of images without descriptions: ten lines and a count, not a line per file."""
    members = {}
    for i in range(count):
        image = tmp_path / f"photo-{i:02d}.png"
        Image.new("RGB", (4, 4), (i, 0, 0)).save(image)
        path = f"pulumi-python:dynamic/kontent:AssetSet::library/assets[{image.name}]"
        members[image.name] = inputs(
            image, identity_path=f"set::{image.name}", resource_path=path, descriptions=None
        )
    sets = provider(emulator, AssetSetProvider, "warn")
    assert sets.check({}, {MEMBERS: in_buckets(members)}).failures == []
    told = warnings_in(capsys)
    assert [line.split(": image")[0] for line in told[:SHOWN_PER_SET]] == [
        f"kontent: warning: AssetSet member 'library/assets[photo-{i:02d}.png]'" for i in range(SHOWN_PER_SET)
    ]
    if count <= SHOWN_PER_SET:
        assert len(told) == count
    else:
        assert told[SHOWN_PER_SET:] == [
            f"kontent: warning: {count - SHOWN_PER_SET} more members of AssetSet 'library/assets' have "
            f"no alt text in an active language (the first {SHOWN_PER_SET} are above). {FIX}; "
            "`pulumi config set kontent:altText off` silences this."
        ]
    sets.check({}, {MEMBERS: in_buckets(members)})
    assert warnings_in(capsys) == [], "once per deployment, the count too"
    assets = provider(emulator, AssetProvider, "warn")
    assets.check({}, asset(tmp_path / "photo-00.png", descriptions=None))
    assert len(warnings_in(capsys)) == 1, "an Asset of its own still tells straight away"


# -- the setting ---------------------------------------------------------------------------------


def test_the_setting_is_off_warn_or_error(emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> None:
    config = Config(raw_config(emulator), project_name="provider-tests")
    assert ProviderSettings.resolve(config).alt_text == "warn"
    monkeypatch.setenv("KONTENT_ALT_TEXT", "Error")
    assert ProviderSettings.resolve(config).alt_text == "error"
    with pytest.raises(SettingsError, match=r"kontent:altText must be off, warn or error, not 'loud'"):
        ProviderSettings.resolve(Config(raw_config(emulator) | {"kontent:altText": "loud"}, project_name="p"))
    with pytest.raises(
        SettingsError, match=r"kontent:altTxt is not a kontent: setting; did you mean kontent:altText\?"
    ):
        ProviderSettings.resolve(Config(raw_config(emulator) | {"kontent:altTxt": "off"}, project_name="p"))
