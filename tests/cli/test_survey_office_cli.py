"""pmo survey record|list and pmo office-cost add|list: validated input, all or nothing,
satisfaction per group and month computed by hand."""

from __future__ import annotations

import json

import pytest
from cli_helpers import Pmo, assert_user_error


@pytest.fixture
def surveyed(hierarchy: Pmo) -> Pmo:
    rows = [
        "on,group,score,respondent,about,comment",
        "2026-01-10,sponsors,4,Dana,ALPHA,Gate packs on time",
        "2026-01-20,sponsors,3,,,",
        "2026-02-05,sponsors,5,Lee,,",
        "2026-02-06,project managers,2,Kim,,Too many templates",
        "2026-02-07,project managers,3,,,",
        "2026-02-08,project managers,3,,,",
    ]
    (hierarchy.root / "q1.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = json.loads(
        hierarchy.ok("survey", "record", "--file", str(hierarchy.root / "q1.csv"), "--json").output
    )
    assert len(out) == 6
    return hierarchy


def test_satisfaction_per_group_and_month(surveyed: Pmo) -> None:
    by_group = json.loads(surveyed.ok("survey", "list", "--by", "group", "--json").output)
    by_month = json.loads(surveyed.ok("survey", "list", "--by", "month", "--json").output)
    both = json.loads(surveyed.ok("survey", "list", "--by", "group-month", "--json").output)

    # project managers (2 + 3 + 3) / 3 = 2.666.. -> 2.67; sponsors (4 + 3 + 5) / 3 = 4.00
    assert by_group == [
        {"group": "project managers", "period": None, "responses": 3, "mean": "2.67"},
        {"group": "sponsors", "period": None, "responses": 3, "mean": "4.00"},
    ]
    # January (4 + 3) / 2 = 3.50; February (5 + 2 + 3 + 3) / 4 = 3.25
    assert [(m["period"], m["mean"]) for m in by_month] == [
        ("2026-01", "3.50"),
        ("2026-02", "3.25"),
    ]
    assert [(b["group"], b["period"], b["mean"]) for b in both] == [
        ("project managers", "2026-02", "2.67"),
        ("sponsors", "2026-01", "3.50"),
        ("sponsors", "2026-02", "5.00"),
    ]


def test_list_filters_by_group_and_period(surveyed: Pmo) -> None:
    feb = json.loads(
        surveyed.ok("survey", "list", "--from", "2026-02-01", "--to", "2026-02-06", "--json").output
    )
    sponsors = json.loads(surveyed.ok("survey", "list", "--group", "sponsors", "--json").output)

    assert [r["on"] for r in feb] == ["2026-02-05", "2026-02-06"]
    assert {r["group"] for r in sponsors} == {"sponsors"}
    assert sponsors[0]["about"] == "ALPHA"
    assert sponsors[1]["respondent"] == ""
    text = surveyed.ok("survey", "list", "--by", "group").output
    assert "project managers" in text
    assert "2.67" in text


def test_one_response_from_options(hierarchy: Pmo) -> None:
    out = json.loads(
        hierarchy.ok(
            "survey", "record", "--group", "sponsors", "--score", "5", "--on", "2026-03-01",
            "--about", "ERP", "--comment", "Clear reports", "--json",
        ).output
    )  # fmt: skip

    assert (out[0]["score"], out[0]["about"], out[0]["on"]) == (5, "ERP", "2026-03-01")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--group", "sponsors", "--score", "6"), "--score"),
        (("--group", "sponsors", "--score", "0"), "--score"),
        (("--group", "sponsors"), "--score: give --score"),
        (("--score", "3"), "--group: give --group"),
        (("--group", "sponsors", "--score", "3", "--about", "NOPE"), "about: no portfolio"),
        (("--group", " ", "--score", "3"), "group"),
    ],
)
def test_a_bad_response_is_refused(hierarchy: Pmo, args: tuple[str, ...], needle: str) -> None:
    before = hierarchy.snapshot()

    assert_user_error(hierarchy("survey", "record", *args), 2, needle)
    assert hierarchy.snapshot() == before


