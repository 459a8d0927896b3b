"""``pmo resource`` and ``pmo allocate``: the pool, allocations, capacity and what-if through the
command line; bad input is one ``error:`` line naming the option, exit 2, nothing written."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pmo_core import Allocation, Resource, Workspace
from pmo_core.testing import CliResult

Run = Callable[..., CliResult]


@pytest.fixture
def pool(pmo_workspace_factory: Callable[..., Workspace], pmo_cli: Run) -> tuple[Workspace, Run]:
    ws = pmo_workspace_factory(enabled=["resources", "governance"])
    ws.create("project", id="ALPHA", name="Alpha")

    def run(*args: str) -> CliResult:
        return pmo_cli(*args, workspace=ws)

    return ws, run


def ok(run: Run, *args: str) -> CliResult:
    return run(*args).assert_ok()


def error(result: CliResult, needle: str, code: int = 2) -> None:
    result.assert_error(needle, code=code)


def test_add_list_show_allocate_capacity_what_if(pool: tuple[Workspace, Run]) -> None:
    ws, run = pool
    kim = ok(run, "resource", "add", "Kim Lee", "--role", "Developer", "--skill", "Python",
             "--rate", "2025-01-01=90 EUR", "--fte", "2025-02-01=0.5", "--holiday",
             "2025-01-02", "--json").json()  # fmt: skip
    assert (kim["role"], kim["skills"], kim["holidays"]) == (
        "Developer",
        ["Python"],
        ["2025-01-02"],
    )
    assert kim["rates"] == [{"effective_from": "2025-01-01", "per_hour": "90 EUR"}]
    ok(run, "resource", "add", "Developer", "--kind", "role")
    listed = ok(run, "resource", "list", "--json").json()
    assert [(r["name"], r["kind"]) for r in listed] == [
        ("Developer", "role"),
        ("Kim Lee", "person"),
    ]
    alloc = ok(run, "allocate", "Kim Lee", "ALPHA", "--from", "2025-01-01", "--to",
               "2025-02-28", "--percent", "50", "--json").json()  # fmt: skip
    assert (alloc["resource"], alloc["percent"]) == (kim["id"], 50)
    shown = ok(run, "resource", "show", "Kim Lee", "--json").json()
    assert [a["project"] for a in shown["allocations"]] == ["ALPHA"]
    assert "Kim Lee (person, Developer)" in ok(run, "resource", "show", kim["id"]).output
    cells = ok(run, "resource", "capacity", "--json").json()
    # January: 22 working days (the 2nd off) x 8 h = 176, half of it 88; February half time:
    # 20 x 4 = 80, half of it 40.
    assert [(c["month"], c["capacity"], c["demand"], c["state"]) for c in cells] == [
        ("2025-01", "176.00", "88.00", "ok"),
        ("2025-02", "80.00", "40.00", "ok"),
    ]
    what = ("what-if", "NEW", "--resource", "Kim Lee", "--from", "2025-02-01", "--to", "2025-02-28")
    changes = ok(run, "resource", *what, "--percent", "60", "--json").json()
    assert [(c["month"], c["added"], c["after"]["state"]) for c in changes] == [
        ("2025-02", "48.00", "over")  # 40 + 48 = 88 of 80
    ]
    assert len(ws.view().records(Allocation)) == 1  # what-if wrote nothing
    text = ok(run, "resource", "capacity", "--from", "2025-02", "--to", "2025-02").output
    assert "Developer" in text
    assert "50.00 %" in text


def test_settings_set_the_capacity_thresholds(
    pmo_workspace_factory: Callable[..., Workspace], pmo_cli: Run
) -> None:
    ws = pmo_workspace_factory(
        enabled=["resources"], settings={"resources": {"under_used_below": "0.6"}}
    )
    ws.create("project", id="ALPHA", name="Alpha")
    kim = ws.add(Resource(name="Kim", role="Dev"))
    result = pmo_cli("allocate", kim.id, "ALPHA", "--from", "2025-01-01", "--to", "2025-01-31",
                     "--percent", "50", workspace=ws)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    cells = pmo_cli("resource", "capacity", "--json", workspace=ws).json()
    assert cells[0]["state"] == "under"  # 0.5 < 0.6


@pytest.mark.parametrize(
    ("args", "needle", "code"),
    [
        (("resource", "add", "X", "--rate", "soon=9 EUR"), "--rate", 2),
        (("resource", "add", "X", "--rate", "2025-01-01=-9 EUR"), "--rate", 2),
        (("resource", "add", "X", "--fte", "2025-01-01=2"), "--fte", 2),
        (("resource", "add", "X", "--hours-per-week", "200"), "--hours-per-week", 2),
        (
            ("resource", "add", "X", "--rate", "2025-01-01=9 EUR", "--rate", "2025-01-01=8 EUR"),
            "--rate: rates must be in order",
            2,
        ),
        (("resource", "add", "X", "--fte", "2025-01-01=x"), "'2025-01-01=x'", 2),
        (("resource", "show", "Nobody"), "no resource 'Nobody'", 3),
        (
            (
                "allocate",
                "Kim",
                "ALPHA",
                "--from",
                "2025-02-01",
                "--to",
                "2025-01-01",
                "--percent",
                "50",
            ),
            "--to",
            2,
        ),
        (
            ("allocate", "Kim", "ALPHA", "--from", "2025-01-01", "--to", "2025-01-31"),
            "--percent",
            2,
        ),
        (
            (
                "allocate",
                "Kim",
                "ALPHA",
                "--from",
                "2025-01-01",
                "--to",
                "2025-01-31",
                "--percent",
                "120",
            ),
            "percent",
            2,
        ),
        (("resource", "capacity", "--from", "2025-1x"), "--from", 2),
        (("resource", "capacity", "--from", "2025-03", "--to", "2025-02"), "--to", 2),
    ],
)
def test_bad_input_is_one_error_and_writes_nothing(
    pool: tuple[Workspace, Run], args: tuple[str, ...], needle: str, code: int
) -> None:
    ws, run = pool
    ws.add(Resource(name="Kim", role="Dev"))
    before = (len(ws.view().records(Resource)), len(ws.view().records(Allocation)))
    error(run(*args), needle, code)
    assert (len(ws.view().records(Resource)), len(ws.view().records(Allocation))) == before


def test_capacity_by_person(pool: tuple[Workspace, Run]) -> None:
    ws, run = pool
    kim = ws.add(Resource(name="Kim", role="Dev"))
    ws.add(Resource(name="Lou", role="Dev"))
    ok(run, "allocate", kim.id, "ALPHA", "--from", "2025-01-01", "--to", "2025-01-31",
       "--percent", "100")  # fmt: skip
    cells = ok(run, "resource", "capacity", "--by", "person", "--json").json()
    # January 2025: 23 working days x 8 h = 184 each; Kim is fully allocated, Lou not at all.
    first = cells[0]
    assert (first["resource"], first["demand"], first["state"]) == (kim.id, "184.00", "ok")
    assert [c["state"] for c in cells] == ["ok", "under"]
    text = ok(run, "resource", "capacity", "--by", "person").output.splitlines()
    assert text[0].split() == [
        "RESOURCE",
        "ROLE",
        "MONTH",
        "CAPACITY",
        "DEMAND",
        "UTILISATION",
        "STATE",
    ]
    assert text[1].split() == ["Kim", "Dev", "2025-01", "184.00", "184.00", "100.00", "%", "ok"]


def test_cost(pool: tuple[Workspace, Run]) -> None:
    _, run = pool
    ok(run, "resource", "add", "Kim", "--rate", "2025-01-01=90 EUR")
    ok(run, "allocate", "Kim", "ALPHA", "--from", "2025-01-01", "--to", "2025-01-31",
       "--percent", "50")  # fmt: skip
    # 23 working days x 4 h x 90 EUR = 8280 EUR.
    assert ok(run, "resource", "cost", "--json").json() == [
        {"project": "ALPHA", "costs": ["8280.00 EUR"], "unpriced_hours": "0.00"}
    ]
    assert ok(run, "resource", "cost").output.splitlines()[1].split() == [
        "ALPHA", "8280.00", "EUR", "0.00"
    ]  # fmt: skip
