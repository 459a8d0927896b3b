"""``pmo resource update|remove`` and their API: a change replaces the fields given (a rate or
an availability entry by its date), a resource with allocations is removed only with them
(--force), bad input is one ``error:`` line naming the option, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from pmo_resources import Removed, allocations_of, remove_resource, update_resource

from pmo_core import Allocation, ConflictError, InvalidInputError, Resource, Workspace
from pmo_core.testing import CliResult

Run = Callable[..., CliResult]


@pytest.fixture
def pool(pmo_workspace_factory: Callable[..., Workspace], pmo_cli: Run) -> tuple[Workspace, Run]:
    ws = pmo_workspace_factory(enabled=["resources", "governance"])
    ws.create("project", id="ALPHA", name="Alpha")
    ws.create("project", id="BETA", name="Beta")

    def run(*args: str) -> CliResult:
        return pmo_cli(*args, workspace=ws)

    run("resource", "add", "Kim Lee", "--role", "Developer", "--rate", "2025-01-01=90 EUR",
        "--fte", "2025-02-01=0.5", "--holiday", "2025-01-02")  # fmt: skip
    run("resource", "add", "Sam Roe", "--role", "Analyst")
    for project in ("ALPHA", "BETA"):
        run("allocate", "Kim Lee", project, "--from", "2025-01-01", "--to", "2025-03-31",
            "--percent", "40")  # fmt: skip
    return ws, run


def ok(run: Run, *args: str) -> CliResult:
    return run(*args).assert_ok()


def error(result: CliResult, needle: str, code: int = 2) -> None:
    result.assert_error(needle, code=code)


def _pool(ws: Workspace) -> dict[str, Resource]:
    return {r.name: r for r in ws.view().records(Resource)}


def test_update_replaces_the_fields_given_and_keeps_the_others(
    pool: tuple[Workspace, Run],
) -> None:
    ws, run = pool
    before = _pool(ws)["Kim Lee"]

    data = ok(run, "resource", "update", "Kim Lee", "--role", "Architect", "--rate",
              "2025-01-01=95 EUR", "--rate", "2025-07-01=99 EUR", "--fte", "2025-03-01=0.8",
              "--holiday", "2025-04-18", "--json").json()  # fmt: skip

    assert data["id"] == before.id
    assert data["role"] == "Architect"
    assert data["email"] is None  # not given: kept
    # The rate of 2025-01-01 replaced, one from July added, in date order.
    assert data["rates"] == [
        {"effective_from": "2025-01-01", "per_hour": "95 EUR"},
        {"effective_from": "2025-07-01", "per_hour": "99 EUR"},
    ]
    assert [p["effective_from"] for p in data["availability"]] == ["2025-02-01", "2025-03-01"]
    assert data["holidays"] == ["2025-01-02", "2025-04-18"]
    after = _pool(ws)["Kim Lee"]
    assert after.version == before.version + 1
    assert after.fte_on(date(2025, 2, 15)) == 0.5
    assert after.fte_on(date(2025, 3, 15)) == 0.8
    text = ok(run, "resource", "update", after.id, "--name", "Kim Park").output
    assert text.strip() == f"Updated Kim Park ({after.id}): name"
    assert allocations_of(ws.view(), after.id)  # the allocations follow the id


def test_update_refuses_bad_input_naming_the_option_and_writes_nothing(
    pool: tuple[Workspace, Run],
) -> None:
    ws, run = pool
    before = _pool(ws)["Kim Lee"]

    error(run("resource", "update", "Kim Lee", "--rate", "2025-01-01=ninety"), "--rate")
    error(run("resource", "update", "Kim Lee", "--fte", "2025-01-01=1.5"), "--fte")
    error(run("resource", "update", "Kim Lee", "--hours-per-week", "200"), "--hours-per-week")
    error(run("resource", "update", "Kim Lee"), "nothing to change")
    error(run("resource", "update", "Nobody", "--role", "X"), "no resource 'Nobody'", code=3)
    assert _pool(ws)["Kim Lee"] == before


def test_update_resource_api_checks_its_fields() -> None:
    with Workspace.in_memory(plugins={}) as ws:
        kim = ws.add(Resource(name="Kim Lee", role="Developer"))
        with pytest.raises(InvalidInputError, match="no field 'kind'"):
            update_resource(ws, kim.id, kind="role")
        assert update_resource(ws, "Kim Lee", capacity_hours_per_week=32).role == "Developer"
        assert ws.view().get(Resource, kim.id).capacity_hours_per_week == 32  # type: ignore[union-attr]


def test_remove_refuses_a_resource_with_allocations_unless_forced(
    pool: tuple[Workspace, Run],
) -> None:
    ws, run = pool
    kim = _pool(ws)["Kim Lee"]

    error(run("resource", "remove", "Kim Lee"), "2 allocation(s) (ALPHA, BETA)", code=4)
    assert "Kim Lee" in _pool(ws)
    assert len(ws.view().records(Allocation)) == 2

    data = ok(run, "resource", "remove", "Kim Lee", "--force", "--json").json()

    assert (data["id"], data["name"]) == (kim.id, "Kim Lee")
    assert sorted(a["project"] for a in data["allocations"]) == ["ALPHA", "BETA"]
    assert "Kim Lee" not in _pool(ws)
    assert ws.view().records(Allocation) == []
    # The journal keeps what was removed, in one transaction.
    deleted = [e for e in ws.journal() if e.op == "delete"]
    assert {e.kind for e in deleted} == {"resource", "allocation"}
    assert len({e.txn_id for e in deleted}) == 1


def test_remove_a_resource_without_allocations(pool: tuple[Workspace, Run]) -> None:
    ws, run = pool
    sam = _pool(ws)["Sam Roe"]

    assert ok(run, "resource", "remove", "Sam Roe").output.strip() == (
        f"Removed Sam Roe ({sam.id})"
    )
    assert "Sam Roe" not in _pool(ws)
    error(run("resource", "remove", "Sam Roe"), "no resource 'Sam Roe'", code=3)


def test_remove_resource_api() -> None:
    with Workspace.in_memory(plugins={}) as ws:
        ws.create("project", id="ALPHA", name="Alpha")
        kim = ws.add(Resource(name="Kim Lee"))
        ws.add(Allocation(resource=kim.id, project="ALPHA", start=date(2025, 1, 1),
                          finish=date(2025, 1, 31), hours=10))  # fmt: skip
        with pytest.raises(ConflictError, match="1 allocation"):
            remove_resource(ws, kim.id)
        removed = remove_resource(ws, kim.id, force=True)
        assert isinstance(removed, Removed)
        assert [a.project for a in removed.allocations] == ["ALPHA"]
        assert ws.view().records(Resource) == []
