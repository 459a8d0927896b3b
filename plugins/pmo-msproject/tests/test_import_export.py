"""Each file imports into a fresh workspace through the API and the CLI, and an MSPDI export
opens in MPXJ with the same tasks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pmo_msproject
import pytest
from msproject_samples import DATA, MSPDI_FILES, PAIRS, XER_FILES, read

from pmo_core import WorkItemLink, Workspace

FILES = [
    *(("mspdi", p) for p in MSPDI_FILES),
    *(("msproject", p) for p in sorted(DATA.glob("*.mpp"))),
    *(("primavera", p) for p in XER_FILES),
]


@pytest.mark.parametrize(("connector", "path"), FILES, ids=lambda v: getattr(v, "name", v))
def test_each_file_imports_into_a_fresh_workspace(
    ws: Workspace, connector: str, path: Path
) -> None:
    expected = read(connector, path)

    dry = ws.import_from(connector, path, dry_run=True)
    assert ws.journal() == []
    done = ws.import_from(connector, path)
    again = ws.import_from(connector, path)

    assert dry.counts() == done.counts()
    assert done.summary().startswith(f"created {len(expected)}, ")
    assert again.summary() == f"created 0, updated 0, unchanged {len(expected)}"
    project = ws.view().entity(expected[0].remote_id)
    subjects = sorted(w.subject for w in ws.work_items(project.id))
    assert subjects == sorted(i.data["subject"] for i in expected if i.kind == "work_item")


@pytest.mark.parametrize(("connector", "path"), FILES, ids=lambda v: getattr(v, "name", v))
def test_each_file_imports_through_the_cli(
    pmo_cli: Callable[..., Any], pmo_workspace: Workspace, connector: str, path: Path
) -> None:
    assert pmo_cli("plugins", "enable", "msproject", workspace=pmo_workspace).exit_code == 0

    result = pmo_cli("import", connector, path, "--json", workspace=pmo_workspace)

    assert result.exit_code == 0, result.stderr
    assert result.json()["counts"]["create"] == len(read(connector, path))


def test_a_project_goes_under_the_parent_the_option_names(ws: Workspace) -> None:
    ws.create("portfolio", id="PF", name="Operations")

    ws.import_from("mspdi", DATA / "sample.xml", options={"parent": "PF"})

    assert ws.view().entity("sample").parent == "PF"


@pytest.fixture
def planned(ws: Workspace) -> Workspace:
    """A project of 4 work items: a phase with two tasks, a milestone, links and costs."""
    ws.create(
        "project",
        id="MOVE",
        name="Office move",
        currency="GBP",
        planned_start=date(2025, 3, 3),
        planned_finish=date(2025, 3, 28),
    )
    phase = ws.add_work_item("MOVE", "Preparation", start=date(2025, 3, 3), due=date(2025, 3, 14))
    pack = ws.add_work_item(
        "MOVE",
        "Pack",
        parent=phase.id,
        start=date(2025, 3, 3),
        due=date(2025, 3, 7),
        work=40,
        budget="1200 GBP",
        actual_cost="300.50 GBP",
        percent_complete=25,
    )
    label = ws.add_work_item(
        "MOVE",
        "Label",
        parent=phase.id,
        start=date(2025, 3, 10),
        due=date(2025, 3, 14),
        budget="400 GBP",
        links=[WorkItemLink(predecessor=pack.id, type="SS", lag_days=2)],
    )
    ws.add_work_item(
        "MOVE",
        "Moved",
        type="milestone",
        start=date(2025, 3, 28),
        due=date(2025, 3, 28),
        links=[WorkItemLink(predecessor=label.id, type="FS", lag_days=0)],
    )
    return ws


def _tasks(items: list[Any]) -> dict[str, tuple[Any, ...]]:
    """subject -> (parent's subject, dates, type, links by subject, budget, actual cost)."""
    work = {i.remote_id: dict(i.data) for i in items if i.kind == "work_item"}
    name = {rid: data["subject"] for rid, data in work.items()}
    return {
        data["subject"]: (
            name.get(data["parent"]),
            data["start"] if data["type"] != "milestone" else None,
            data["due"],
            data["type"],
            [(name[link["predecessor"]], link["type"], link["lag_days"]) for link in data["links"]],
            data.get("budget"),
            data.get("actual_cost"),
        )
        for data in work.values()
    }


def test_an_mspdi_export_opens_in_mpxj_with_the_same_tasks(
    planned: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "move.xml"

    planned.export_to("mspdi", out, scope="MOVE")

    assert _tasks(read("msproject", out)) == {
        "Preparation": (None, date(2025, 3, 3), date(2025, 3, 14), "summary", [], None, None),
        "Pack": (
            "Preparation",
            date(2025, 3, 3),
            date(2025, 3, 7),
            "task",
            [],
            "1200.00 GBP",
            "300.50 GBP",
        ),
        "Label": (
            "Preparation",
            date(2025, 3, 10),
            date(2025, 3, 14),
            "task",
            [("Pack", "SS", 2.0)],
            "400.00 GBP",
            None,
        ),
        "Moved": (None, None, date(2025, 3, 28), "milestone", [("Label", "FS", 0.0)], None, None),
    }
    # The native reader reads the export as MPXJ does.
    assert _tasks(read("mspdi", out)) == _tasks(read("msproject", out))
    mpxj = {i.data["subject"]: i.data for i in read("msproject", out) if i.kind == "work_item"}
    assert (mpxj["Pack"]["work"], mpxj["Pack"]["percent_complete"]) == (40, 25)


def test_the_export_command_writes_one_project(
    pmo_cli: Callable[..., Any], pmo_workspace: Workspace, tmp_path: Path
) -> None:
    pmo_cli("plugins", "enable", "msproject", workspace=pmo_workspace)
    pmo_cli("import", "mspdi", DATA / "mspdirelations.xml", workspace=pmo_workspace)
    out = tmp_path / "out.xml"

    result = pmo_cli("export", "mspdi", out, "--under", "mspdirelations", workspace=pmo_workspace)

    assert result.exit_code == 0, result.stderr
    assert sorted(i.data["subject"] for i in read("msproject", out) if i.kind == "work_item") == [
        "Task 1",
        "Task 2",
        "Task 3",
        "Task 4",
        "Task 5",
    ]


def test_an_export_of_several_projects_is_refused(planned: Workspace, tmp_path: Path) -> None:
    planned.create("project", id="OTHER", name="Other")

    with pytest.raises(Exception, match="holds one project"):
        planned.export_to("mspdi", tmp_path / "all.xml")
    assert not (tmp_path / "all.xml").exists()


def _stored(ws: Workspace, project: str) -> dict[str, tuple[Any, ...]]:
    """The imported work items by subject and id: parent and links by subject, dates, money."""
    items = ws.work_items(project)
    # Subjects repeat ("Task 1" twice): the n-th of a subject by its dates tells them apart,
    # whatever ids the two workspaces gave.
    seen: dict[str, int] = {}
    name: dict[str, str] = {}
    for w in sorted(items, key=lambda w: (w.subject, str(w.start), str(w.due), str(w.budget))):
        seen[w.subject] = seen.get(w.subject, 0) + 1
        name[w.id] = f"{w.subject}#{seen[w.subject]}"
    return {
        name[w.id]: (
            name.get(w.parent or ""),
            w.start,
            w.due,
            w.type,
            sorted((name[link.predecessor], link.type, link.lag_days) for link in w.links),
            None if w.budget is None else str(w.budget),
            None if w.actual_cost is None else str(w.actual_cost),
        )
        for w in items
    }


@pytest.mark.parametrize(("xml", "mpp"), PAIRS, ids=lambda p: p.name)
def test_the_imports_of_an_mspdi_and_its_mpp_agree(xml: Path, mpp: Path) -> None:
    with Workspace.in_memory(plugins={"msproject": pmo_msproject}) as a:
        a.import_from("mspdi", xml, options={"key": "PLAN"})
        native = _stored(a, "PLAN")
    with Workspace.in_memory(plugins={"msproject": pmo_msproject}) as b:
        b.import_from("msproject", mpp, options={"key": "PLAN"})
        mpxj = _stored(b, "PLAN")

    assert native == mpxj


def test_an_import_resolves_parents_links_and_milestones_to_the_workspace_s_ids(
    ws: Workspace,
) -> None:
    ws.import_from("mspdi", DATA / "sample.xml")

    items = {w.subject: w for w in ws.work_items("sample")}
    ids = {w.id for w in items.values()}
    assert items["Second Task"].parent == items["First Task"].id
    linked = [w for w in items.values() if w.links]
    assert linked
    assert all(link.predecessor in ids for w in linked for link in w.links)
    (milestone,) = ws.milestones("sample")
    assert items[milestone.name].milestone == milestone.id


def test_an_imported_file_exported_again_opens_in_mpxj_with_the_same_plan(
    ws: Workspace, tmp_path: Path
) -> None:
    original = DATA / "sample.xml"
    ws.import_from("mspdi", original)
    out = tmp_path / "sample-out.xml"

    ws.export_to("mspdi", out, scope="sample")

    with Workspace.in_memory(plugins={"msproject": pmo_msproject}) as back:
        back.import_from("msproject", out, options={"key": "sample"})
        again = _stored(back, "sample")
    assert again == _stored(ws, "sample")
