from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pmo_acme_report
import pytest

from pmo_core import InvalidInputError
from pmo_core.testing import (
    HOSTILE_STRINGS,
    ReportConformance,
    assert_valid_plugin,
    make_portfolio,
    make_project,
)

ON = date(2025, 4, 30)  # the status date of every test


def portfolio(factory, **settings):
    """A portfolio PF of two projects, ALPHA and BETA, with the report registered."""
    ws = factory(plugins={"acme-report": pmo_acme_report}, store="memory", today=ON, **settings)
    make_portfolio("PF", name="Acme portfolio", workspace=ws)
    make_project("ALPHA", parent="PF", workspace=ws)
    make_project("BETA", parent="PF", workspace=ws)
    return ws


@pytest.fixture
def ws(pmo_workspace_factory):
    return portfolio(pmo_workspace_factory)


def action(ws, project, title, due, **fields):
    return ws.add_raid(project, "action", title, due=due, raised_on=date(2025, 4, 1), **fields)


def report(ws, scope="PF", **options):
    return json.loads(ws.report("overdue-actions", scope, format="json", options=options).content)


def test_plugin_is_valid():
    assert_valid_plugin(pmo_acme_report, plugin_id="acme-report")


def test_an_action_is_overdue_from_the_day_after_its_due_date(ws):
    action(ws, "ALPHA", "Due yesterday", date(2025, 4, 29), owned_by="Sam")
    action(ws, "ALPHA", "Due today", ON)
    action(ws, "BETA", "Due next week", date(2025, 5, 7))
    data = report(ws)
    assert [(a["action"], a["days_overdue"]) for a in data["actions"]] == [("Due yesterday", 1)]
    assert data["open"] == 3


def test_grace_days_are_not_overdue(ws):
    action(ws, "ALPHA", "Two days late", date(2025, 4, 28))
    assert report(ws, grace="1")["actions"][0]["days_overdue"] == 2
    assert report(ws, grace="2")["actions"] == []
    assert report(ws, grace=1)["grace"] == 1  # from Python, a number


def test_a_workspace_sets_the_default_grace_and_the_option_wins(pmo_workspace_factory):
    ws = portfolio(pmo_workspace_factory, settings={"acme-report": {"grace": 2}})
    action(ws, "ALPHA", "Two days late", date(2025, 4, 28))
    assert (report(ws)["grace"], report(ws)["actions"]) == (2, [])
    assert report(ws, grace="0")["actions"][0]["days_overdue"] == 2


def test_a_bad_setting_is_refused_naming_its_table(pmo_workspace_factory):
    ws = portfolio(pmo_workspace_factory, settings={"acme-report": {"grace": -1}})
    with pytest.raises(InvalidInputError, match=r"\[settings\.acme-report\]"):
        ws.report("overdue-actions", "PF")


def test_an_action_closed_after_the_status_date_was_still_open(ws):
    late = action(ws, "ALPHA", "Closed since", date(2025, 4, 1))
    ws.close_raid(late.id, "Done", on=ON)
    assert report(ws)["open"] == 0  # closed on the status date: no longer open then
    earlier = ws.report("overdue-actions", "PF", format="json", status_date=date(2025, 4, 29))
    assert json.loads(earlier.content)["open"] == 1


def test_a_killed_project_leaves_the_portfolio_but_not_its_own_report(ws):
    action(ws, "BETA", "Late", date(2025, 4, 1))
    ws.change_lifecycle("BETA", "killed", approvers=[], comment="Stopped", on=None)
    assert report(ws)["open"] == 0
    assert report(ws, scope="BETA")["open"] == 1


@pytest.mark.parametrize(
    ("share", "rag"),
    [
        (Decimal("0"), "green"),
        (Decimal("0.0999"), "green"),
        (Decimal("0.10"), "green"),
        (Decimal("0.1001"), "amber"),
        (Decimal("0.25"), "amber"),
        (Decimal("0.2501"), "red"),
        (None, None),
    ],
)
def test_share_colours_at_their_boundaries(share, rag):
    assert pmo_acme_report.share_rag(share) == rag


def test_the_share_carries_its_lineage(ws):
    action(ws, "ALPHA", "Late", date(2025, 4, 1))
    action(ws, "ALPHA", "On time", date(2025, 5, 1))
    action(ws, "BETA", "Also on time", date(2025, 5, 2))
    [metric] = ws.report("overdue-actions", "PF").metrics
    assert (metric.value, metric.rag) == (Decimal("0.3333"), "red")
    assert metric.inputs == {"overdue actions": Decimal(1), "open actions": Decimal(3)}


def test_no_open_action_leaves_the_share_undefined(ws):
    [metric] = ws.report("overdue-actions", "PF").metrics
    assert (metric.value, metric.rag) == (None, None)


@pytest.mark.parametrize(
    ("options", "where"),
    [
        ({"grace": "soon"}, "--option grace"),
        ({"grace": "-1"}, "--option grace"),
        ({"grace": True}, "--option grace"),
        ({"owner": "Sam"}, "--option owner"),
    ],
)
def test_a_bad_option_is_refused_naming_it(ws, options, where):
    with pytest.raises(InvalidInputError) as refused:
        ws.report("overdue-actions", "PF", options=options)
    assert refused.value.where == where


def test_text_from_data_stays_inert(ws):
    action(ws, "ALPHA", HOSTILE_STRINGS["formula-equals"], date(2025, 4, 1))
    action(ws, "ALPHA", HOSTILE_STRINGS["script"], date(2025, 4, 2))
    markdown = ws.report("overdue-actions", "PF", format="md").content
    html = ws.report("overdue-actions", "PF", format="html").content
    csv = ws.report("overdue-actions", "PF", format="csv").content
    assert "<script>" not in markdown
    assert "<script>" not in html
    assert "'=HYPERLINK" in csv  # a quote first: a spreadsheet shows it, never runs it


def test_the_report_from_the_cli(pmo_workspace_factory, pmo_cli):
    # The CLI loads plugins as pmo does, through the installed entry point.
    ws = pmo_workspace_factory(enabled=["acme-report"], today=ON)
    make_portfolio("PF", name="Acme portfolio", workspace=ws)
    make_project("ALPHA", parent="PF", workspace=ws)
    action(ws, "ALPHA", "Sign the contract", date(2025, 4, 18))
    listed = pmo_cli("report", "list", "--json", workspace=ws)
    assert "overdue-actions" in [r["name"] for r in listed.json()]
    result = pmo_cli(
        "report", "overdue-actions", "PF", "--status-date", "2025-04-30", "--json", workspace=ws
    )
    assert result.exit_code == 0, result.stderr
    assert result.json()["actions"][0]["days_overdue"] == 12


class TestOverdueActionsConformance(ReportConformance):
    plugin = pmo_acme_report
    reports = ("overdue-actions",)
