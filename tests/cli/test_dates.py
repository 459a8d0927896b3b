"""--status-date and --as-of on the lists: the data date leaves out records dated after it,
the knowledge moment shows what was known then (JSON and table alike); a bad date names its
option, a status date ahead of today is refused except on a forecast view, and an --as-of
before the workspace held anything says so."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import Pmo, assert_user_error, needs_stage_gate
from click.testing import CliRunner

from pmo_core import Workspace
from pmo_core._store import SQLiteStore
from pmo_core.testing import FakeClock

MARCH = datetime(2025, 3, 1, 10, 0, tzinfo=timezone.utc)
APRIL = datetime(2025, 4, 15, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def history(tmp_path: Path, runner: CliRunner) -> Pmo:
    """A controlling workspace written on two days by a store clock: 1 March 2025, then
    15 April 2025, when some records were dated back into March (booked late)."""
    root = tmp_path / "ws"
    Workspace.init(root, profile="controlling").close()
    clock = FakeClock(MARCH)
    today = [MARCH.date()]
    store = SQLiteStore(root / ".pmo" / "pmo.db", clock=clock)
    with Workspace.open(root, store=store, today=lambda: today[0]) as ws:
        ws.create("portfolio", id="PF", name="Digital")
        ws.create(
            "project", id="ALPHA", name="Alpha", parent="PF", sponsor="Dana",
            budget="100000 EUR", planned_start=date(2025, 1, 1), planned_finish=date(2025, 4, 11),
        )  # fmt: skip
        ws.report_status("ALPHA", overall="green", summary="On plan")
        ws.add_raid("ALPHA", "risk", "Vendor may slip", probability=2, impact=3, id="a1a1a1a1a1a1")
        ws.add_cost("ALPHA", "1000 EUR", on=date(2025, 2, 15))
        ws.set_forecast("ALPHA", eac="100000 EUR", finish=date(2025, 4, 20), reason="Nine days")

        clock.now, today[0] = APRIL, APRIL.date()
        ws.update("ALPHA", status="at_risk")
        ws.create("project", id="BETA", name="Beta", parent="PF")
        ws.report_status("ALPHA", overall="amber", summary="Month end", as_of=date(2025, 3, 31))
        ws.report_status("ALPHA", overall="red", summary="Vendor slipped")
        ws.update_raid("a1a1", probability=5, comment="The vendor missed a date")
        ws.add_raid("ALPHA", "issue", "Data quality", impact=3)
        ws.add_cost("ALPHA", "2000 EUR", on=date(2025, 3, 20))
        ws.add_cost("ALPHA", "3000 EUR", on=date(2025, 4, 10))
        ws.take_baseline("ALPHA", on=date(2025, 3, 20))
        # Eleven days late: beyond 10 % of a 100-day plan, an exception escalated to PF.
        ws.set_forecast("ALPHA", eac="100000 EUR", finish=date(2025, 4, 22), reason="Eleven")
        ws.raise_exceptions(["ALPHA"])
    return Pmo(root, runner)


def _json(pmo: Pmo, *args: str) -> Any:
    return json.loads(pmo.ok(*args, "--json").stdout)


pytestmark = needs_stage_gate  # the controlling model comes with pmo-stage-gate


def test_project_list_on_a_status_date_and_as_known_then(history: Pmo) -> None:
    def rows(*dates: str) -> dict[str, tuple[str, str | None]]:
        found = _json(history, "project", "list", *dates)
        return {p["id"]: (p["status"], p["reported"]) for p in found}

    assert rows() == {"ALPHA": ("at_risk", "red"), "BETA": ("not_started", None)}
    # The data date picks the month-end report, recorded later but known now.
    assert rows("--status-date", "2025-03-31") == {
        "ALPHA": ("at_risk", "amber"),
        "BETA": ("not_started", None),
    }
    # As known at the end of March: BETA did not exist, ALPHA was not at risk and green.
    assert rows("--as-of", "2025-03-31") == {"ALPHA": ("not_started", "green")}
    table = history.ok("project", "list", "--as-of", "2025-03-31").stdout
    assert "BETA" not in table
    assert "at_risk" not in table
    shown = history.ok("project", "show", "ALPHA", "--as-of", "2025-03-31").stdout
    assert "green as of 2025-03-01" in shown


def test_status_list(history: Pmo) -> None:
    def listed(*dates: str) -> list[tuple[str, str]]:
        return [
            (r["as_of"], r["overall"]) for r in _json(history, "status", "list", "ALPHA", *dates)
        ]

    assert listed() == [("2025-04-15", "red"), ("2025-03-31", "amber"), ("2025-03-01", "green")]
    assert listed("--status-date", "2025-03-31") == [
        ("2025-03-31", "amber"),
        ("2025-03-01", "green"),
    ]
    assert listed("--as-of", "2025-03-31") == [("2025-03-01", "green")]
    table = history.ok("status", "list", "ALPHA", "--status-date", "2025-03-30").stdout
    assert table.splitlines()[1].startswith("2025-03-01")
    assert "amber" not in table


def test_raid_list_and_show(history: Pmo) -> None:
    def risks(*dates: str) -> list[tuple[str, int]]:
        return [(i["title"], i["score"]) for i in _json(history, "raid", "list", "ALPHA", *dates)]

    assert sorted(risks()) == [
        ("Data quality", None),
        ("Exception: project time tolerance exceeded", None),
        ("Vendor may slip", 15),
    ]
    # Raised in April: left out on 31 March; the score is today's, as known now.
    assert risks("--status-date", "2025-03-31") == [("Vendor may slip", 15)]
    # As known then, the risk still had its March score.
    assert risks("--as-of", "2025-03-31") == [("Vendor may slip", 6)]
    table = history.ok("raid", "list", "ALPHA", "--as-of", "2025-03-31").stdout
    assert "Data quality" not in table
    assert "Vendor may slip" in table
    shown = _json(history, "raid", "show", "a1a1", "--as-of", "2025-03-31")
    assert (shown["probability"], shown["score_history"]) == (2, [])
    issue = next(i for i in _json(history, "raid", "list", "ALPHA") if i["type"] == "issue")
    assert_user_error(
        history("raid", "show", issue["id"][:6], "--status-date", "2025-03-31"),
        3,
        "after the status date 2025-03-31",
    )
    assert_user_error(
        history("raid", "show", issue["id"][:6], "--as-of", "2025-03-31"),
        3,
        "not yet recorded as known at the end of 2025-03-31",
    )


def test_cost_list(history: Pmo) -> None:
    def booked(*dates: str) -> list[str]:
        return [c["incurred_on"] for c in _json(history, "cost", "list", "ALPHA", *dates)]

    assert booked() == ["2025-02-15", "2025-03-20", "2025-04-10"]
    # Incurred by 31 March, including the cost booked late in April.
    assert booked("--status-date", "2025-03-31") == ["2025-02-15", "2025-03-20"]
    # Known at the end of March: only what was booked then.
    assert booked("--as-of", "2025-03-31") == ["2025-02-15"]
    table = history.ok("cost", "list", "ALPHA", "--status-date", "2025-03-31").stdout
    assert "Total: 3,000.00 EUR in 2 entries" in table
    table = history.ok("cost", "list", "ALPHA", "--as-of", "2025-03-31").stdout
    assert "Total: 1,000.00 EUR in 1 entry" in table


def test_forecast_list_may_look_ahead(history: Pmo) -> None:
    def made(*dates: str) -> list[tuple[str, bool]]:
        found = _json(history, "forecast", "list", "ALPHA", *dates)
        return [(f["finish"], f["in_force"]) for f in found]

    assert made() == [("2025-04-20", False), ("2025-04-22", True)]
    assert made("--status-date", "2025-03-31") == [("2025-04-20", True)]
    assert made("--as-of", "2025-03-31") == [("2025-04-20", True)]
    # A forecast view may be after today: what is in force then, as far as is known now.
    assert made("--status-date", "2999-01-01") == made()
    table = history.ok("forecast", "list", "ALPHA", "--status-date", "2025-03-31").stdout
    assert "2025-04-22" not in table
    assert "Nine days" in table


def test_baseline_list_and_show(history: Pmo) -> None:
    def numbers(*dates: str) -> list[tuple[int, str]]:
        found = _json(history, "baseline", "list", "ALPHA", *dates)
        return [(b["number"], b["taken_on"]) for b in found]

    assert numbers() == [(0, "2025-03-20")]
    assert numbers("--status-date", "2025-03-31") == [(0, "2025-03-20")]
    assert numbers("--status-date", "2025-03-19") == []
    assert numbers("--as-of", "2025-03-31") == []  # taken in April, dated back
    table = history.ok("baseline", "list", "ALPHA", "--as-of", "2025-03-31").stdout
    assert "No baseline for ALPHA" in table
    assert_user_error(
        history("baseline", "show", "ALPHA", "--status-date", "2025-03-19"), 3, "no baseline"
    )


def test_exception_list(history: Pmo) -> None:
    def raised(*dates: str) -> list[tuple[str, str]]:
        found = _json(history, "exception", "list", *dates)
        return [(e["as_of"], e["metrics"]["dimension"]) for e in found]

    assert raised() == [("2025-04-15", "time")]
    assert raised("--status-date", "2025-03-31") == []
    assert raised("--as-of", "2025-04-15") == [("2025-04-15", "time")]
    # A moment in the morning of that day, before it was raised at 10:00.
    assert raised("--as-of", "2025-04-15T09:00") == []
    assert history.ok("exception", "list", "--status-date", "2025-03-31").stdout == (
        "No exceptions.\n"
    )
    # Measured on 31 March as then known, the forecast was within tolerance.
    history.ok("tolerance", "check", "ALPHA", "--as-of", "2025-03-31")
    assert history("tolerance", "check", "ALPHA").exit_code == 5


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["cost", "list", "ALPHA", "--status-date", "2025-13-01"], "--status-date: '2025-13-01'"),
        (["raid", "list", "--as-of", "last week"], "--as-of: 'last week'"),
        (["project", "list", "--status-date", "2999-01-01"], "--status-date: 2999-01-01 is after"),
        (["status", "list", "ALPHA", "--as-of", "2999-01-01"], "--as-of: 2999-01-01 is after"),
        (
            ["project", "show", "ALPHA", "--as-of", "2025-02-01"],
            "--as-of: the workspace held nothing yet at the end of 2025-02-01: its first "
            "record was written at 2025-03-01T10:00+00:00",
        ),
        (["journal", "--as-of", "2025-02-01"], "--as-of: the workspace held nothing yet"),
    ],
)
def test_bad_dates_name_their_option(history: Pmo, argv: list[str], needle: str) -> None:
    assert_user_error(history(*argv), 2, needle)


def test_a_key_not_yet_known_says_as_of_when(history: Pmo) -> None:
    # BETA exists now, recorded in April: before then it did not exist yet (not "no project").
    too_early = (
        "'BETA' did not exist yet as known at the end of 2025-03-31: it was recorded later "
        "(--as-of reads the workspace as it was known then; for what is known now about an "
        "earlier day, use --status-date)"
    )
    assert_user_error(history("project", "show", "BETA", "--as-of", "2025-03-31"), 3, too_early)
    assert_user_error(history("cost", "list", "BETA", "--as-of", "2025-03-31"), 3, too_early)
    # A key that does not exist now either is simply not there, as known then.
    assert_user_error(
        history("project", "show", "GAMMA", "--as-of", "2025-03-31"),
        3,
        "no project 'GAMMA' as known at the end of 2025-03-31",
    )
    assert_user_error(
        history("cost", "list", "GAMMA", "--as-of", "2025-03-31"),
        3,
        "no portfolio, program or project 'GAMMA' as known at the end of 2025-03-31",
    )
    # Known now: no --as-of, no "yet".
    assert_user_error(
        history("cost", "list", "GAMMA"), 3, "no portfolio, program or project 'GAMMA'"
    )


def test_journal_as_of_ends_at_that_moment(history: Pmo) -> None:
    entries = _json(history, "journal", "--limit", "0", "--as-of", "2025-03-31")
    assert entries
    assert {e["at"][:10] for e in entries} == {"2025-03-01"}


def test_every_list_and_show_has_the_two_dates(runner: CliRunner) -> None:
    """Each read command takes --as-of; --status-date where a record has a date to leave it
    out by (the others say why in their help). The help names each default."""
    from pmo_core._cli import cli

    both = [
        ["project", "list"], ["project", "show"], ["program", "list"], ["portfolio", "show"],
        ["status", "list"], ["raid", "list"], ["raid", "show"], ["cost", "list"],
        ["forecast", "list"], ["baseline", "list"], ["baseline", "show"],
        ["baseline", "compare"], ["change", "list"], ["change", "show"], ["gate", "check"],
        ["role", "list"], ["role", "show"], ["waiver", "list"], ["exception", "list"],
        ["lesson", "list"], ["tolerance", "check"],
    ]  # fmt: skip
    as_of_only = [
        ["work", "list"], ["work", "show"], ["milestone", "list"], ["artifact", "list"],
        ["artifact", "show"], ["journal"],
    ]  # fmt: skip
    for path in both + as_of_only:
        text = " ".join(runner.invoke(cli, [*path, "--help"], terminal_width=200).output.split())
        assert "--as-of" in text, path
        assert "Default: now." in text, path
        if path in both:
            assert "--status-date" in text, path
            assert "Default: today, or the --as-of day." in text, path
        else:
            assert "no --status-date" in text.lower(), path
    writes = [["status", "report"], ["cost", "add"], ["forecast", "set"], ["raid", "add"]]
    for path in writes:
        text = runner.invoke(cli, [*path, "--help"]).output
        assert "--as-of" not in text, path
