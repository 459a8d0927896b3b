"""pmo cost add / list and pmo forecast set / list: what is stored, the JSON, the actor;
negative money, another currency and bad dates are one line naming the option, exit 2, and
write nothing; a forecast beyond tolerance raises the exception pmo exception list shows."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from cli_helpers import Pmo, assert_user_error, needs_stage_gate


def _json(pmo: Pmo, *args: str) -> Any:
    return json.loads(pmo.ok(*args, "--json").stdout)


def _journal(pmo: Pmo) -> list[dict[str, Any]]:
    return list(_json(pmo, "journal", "--limit", "0"))


@pytest.fixture
def item(hierarchy: Pmo) -> str:
    """The id of ALPHA's work item "Data migration"."""
    return str(_json(hierarchy, "work", "add", "ALPHA", "Data migration")["id"])


# ------------------------------------------------------------------------------ costs


def test_cost_add_and_list(hierarchy: Pmo, item: str) -> None:
    entry = _json(
        hierarchy, "cost", "add", "ALPHA", "1200.50 EUR", "--on", "2025-04-17", "--opex",
        "--description", "Hosting April",
    )  # fmt: skip
    hierarchy.ok(
        "cost", "add", "ALPHA", "18000 EUR", "--on", "2025-04-30", "--category", "capex",
        "--nature", "labour", "--work-item", item[:4],
    )  # fmt: skip

    assert entry["amount"] == {"amount": "1200.50", "currency": "EUR"}
    assert (entry["incurred_on"], entry["category"], entry["description"]) == (
        "2025-04-17",
        "opex",
        "Hosting April",
    )
    listed = _json(hierarchy, "cost", "list", "ALPHA")
    assert [(c["incurred_on"], c["category"], c["work_item"]) for c in listed] == [
        ("2025-04-17", "opex", None),
        ("2025-04-30", "capex", item),
    ]
    assert listed[1]["nature"] == "labour"
    table = hierarchy.ok("cost", "list", "ALPHA").output
    assert "Total: 19,200.50 EUR in 2 entries" in table
    journal = _journal(hierarchy)[-1]
    assert (journal["command"], journal["actor"], journal["kind"]) == (
        "cost add",
        "tester",
        "cost_entry",
    )


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        (["-5 EUR"], 2, "AMOUNT: must not be negative, got -5 EUR"),
        (["EUR -5"], 2, "AMOUNT: must not be negative"),
        (["5 USD"], 2, "AMOUNT: 5 USD is in USD but project ALPHA is kept in EUR"),
        (["five"], 2, "AMOUNT: 'five' is not money"),
        (["5 EUR", "--on", "2999-01-01"], 2, "--on: 2999-01-01 is after the status date"),
        (["5 EUR", "--capex", "--opex"], 2, "--category: a cost is either capex or opex"),
        (["5 EUR", "--capex", "--category", "opex"], 2, "--category: a cost is either"),
        (["5 EUR", "--category", "capital"], 2, "--category: 'capital' is not one of capex"),
        (["5 EUR", "--work-item", "ffffffff"], 2, "--work-item: no work item 'ffffffff'"),
        (["5 EUR", "--description", "a\x00b"], 2, "--description: NUL character"),
    ],
)
def test_bad_costs_write_nothing(hierarchy: Pmo, argv: list[str], code: int, needle: str) -> None:
    before = hierarchy.snapshot()
    on = [] if "--on" in argv else ["--on", "2025-04-17"]

    assert_user_error(hierarchy("cost", "add", "ALPHA", *argv, *on), code, needle)
    assert hierarchy.snapshot() == before


def test_cost_needs_a_day_and_a_project(hierarchy: Pmo) -> None:
    before = hierarchy.snapshot()
    assert_user_error(hierarchy("cost", "add", "ALPHA", "5 EUR"), 2, "Missing option '--on'")
    assert_user_error(
        hierarchy("cost", "add", "PF", "5 EUR", "--on", "2025-04-17"), 2, "PROJECT: PF is a"
    )
    assert hierarchy.snapshot() == before


def test_an_option_value_with_a_minus_sign_stays_the_options(hierarchy: Pmo) -> None:
    entry = _json(
        hierarchy, "cost", "add", "ALPHA", "5 EUR", "--description", "-5 refund noted",
        "--on", "2025-04-17",
    )  # fmt: skip
    assert entry["description"] == "-5 refund noted"


# -------------------------------------------------------------------------- forecasts


