"""A scope's projects measured together (one read per record kind) give exactly the figures
each gives measured alone, and scope_members (each entity's ancestors walked once per view)
the members it always gave."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from pmo_core import (
    Baseline,
    BaselineItem,
    CostEntry,
    Entity,
    Forecast,
    Metric,
    MetricsTable,
    WorkItem,
    Workspace,
    WorkspaceView,
    measure_project,
    measure_scope,
    scope_members,
)
from pmo_core import _metrics_basis as metrics_basis
from pmo_core._metrics import ProjectMetrics, measure_basis
from pmo_core._metrics_basis import read_bases
from pmo_core._metrics_scope import Measurer
from pmo_core._rollup import ScopeMember, ScopeMembers

TODAY = date(2025, 6, 30)
START = date(2025, 1, 1)
METHODS = ("percent_complete", "0/100", "50/50", "level_of_effort", "weighted_milestones", "points")
CONFIGS = (
    MetricsTable(),
    MetricsTable(baseline=1, eac=("cpi_spi", "atypical")),
    MetricsTable(eac=("atypical",)),
)


def _foreign(ws: Workspace, *records: Any) -> None:
    # Records in another currency than their project's, as an import of old data holds them.
    with ws.transaction("foreign records") as tx:
        for record in records:
            tx.insert(record.store_kind, record.id, record.to_document(), owner=record.project)


def _project(ws: Workspace, rng: random.Random, key: str, parent: str, currency: str) -> None:
    ws.create("project", id=key, name=key, parent=parent, currency=currency,
              budget=f"{rng.randint(1, 9) * 10000} {currency}")  # fmt: skip
    if rng.random() < 0.1:
        return  # no work items: unmeasured
    items: list[WorkItem] = []
    for n in range(rng.randint(1, 7)):
        start = START + timedelta(days=rng.randint(0, 120))
        dated = rng.random()
        fields: dict[str, Any] = {
            "ev_method": rng.choice(METHODS),
            "budget": f"{rng.randint(0, 50) * 100} {currency}" if rng.random() < 0.9 else None,
            "start": start if dated > 0.1 else None,
            "due": start + timedelta(days=rng.randint(0, 90)) if dated > 0.2 else None,
        }
        if items and rng.random() < 0.4:
            fields |= {"parent": rng.choice(items).id, "points": rng.choice([None, 1, 2, 5])}
        if rng.random() < 0.2:
            fields["percent_complete"] = rng.choice([0, 30, 100])
        item = ws.add_work_item(key, f"{key} item {n}", **fields)
        items.append(item)
        done = 0
        for day in sorted(rng.sample(range(10, 170), rng.randint(0, 3))):
            done = min(100, done + rng.randint(0, 60))
            cost = f"{rng.randint(0, 40) * 100} {currency}" if rng.random() < 0.6 else None
            ws.record_progress(item.id, done, actual_cost=cost, on=START + timedelta(days=day))
    if rng.random() < 0.5:
        ws.take_baseline(key, on=START + timedelta(days=rng.randint(0, 60)))
    if rng.random() < 0.3:
        ws.add(
            Baseline(
                project=key, number=rng.choice([1, 2]), taken_on=START + timedelta(days=30),
                cost=f"{rng.randint(1, 9) * 1000} {currency}", planned_start=START,
                planned_finish=START + timedelta(days=150),
                items=[BaselineItem(work_item=i.id) for i in items[:2]],
            )
        )  # fmt: skip
    for _ in range(rng.randint(0, 3)):
        ws.add_cost(key, f"{rng.randint(1, 30) * 100} {currency}",
                    on=START + timedelta(days=rng.randint(0, 180)))  # fmt: skip
    for _ in range(rng.randint(0, 2)):
        ws.set_forecast(key, eac=f"{rng.randint(1, 9) * 1000} {currency}", reason="re-plan",
                        on=START + timedelta(days=rng.randint(0, 170)),
                        work_item=rng.choice([None, items[0].id]))  # fmt: skip
    other = "USD" if currency == "EUR" else "EUR"
    when = START + timedelta(days=rng.randint(0, 170))
    odd = rng.random()
    if odd < 0.08:
        _foreign(ws, CostEntry(project=key, incurred_on=when, amount=f"5 {other}"))
    elif odd < 0.16:
        _foreign(ws, Forecast(project=key, as_of=when, eac=f"9000 {other}"))
    elif odd < 0.22:
        _foreign(ws, WorkItem(project=key, subject="Foreign", budget=f"10 {other}"))
    if rng.random() < 0.3:
        ws.report_status(key, overall=rng.choice(["green", "amber", "red"]),
                         as_of=START + timedelta(days=rng.randint(0, 180)))  # fmt: skip


def _generated(seed: int) -> Workspace:
    """Two portfolios of programs and projects (a sub-project, projects in EUR and USD),
    every EV method, progress histories, baselines (by item and whole), cost entries,
    forecasts, records in another currency, and on-hold, killed, closed and proposed ones."""
    rng = random.Random(seed)
    ws = Workspace.in_memory(today=lambda: TODAY, actor="kim")
    ws.create("portfolio", id="PF", name="PF")
    ws.create("portfolio", id="OPS", name="OPS", currency="USD")
    ws.create("program", id="ERP", name="ERP", parent="PF")
    ws.create("program", id="CRM", name="CRM", parent="PF")
    ws.create("program", id="NEW", name="NEW", parent="OPS", lifecycle="proposed")
    parents = ["PF", "ERP", "ERP", "CRM", "OPS", "NEW"]
    keys = [f"P{n:02}" for n in range(14)]
    for key in keys:
        parent = rng.choice(parents)
        currency = "USD" if parent in ("OPS", "NEW") or rng.random() < 0.15 else "EUR"
        _project(ws, rng, key, parent, currency)
    ws.create("project", id="SUB", name="SUB", parent=keys[0], currency="EUR")
    _project(ws, rng, "SUBW", "SUB", "EUR")
    held, killed, closed = rng.sample(keys[1:], 3)
    ws.change_lifecycle(held, "on_hold", approvers=[], comment="Vendor dispute", on=TODAY)
    ws.change_lifecycle(killed, "killed", approvers=[], comment="No market",
                        on=START + timedelta(days=100))  # fmt: skip
    ws.report_status(closed, overall="green", as_of=START + timedelta(days=150))
    ws.change_lifecycle(closed, "closed", approvers=[], comment="Done", lessons=["x"],
                        on=START + timedelta(days=150))  # fmt: skip
    ws.change_lifecycle("CRM", "on_hold", approvers=[], comment="Budget review", on=TODAY)
    return ws


def _one_by_one(
    view: WorkspaceView, projects: list[Entity], on: date, config: MetricsTable
) -> dict[str, ProjectMetrics]:
    return {p.id: measure_project(view, p, status_date=on, config=config) for p in projects}


def _together(
    view: WorkspaceView, projects: list[Entity], on: date, config: MetricsTable
) -> dict[str, ProjectMetrics]:
    rule = tuple(config.eac)
    return {b.project.id: measure_basis(b, rule) for b in read_bases(view, projects, on, config)}


def _assert_same(batched: dict[str, ProjectMetrics], single: dict[str, ProjectMetrics]) -> None:
    assert list(batched) == list(single)
    for key, figures in single.items():
        assert batched[key].as_dict() == figures.as_dict(), key
        assert batched[key].metrics == figures.metrics, key
        assert batched[key].conflicts == figures.conflicts, key


def _assert_valid(metrics: tuple[Metric, ...]) -> None:
    # The service builds its metrics without validating them again: each is what
    # validating the same values gives, down to the type of every input.
    for metric in metrics:
        valid = Metric.model_validate(dict(metric))
        assert valid == metric
        assert valid.model_dump(mode="json") == metric.model_dump(mode="json")
        for name, value in valid.inputs.items():
            assert type(metric.inputs[name]) is type(value), (metric.name, name)
        assert type(metric.value) is type(valid.value), metric.name


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_projects_measured_together_give_each_ones_own_figures(seed: int) -> None:
    ws = _generated(seed)
    for on in (START + timedelta(days=45), date(2025, 5, 31), TODAY, date(2025, 12, 31)):
        view = ws.view(status_date=on)
        projects = view.projects(include_archived=True)
        for config in CONFIGS:
            single = _one_by_one(view, projects, on, config)
            _assert_same(_together(view, projects, on, config), single)
            # Measured on another day than the view's, as an ended member is.
            earlier = on - timedelta(days=20)
            _assert_same(
                _together(view, projects, earlier, config),
                _one_by_one(view, projects, earlier, config),
            )
        for figures in single.values():
            _assert_valid(figures.metrics)


@pytest.mark.parametrize("seed", [1, 2])
def test_an_as_of_view_measures_the_same_together(seed: int) -> None:
    ws = _generated(seed)
    view = ws.view(TODAY, status_date=date(2025, 5, 31))  # the journal: no bulk path
    projects = view.projects()
    config = MetricsTable()
    single = _one_by_one(view, projects, view.status_date, config)
    _assert_same(_together(view, projects, view.status_date, config), single)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_scope_measured_together_is_the_scope_measured_one_by_one(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _generated(seed)
    view = ws.view()
    scopes: list[Entity | None] = [None, *view.portfolios(), *view.programs()]
    together = [measure_scope(view, s).as_dict() for s in scopes]
    series = measure_scope(view, "PF", series="month").as_dict()
    # The measurer as it was: each project alone, each status report looked up alone.
    monkeypatch.setattr(Measurer, "prefetch", lambda self, projects, on: None)
    monkeypatch.setattr(Measurer, "prefetch_statuses", lambda self, keys: None)
    view = ws.view()
    assert [measure_scope(view, s).as_dict() for s in scopes] == together
    assert measure_scope(view, "PF", series="month").as_dict() == series
    for row in measure_scope(view).rows:
        _assert_valid(row.figures.metrics)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_projects_measured_a_chunk_at_a_time_give_each_ones_own_figures(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _generated(seed)
    view = ws.view()
    scopes: list[Entity | None] = [None, *view.portfolios(), *view.programs()]
    whole = [measure_scope(view, s, series="month").as_dict() for s in scopes]
    monkeypatch.setattr(metrics_basis, "CHUNK_PROJECTS", 3)
    for on in (START + timedelta(days=45), TODAY):
        view = ws.view(status_date=on)
        projects = view.projects(include_archived=True)
        assert len(projects) > 4 * 3  # several chunks, the last one short
        for config in CONFIGS:
            _assert_same(
                _together(view, projects, on, config), _one_by_one(view, projects, on, config)
            )
    past = ws.view(TODAY, status_date=date(2025, 5, 31))  # the journal: no bulk path
    projects = past.projects()
    on = past.status_date
    _assert_same(
        _together(past, projects, on, MetricsTable()),
        _one_by_one(past, projects, on, MetricsTable()),
    )
    view = ws.view()
    assert [measure_scope(view, s, series="month").as_dict() for s in scopes] == whole


def test_the_work_items_are_read_a_chunk_of_projects_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ws = _generated(5)
    view = ws.view()
    asked: list[tuple[str, Any]] = []
    source = view._source
    real_values = source.values  # type: ignore[union-attr]  # the store's, not a past view

    def values(kind: str, fields: Any, **kwargs: Any) -> Any:
        asked.append((kind, kwargs.get("owners")))
        return real_values(kind, fields, **kwargs)

    monkeypatch.setattr(source, "values", values)
    monkeypatch.setattr(metrics_basis, "CHUNK_PROJECTS", 4)
    projects = view.projects(include_archived=True)
    keys = [p.id for p in projects]
    bases = list(read_bases(view, [*projects, projects[0]], TODAY))  # one asked twice
    assert [b.project.id for b in bases] == keys
    chunks = [list(owners) for kind, owners in asked if kind == "work_item" and owners]
    assert chunks == [keys[i : i + 4] for i in range(0, len(keys), 4)]


def test_a_scope_reads_each_record_kind_once_however_many_projects() -> None:
    ws = _generated(5)
    view = ws.view()
    kinds: list[str] = []
    source = view._source
    real_query = source.query
    real_values = source.values  # type: ignore[union-attr]  # the store's, not a past view

    def query(kind: str, **kwargs: Any) -> Any:
        kinds.append(kind)
        return real_query(kind, **kwargs)

    def values(kind: str, fields: Any, **kwargs: Any) -> Any:
        kinds.append(kind)
        return real_values(kind, fields, **kwargs)

    view._source = type("Counting", (), {"query": staticmethod(query),
                                          "values": staticmethod(values)})()  # fmt: skip
    measure_scope(view)
    measured = len(view.projects())
    ended = len(scope_members(view).ended)  # each measured alone, on the day it ended
    assert measured > 10
    # Per project it would be a read of each kind per project; together, one of each (the
    # work items of a project that earns by its children's points are read again for them).
    assert kinds.count("baseline") <= 1 + ended
    assert kinds.count("forecast") <= 1 + ended
    assert kinds.count("cost_entry") <= 1 + ended
    assert kinds.count("work_item") < measured


# -------------------------------------------------------------------- scope members


def _walked_members(view: WorkspaceView, scope: Entity | None) -> ScopeMembers:
    # scope_members as it was written first: every entity's ancestors walked afresh.
    from pmo_core._rollup import _standing

    under = scope.id if scope is not None else None
    entities = {e.id: e for e in view.entities(include_archived=True)}

    def ancestors(key: str) -> list[Entity]:
        out: list[Entity] = []
        parent = entities[key].parent
        while parent is not None and parent in entities and entities[parent] not in out:
            out.append(entities[parent])
            parent = entities[parent].parent
        return out

    members = []
    for entity in sorted(entities.values(), key=lambda e: e.id):
        line = ancestors(entity.id)
        if entity.archived or (under is not None and under not in [a.id for a in line]):
            continue
        chain = []
        for ancestor in line:
            if ancestor.id == under:
                break
            chain.append(ancestor)
        standing, cause, held = _standing(entity, chain)
        members.append(ScopeMember(entity, standing, cause, held))
    return ScopeMembers(scope=scope, members=tuple(members))


@pytest.mark.parametrize("seed", [1, 2, 3, 6])
def test_scope_members_are_the_same_for_nested_portfolios_and_programs(seed: int) -> None:
    ws = _generated(seed)
    ws.create("project", id="DEEP", name="DEEP", parent="ERP")
    ws.create("project", id="DEEPER", name="DEEPER", parent="DEEP")
    ws.create("project", id="LEAF", name="LEAF", parent="DEEPER")
    ws.create("project", id="LEAF2", name="LEAF2", parent="LEAF")
    ws.change_lifecycle("DEEP", "on_hold", approvers=[], comment="Review", on=TODAY)
    ws.create("project", id="GONE", name="GONE", parent="DEEPER")
    ws.archive("GONE")
    view = ws.view()
    for scope in [None, *view.entities()]:
        assert scope_members(view, scope) == _walked_members(view, scope), scope
    assert [e.id for e in view.entities(under="ERP") if e.id.startswith("LEAF")] == [
        "LEAF",
        "LEAF2",
    ]
    assert view.ancestor_ids("LEAF2") == ["LEAF", "DEEPER", "DEEP", "ERP", "PF"]
    assert view.scope_keys("DEEP") == {"DEEP", "DEEPER", "LEAF", "LEAF2"}


def test_the_measurer_keeps_what_measure_project_gives() -> None:
    ws = _generated(7)
    view = ws.view()
    measure = Measurer(view, MetricsTable())
    projects = view.projects()
    measure.prefetch(projects, TODAY)
    for project in projects:
        alone = measure_project(view, project)
        assert measure.figures(project, TODAY).as_dict() == alone.as_dict()
        assert measure.figures(project, TODAY).bases == ()
    assert Decimal(0) <= sum(
        (measure.figures(p, TODAY).value("bac") or Decimal(0) for p in projects), Decimal(0)
    )


def test_the_latest_status_reports_found_in_bulk_are_those_found_one_by_one() -> None:
    ws = _generated(8)
    keys = [p.id for p in ws.view().projects(include_archived=True)]
    day = START + timedelta(days=90)
    # Two reports of one day (the last written wins), an exception report (not a status
    # report), and reports after the status dates asked about below.
    ws.report_status(keys[0], overall="green", as_of=day)
    ws.report_status(keys[0], overall="red", as_of=day)
    ws.report_status(keys[1], overall="amber", as_of=day)
    ws.report_status(keys[1], overall="red", as_of=day + timedelta(days=1), kind="exception")
    ws.report_status(keys[2], overall="amber", as_of=TODAY)
    for on in (day, day + timedelta(days=1), TODAY):
        view = ws.view(status_date=on)
        found = view.latest_statuses([*keys, "PF", "NOPE"])
        assert found == {k: view.latest_status(k) for k in [*keys, "PF", "NOPE"]}
    latest = ws.view(status_date=day).latest_statuses(keys)[keys[0]]
    assert latest is not None
    assert latest.overall.value == "red"


@pytest.mark.parametrize("seed", [1, 8])
def test_a_scopes_rows_report_the_same_colours_measured_together(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _generated(seed)

    def rows() -> list[tuple[str, Any, Any, Any, Any]]:
        view = ws.view()
        return [
            (r.project.id, r.reported, r.reported_on, r.held_by, r.watermelon)
            for scope in [None, *view.portfolios(), *view.programs()]
            for r in measure_scope(view, scope).rows
        ]

    together = rows()
    assert any(reported for _, reported, *_ in together)
    monkeypatch.setattr(Measurer, "prefetch_statuses", lambda self, keys: None)
    assert rows() == together
