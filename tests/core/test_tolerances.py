"""Tolerances and exceptions: each measure at its boundary, the limits in force, and the
exception raised, escalated and not raised twice."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from pmo_core import (
    Baseline,
    BaselineItem,
    Forecast,
    PmoGovernanceModel,
    ToleranceSettings,
    WorkItem,
    Workspace,
    hookimpl,
)
from pmo_core._tolerances import limits, measure

TODAY = date(2026, 6, 1)
MakeWorkspace = Callable[..., Workspace]


class Tolerant:
    """A model with tolerances at both levels, escalating to the pmo."""

    @hookimpl
    def pmo_governance_models(self) -> Iterator[PmoGovernanceModel]:
        yield PmoGovernanceModel(
            name="tolerant",
            tolerances={
                "project": {"cost": "0.10", "time": "0.10", "scope": "0.20", "risk": 15},
                "program": {"cost": "0.05", "time": "0.10", "risk": 20},
            },
            escalate_to="pmo",
        )


@pytest.fixture
def ws(pmo_workspace_factory: MakeWorkspace) -> Workspace:
    ws = pmo_workspace_factory(
        plugins={"tolerant": Tolerant()}, governance_model="tolerant", today=TODAY
    )
    ws.create("portfolio", id="PF", name="Portfolio")
    ws.create("program", id="ERP", name="ERP", parent="PF",
              planned_start=date(2026, 1, 1), planned_finish=date(2026, 12, 31))  # fmt: skip
    ws.assign_role("ERP", "pmo", "Lee Chen")
    ws.create(
        "project", id="P1", name="One", parent="ERP", budget="100000 EUR",
        planned_start=date(2026, 1, 1), planned_finish=date(2026, 4, 11),  # a 100-day plan
    )  # fmt: skip
    return ws


def _check(ws: Workspace, entity: str, dimension: str) -> Any:
    return next(c for c in ws.tolerance_checks(entity) if c.dimension == dimension)


def _forecast(ws: Workspace, eac: str, finish: date | None = None, project: str = "P1") -> None:
    ws.add(Forecast(project=project, as_of=TODAY, eac=eac, finish=finish))


# ------------------------------------------------------------------------------ measures


@pytest.mark.parametrize(
    ("eac", "state"),
    [
        ("110000 EUR", "within"),  # exactly BAC x 1.10: still within
        ("110000.01 EUR", "breached"),
        ("90000 EUR", "within"),  # under budget is never a breach
    ],
)
def test_cost_breaches_only_beyond_the_limit(ws: Workspace, eac: str, state: str) -> None:
    with ws.transaction("setup") as tx:  # a write of its own: it raises nothing
        f = Forecast(project="P1", as_of=TODAY, eac=eac)
        tx.insert(f.store_kind, f.id, f.to_document(), owner="P1")
    check = _check(ws, "P1", "cost")
    assert check.state == state
    assert check.limit == Decimal("0.10")


@pytest.mark.parametrize(("slip", "state"), [(10, "within"), (11, "breached"), (-5, "within")])
def test_time_allows_the_limit_of_the_planned_duration(
    ws: Workspace, slip: int, state: str
) -> None:
    finish = date.fromordinal(date(2026, 4, 11).toordinal() + slip)
    with ws.transaction("setup") as tx:
        f = Forecast(project="P1", as_of=TODAY, eac="100000 EUR", finish=finish)
        tx.insert(f.store_kind, f.id, f.to_document(), owner="P1")
    check = _check(ws, "P1", "time")
    assert (check.state, check.actual) == (state, Decimal(slip) / 100)


@pytest.mark.parametrize(("added", "state"), [(2, "within"), (3, "breached")])
def test_scope_counts_items_added_and_removed_since_the_baseline(
    ws: Workspace, added: int, state: str
) -> None:
    items = ws.add_many(WorkItem(project="P1", subject=f"W{i}") for i in range(10))
    ws.add(
        Baseline(
            project="P1", number=0, taken_on=TODAY, cost="100000 EUR",
            items=[BaselineItem(work_item=w.id) for w in items],
        )
    )  # fmt: skip
    # One removed and the rest added: 2 changes of 10 is the 20 % limit itself.
    with ws.transaction("remove") as tx:
        tx.delete("work_item", items[0].id, expected_version=1)
    ws.add_many(WorkItem(project="P1", subject=f"New {i}") for i in range(added - 1))
    check = _check(ws, "P1", "scope")
    assert (check.state, check.actual) == (state, Decimal(added) / 10)


@pytest.mark.parametrize(("score", "state"), [((3, 5), "within"), ((4, 4), "breached")])
def test_risk_limits_the_highest_open_score(
    ws: Workspace, score: tuple[int, int], state: str
) -> None:
    ws.add_raid("P1", "risk", "Vendor", probability=score[0], impact=score[1], owned_by="Kim")
    check = _check(ws, "P1", "risk")
    assert (check.state, check.actual) == (state, Decimal(score[0] * score[1]))


def test_missing_data_holds_and_two_currencies_cannot_be_checked(ws: Workspace) -> None:
    checks = {c.dimension: c.state for c in ws.tolerance_checks("P1")}
    assert checks == {"time": "unmeasured", "cost": "unmeasured", "scope": "unmeasured",
                      "risk": "within"}  # fmt: skip
    # Each says what is missing: P1 has its dates and budget, but no forecast nor cost yet.
    assert _check(ws, "P1", "time").message == "project P1: no forecast finish"
    assert _check(ws, "P1", "cost").message == (
        "project P1: no forecast, and no actual cost to forecast from"
    )
    ws.create("project", id="BARE", name="Bare")
    assert [c.message for c in ws.tolerance_checks("BARE") if c.dimension in ("time", "cost")] == [
        "project BARE: no planned start and no planned finish and no forecast finish",
        "project BARE: no budget",
    ]
    with ws.transaction("setup") as tx:
        f = Forecast(project="P1", as_of=TODAY, eac="120000 USD")
        tx.insert(f.store_kind, f.id, f.to_document(), owner="P1")
    cost = _check(ws, "P1", "cost")
    assert cost.state == "inconsistent"
    assert "is in USD but the project is in EUR" in cost.message
    assert not cost.breached


def test_a_program_sums_its_live_projects_only(ws: Workspace) -> None:
    ws.create("project", id="P2", name="Two", parent="ERP", budget="100000 EUR")
    ws.create("project", id="DEAD", name="Dead", parent="ERP", budget="100000 EUR")
    with ws.transaction("setup") as tx:
        for project, eac in (("P1", "104000 EUR"), ("P2", "106000 EUR"), ("DEAD", "900000 EUR")):
            f = Forecast(project=project, as_of=TODAY, eac=eac)
            tx.insert(f.store_kind, f.id, f.to_document(), owner=project)
    assert _check(ws, "ERP", "cost").state == "breached"  # 1,900,000 against 300,000
    ws.change_lifecycle("DEAD", "killed", comment="No market")
    cost = _check(ws, "ERP", "cost")
    # 210,000 against 200,000 is +5 %: exactly the program's limit, so within.
    assert (cost.state, cost.actual) == ("within", Decimal("0.05"))
    # A proposed project is not authorised: its forecast is no part of the program's either.
    ws.create("project", id="IDEA", name="Idea", parent="ERP", budget="100000 EUR",
              lifecycle="proposed")  # fmt: skip
    with ws.transaction("setup") as tx:
        f = Forecast(project="IDEA", as_of=TODAY, eac="900000 EUR")
        tx.insert(f.store_kind, f.id, f.to_document(), owner="IDEA")
    assert _check(ws, "ERP", "cost").actual == Decimal("0.05")


def test_settings_replace_the_models_limit_dimension_by_dimension() -> None:
    model = PmoGovernanceModel(name="m", tolerances={"cost": "0.10", "time": "0.20"})
    chosen = limits(model, ToleranceSettings(project={"cost": Decimal("0.02")}), "project")
    assert chosen == {"cost": Decimal("0.02"), "time": Decimal("0.20")}
    assert limits(model, None, "project") == {"cost": Decimal("0.10"), "time": Decimal("0.20")}
    assert limits(model, None, "program") == {}
    with pytest.raises(ValueError, match="unknown dimension 'quality'"):
        ToleranceSettings(project={"quality": Decimal(1)})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="must be a number >= 0"):
        PmoGovernanceModel(name="m", tolerances={"cost": "-0.1"})


def test_ended_entities_are_not_measured(ws: Workspace) -> None:
    ws.change_lifecycle("P1", "killed", comment="Stopped")
    assert measure(ws.get("P1"), ws.view(), {"cost": Decimal("0.1")}) == []


# ---------------------------------------------------------------------------- exceptions


def test_a_breach_raises_an_exception_escalated_to_the_level_above(ws: Workspace) -> None:
    heard: list[Any] = []

    class Listener:
        @hookimpl
        def pmo_escalated(self, workspace: Workspace, escalations: Any) -> None:
            heard.extend(escalations)

    ws.host.pluggy.register(Listener(), name="listener")
    before = len(ws.journal())
    _forecast(ws, "130000 EUR")  # writing the forecast raises the exception

    [issue] = [r for r in ws.view().raid("P1") if r.type == "issue"]
    assert issue.title == "Exception: project cost tolerance exceeded"
    assert (issue.escalated_to, issue.owned_by, issue.impact) == ("ERP", "Lee Chen", 5)
    assert "+30%" in issue.description
    [report] = ws.view().status_reports("P1", kind="exception")
    assert (report.overall.value, report.dimensions["cost"].value) == ("red", "red")
    assert report.metrics["issue"] == issue.id
    assert report.metrics["escalated_to"] == "ERP"
    # The program holds only P1, so its own 5 % is breached too: it goes to the portfolio.
    [program_issue] = [r for r in ws.view().raid("ERP") if r.type == "issue"]
    assert program_issue.title == "Exception: program cost tolerance exceeded"
    assert [(e.from_entity, e.to_entity, e.item.id) for e in heard] == [
        ("P1", "ERP", issue.id),
        ("ERP", "PF", program_issue.id),
    ]
    # The forecast, then every exception in one transaction of its own: each issue raised
    # then escalated, and its report.
    entries = ws.journal()[before:]
    assert [e.command for e in entries] == ["forecast add", *["tolerance exception"] * 6]
    assert len({e.txn_id for e in entries[1:]}) == 1
    # The regular status is not the exception report.
    assert ws.view().latest_status("P1") is None


def test_an_open_exception_is_not_raised_twice_and_a_closed_one_is(ws: Workspace) -> None:
    _forecast(ws, "130000 EUR")
    _forecast(ws, "140000 EUR")
    issues = [r for r in ws.view().raid("P1") if r.type == "issue"]
    assert len(issues) == 1
    ws.close_raid(issues[0].id, resolution="Budget reserve released")
    assert ws.raise_exceptions(["P1"])[0].title == issues[0].title
    assert ws.raise_exceptions(["P1"]) == []


def test_without_a_level_above_the_exception_stays_with_the_entity(ws: Workspace) -> None:
    ws.create("project", id="SOLO", name="Solo", budget="1000 EUR")
    _forecast(ws, "2000 EUR", project="SOLO")
    [issue] = [r for r in ws.view().raid("SOLO") if r.type == "issue"]
    assert (issue.escalations, issue.escalated_to) == ((), None)
    assert "no level above" in issue.description


def test_a_program_breach_escalates_to_its_portfolio(ws: Workspace) -> None:
    _forecast(ws, "108000 EUR")  # within the project's 10 %, beyond the program's 5 %
    assert [r.title for r in ws.view().raid("P1") if r.type == "issue"] == []
    [issue] = [r for r in ws.view().raid("ERP") if r.type == "issue"]
    assert issue.title == "Exception: program cost tolerance exceeded"
    assert issue.escalated_to == "PF"


def test_a_budget_raise_that_brings_a_forecast_back_within_raises_nothing(ws: Workspace) -> None:
    with ws.transaction("setup") as tx:
        f = Forecast(project="P1", as_of=TODAY, eac="130000 EUR")
        tx.insert(f.store_kind, f.id, f.to_document(), owner="P1")
    ws.update("P1", budget="125000 EUR")  # 130,000 is +4 % of 125,000
    assert [r for r in ws.view().raid("P1") if r.type == "issue"] == []
    ws.update("P1", budget="110000 EUR")  # +18.2 %: due now
    assert [r.title for r in ws.view().raid("P1") if r.type == "issue"] == [
        "Exception: project cost tolerance exceeded"
    ]


def test_an_imported_forecast_beyond_tolerance_raises_the_exception(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    from pmo_core import ConnectorRequest, PmoConnector, SourceItem

    class Feed:
        @hookimpl
        def pmo_connectors(self) -> Iterator[PmoConnector]:
            def read(request: ConnectorRequest) -> Iterator[SourceItem]:
                yield SourceItem(
                    kind="forecast",
                    remote_id="F1",
                    data={"project": "P1", "as_of": "2026-06-01", "eac": "130000 EUR"},
                    where="feed:1",
                )

            yield PmoConnector(name="feed", capabilities=frozenset({"read"}), read=read)

    ws = pmo_workspace_factory(
        plugins={"tolerant": Tolerant(), "feed": Feed()}, governance_model="tolerant", today=TODAY
    )
    ws.create("project", id="P1", name="One", budget="100000 EUR")
    assert ws.import_from("feed", "x", dry_run=True).counts()["create"] == 1
    assert [r.title for r in ws.view().raid("P1")] == []  # a dry run raises nothing
    ws.import_from("feed", "x")
    assert [r.title for r in ws.view().raid("P1")] == ["Exception: project cost tolerance exceeded"]


def test_an_escalation_without_the_models_role_goes_to_the_pmo_or_a_board(ws: Workspace) -> None:
    # The model escalates to the pmo; PF has none, but a portfolio board.
    ws.assign_role("PF", "portfolio-board", "Ana Silva")
    _forecast(ws, "108000 EUR")  # beyond the program's 5 %: ERP escalates to PF
    [issue] = [r for r in ws.view().raid("ERP") if r.type == "issue"]
    assert issue.owned_by == "Ana Silva"
    assert issue.description.endswith("(escalated to portfolio PF; portfolio-board: Ana Silva)")


def test_a_program_counts_projects_without_cost_data_at_their_budget(ws: Workspace) -> None:
    ws.create("project", id="P2", name="Two", parent="ERP", budget="100000 EUR")
    _forecast(ws, "108000 EUR")  # +8 % on P1 alone, +4 % on the program's 200,000
    program = _check(ws, "ERP", "cost")
    assert (program.state, program.actual) == ("within", Decimal("0.04"))
    assert "1 without cost data counted at budget" in program.message
    assert [r.title for r in ws.view().raid("ERP") if r.type == "issue"] == []
    _forecast(ws, "111000 EUR", project="P2")  # now both have data: +9.5 %
    assert _check(ws, "ERP", "cost").state == "breached"


# ------------------------------------------------------------------------------- reports


class ToleranceReport:
    """A report that shows what ``ReportRequest.tolerance_checks`` measures."""

    @hookimpl
    def pmo_reports(self) -> Iterator[Any]:
        from pmo_core import PmoReport, ReportOutput, ReportRequest

        def render(request: ReportRequest) -> ReportOutput:
            assert request.tolerance_checks is not None
            assert request.scope is not None
            found = request.tolerance_checks(request.scope.id)
            lines = [f"{c.dimension} {c.state} {c.actual}" for c in found]
            return ReportOutput(content="\n".join(lines), media_type="text/plain")

        yield PmoReport(
            name="tolerances", summary="Tolerances.", scopes=("project",), formats=("txt",),
            render=render,
        )  # fmt: skip


def test_a_report_measures_tolerances_on_its_own_view(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    ws = pmo_workspace_factory(
        plugins={"tolerant": Tolerant(), "report": ToleranceReport()},
        governance_model="tolerant",
        today=TODAY,
    )
    ws.create("project", id="P1", name="One", budget="100000 EUR")
    with ws.transaction("setup") as tx:  # a write of its own: it raises nothing
        for forecast in (
            Forecast(project="P1", as_of=date(2026, 5, 1), eac="105000 EUR"),
            Forecast(project="P1", as_of=TODAY, eac="120000 EUR"),
        ):
            tx.insert(forecast.store_kind, forecast.id, forecast.to_document(), owner="P1")
    now = ws.report("tolerances", "P1").content
    assert "cost breached 0.2" in str(now)  # (120000 - 100000) / 100000, beyond 10 %
    # On an earlier status date the report measures the forecast of then: +5 %, within.
    then = ws.report("tolerances", "P1", status_date=date(2026, 5, 15)).content
    assert "cost within 0.05" in str(then)
    assert [c.state for c in ws.tolerance_checks("P1") if c.dimension == "cost"] == ["breached"]
