"""The highlight report from a project's own data, and when it is due: hand-made data, figures
computed by hand in the comments."""

from __future__ import annotations

import json
from datetime import date

import pmo_prince2
import pytest
from prince2_support import BOARD, approve, name_board

from pmo_core import InvalidInputError, Workspace

MAY = date(2025, 5, 1)
STAGE_START = date(2025, 5, 20)  # the period of 14 days ending 2025-06-02 starts on 05-20


def _alpha(ws: Workspace) -> None:
    ws.create(
        "project", id="ALPHA", name="Alpha", manager="Pat Diaz", budget="100000 EUR",
        phase="initiation", custom_fields={"prince2": {"delivery_stages": 3}},
    )  # fmt: skip
    name_board(ws, "ALPHA")
    # Design is done before the status date (PV 40000); Build starts after it (PV 0).
    design = ws.add_work_item("ALPHA", "Design", start=date(2025, 4, 1), due=date(2025, 4, 30),
                              budget="40000 EUR")  # fmt: skip
    ws.add_work_item("ALPHA", "Build", start=date(2025, 6, 10), due=date(2025, 6, 12),
                     budget="60000 EUR")  # fmt: skip
    ws.add_milestone("ALPHA", "Pilot", due=date(2025, 6, 15))
    ws.add_milestone("ALPHA", "Go-live", due=date(2025, 7, 31))
    approve(ws, "ALPHA", "business-case", "project-initiation-documentation", "project-plan",
            "stage-plan", on=MAY)  # fmt: skip
    ws.take_baseline("ALPHA", on=MAY)
    ws.decide_gate("ALPHA", "go", approvers=BOARD, decided_on=STAGE_START)
    # This period: a new stage plan approved, the end stage report waiting, a checkpoint
    # report rejected.
    ws.submit_artifact("ALPHA", "stage-plan", on=date(2025, 5, 25))
    ws.approve_artifact("ALPHA", "stage-plan", approvers=["Uma Lee (senior-user)"],
                        on=date(2025, 5, 25))  # fmt: skip
    ws.submit_artifact("ALPHA", "end-stage-report", on=date(2025, 6, 1))
    ws.submit_artifact("ALPHA", "checkpoint-report", on=date(2025, 5, 27))
    ws.reject_artifact("ALPHA", "checkpoint-report", comment="No figures",
                       on=date(2025, 5, 28))  # fmt: skip
    ws.add_raid("ALPHA", "risk", "Old risk", probability=2, impact=2, raised_on=MAY)
    ws.add_raid("ALPHA", "risk", "Vendor may slip", probability=3, impact=4,
                raised_on=date(2025, 5, 22))  # fmt: skip
    issue = ws.add_raid("ALPHA", "issue", "Test rig late", raised_on=date(2025, 5, 10))
    ws.close_raid(issue.id, "Rig borrowed", on=date(2025, 5, 30))
    # Design done at 50000: EV 40000, AC 50000, CPI 0.8, EAC = BAC / CPI = 125000: beyond the
    # 10 % cost tolerance, so recording it raises the exception.
    ws.record_progress(design.id, 100, actual_cost="50000 EUR", on=date(2025, 5, 30))


