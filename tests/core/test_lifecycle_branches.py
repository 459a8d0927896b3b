"""Lifecycle decisions at their edges: moves that do not exist, a killed or closed entity
refusing a move and saying why, refused closures writing nothing, the closure report's
figures as of the closing day, and a resumed entity's health when the hold hid it."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

import pytest
from plan_control_support import TODAY, MakeWorkspace, make

from pmo_core import ConflictError, InvalidInputError, Workspace

E = TypeVar("E", bound=Exception)


@pytest.fixture
def ws(pmo_workspace_factory: MakeWorkspace) -> Workspace:
    return make(pmo_workspace_factory)


def _refused(ws: Workspace, error: type[E], match: str, **kwargs: object) -> E:
    """Call change_lifecycle with ``kwargs``; it must raise ``error`` and write nothing."""
    before = len(ws.journal())
    with pytest.raises(error, match=match) as caught:
        ws.change_lifecycle(**kwargs)  # type: ignore[arg-type]
    assert len(ws.journal()) == before
    return caught.value


def test_moving_to_the_state_it_is_in_is_refused_at_the_lifecycle_option(ws: Workspace) -> None:
    exc = _refused(
        ws, InvalidInputError, "ALPHA is already active", entity="ALPHA", to="active", comment="x"
    )
    assert exc.where == "--lifecycle"


def test_a_move_that_does_not_exist_lists_the_moves_there_are(ws: Workspace) -> None:
    exc = _refused(
        ws,
        InvalidInputError,
        r"ALPHA cannot go from active to proposed \(from active: closed, killed, on_hold\)",
        entity="ALPHA",
        to="proposed",
        comment="Back to the drawing board",
    )
    assert exc.where == "--lifecycle"


def test_a_killed_entity_refuses_any_move_but_reopening_and_says_who_killed_it(
    ws: Workspace,
) -> None:
    ws.change_lifecycle("ALPHA", "killed", comment="No market", on=date(2025, 5, 30))
    _refused(
        ws,
        ConflictError,
        r"cannot make active ALPHA: it is killed \(2025-05-30 by tester\); killed is final, "
        r"reopening needs an approved request \('pmo project update ALPHA --lifecycle proposed",
        entity="ALPHA",
        to="active",
        comment="Changed our minds",
    )


def test_a_closed_entity_refuses_every_move_as_read_only(ws: Workspace) -> None:
    ws.report_status("ALPHA", overall="green", summary="Done")
    ws.change_lifecycle("ALPHA", "closed", comment="Delivered", lessons=["Start earlier"])
    for to in ("active", "proposed", "killed"):
        _refused(
            ws,
            ConflictError,
            rf"cannot make {to} ALPHA: it is closed \({TODAY} by tester\); a closed project "
            r"is read-only except for lessons \('pmo lesson add'\)",
            entity="ALPHA",
            to=to,
            comment="Again",
        )


def test_an_entity_discontinued_before_the_lifecycle_existed_is_refused_without_a_date(
    ws: Workspace,
) -> None:
    """A document an older version wrote says ``discontinued`` and has no lifecycle fields:
    killed, and the refusal names no '(date by whom)' it would have to invent."""
    with ws.transaction("written by an older version") as tx:
        doc = tx.get("project", "ALPHA")
        assert doc is not None
        data = {k: v for k, v in doc.data.items() if not k.startswith("lifecycle")}
        tx.update(
            "project", "ALPHA", {**data, "status": "discontinued"}, expected_version=doc.version
        )
    assert ws.get("ALPHA").lifecycle == "killed"

    exc = _refused(
        ws, ConflictError, "it is killed;", entity="ALPHA", to="active", comment="Revive"
    )
    assert str(exc) == (
        "cannot make active ALPHA: it is killed; killed is final, reopening needs an approved "
        "request ('pmo project update ALPHA --lifecycle proposed --approver ...')"
    )


def test_a_decision_dated_after_the_status_date_is_refused_at_on(ws: Workspace) -> None:
    exc = _refused(
        ws,
        InvalidInputError,
        "2025-06-03 is after the status date 2025-06-02",
        entity="ALPHA",
        to="on_hold",
        comment="Funding",
        on=date(2025, 6, 3),
    )
    assert exc.where == "--on"


def test_a_decision_without_a_reason_is_refused_at_comment(ws: Workspace) -> None:
    exc = _refused(
        ws,
        InvalidInputError,
        r"say why ALPHA becomes on_hold \(a hold is recorded with its reason\)",
        entity="ALPHA",
        to="on_hold",
        comment="   ",
    )
    assert exc.where == "--comment"


def test_closing_without_a_lesson_is_refused_blank_lessons_not_counting(ws: Workspace) -> None:
    ws.report_status("ALPHA", overall="green", summary="Done")
    exc = _refused(
        ws,
        InvalidInputError,
        "closing ALPHA records its lessons learned: give at least one",
        entity="ALPHA",
        to="closed",
        comment="Delivered",
        lessons=["", "   "],
    )
    assert exc.where == "--lesson"
    assert ws.get("ALPHA").lifecycle == "active"


def test_closing_without_a_status_report_is_refused_and_writes_no_lesson(ws: Workspace) -> None:
    exc = _refused(
        ws,
        InvalidInputError,
        r"ALPHA has no status report: record its final status before closing "
        r"\('pmo status report ALPHA --overall \.\.\.'\)",
        entity="ALPHA",
        to="closed",
        comment="Delivered",
        lessons=["Start earlier"],
    )
    assert exc.where == "--lifecycle"
    assert ws.view().lessons("ALPHA") == []


def test_the_closure_report_counts_costs_up_to_the_closing_day_per_currency(
    ws: Workspace,
) -> None:
    ws.add_cost("ALPHA", "1000 EUR", on=date(2025, 4, 1))
    ws.add_cost("ALPHA", "500 EUR", on=date(2025, 4, 20))
    ws.add_cost("ALPHA", "700 EUR", on=date(2025, 5, 15))  # after the closing day: left out
    ws.update("ALPHA", actual_start=date(2025, 1, 13))
    ws.report_status("ALPHA", overall="amber", summary="Nearly")

    closed = ws.change_lifecycle(
        "ALPHA", "closed", comment="Delivered", on=date(2025, 4, 30), lessons=["Start earlier"]
    )

    # Started and never finished: closing finishes it on the closing day.
    assert (closed.lifecycle, closed.actual_finish) == ("closed", date(2025, 4, 30))
    assert closed.status is not None
    assert closed.status.value == "finished"
    [closure] = ws.view().status_reports("ALPHA", kind="closure")
    assert closure.as_of == date(2025, 4, 30)
    assert closure.overall.value == "amber"
    assert closure.metrics["actual_cost"] == {"EUR": "1500"}
    assert closure.metrics["budget"] == "250000 EUR"
    assert closure.metrics["actual_start"] == "2025-01-13"
    assert closure.metrics["actual_finish"] == "2025-04-30"
    assert closure.metrics["open_raid"] == 0


def test_closing_a_project_never_started_leaves_its_actual_finish_empty(
    ws: Workspace,
) -> None:
    ws.create("project", id="NOB", name="No budget", parent="PF")
    ws.report_status("NOB", overall="green", summary="Nothing to do")

    closed = ws.change_lifecycle("NOB", "closed", comment="Not needed", lessons=["Ask first"])

    assert closed.actual_finish is None
    [closure] = ws.view().status_reports("NOB", kind="closure")
    # No budget, no cost, no start: the figures say so, and the finish is the closing day.
    assert closure.metrics["budget"] is None
    assert closure.metrics["actual_cost"] == {}
    assert (closure.metrics["actual_start"], closure.metrics["actual_finish"]) == (
        None,
        TODAY.isoformat(),
    )


def test_resuming_when_the_hold_followed_no_known_health_falls_back_to_not_started(
    ws: Workspace,
) -> None:
    """The project was put on hold before it had any health (no status then): once active
    again it is not started, not on hold; later entries are walked past to find the hold."""
    with ws.transaction("written by an older version") as tx:
        doc = tx.get("project", "ALPHA")
        assert doc is not None
        data = {k: v for k, v in doc.data.items() if k != "status"}
        tx.update("project", "ALPHA", data, expected_version=doc.version)
    ws.change_lifecycle("ALPHA", "on_hold", comment="Funding")
    ws.update("ALPHA", name="Alpha renamed")

    resumed = ws.change_lifecycle("ALPHA", "active", comment="Funded")

    assert resumed.lifecycle == "active"
    assert resumed.status is not None
    assert resumed.status.value == "not_started"
    assert resumed.name == "Alpha renamed"


def test_going_live_leaves_a_health_that_is_not_a_lifecycle_status_alone(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    ws = make(pmo_workspace_factory)
    ws.create("project", id="NEW", name="New", parent="PF", lifecycle="proposed", status="at_risk")

    went = ws.change_lifecycle("NEW", "active", comment="Approved")

    assert (went.lifecycle, went.lifecycle_by, went.lifecycle_reason) == (
        "active",
        "tester",
        "Approved",
    )
    assert went.status is not None
    assert went.status.value == "at_risk"


def test_a_lesson_dated_after_the_status_date_is_refused_at_on(ws: Workspace) -> None:
    before = len(ws.journal())
    with pytest.raises(InvalidInputError, match="2025-06-09 is after the status date") as caught:
        ws.add_lesson("ALPHA", "Too early", recorded_on=date(2025, 6, 9))
    assert caught.value.where == "--on"
    assert len(ws.journal()) == before


def test_resuming_an_entity_held_before_the_lifecycle_existed_is_not_started(
    ws: Workspace,
) -> None:
    """An older version wrote the hold as a status: the journal holds no move to on_hold, so
    the health before it is unknown and the resumed project is not started."""
    with ws.transaction("written by an older version") as tx:
        doc = tx.get("project", "ALPHA")
        assert doc is not None
        data = {k: v for k, v in doc.data.items() if not k.startswith("lifecycle")}
        tx.update("project", "ALPHA", {**data, "status": "on_hold"}, expected_version=doc.version)
    assert ws.get("ALPHA").lifecycle == "on_hold"

    resumed = ws.change_lifecycle("ALPHA", "active", comment="Funded")

    assert resumed.lifecycle == "active"
    assert resumed.status is not None
    assert resumed.status.value == "not_started"
