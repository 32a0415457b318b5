"""Path identifiers: validation and percent-encoding."""

from __future__ import annotations

import pytest

from kontent_resources.client import InvalidIdentifierError, by_codename, by_external_id, by_id
from kontent_resources.client.identifiers import parse_ref, path_ref, to_reference
from kontent_resources.models.common import RequestReference

UUID = "fcbb12e6-66a3-4672-85d9-d502d16b8d9c"


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        (UUID, UUID),
        ("codename/my_asset", "codename/my_asset"),
        ("codename/es-ES", "codename/es-ES"),
        ("external-id/custom-asset-identifier", "external-id/custom-asset-identifier"),
        ("external-id/my file#2.png", "external-id/my%20file%232.png"),
        ("external-id/a/b?c=d&e", "external-id/a%2Fb%3Fc%3Dd%26e"),
        ("external-id/100%", "external-id/100%25"),
        ("external-id/žluťoučký", "external-id/%C5%BElu%C5%A5ou%C4%8Dk%C3%BD"),
        (RequestReference.by_id(UUID), UUID),
        (RequestReference.by_codename("x y"), "codename/x%20y"),
        (RequestReference.by_external_id("p/q"), "external-id/p%2Fq"),
    ],
)
def test_path_ref_encodes_only_the_value(ref: str | RequestReference, expected: str) -> None:
    assert path_ref(ref) == expected


@pytest.mark.parametrize(
    "ref",
    ["", "not-a-uuid", "codename/", "external-id/   ", "Codename/x", "external_id/x", UUID + "/extra"],
)
def test_invalid_identifiers_are_refused(ref: str) -> None:
    with pytest.raises(InvalidIdentifierError):
        path_ref(ref)


def test_refused_kind_for_object() -> None:
    with pytest.raises(InvalidIdentifierError, match="rendition cannot be addressed by codename"):
        path_ref("codename/x", allow=("id", "external_id"), what="rendition")


def test_helpers_and_parse() -> None:
    assert by_id(UUID) == UUID
    assert by_codename("a") == "codename/a"
    assert by_external_id("b c") == "external-id/b c"
    assert path_ref(by_external_id("b c")) == "external-id/b%20c"
    assert parse_ref("external-id/x") == ("external_id", "x")
    with pytest.raises(InvalidIdentifierError):
        by_id("nope")


def test_to_reference() -> None:
    assert to_reference("codename/draft").to_api() == {"codename": "draft"}
    assert to_reference(UUID).to_api() == {"id": UUID}
    assert to_reference("external-id/e").to_api() == {"external_id": "e"}
    ref = RequestReference.by_codename("c")
    assert to_reference(ref) is ref
