"""Plan and progress through the Workspace API: work items, milestones, actual costs and
forecasts. Each write is stored with its actor, named by id or a unique start, checked whole
before anything is written, refused on a closed or killed project, and followed by the
tolerance exceptions it makes due; a forecast of one work item is not the project's."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from pmo_core import (
    ConflictError,
    Forecast,
    InvalidInputError,
    Money,
    NotFoundError,
    PmoGovernanceModel,
    WorkItem,
    Workspace,
    hookimpl,
)
from pmo_core._domain.planning import EvMethod
from pmo_core._tolerances import latest_forecast

MakeWorkspace = Callable[..., Workspace]
TODAY = date(2026, 6, 1)


class Tolerant:
    """A model with a 10 % time and cost tolerance at project level, escalating to the pmo."""

    @hookimpl
    def pmo_governance_models(self) -> Iterator[PmoGovernanceModel]:
        yield PmoGovernanceModel(
            name="tolerant",
            tolerances={"project": {"cost": "0.10", "time": "0.10"}},
            escalate_to="pmo",
        )


@pytest.fixture
def ws(pmo_workspace_factory: MakeWorkspace) -> Workspace:
    made = pmo_workspace_factory(
        plugins={"tolerant": Tolerant()}, governance_model="tolerant", today=TODAY, actor="kim"
    )
    made.create("portfolio", id="PF", name="Portfolio")
    made.create("program", id="ERP", name="ERP", parent="PF")
    made.create(
        "project", id="ALPHA", name="Alpha", parent="ERP", budget="100000 EUR",
        planned_start=date(2026, 1, 1), planned_finish=date(2026, 4, 11),  # a 100-day plan
    )  # fmt: skip
    made.create("project", id="BETA", name="Beta", parent="ERP", budget="5000 USD")
    return made


def _journal(ws: Workspace) -> int:
    return len(ws.journal())


def _last(ws: Workspace) -> Any:
    return ws.journal()[-1]


def _item(ws: Workspace, **fields: Any) -> WorkItem:
    data: dict[str, Any] = {"start": date(2026, 1, 5), "due": date(2026, 3, 31), **fields}
    return ws.add_work_item("ALPHA", "Data migration", **data)


def _refused(ws: Workspace, error: type[Exception], match: str, call: Callable[[], Any]) -> None:
    """``call`` raises ``error`` matching ``match`` and writes nothing."""
    before = _journal(ws)
    with pytest.raises(error, match=match):
        call()
    assert _journal(ws) == before


# ------------------------------------------------------------------------ work items


def test_add_work_item_stores_the_plan_with_its_references(ws: Workspace) -> None:
    go_live = ws.add_milestone("ALPHA", "Go-live", due=date(2026, 4, 11))
    parent = _item(ws, work=320, budget="48000 EUR", assignee="Sam Roe")

    child = ws.add_work_item(
        "ALPHA", "Load customers", parent=parent.id[:4], milestone=go_live.id[:5],
        ev_method="0/100", type="subtask",
    )  # fmt: skip

    stored = ws.work_item(child.id)
    assert (stored.parent, stored.milestone) == (parent.id, go_live.id)
    assert (stored.type, stored.ev_method, stored.status) == ("subtask", "0/100", "open")
    assert ws.work_item(parent.id).budget == Money.parse("48000 EUR")
    entry = _last(ws)
    assert (entry.command, entry.actor, entry.kind, entry.id) == (
        "work add",
        "kim",
        "work_item",
        child.id,
    )
    assert [w.subject for w in ws.work_items("ALPHA")] == ["Data migration", "Load customers"]


def test_work_items_are_named_by_a_unique_start(ws: Workspace) -> None:
    one = ws.add_work_item("ALPHA", "One", id="abcd00000001")
    ws.add_work_item("ALPHA", "Two", id="abcd00000002")

    assert ws.work_item("abcd00000001") == one
    with pytest.raises(InvalidInputError, match="'abcd' matches 2 work items") as both:
        ws.work_item("abcd")
    assert "abcd00000001, abcd00000002" in str(both.value)
    assert ws.work_item("abcd00000002").subject == "Two"
    with pytest.raises(NotFoundError, match="no work item 'ffff'"):
        ws.work_item("ffff")
    with pytest.raises(NotFoundError, match="give at least 4 characters"):
        ws.work_item("abc")


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"budget": "-5 EUR"}, "budget: must not be negative"),
        ({"budget": "500 USD"}, "is in USD but project ALPHA is kept in EUR"),
        ({"budget": "lots"}, "not money"),
        ({"work": -1}, "work: Input should be greater than or equal to 0"),
        ({"start": date(2026, 5, 1), "due": date(2026, 4, 1)}, "due .* is before start"),
        ({"milestone": "ffffffff"}, "no milestone 'ffffffff' in ALPHA"),
        ({"parent": "ffffffff"}, "no work item 'ffffffff' in ALPHA"),
        ({"ev_method": "vibes"}, "ev_method"),
        ({"colour": "red"}, "colour: unknown field"),
    ],
)
def test_bad_work_items_are_refused_and_nothing_is_written(
    ws: Workspace, fields: dict[str, Any], match: str
) -> None:
    _refused(ws, InvalidInputError, match, lambda: ws.add_work_item("ALPHA", "X", **fields))


def test_references_stay_inside_the_project(ws: Workspace) -> None:
    theirs = ws.add_work_item("BETA", "Their work")
    their_milestone = ws.add_milestone("BETA", "Their go-live", due=date(2026, 9, 1))

    with pytest.raises(InvalidInputError, match="no work item") as parent:
        ws.add_work_item("ALPHA", "Ours", parent=theirs.id)
    assert parent.value.where == "parent"
    with pytest.raises(InvalidInputError, match="no milestone") as milestone:
        ws.add_work_item("ALPHA", "Ours", milestone=their_milestone.id)
    assert milestone.value.where == "milestone"


def test_only_a_live_project_takes_plan_records(ws: Workspace) -> None:
    item = _item(ws)
    milestone = ws.add_milestone("ALPHA", "Go-live", due=date(2026, 4, 11))
    ws.change_lifecycle("ALPHA", "killed", comment="No market")

    writes: list[Callable[[], Any]] = [
        lambda: ws.add_work_item("ALPHA", "More"),
        lambda: ws.update_work_item(item.id, assignee="Sam"),
        lambda: ws.record_progress(item.id, 50),
        lambda: ws.add_milestone("ALPHA", "Later", due=date(2026, 9, 1)),
        lambda: ws.complete_milestone(milestone.id),
        lambda: ws.add_cost("ALPHA", "10 EUR", on=TODAY),
        lambda: ws.set_forecast("ALPHA", eac="1 EUR", reason="x"),
    ]
    for write in writes:
        _refused(ws, ConflictError, "ALPHA: it is killed", write)


def test_a_closed_project_is_read_only_too(ws: Workspace) -> None:
    item = _item(ws)
    ws.report_status("ALPHA", overall="green", summary="Delivered")
    ws.change_lifecycle("ALPHA", "closed", comment="Delivered", lessons=["Start cleansing early"])

    _refused(ws, ConflictError, "ALPHA: it is closed", lambda: ws.record_progress(item.id, 90))
    _refused(
        ws,
        ConflictError,
        "ALPHA: it is closed",
        lambda: ws.set_forecast("ALPHA", eac="1 EUR", reason="x"),
    )


def test_plan_records_belong_to_a_project(ws: Workspace) -> None:
    with pytest.raises(InvalidInputError, match="ERP is a program") as found:
        ws.add_work_item("ERP", "Programme work")
    assert found.value.where == "project"
    with pytest.raises(NotFoundError, match="'NOPE'"):
        ws.add_cost("NOPE", "1 EUR", on=TODAY)


def test_update_changes_only_what_is_given(ws: Workspace) -> None:
    item = _item(ws, assignee="Sam", budget="100 EUR")

    updated = ws.update_work_item(item.id[:6], due=date(2026, 4, 30), assignee=None)

    assert (updated.due, updated.assignee, updated.budget) == (
        date(2026, 4, 30),
        None,
        Money.parse("100 EUR"),
    )
    assert updated.version == item.version + 1
    assert _last(ws).command == "work update"
    before = _journal(ws)
    assert ws.update_work_item(item.id, due=date(2026, 4, 30)).version == updated.version
    assert _journal(ws) == before  # nothing changed: nothing journaled
    with pytest.raises(ConflictError, match="not the expected version 1"):
        ws.update_work_item(item.id, expected_version=1, work=10)


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"percent_complete": 50}, "use record_progress"),
        ({"actual_cost": "5 EUR"}, "use record_progress"),
        ({"remaining": 4}, "use record_progress"),
        ({"status": "done"}, "done when it is 100% complete"),
        ({"transitions": ()}, "kept by every change of status"),
        ({"project": "BETA"}, "cannot move to another project"),
        ({"id": "x"}, "id cannot change"),
        ({"corrections": ()}, "kept by record_progress"),
        ({"budget": "5 USD"}, "is in USD"),
        ({"due": date(2025, 1, 1)}, "due .* is before start"),
    ],
)
def test_bad_updates_are_refused(ws: Workspace, changes: dict[str, Any], match: str) -> None:
    item = _item(ws)
    _refused(ws, InvalidInputError, match, lambda: ws.update_work_item(item.id, **changes))


def test_a_parent_cannot_sit_below_its_child(ws: Workspace) -> None:
    top = _item(ws)
    middle = ws.add_work_item("ALPHA", "Middle", parent=top.id)
    bottom = ws.add_work_item("ALPHA", "Bottom", parent=middle.id)

    _refused(
        ws, InvalidInputError, "is below", lambda: ws.update_work_item(top.id, parent=bottom.id)
    )
    _refused(
        ws, InvalidInputError, "its own parent", lambda: ws.update_work_item(top.id, parent=top.id)
    )
    assert ws.update_work_item(bottom.id, parent=top.id).parent == top.id


# -------------------------------------------------------------------------- progress


def test_progress_moves_forward_and_sets_the_status(ws: Workspace) -> None:
    item = _item(ws, work=320, remaining=320, budget="48000 EUR")

    started = ws.record_progress(item.id[:4], 60, actual_cost="30000 EUR", remaining=120)

    assert (started.percent_complete, started.status, started.remaining) == (60, "in_progress", 120)
    assert started.actual_cost == Money.parse("30000 EUR")
    assert (_last(ws).command, _last(ws).actor) == ("work progress", "kim")
    done = ws.record_progress(item.id, 100)
    assert (done.status, done.remaining, done.corrections) == ("done", 0, ())


def test_progress_going_back_is_a_correction_with_a_comment(ws: Workspace) -> None:
    item = _item(ws)
    ws.record_progress(item.id, 100)

    _refused(
        ws, InvalidInputError, "below the current 100%", lambda: ws.record_progress(item.id, 40)
    )
    corrected = ws.record_progress(item.id, 40, comment="Dry run failed")

    assert (corrected.percent_complete, corrected.status) == (40, "in_progress")
    [correction] = corrected.corrections
    assert (correction.on, correction.actor, correction.old_percent, correction.new_percent) == (
        TODAY,
        "kim",
        100,
        40,
    )
    assert correction.comment == "Dry run failed"
    assert ws.work_item(item.id).corrections == corrected.corrections


@pytest.mark.parametrize(
    ("percent", "kwargs", "match"),
    [
        (101, {}, "not a percentage from 0 to 100"),
        (-1, {}, "not a percentage from 0 to 100"),
        (float("nan"), {}, "not a percentage"),
        (True, {}, "not a number"),
        (50, {"comment": "why"}, "a comment is recorded with a correction"),
        (50, {"actual_cost": "-1 EUR"}, "must not be negative"),
        (50, {"actual_cost": "1 USD"}, "is in USD"),
        (50, {"remaining": -2}, "remaining"),
        (100, {"remaining": 8}, "8 hours remain but the item is 100% complete"),
    ],
)
def test_bad_progress_is_refused(
    ws: Workspace, percent: Any, kwargs: dict[str, Any], match: str
) -> None:
    item = _item(ws)
    _refused(ws, InvalidInputError, match, lambda: ws.record_progress(item.id, percent, **kwargs))


def test_an_imported_status_is_kept_until_done(ws: Workspace) -> None:
    item = _item(ws, status="In review")
    assert ws.record_progress(item.id, 80).status == "In review"
    assert ws.record_progress(item.id, 100).status == "done"


def test_progress_that_breaches_a_tolerance_raises_the_exception(ws: Workspace) -> None:
    item = _item(ws, budget="100000 EUR")

    ws.record_progress(item.id, 20, actual_cost="50000 EUR")  # CPI 0.4: EAC 250,000

    [issue] = ws.raid_log("ALPHA", type="issue", open_only=True)
    assert issue.title == "Exception: project cost tolerance exceeded"


# ------------------------------------------------------------------------ milestones


def test_milestones_are_added_changed_and_done(ws: Workspace) -> None:
    late = ws.add_milestone("ALPHA", "Go-live", due=date(2026, 11, 3), description="Wave 1")
    early = ws.add_milestone("ALPHA", "Design signed off", due=date(2026, 4, 30))
    assert _last(ws).command == "milestone add"
    assert [m.name for m in ws.milestones("ALPHA")] == ["Design signed off", "Go-live"]

    moved = ws.update_milestone(late.id[:4], due=date(2026, 11, 17))
    assert (moved.due, moved.description, _last(ws).command) == (
        date(2026, 11, 17),
        "Wave 1",
        "milestone update",
    )

    done = ws.complete_milestone(early.id[:4], on=date(2026, 5, 2))
    assert (done.status, done.completed_on, _last(ws).command) == (
        "closed",
        date(2026, 5, 2),
        "milestone done",
    )
    assert ws.complete_milestone(late.id).completed_on == TODAY
    _refused(ws, ConflictError, "done already", lambda: ws.complete_milestone(early.id))


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda ws, m: ws.complete_milestone(m.id, on=date(2026, 6, 2)), "after the status date"),
        (lambda ws, m: ws.update_milestone(m.id, status="closed"), "use complete_milestone"),
        (lambda ws, m: ws.update_milestone(m.id, completed_on=TODAY), "use complete_milestone"),
        (lambda ws, m: ws.update_milestone(m.id, due=None), "needs a due date"),
        (lambda ws, m: ws.update_milestone(m.id, name=" "), "name"),
        (lambda ws, m: ws.add_milestone("ALPHA", "X", due=None), "needs a due date"),
    ],
)
def test_bad_milestones_are_refused(
    ws: Workspace, call: Callable[[Workspace, Any], Any], match: str
) -> None:
    milestone = ws.add_milestone("ALPHA", "Go-live", due=date(2026, 11, 3))
    _refused(ws, InvalidInputError, match, lambda: call(ws, milestone))


# ----------------------------------------------------------------------------- costs


def test_costs_are_booked_in_the_projects_currency(ws: Workspace) -> None:
    item = _item(ws)

    entry = ws.add_cost(
        "ALPHA", "1200.50 EUR", on=date(2026, 4, 17), category="opex", nature="non_labour",
        work_item=item.id[:4], description="Hosting April",
    )  # fmt: skip
    ws.add_cost("ALPHA", Money.parse("300 EUR"), on=date(2026, 2, 1))

    assert (entry.work_item, entry.category, entry.amount) == (
        item.id,
        "opex",
        Money.parse("1200.50 EUR"),
    )
    assert (_last(ws).command, _last(ws).actor) == ("cost add", "kim")
    assert [c.incurred_on for c in ws.cost_entries("ALPHA")] == [
        date(2026, 2, 1),
        date(2026, 4, 17),
    ]
    assert ws.add_cost("BETA", "50 USD", on=TODAY).amount.currency == "USD"


@pytest.mark.parametrize(
    ("amount", "fields", "match"),
    [
        ("-5 EUR", {}, "amount: must not be negative, got -5 EUR"),
        ("5 USD", {}, "5 USD is in USD but project ALPHA is kept in EUR"),
        ("five", {}, "not money"),
        ("5 EUR", {"on": date(2026, 6, 2)}, "after the status date"),
        ("5 EUR", {"category": "capital"}, "category"),
        ("5 EUR", {"work_item": "ffffffff"}, "no work item 'ffffffff' in ALPHA"),
    ],
)
def test_bad_costs_are_refused(
    ws: Workspace, amount: str, fields: dict[str, Any], match: str
) -> None:
    data = {"on": TODAY, **fields}
    _refused(ws, InvalidInputError, match, lambda: ws.add_cost("ALPHA", amount, **data))


# ------------------------------------------------------------------------- forecasts


def test_a_forecast_is_dated_signed_and_kept(ws: Workspace) -> None:
    first = ws.set_forecast(
        "ALPHA", eac="105000 EUR", etc="60000 EUR", finish=date(2026, 4, 20),
        reason="Vendor slipped a week", on=date(2026, 5, 1),
    )  # fmt: skip
    second = ws.set_forecast("ALPHA", eac="104000 EUR", reason="Savings on licences")

    assert (first.author, first.as_of, first.note, first.work_item) == (
        "kim",
        date(2026, 5, 1),
        "Vendor slipped a week",
        None,
    )
    assert (second.as_of, second.author) == (TODAY, "kim")
    assert (_last(ws).command, _last(ws).actor) == ("forecast set", "kim")
    assert ws.forecasts("ALPHA") == [first, second]


def test_the_latest_of_one_day_is_the_last_written(ws: Workspace) -> None:
    # Ids are random: the same day's forecasts are ordered by when they were written.
    for id, eac, note in (
        ("ffffffffffff", "150000 EUR", "First"),
        ("000000000000", "1 EUR", "Second"),
    ):
        ws.add(Forecast(id=id, project="ALPHA", as_of=TODAY, eac=eac, note=note))

    found = latest_forecast(ws.view(), "ALPHA")

    assert found is not None
    assert found.note == "Second"
    assert [f.note for f in ws.forecasts("ALPHA")] == ["First", "Second"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"eac": "-5 EUR"}, "eac: must not be negative"),
        ({"eac": "5 USD"}, "is in USD"),
        ({"etc": "-1 EUR"}, "etc: must not be negative"),
        ({"etc": "200 EUR"}, "estimate to complete .* is more than the estimate at completion"),
        ({"reason": "  "}, "say why"),
        ({"on": date(2026, 6, 2)}, "after the status date"),
        ({"work_item": "ffffffff"}, "no work item"),
    ],
)
def test_bad_forecasts_are_refused(ws: Workspace, kwargs: dict[str, Any], match: str) -> None:
    data: dict[str, Any] = {"eac": "100 EUR", "reason": "Re-plan", **kwargs}
    _refused(ws, InvalidInputError, match, lambda: ws.set_forecast("ALPHA", **data))


def test_a_work_item_forecast_is_not_the_projects(ws: Workspace) -> None:
    item = _item(ws)
    ws.set_forecast("ALPHA", eac="100000 EUR", finish=date(2026, 4, 11), reason="On plan")

    # Far beyond the project's budget and finish, but it is one item's estimate.
    ws.set_forecast(
        "ALPHA", eac="400000 EUR", finish=date(2027, 1, 1), work_item=item.id[:4],
        reason="Migration re-estimated",
    )  # fmt: skip

    latest = latest_forecast(ws.view(), "ALPHA")
    assert latest is not None
    assert latest.note == "On plan"
    assert [c.state for c in ws.tolerance_checks("ALPHA")] == ["within", "within"]
    assert ws.raid_log("ALPHA", type="issue") == []
    [of_item] = [f for f in ws.forecasts("ALPHA") if f.work_item]
    assert of_item.work_item == item.id


def test_a_forecast_beyond_the_time_tolerance_raises_the_exception(ws: Workspace) -> None:
    ws.set_forecast(
        "ALPHA", eac="100000 EUR", finish=date(2026, 4, 22), reason="Eleven days late"
    )  # 11 days over a 100-day plan: beyond 10 %

    [issue] = ws.raid_log("ALPHA", type="issue", open_only=True)
    assert issue.title == "Exception: project time tolerance exceeded"
    assert issue.escalated_to == "ERP"
    [report] = ws.view().status_reports("ALPHA", kind="exception")
    assert report.metrics["dimension"] == "time"


def test_stored_forecasts_without_a_work_item_load(ws: Workspace) -> None:
    # A forecast stored before work item forecasts existed is the project's.
    with ws.transaction("old data") as tx:
        doc = {"id": "0ld0ld0ld0ld", "project": "ALPHA", "as_of": "2026-05-01",
               "eac": {"amount": "99000", "currency": "EUR"}, "note": ""}  # fmt: skip
        tx.insert("forecast", doc["id"], doc, owner="ALPHA")

    [found] = ws.forecasts("ALPHA")
    assert (found.work_item, found.eac.amount) == (None, Decimal("99000"))
    assert latest_forecast(ws.view(), "ALPHA") == found


def test_the_cli_spells_every_ev_method() -> None:
    from typing import get_args

    from pmo_core._cli.plan import EV_METHODS

    assert get_args(EvMethod) == EV_METHODS


def test_forecast_record_takes_a_work_item() -> None:
    forecast = Forecast(project="ALPHA", as_of=TODAY, eac="1 EUR", work_item="a1b2c3d4e5f6")
    assert forecast.to_document()["work_item"] == "a1b2c3d4e5f6"