def test_the_highlight_report_from_the_projects_data(ws: Workspace) -> None:
    _alpha(ws)
    data = json.loads(ws.report("prince2-highlight", "ALPHA", format="json").content)
    assert data["period"] == {"start": "2025-05-20", "end": "2025-06-02", "days": 14}
    assert data["stage"] == {
        "phase": "delivery-1",
        "number": 1,
        "planned_stages": 3,
        "started_on": "2025-05-20",
    }
    assert data["products"] == {
        "done": ["stage-plan"],
        "in_progress": ["end-stage-report"],
        "rejected": ["checkpoint-report"],
        "approved_to_date": [
            "business-case",
            "project-initiation-documentation",
            "project-plan",
            "stage-plan",
        ],
    }
    evm = data["evm"]
    # BAC 40000 + 60000; PV the design only; EV 100 % of 40000; AC 50000.
    assert {k: evm[k] for k in ("bac", "pv", "ev", "ac", "sv", "cv")} == {
        "bac": "100000.00",
        "pv": "40000.00",
        "ev": "40000.00",
        "ac": "50000.00",
        "sv": "0.00",
        "cv": "-10000.00",
    }
    # SPI 40000 / 40000; CPI 40000 / 50000; EAC 100000 / 0.8; VAC 100000 - 125000.
    assert (evm["spi"], evm["cpi"], evm["eac"], evm["vac"]) == (
        "1.0000",
        "0.8000",
        "125000.00",
        "-25000.00",
    )
    # Each tolerance measured on the report's view with the prince2 model's limits: no
    # planned dates (time unmeasured); EAC 125000 against BAC 100000 is +25 % (cost beyond
    # 10 %); 2 items, none changed since baseline 0 (scope 0); the highest open risk scores
    # 3 x 4 = 12 (within 20). The cost breach carries the exception the progress raised.
    rows = {t["dimension"]: t for t in data["tolerances"]}
    assert {d: (t["state"], t["limit"], t["actual"]) for d, t in rows.items()} == {
        "time": ("unmeasured", "0.10", None),
        "cost": ("breached", "0.10", "0.25"),
        "scope": ("within", "0.10", "0"),
        "risk": ("within", "20", "12"),
    }
    assert rows["cost"]["exception"]["raised_on"] == "2025-06-02"
    assert rows["cost"]["exception"]["message"].endswith("(no level above; executive: Dana Reyes)")
    assert [d for d, t in rows.items() if t["exception"]] == ["cost"]
    raised = [(r["type"], r["title"], r["on"]) for r in data["raid"]["raised"]]
    assert raised == [
        ("risk", "Vendor may slip", "2025-05-22"),
        ("issue", "Exception: project cost tolerance exceeded", "2025-06-02"),
    ]
    assert [(r["title"], r["on"]) for r in data["raid"]["closed"]] == [
        ("Test rig late", "2025-05-30")
    ]
    assert data["next_period"] == {
        "start": "2025-06-03",
        "end": "2025-06-16",
        "work_items": [{"subject": "Build", "due": "2025-06-12", "percent_complete": 0.0}],
        "milestones": [{"name": "Pilot", "due": "2025-06-15"}],
    }
    # Never reported: the first highlight was due when the stage began.
    assert data["next_highlight_due"] == "2025-05-20"


def test_the_markdown_report(ws: Workspace) -> None:
    _alpha(ws)
    out = ws.report("prince2-highlight", "ALPHA")
    assert out.media_type == "text/markdown"
    text = out.content
    assert isinstance(text, str)
    assert text.startswith("# Highlight report: ALPHA Alpha\n")
    assert "Period 2025-05-20 to 2025-06-02 (14 days); delivery stage 1 of 3." in text
    assert "- Completed this period: stage-plan" in text
    assert "| cost | breached | 0.10 | 0.25 | raised 2025-06-02 |" in text
    assert "| risk | within | 20 | 12 | - |" in text
    assert (
        "| 100000.00 | 40000.00 | 40000.00 | 50000.00 | 0.00 | -10000.00 | 1.0000 | 0.8000 |"
        in text
    )
    assert "- raised 2025-05-22: risk Vendor may slip" in text
    assert "- closed 2025-05-30: issue Test rig late" in text
    assert "- Build due 2025-06-12 (0% done)" in text
    assert "- milestone Pilot due 2025-06-15" in text
    assert {m.name for m in out.metrics} >= {"cpi", "spi", "eac"}


def test_a_shorter_period(ws: Workspace) -> None:
    _alpha(ws)
    data = json.loads(
        ws.report("prince2-highlight", "ALPHA", format="json", options={"days": "7"}).content
    )
    assert data["period"] == {"start": "2025-05-27", "end": "2025-06-02", "days": 7}
    assert data["products"]["done"] == []  # the stage plan was approved on 05-25
    assert [r["title"] for r in data["raid"]["raised"]] == [
        "Exception: project cost tolerance exceeded"
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"days": "two"}, "option days: 'two' is not a whole number of days"),
        ({"days": "0"}, "option days: 0 is not between 1 and 366"),
        ({"days": "367"}, "option days: 367 is not between 1 and 366"),
        ({"weeks": "2"}, r"has no option 'weeks' \(it takes: days\)"),
    ],
)
def test_bad_options(ws: Workspace, options: dict[str, str], message: str) -> None:
    _alpha(ws)
    with pytest.raises(InvalidInputError, match=message):
        ws.report("prince2-highlight", "ALPHA", options=options)


