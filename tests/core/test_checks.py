"""pmo_core.checks: each shared gate check on both sides of its boundary."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from pmo_core import Baseline, PmoGovernanceModel, RaidItem, RuleContext, Workspace
from pmo_core.checks import (
    check_baseline_exists,
    check_budget_set,
    check_high_risks_owned,
    check_sponsor_named,
    entity_label,
)

TODAY = date(2026, 3, 2)


@pytest.fixture
def ws() -> Iterator[Workspace]:
    with Workspace.in_memory(today=lambda: TODAY) as ws:
        ws.create("project", id="ALPHA", name="Alpha")
        yield ws


def _ctx(ws: Workspace) -> RuleContext:
    view = ws.view()
    return RuleContext(
        entity=view.entity("ALPHA"), view=view, model=PmoGovernanceModel(name="m"), today=TODAY
    )


def test_the_label_is_the_kind_and_the_key(ws: Workspace) -> None:
    assert entity_label(_ctx(ws)) == "project ALPHA"


@pytest.mark.parametrize(
    ("sponsor", "message"),
    [
        (None, "project ALPHA names no sponsor"),
        ("", "project ALPHA names no sponsor"),
        ("   ", "project ALPHA names no sponsor"),
        ("Dana Ruiz", None),
    ],
)
def test_sponsor_named(ws: Workspace, sponsor: str | None, message: str | None) -> None:
    ws.update("ALPHA", sponsor=sponsor)
    assert check_sponsor_named(_ctx(ws)) == message


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        (None, "project ALPHA has no budget"),
        ("0 EUR", "project ALPHA has a budget of 0 EUR; it must be positive"),
        ("0.01 EUR", None),
        ("250000 EUR", None),
    ],
)
def test_budget_set(ws: Workspace, budget: str | None, message: str | None) -> None:
    if budget is not None:
        ws.update("ALPHA", budget=budget)
    assert check_budget_set(_ctx(ws)) == message


def test_a_budget_in_another_currency_counts_as_set() -> None:
    with Workspace.in_memory(today=lambda: TODAY) as ws:
        ws.create("project", id="ALPHA", name="Alpha", budget="10 USD")
        assert check_budget_set(_ctx(ws)) is None


def test_baseline_exists(ws: Workspace) -> None:
    assert check_baseline_exists(_ctx(ws)) == "project ALPHA has no baseline; take baseline 0"
    ws.add(Baseline(project="ALPHA", number=0, taken_on=TODAY, cost="0 EUR"))
    assert check_baseline_exists(_ctx(ws)) is None


@pytest.mark.parametrize(
    ("probability", "impact", "owner", "flagged"),
    [
        (3, 5, "", True),  # score 15: high
        (5, 3, "", True),  # score 15 the other way round
        (1, 5, "", True),  # impact 5 is high whatever the probability
        (2, 4, "", False),  # score 8
        (3, 4, "", False),  # score 12: the highest score that is not high
        (4, 4, "   ", True),  # blanks are no owner
        (4, 4, "Sam", False),
    ],
)
def test_high_risks_owned(
    ws: Workspace, probability: int, impact: int, owner: str, flagged: bool
) -> None:
    ws.add(
        RaidItem(type="risk", entity="ALPHA", title="Vendor late", probability=probability,
                 impact=impact, owned_by=owner)
    )  # fmt: skip

    found = check_high_risks_owned(_ctx(ws))

    assert found == ("project ALPHA has high risks without an owner: 'Vendor late'" if flagged
                     else None)  # fmt: skip


def test_a_closed_high_risk_needs_no_owner(ws: Workspace) -> None:
    ws.add(
        RaidItem(type="risk", entity="ALPHA", title="Old", probability=5, impact=5,
                 status="closed", closed_on=TODAY)
    )  # fmt: skip
    assert check_high_risks_owned(_ctx(ws)) is None


def test_every_unowned_high_risk_is_named(ws: Workspace) -> None:
    for title in ("A", "B"):
        ws.add(RaidItem(type="risk", entity="ALPHA", title=title, probability=5, impact=5))
    found = check_high_risks_owned(_ctx(ws))
    assert found is not None
    prefix = "project ALPHA has high risks without an owner: "
    assert found.startswith(prefix)
    assert sorted(found.removeprefix(prefix).split(", ")) == ["'A'", "'B'"]
