"""pmo baseline take / list / show / compare, under supportive and controlling governance."""

from __future__ import annotations

import json
from collections.abc import Callable

from cli_helpers import Pmo, assert_user_error, needs_governance, needs_stage_gate


def _alpha(pmo: Pmo) -> Pmo:
    pmo.ok("portfolio", "create", "PF", "--name", "Products")
    pmo.ok(
        "project", "create", "ALPHA", "--name", "Alpha", "--parent", "PF",
        "--sponsor", "Dana Ruiz", "--budget", "250000 EUR", "--start", "2025-01-06",
        "--finish", "2025-12-19",
    )  # fmt: skip
    return pmo


@needs_governance
def test_take_list_show_and_compare_under_supportive_governance(
    make_pmo: Callable[..., Pmo],
) -> None:
    pmo = _alpha(make_pmo("sup", profile="starter"))

    taken = pmo.ok("baseline", "take", "ALPHA", "--name", "Initial", "--on", "2025-01-06")
    assert "Took baseline 0 of ALPHA on 2025-01-06: 2025-01-06 to 2025-12-19" in taken.output
    pmo.ok("project", "update", "ALPHA", "--budget", "275000 EUR", "--finish", "2026-01-16")

    compared = json.loads(pmo.ok("baseline", "compare", "ALPHA", "0", "--json").output)
    assert compared["after"]["baseline"] is None  # the plan now
    assert compared["schedule"] == {"start_days": 0, "finish_days": 28}
    assert compared["cost"] == {"delta": {"amount": "25000", "currency": "EUR"}, "fraction": "0.1"}
    text = pmo.ok("baseline", "compare", "ALPHA").output
    assert "ALPHA: baseline 0 -> current plan" in text
    assert "(+28 days)" in text

    # Supportive governance records changes: re-baselining is free.
    again = json.loads(pmo.ok("baseline", "take", "ALPHA", "--json").output)
    assert (again["number"], again["cost"]) == (1, {"amount": "275000", "currency": "EUR"})
    listed = json.loads(pmo.ok("baseline", "list", "ALPHA", "--json").output)
    assert [b["number"] for b in listed] == [0, 1]
    assert "Initial" in pmo.ok("baseline", "list", "ALPHA").output
    shown = json.loads(pmo.ok("baseline", "show", "ALPHA", "0", "--json").output)
    assert shown["name"] == "Initial"
    two = json.loads(pmo.ok("baseline", "compare", "ALPHA", "0", "1", "--json").output)
    assert two["after"]["baseline"] == 1
    assert two["unchanged"] is False


@needs_stage_gate
def test_under_controlling_governance_a_re_baseline_is_refused(
    make_pmo: Callable[..., Pmo],
) -> None:
    pmo = _alpha(make_pmo("ctl", profile="controlling"))
    pmo.ok("baseline", "take", "ALPHA")
    before = pmo.snapshot()

    result = pmo("baseline", "take", "ALPHA")

    assert_user_error(result, 5, "only by approving a change request", "'pmo change raise ALPHA")
    assert pmo.snapshot() == before


@needs_governance
def test_bad_input_is_one_line_and_writes_nothing(make_pmo: Callable[..., Pmo]) -> None:
    pmo = _alpha(make_pmo("sup", profile="starter"))
    pmo.ok("project", "create", "BETA", "--name", "Beta", "--parent", "PF")
    before = pmo.snapshot()
    for args, code, needle in (
        (["take", "NOPE"], 3, "'NOPE'"),
        (["take", "PF"], 2, "PF is a portfolio"),
        (["take", "BETA"], 2, "BETA has no budget"),
        (["take", "ALPHA", "--on", "2999-01-01"], 2, "--on: 2999-01-01 is after the status date"),
        (["compare", "ALPHA"], 3, "ALPHA has no baseline; take baseline 0"),
        (["show", "ALPHA", "11"], 2, "NUMBER: 11 is not in the range 0..10"),
    ):
        assert_user_error(pmo("baseline", *args), code, needle)
    assert pmo.snapshot() == before
    pmo.ok("baseline", "take", "ALPHA")
    assert_user_error(
        pmo("baseline", "compare", "ALPHA", "0", "0", "--current"), 2, "--current: give"
    )
