"""On the demo workspace, the projects of a scope measured together (one read per record
kind) give exactly the figures each gives measured alone."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pmo_demo import build_demo

from pmo_core import MetricsTable, Workspace, WorkspaceView, measure_project, measure_scope
from pmo_core._metrics import measure_basis
from pmo_core._metrics_basis import read_bases
from pmo_core._metrics_scope import Measurer

TODAY = date(2025, 6, 30)


@pytest.fixture(scope="module")
def demo() -> Workspace:
    ws = Workspace.in_memory(enabled=["governance", "stage-gate"], today=lambda: TODAY)
    build_demo(ws)
    return ws


@pytest.mark.parametrize("on", [date(2025, 3, 31), TODAY])
@pytest.mark.parametrize("config", [MetricsTable(), MetricsTable(baseline=1, eac=("cpi",))])
def test_every_demo_project_measured_together_is_measured_alone(
    demo: Workspace, on: date, config: MetricsTable
) -> None:
    view = demo.view(status_date=on)
    projects = view.projects(include_archived=True)
    together = {
        b.project.id: measure_basis(b, tuple(config.eac)).as_dict()
        for b in read_bases(view, projects, on, config)
    }
    alone = {p.id: measure_project(view, p, config=config).as_dict() for p in projects}
    assert together == alone
    assert sum(1 for figures in alone.values() if figures["measured"]) > 10


def test_every_demo_scope_is_the_same_measured_together(
    demo: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = demo.view()
    scopes = [None, *view.portfolios(), *view.programs()]
    together = [measure_scope(view, s).as_dict() for s in scopes]
    monkeypatch.setattr(Measurer, "prefetch", lambda self, projects, on: None)
    monkeypatch.setattr(Measurer, "prefetch_statuses", lambda self, keys: None)
    view = demo.view()
    assert [measure_scope(view, s).as_dict() for s in scopes] == together


def test_a_governance_check_shares_the_figures_its_rules_read(
    demo: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pmo_core._metrics as metrics
    import pmo_core._metrics_scope as scope_metrics
    import pmo_core._tolerances as tolerances

    measured: list[str] = []
    real = metrics.measure_basis

    def counting(basis: Any, rule: Any) -> Any:
        measured.append(basis.project.id)
        return real(basis, rule)

    monkeypatch.setattr(metrics, "measure_basis", counting)
    monkeypatch.setattr(scope_metrics, "measure_basis", counting)
    shared = demo.check()
    shared_count = len(measured)

    # Each rule measuring for itself, as before the check shared its figures.
    def fresh(view: WorkspaceView) -> Measurer:
        return Measurer(view, view.metrics_config or MetricsTable())

    monkeypatch.setattr(scope_metrics, "measurer_of", fresh)
    monkeypatch.setattr(tolerances, "measurer_of", fresh)
    monkeypatch.setattr(Measurer, "expect", lambda self, projects, on: None)
    measured.clear()
    assert demo.check() == shared
    assert 0 < shared_count < len(measured)