def test_a_bad_csv_records_nothing_and_names_each_row(hierarchy: Pmo) -> None:
    (hierarchy.root / "bad.csv").write_text(
        "on,group,score\n2026-01-10,sponsors,4\n2026-01-11,sponsors,9\n2026-01-12,,3\n",
        encoding="utf-8",
    )
    before = hierarchy.snapshot()

    result = hierarchy("survey", "record", "--file", str(hierarchy.root / "bad.csv"))

    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "error: bad.csv:3: 2 responses are invalid; nothing was recorded"
    assert lines[1].strip().startswith("bad.csv:3: score:")
    assert lines[2].strip().startswith("bad.csv:4: group:")
    assert hierarchy.snapshot() == before


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("on,group,rating\n2026-01-10,sponsors,4\n", "bad.csv:1: unknown column 'rating'"),
        ("on,group\n2026-01-10,sponsors\n", "bad.csv:1: no 'score' column"),
        ("on,group,score\n", "bad.csv: no responses in the file"),
        ("on,group,score\n2099-01-01,sponsors,4\n", "bad.csv:2: on: 2099-01-01 is after"),
    ],
)
def test_a_csv_with_a_bad_shape(hierarchy: Pmo, text: str, needle: str) -> None:
    (hierarchy.root / "bad.csv").write_text(text, encoding="utf-8")

    assert_user_error(
        hierarchy("survey", "record", "--file", str(hierarchy.root / "bad.csv")), 2, needle
    )


# ----------------------------------------------------------------------------- office-cost


def test_pmo_cost_add_and_list(pmo: Pmo) -> None:
    pmo.ok("office-cost", "add", "45000 EUR", "--start", "2026-01-01", "--end", "2026-03-31")
    pmo.ok(
        "office-cost", "add", "6000.50 EUR", "--start", "2026-04-01", "--end", "2026-04-01",
        "--category", "tools", "--comment", "Licences",
    )  # fmt: skip

    every = json.loads(pmo.ok("office-cost", "list", "--json").output)
    q2 = json.loads(pmo.ok("office-cost", "list", "--from", "2026-04-01", "--json").output)
    q1 = json.loads(pmo.ok("office-cost", "list", "--to", "2026-03-31", "--json").output)

    assert [(c["amount"], c["category"]) for c in every] == [
        ({"amount": "45000", "currency": "EUR"}, "staff"),
        ({"amount": "6000.50", "currency": "EUR"}, "tools"),
    ]
    assert [c["category"] for c in q2] == ["tools"]  # ends on or after 1 April
    assert [c["category"] for c in q1] == ["staff"]  # starts on or before 31 March
    assert "45,000.00 EUR" in pmo.ok("office-cost", "list").output


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("-1 EUR", "--start", "2026-01-01", "--end", "2026-01-31"), "must not be negative"),
        (("100", "--start", "2026-01-01", "--end", "2026-01-31"), "AMOUNT"),
        (("100 EURO", "--start", "2026-01-01", "--end", "2026-01-31"), "AMOUNT"),
        (
            ("100 EUR", "--start", "2026-02-01", "--end", "2026-01-31"),
            "--end: 2026-01-31 is before",
        ),
        (("100 EUR", "--start", "2026-02-30", "--end", "2026-03-31"), "--start"),
        (("100 EUR", "--start", "2026-01-01", "--end", "2026-01-31", "--category", ""), "category"),
    ],
)
def test_a_bad_pmo_cost_is_refused(pmo: Pmo, args: tuple[str, ...], needle: str) -> None:
    before = pmo.snapshot()

    assert_user_error(pmo("office-cost", "add", *args), 2, needle)
    assert pmo.snapshot() == before


def test_a_pmo_cost_of_one_day_and_of_zero_is_accepted(pmo: Pmo) -> None:
    out = json.loads(
        pmo.ok(
            "office-cost", "add", "0 EUR", "--start", "2026-01-01", "--end", "2026-01-01", "--json"
        ).output
    )

    assert (out["start"], out["end"], out["amount"]["amount"]) == ("2026-01-01", "2026-01-01", "0")
