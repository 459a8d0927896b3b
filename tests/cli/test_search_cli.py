"""pmo search: a table of kind, id, owner and snippet, --json a list, "no matches" on
stderr with exit 0, --kind checked (exit 2 naming it), --under a subtree, hostile text taken
as words."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cli_helpers import Pmo, assert_user_error


@pytest.fixture
def mentions(hierarchy: Pmo) -> Pmo:
    """PF > ERP > ALPHA, with a risk and a lesson of ALPHA and a portfolio OTHER with an
    issue, all mentioning a vendor."""
    hierarchy.ok("raid", "add", "ALPHA", "risk", "Vendor delay on drop 2")
    hierarchy.ok("lesson", "add", "ALPHA", "Vendor missed two drops")
    hierarchy.ok("portfolio", "create", "OTHER", "--name", "Other")
    hierarchy.ok("raid", "add", "OTHER", "issue", "Vendor invoice disputed")
    return hierarchy


def _json(pmo: Pmo, *args: str) -> Any:
    return json.loads(pmo.ok("search", *args, "--json").stdout)


def test_table_lists_kind_id_owner_and_snippet(mentions: Pmo) -> None:
    out = mentions.ok("search", "vendor delay").output
    lines = out.splitlines()
    assert lines[0].split() == ["KIND", "ID", "OWNER", "SNIPPET"]
    [row] = lines[1:]
    assert row.startswith("raid")
    assert "ALPHA" in row
    assert "[Vendor] [delay] on drop 2" in row


def test_json_is_a_list_of_hits_best_first(mentions: Pmo) -> None:
    hits = _json(mentions, "vendor")
    assert {(h["kind"], h["owner"]) for h in hits} == {
        ("raid", "ALPHA"),
        ("lesson", "ALPHA"),
        ("raid", "OTHER"),
    }
    for hit in hits:
        assert set(hit) == {"kind", "id", "owner", "score", "snippet"}
        assert "[Vendor]" in hit["snippet"]
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert len(_json(mentions, "vendor", "--limit", "1")) == 1


def test_kind_and_under_narrow_the_hits(mentions: Pmo) -> None:
    assert {h["kind"] for h in _json(mentions, "vendor", "--kind", "lesson")} == {"lesson"}
    both = _json(mentions, "vendor", "--kind", "lesson", "--kind", "raid")
    assert len(both) == 3
    assert {h["owner"] for h in _json(mentions, "vendor", "--under", "PF")} == {"ALPHA"}
    assert {h["owner"] for h in _json(mentions, "vendor", "--under", "OTHER")} == {"OTHER"}
    # The entities themselves are found by their names, within the subtree too.
    assert [(h["kind"], h["id"]) for h in _json(mentions, "renewal", "--under", "PF")] == [
        ("program", "ERP")
    ]


def test_no_matches_exits_0_and_says_so_on_stderr(mentions: Pmo) -> None:
    result = mentions("search", "zeppelin")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.strip() == "no matches"
    result = mentions("search", "zeppelin", "--json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_bad_kind_exits_2_naming_the_option(mentions: Pmo) -> None:
    assert_user_error(mentions("search", "vendor", "--kind", "risk"), 2, "--kind", "'risk'")
    assert_user_error(mentions("search", "vendor", "--kind", "Bad Kind!"), 2, "--kind")


def test_unknown_under_exits_3(mentions: Pmo) -> None:
    assert_user_error(mentions("search", "vendor", "--under", "NOPE"), 3, "NOPE")


@pytest.mark.parametrize(
    "text",
    ['"', '"vendor', "vendor*", "NEAR(vendor delay)", "'; DROP TABLE documents; --", "*", ""],
)
def test_hostile_text_is_taken_as_words(mentions: Pmo, text: str) -> None:
    result = mentions("search", text)
    assert result.exit_code == 0, (result.output, result.stderr)
    assert "Traceback" not in result.output + result.stderr
    assert mentions.ok("search", "vendor", "--json").output.count('"kind"') == 3