def test_only_for_a_project(ws: Workspace) -> None:
    ws.create("portfolio", id="PF", name="Portfolio")
    with pytest.raises(InvalidInputError, match="covers project, not a portfolio"):
        ws.report("prince2-highlight", "PF")


@pytest.mark.parametrize(
    ("reported_on", "due_on", "overdue"),
    [
        (date(2025, 5, 18), "2025-06-01", True),  # due yesterday
        (date(2025, 5, 19), "2025-06-02", False),  # due today
        (date(2025, 5, 20), "2025-06-03", False),  # due tomorrow
    ],
)
def test_a_highlight_is_due_every_14_days(
    ws: Workspace, reported_on: date, due_on: str, overdue: bool
) -> None:
    _alpha(ws)
    ws.report_status("ALPHA", overall="amber", as_of=reported_on)
    due = pmo_prince2.highlight_due(ws.view(), ws.get("ALPHA"))
    assert due is not None
    assert due.as_dict() == {
        "project": "ALPHA",
        "phase": "delivery-1",
        "last": reported_on.isoformat(),
        "due_on": due_on,
        "cadence_days": 14,
        "overdue": overdue,
    }


def test_no_highlight_while_starting_up_or_once_ended(ws: Workspace) -> None:
    ws.create("project", id="ALPHA", name="Alpha")
    assert pmo_prince2.highlight_due(ws.view(), ws.get("ALPHA")) is None
    ws.create("project", id="BETA", name="Beta", phase="initiation")
    due = pmo_prince2.highlight_due(ws.view(), ws.get("BETA"))
    assert due is not None
    assert (due.due_on, due.overdue) == (None, True)
    name_board(ws, "BETA")
    ws.change_lifecycle("BETA", "killed", approvers=BOARD, comment="No case")
    assert pmo_prince2.highlight_due(ws.view(), ws.get("BETA")) is None


@pytest.mark.parametrize(("days", "done"), [(9, ["stage-plan"]), (8, [])])
def test_the_period_includes_its_first_day(ws: Workspace, days: int, done: list[str]) -> None:
    # 9 days ending 2025-06-02 start on 05-25, the day the stage plan was approved; 8 on 05-26.
    _alpha(ws)
    options = {"days": str(days)}
    data = json.loads(
        ws.report("prince2-highlight", "ALPHA", format="json", options=options).content
    )
    assert data["products"]["done"] == done


def test_the_next_period_ends_on_its_last_day(ws: Workspace) -> None:
    # Build is due 06-12: in the next 10 days (06-03 to 06-12), not in the next 9.
    _alpha(ws)
    for days, subjects in ((10, ["Build"]), (9, [])):
        data = json.loads(
            ws.report(
                "prince2-highlight", "ALPHA", format="json", options={"days": str(days)}
            ).content
        )
        assert [w["subject"] for w in data["next_period"]["work_items"]] == subjects, days


def test_without_tolerance_checks_a_tolerance_shows_its_exception(ws: Workspace) -> None:
    # highlight_data on a view alone (no workspace to measure with): the exception's figures.
    _alpha(ws)
    data = pmo_prince2.highlight_data(ws.view(), ws.get("ALPHA"))
    rows = {t["dimension"]: (t["state"], t["limit"], t["actual"]) for t in data["tolerances"]}
    assert rows == {
        "time": ("not measured", None, None),
        "cost": ("breached", "0.10", "0.25"),
        "scope": ("not measured", None, None),
        "risk": ("not measured", None, None),
    }
    view = ws.view()
    measured = pmo_prince2.highlight_data(
        view, ws.get("ALPHA"), checks=ws.tolerance_checks("ALPHA", view=view)
    )
    assert measured == json.loads(ws.report("prince2-highlight", "ALPHA", format="json").content)
