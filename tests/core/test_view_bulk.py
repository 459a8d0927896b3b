"""A view asked for one kind's records owner by owner, as a rule run for every project asks,
reads the kind whole once past a few asks and answers the rest from it: the same records,
in the same order, as asking each owner alone."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest

from pmo_core import Workspace, WorkspaceView, _view

TODAY = date(2025, 6, 30)
KEYS = [f"P{n:02}" for n in range(60)]


@pytest.fixture(scope="module")
def ws() -> Workspace:
    ws = Workspace.in_memory(today=lambda: TODAY, actor="kim")
    ws.create("portfolio", id="PF", name="PF")
    for n, key in enumerate(KEYS):
        ws.create("project", id=key, name=key, parent="PF")
        # Several reports on one day (ordered by when written), on other days, none at all.
        for day in range(n % 4):
            ws.report_status(key, overall="amber", as_of=TODAY - timedelta(days=10 * day))
            ws.report_status(key, overall="green", as_of=TODAY - timedelta(days=10 * day))
        for m in range(n % 3):
            ws.add_raid(key, "risk", f"Risk {m} of {key}", probability=3, impact=2)
    return ws


def _counted(view: WorkspaceView) -> Counter[tuple[str, str]]:
    calls: Counter[tuple[str, str]] = Counter()
    source = view._source
    real = source.query

    def query(kind: str, **kwargs: Any) -> Any:
        calls[kind, "one" if isinstance(kwargs.get("owner"), str) else "all"] += 1
        return real(kind, **kwargs)

    view._source = type("Counting", (), {"query": staticmethod(query),
                                         "count": source.count, "get": source.get})()  # fmt: skip
    return calls


def _fresh(ws: Workspace) -> WorkspaceView:
    return ws.view()


def test_records_asked_owner_by_owner_equal_each_asked_alone(ws: Workspace) -> None:
    view = ws.view()
    calls = _counted(view)

    reports = {k: view.status_reports(k) for k in KEYS}
    raid = {k: view.raid(k) for k in KEYS}

    assert reports == {k: _fresh(ws).status_reports(k) for k in KEYS}
    assert raid == {k: _fresh(ws).raid(k) for k in KEYS}
    assert sum(len(r) for r in reports.values()) == sum(2 * (n % 4) for n in range(60))
    # Past the threshold, each kind was read whole once instead of once per owner.
    assert calls["status_report", "one"] == calls["raid", "one"] == _view._BULK_AFTER
    assert calls["status_report", "all"] == calls["raid", "all"] == 1


def test_a_kind_too_large_to_hold_is_still_read_owner_by_owner(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_view, "_BULK_MAX", 10)
    view = ws.view()
    calls = _counted(view)

    reports = {k: view.status_reports(k) for k in KEYS}

    assert reports == {k: _fresh(ws).status_reports(k) for k in KEYS}
    assert calls["status_report", "one"] == len(KEYS)
    assert calls["status_report", "all"] == 0


def test_an_earlier_view_in_bulk_keeps_to_its_date(ws: Workspace) -> None:
    then = TODAY - timedelta(days=15)
    earlier = ws.view(status_date=then)

    found = {k: earlier.status_reports(k) for k in KEYS}

    assert found == {k: ws.view(status_date=then).status_reports(k) for k in KEYS}
    assert all(r.as_of <= then for reports in found.values() for r in reports)
    assert any(found.values())