def test_forecast_set_is_dated_signed_and_listed(hierarchy: Pmo, item: str) -> None:
    today = date.today().isoformat()
    first = _json(
        hierarchy, "--as", "Lee Chen", "forecast", "set", "ALPHA", "--eac", "265000 EUR",
        "--etc", "180000 EUR", "--finish", "2026-01-30", "--reason", "Vendor slipped",
        "--on", "2025-04-30",
    )  # fmt: skip
    of_item = _json(
        hierarchy, "forecast", "set", "ALPHA", "--eac", "52000 EUR", "--work-item", item[:4],
        "--reason", "Extra cleansing",
    )  # fmt: skip

    assert (first["author"], first["as_of"], first["note"], first["work_item"]) == (
        "Lee Chen",
        "2025-04-30",
        "Vendor slipped",
        None,
    )
    assert first["eac"] == {"amount": "265000", "currency": "EUR"}
    assert (of_item["author"], of_item["as_of"], of_item["work_item"]) == ("tester", today, item)
    listed = _json(hierarchy, "forecast", "list", "ALPHA")
    assert [(f["id"], f["in_force"]) for f in listed] == [
        (first["id"], True),  # the project's latest: a work item's forecast is not it
        (of_item["id"], False),
    ]
    journal = _journal(hierarchy)
    assert [(e["command"], e["actor"]) for e in journal[-2:]] == [
        ("forecast set", "Lee Chen"),
        ("forecast set", "tester"),
    ]
    table = hierarchy.ok("forecast", "list", "ALPHA").output
    assert "265,000.00 EUR" in table
    assert "Vendor slipped" in table


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        (["--eac", "-5 EUR", "--reason", "x"], 2, "--eac: must not be negative, got -5 EUR"),
        (["--eac", "5 USD", "--reason", "x"], 2, "--eac: 5 USD is in USD"),
        (["--eac", "5 EUR", "--etc", "-1 EUR", "--reason", "x"], 2, "--etc: must not be"),
        (["--eac", "5 EUR", "--etc", "9 EUR", "--reason", "x"], 2, "--etc: the estimate to"),
        (["--eac", "5 EUR"], 2, "Missing option '--reason'"),
        (["--eac", "5 EUR", "--reason", " "], 2, "--reason: say why"),
        (["--reason", "x"], 2, "Missing option '--eac'"),
        (["--eac", "5 EUR", "--reason", "x", "--on", "2999-01-01"], 2, "--on: 2999-01-01"),
        (["--eac", "5 EUR", "--reason", "x", "--finish", "never"], 2, "--finish: 'never'"),
        (["--eac", "5 EUR", "--reason", "x", "--work-item", "ffffffff"], 2, "--work-item: no"),
    ],
)
def test_bad_forecasts_write_nothing(
    hierarchy: Pmo, argv: list[str], code: int, needle: str
) -> None:
    before = hierarchy.snapshot()

    assert_user_error(hierarchy("forecast", "set", "ALPHA", *argv), code, needle)
    assert hierarchy.snapshot() == before


def test_a_killed_project_takes_no_cost_nor_forecast(hierarchy: Pmo) -> None:
    hierarchy.ok(
        "project", "update", "ALPHA", "--lifecycle", "killed", "--comment", "No market",
        "--approver", "Dana (sponsor)",
    )  # fmt: skip
    before = hierarchy.snapshot()

    assert_user_error(
        hierarchy("cost", "add", "ALPHA", "5 EUR", "--on", "2025-04-17"), 4, "it is killed"
    )
    assert_user_error(
        hierarchy("forecast", "set", "ALPHA", "--eac", "5 EUR", "--reason", "x"),
        4,
        "it is killed",
    )
    assert hierarchy.snapshot() == before


@needs_stage_gate
def test_a_forecast_beyond_the_time_tolerance_is_an_exception(
    make_pmo: Callable[..., Pmo],
) -> None:
    pmo = make_pmo("controlled", profile="controlling")
    pmo.ok("portfolio", "create", "PF", "--name", "Digital")
    pmo.ok(
        "project", "create", "ALPHA", "--name", "Alpha", "--parent", "PF", "--sponsor", "Dana",
        "--budget", "100000 EUR", "--start", "2025-01-01", "--finish", "2025-04-11",
    )  # fmt: skip
    within = pmo.ok(
        "forecast", "set", "ALPHA", "--eac", "100000 EUR", "--finish", "2025-04-20",
        "--reason", "Nine days late",
    )  # fmt: skip
    assert within.stderr == ""
    assert _json(pmo, "exception", "list") == []

    beyond = pmo.ok(
        "forecast", "set", "ALPHA", "--eac", "100000 EUR", "--finish", "2025-04-22",
        "--reason", "Eleven days late: beyond 10 % of a 100-day plan",
    )  # fmt: skip

    assert "note: Exception: project time tolerance exceeded on ALPHA, escalated to PF" in (
        beyond.stderr
    )
    [exception] = _json(pmo, "exception", "list")
    assert (exception["entity"], exception["metrics"]["dimension"]) == ("ALPHA", "time")
    assert exception["issue"]["escalations"][-1]["to_entity"] == "PF"
    assert exception["issue"]["status"] == "open"
