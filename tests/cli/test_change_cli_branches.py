"""``pmo change`` with --json at every step, an impact that saves (no plus sign), a scope
change with no impact, and the state a rejection shows, in a workspace without a
methodology (test_change_cli.py covers the stage-gate one)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from cli_helpers import Pmo


@pytest.fixture
def alpha(pmo: Pmo) -> Pmo:
    pmo.ok(
        "project", "create", "ALPHA", "--name", "Alpha", "--sponsor", "Lee",
        "--budget", "1000 EUR", "--start", "2025-01-06", "--finish", "2025-12-19",
    )  # fmt: skip
    return pmo


def _json(pmo: Pmo, *args: str) -> Any:
    return json.loads(pmo.ok(*args, "--json").stdout)


def _row(pmo: Pmo, item_id: str) -> list[str]:
    line = next(x for x in pmo.ok("change", "list", "ALPHA").stdout.splitlines() if item_id in x)
    return re.split(r"\s{2,}", line.strip())


def test_a_saving_is_shown_without_a_plus_sign(alpha: Pmo) -> None:
    result = alpha.ok(
        "--as", "Kim", "change", "raise", "ALPHA", "Cheaper",
        "--cost-impact", "-200 EUR", "--schedule-impact", "-3",
    )  # fmt: skip

    item_id = result.stdout.split()[3]
    assert result.stdout == (
        f"Raised change request {item_id} on ALPHA: Cheaper (-200.00 EUR, -3 days)\n"
    )
    assert _row(alpha, item_id)[5:7] == ["-200.00 EUR, -3 days", "pending"]


def test_raise_assess_reject_and_show_as_json(alpha: Pmo) -> None:
    raised = _json(alpha, "--as", "Kim", "change", "raise", "ALPHA", "Add a site",
                   "--scope", "A disaster-recovery site")  # fmt: skip
    assert (raised["entity"], raised["title"]) == ("ALPHA", "Add a site")
    assert raised["approved"] is None
    item_id = raised["id"]

    assessed = _json(alpha, "change", "assess", item_id, "--cost-impact", "300 EUR",
                     "--schedule-impact", "10", "--comment", "Two more weeks")  # fmt: skip
    assert assessed["cost_impact"] == {"amount": "300", "currency": "EUR"}
    assert assessed["schedule_impact_days"] == 10
    assert _row(alpha, item_id)[5] == "+300.00 EUR, +10 days"

    rejected = _json(alpha, "change", "reject", item_id, "--comment", "Not this year")
    assert rejected["approved"] is False
    assert _row(alpha, item_id)[6] == "rejected"
    assert _json(alpha, "change", "show", item_id) == rejected


def test_a_scope_change_without_an_impact_shows_none(alpha: Pmo) -> None:
    result = alpha.ok("change", "raise", "ALPHA", "Rename", "--scope", "Call it Alpha One")

    item_id = result.stdout.split()[3]
    assert result.stdout.endswith(f"{item_id} on ALPHA: Rename (-)\n")


def test_a_rejection_in_text_names_the_request_and_show_lists_it(alpha: Pmo) -> None:
    raised = _json(alpha, "change", "raise", "ALPHA", "Later finish", "--schedule-impact", "5")
    item_id = raised["id"]

    result = alpha.ok("change", "reject", item_id, "--comment", "Not this year")

    assert result.stdout == f"Rejected change request {item_id} of ALPHA: Later finish\n"
    shown = alpha.ok("change", "show", item_id).stdout
    assert re.search(r"^title: +Later finish$", shown, re.M), shown
    assert re.search(r"^approved: +no$", shown, re.M), shown
