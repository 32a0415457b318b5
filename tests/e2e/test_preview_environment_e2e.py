"""Issue 34: the mistakes the environment reveals fail ``pulumi preview``, which writes nothing.

The quickstart as a new user mistypes it: a link into language ``de-DE`` of an environment without
it, one into element ``hero_imag``, one into item ``codename/hom``, and a description keyed by an
unknown language. Run through ``python -m kontent_resources.sandbox preview`` as the README's user
runs it, the preview names each bad value and the closest valid one, and the emulator's counters
show reads only. A preview of the corrected program after ``up`` asks the API nothing for them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kontent_resources.emulator.server import EmulatorServer
from tests.e2e.test_sandbox_cli import UserProject

pytestmark = pytest.mark.e2e

LINK = """
home_hero = VariantAssetLink(
    "home-hero",
    item="codename/home",
    language="codename/en-US",
    element="hero_image",
    asset=hero,
)
"""
GOOD_DESCRIPTION = '"es-ES": "Logotipo de la empresa"'
# Each mistake of the issue, the resource it is in, what the preview must name, and the closest value.
MISTAKES = [
    (LINK, LINK.replace("codename/en-US", "codename/de-DE"), "home-hero",
     "'codename/de-DE' is not a language", "closest: 'codename/es-ES', 'codename/en-US'"),
    (LINK, LINK.replace('"hero_image"', '"hero_imag"'), "home-hero",
     "has no element 'hero_imag'", "closest: 'hero_image'"),
    (LINK, LINK.replace("codename/home", "codename/hom"), "home-hero",
     "no content item 'codename/hom'", "closest: 'codename/home'"),
    (GOOD_DESCRIPTION, '"de-DE": "Firmenlogo"', "logo",
     "'de-DE' is not a language codename", "closest: 'es-ES', 'en-US'"),
]  # fmt: skip


def writes(emulator: EmulatorServer) -> dict[str, int]:
    return {k: n for k, n in emulator.counters()["by_endpoint"].items() if not k.startswith("GET ")}


@pytest.fixture
def project(tmp_path: Path, emulator: EmulatorServer, engine_bin: Path) -> UserProject:
    user = UserProject(tmp_path, emulator)
    user.connect()
    return user


@pytest.mark.timeout(900)
def test_what_the_environment_reveals_fails_the_preview_with_no_write(
    project: UserProject, emulator: EmulatorServer
) -> None:
    """The engine stops a preview at the first resource whose check fails: one mistake per preview,
    as a user meets them, fixing one after the other."""
    program = project.folder / "__main__.py"
    source = program.read_text()
    for right, wrong, resource, bad, near in MISTAKES:
        assert right in source, "the quickstart changed: update this test"
        program.write_text(source.replace(right, wrong))
        emulator.reset_counters()

        failed = project.run("preview", check=False)

        output = failed.stdout + failed.stderr
        assert failed.returncode != 0, output
        assert f"resource '{resource}'" in output, output
        for part in (bad, near, "fix: "):
            assert part in output, output
        assert "Traceback" not in output, output
        assert writes(emulator) == {}, emulator.counters()
    project.assert_untouched()

    program.write_text(source)
    project.run("up", "--yes")
    emulator.reset_counters()
    project.run("preview", "--expect-no-changes")
    asked = emulator.counters()["by_endpoint"]
    for lookup in ("GET /languages", "GET /items/{ref}", "GET /collections", "GET /types/{ref}"):
        assert lookup not in asked, f"a preview without changes asked {lookup}: {asked}"
    assert writes(emulator) == {}, asked
