"""The applied inputs are kept once in the outputs (issue 37): what equals its output is named, not copied."""

from __future__ import annotations

import json
from typing import Any

from kontent_resources.providers.props import APPLIED, SAME, applied, changed_keys, with_applied

INPUTS: dict[str, Any] = {
    "__provider": "pickled",
    "source": "icons/logo.png",
    "source_path": "/work/icons/logo.png",
    "file_name": "logo.png",
    "title": "Logo",
    "codename": None,
    "descriptions": {"en-US": "Company logo"},
    "adopt": False,
    "external_id_generated": True,
}
OUTS: dict[str, Any] = {
    "source": "icons/logo.png",
    "file_name": "logo.png",
    "title": "Logo (renamed by the API)",
    "codename": "logo_png",
    "descriptions": {"en-US": "Company logo"},
    "size": 1,
}


def test_applied_gives_back_every_input_but_bookkeeping_and_none() -> None:
    outs = with_applied(dict(OUTS), INPUTS)
    expected = {k: v for k, v in INPUTS.items() if not k.startswith("__")}
    assert applied(outs) == expected
    # The engine drops None values: absent reads as None.
    stored = json.loads(json.dumps(outs))
    stored[APPLIED] = {k: v for k, v in stored[APPLIED].items() if v is not None}
    assert applied(stored) == {k: v for k, v in expected.items() if v is not None}


def test_inputs_equal_to_their_output_are_named_not_copied() -> None:
    outs = with_applied(dict(OUTS), INPUTS)
    assert outs[SAME] == ["descriptions", "file_name", "source"]
    assert set(outs[APPLIED]) == {"source_path", "title", "codename", "adopt", "external_id_generated"}
    assert outs[APPLIED]["title"] == "Logo", "the applied value, not the API's"


def test_a_value_of_another_type_is_not_taken_from_the_output() -> None:
    outs = with_applied({"flag": 1}, {"flag": True})
    assert SAME not in outs
    assert applied(outs) == {"flag": True}


def test_state_written_with_a_whole_copy_reads_the_same() -> None:
    legacy = {**OUTS, APPLIED: {"source": "icons/logo.png", "title": "Logo", "source_path": "/x"}}
    assert applied(legacy) == {"source": "icons/logo.png", "title": "Logo", "source_path": "/x"}
    assert applied({}) == {}
    assert applied({SAME: ["source"], "source": "a.png"}) == {"source": "a.png"}


def test_diff_sees_the_same_inputs_in_both_forms() -> None:
    news = {k: v for k, v in INPUTS.items() if v is not None}
    keys = ("source", "file_name", "title", "codename", "descriptions")
    compact = with_applied(dict(OUTS), INPUTS)
    legacy = {**OUTS, APPLIED: {k: v for k, v in news.items() if not k.startswith("__")}}
    for olds in (compact, legacy):
        assert changed_keys(olds, news, keys, api_chooses=["codename"]) == []
        assert changed_keys(olds, {**news, "title": "New"}, keys) == ["title"]
        assert changed_keys(olds, {**news, "descriptions": {}}, keys) == ["descriptions"]
