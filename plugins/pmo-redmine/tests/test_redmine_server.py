"""The redmine connector against a real Redmine (scripts/redmine.sh): a seeded project tree
imported, imported again unchanged, read incrementally, written back, and a wrong key."""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pmo_redmine
import pytest
from redmine_support import Seeder, workspace

from pmo_core import ConnectorRequest, ExternalRef, SourceItem, Workspace

pytestmark = pytest.mark.integration


def seed_tree(seed: Seeder) -> dict[str, Any]:
    """A top project with a subproject; a version; issues with a parent, a precedes relation
    with a delay, a blocks relation; spent time."""
    top = seed.project("ERP rollout")
    sub = seed.project("Data migration", parent=top)
    v1 = seed.version(top, "Go-live", due_date="2025-06-30")
    design = seed.issue(
        top,
        "Design",
        start_date="2025-01-06",
        due_date="2025-01-31",
        estimated_hours=40,
        done_ratio=30,
        fixed_version_id=v1["id"],
        assigned_to_id=1,
    )
    build = seed.issue(top, "Build", start_date="2025-02-10", estimated_hours=80)
    test = seed.issue(top, "Test", estimated_hours=20)
    seed.relate(design, build, "precedes", delay=3)
    seed.relate(build, test, "blocks")
    extract = seed.issue(sub, "Extract", estimated_hours=16)
    child = seed.issue(sub, "Extract customers", parent_issue_id=extract["id"], estimated_hours=8)
    seed.spend(design, 3.5, "2025-01-07", "workshop")
    seed.spend(child, 2, "2025-02-03")
    return {
        "top": top,
        "sub": sub,
        "v1": v1,
        "design": design,
        "build": build,
        "test": test,
        "extract": extract,
        "child": child,
    }


def settings_for(tree: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"projects": [tree["top"]["identifier"]], "hour_rate": "100 EUR", **more}


def by_remote(ws: Workspace, kind: str) -> dict[str, dict[str, Any]]:
    """The records of ``kind`` imported through redmine, by Redmine id."""
    refs = {
        str(doc.data["target"]): doc.data
        for doc in ws.store.query(ExternalRef.store_kind)
        if doc.data["connector"] == "redmine" and doc.data["kind"] == kind
    }
    return {
        str(refs[doc.id]["remote_id"]): {**doc.data, "_ref": refs[doc.id]}
        for doc in ws.store.query(kind)
        if doc.id in refs
    }


def test_a_seeded_tree_is_imported(redmine: tuple[str, str], seed: Seeder) -> None:
    url, key = redmine
    tree = seed_tree(seed)
    top, sub = tree["top"]["identifier"], tree["sub"]["identifier"]
    with workspace(url, key, **settings_for(tree)) as ws:
        result = ws.import_from("redmine", url)
        assert result.by_kind["project"]["create"] == 2
        view = ws.view()
        assert view.entity(sub).parent == top
        assert view.entity(top).name == "ERP rollout"

        milestones = by_remote(ws, "milestone")
        assert [m["name"] for m in milestones.values()] == ["Go-live"]
        go_live = milestones[str(tree["v1"]["id"])]
        assert go_live["due"] == "2025-06-30"
        assert go_live["status"] == "open"

        items = by_remote(ws, "work_item")
        assert len(items) == 5
        design = items[str(tree["design"]["id"])]
        build = items[str(tree["build"]["id"])]
        test = items[str(tree["test"]["id"])]
        extract = items[str(tree["extract"]["id"])]
        child = items[str(tree["child"]["id"])]
        assert design["subject"] == "Design"
        assert design["project"] == top
        assert design["status"] == "open"  # Redmine's New
        assert design["percent_complete"] == 30
        assert design["work"] == 40
        assert design["start"] == "2025-01-06"
        assert design["due"] == "2025-01-31"
        assert design["assignee"] == "Redmine Admin"
        assert design["milestone"] == go_live["id"]
        assert build["links"] == [{"predecessor": design["id"], "type": "FS", "lag_days": 3.0}]
        assert test["links"] == [{"predecessor": build["id"], "type": "FS", "lag_days": 0.0}]
        assert child["parent"] == extract["id"]
        assert child["project"] == sub

        ref = design["_ref"]
        assert ref["remote_url"] == f"{url}/issues/{tree['design']['id']}"
        assert ref["remote_version"] == seed.get(tree["design"])["updated_on"]

        costs = sorted(by_remote(ws, "cost_entry").values(), key=lambda c: c["incurred_on"])
        assert [(c["project"], c["incurred_on"]) for c in costs] == [
            (top, "2025-01-07"),
            (sub, "2025-02-03"),
        ]
        assert [Decimal(c["amount"]["amount"]) for c in costs] == [Decimal(350), Decimal(200)]
        assert costs[0]["nature"] == "labour"
        assert "workshop" in costs[0]["description"]


def test_a_second_run_without_changes_is_unchanged(redmine: tuple[str, str], seed: Seeder) -> None:
    url, key = redmine
    tree = seed_tree(seed)
    with workspace(url, key, **settings_for(tree)) as ws:
        ws.import_from("redmine", url)
        again = ws.import_from("redmine", url)
        # An incremental run: what it reads again (the newest issues, projects, versions,
        # spent time) is unchanged.
        assert ws.sync_runs(connector="redmine")[0].mode == "incremental"
        assert again.summary().startswith("created 0, updated 0, unchanged ")
        assert {i.op for i in again.items} <= {"unchanged"}
        full = ws.import_from("redmine", url, full=True)
        assert full.summary() == "created 0, updated 0, unchanged 10"


def test_a_field_changed_on_both_sides_is_a_conflict_kept_for_manual_resolution(
    redmine: tuple[str, str], seed: Seeder
) -> None:
    url, key = redmine
    tree = seed_tree(seed)
    with workspace(url, key, **settings_for(tree)) as ws:
        ws.import_from("redmine", url)
        local = by_remote(ws, "work_item")[str(tree["build"]["id"])]
        ws.update_work_item(local["id"], subject="Build (local)")
        seed.update(tree["build"], subject="Build (remote)", estimated_hours=90)

        result = ws.import_from("redmine", url, on_conflict="manual")

        (conflict,) = ws.sync_conflicts()
        assert (conflict.field, conflict.local, conflict.remote) == (
            "subject",
            "Build (local)",
            "Build (remote)",
        )
        assert result.conflict_count == 1
        item = by_remote(ws, "work_item")[str(tree["build"]["id"])]
        # Nothing overwritten here; the field changed only remotely is taken.
        assert (item["subject"], item["work"]) == ("Build (local)", 90)
        # Nor there: an import never writes to Redmine.
        assert seed.get(tree["build"])["subject"] == "Build (remote)"


def test_an_issue_changed_in_redmine_updates_its_work_item(
    redmine: tuple[str, str], seed: Seeder
) -> None:
    url, key = redmine
    tree = seed_tree(seed)
    with workspace(url, key, **settings_for(tree)) as ws:
        ws.import_from("redmine", url)
        seed.update(tree["test"], subject="Acceptance test", done_ratio=50)
        result = ws.import_from("redmine", url)
        changed = [i for i in result.items if i.op == "update"]
        assert [(i.kind, i.remote_id) for i in changed] == [("work_item", str(tree["test"]["id"]))]
        assert changed[0].changes["subject"] == ("Test", "Acceptance test")
        item = by_remote(ws, "work_item")[str(tree["test"]["id"])]
        assert item["percent_complete"] == 50


def test_an_issue_deleted_in_redmine_is_archived_by_a_full_run(
    redmine: tuple[str, str], seed: Seeder
) -> None:
    url, key = redmine
    tree = seed_tree(seed)
    with workspace(url, key, **settings_for(tree)) as ws:
        ws.import_from("redmine", url)
        gone = str(tree["test"]["id"])
        local = by_remote(ws, "work_item")[gone]
        seed.delete(tree["test"])

        # An incremental run cannot see a deletion (Redmine lists none): nothing archived.
        quiet = ws.import_from("redmine", url)
        assert [i for i in quiet.items if i.op == "archive"] == []

        result = ws.import_from("redmine", url, full=True)

        archived = [(i.op, i.kind, i.remote_id) for i in result.items if i.op == "archive"]
        assert archived == [("archive", "work_item", gone)]
        # Archived, never deleted.
        stored = ws.store.get("work_item", local["id"])
        assert stored is not None
        assert stored.data["archived_on"] is not None


def read_since(
    url: str, key: str, tree: dict[str, Any], since: str | None
) -> tuple[list[SourceItem], list[str]]:
    marks: list[str] = []
    request = ConnectorRequest(
        location=url,
        settings=pmo_redmine.RedmineSettings(api_key=key, **settings_for(tree)),
        since=since,
        watermark=marks.append,
    )
    return list(pmo_redmine.read(request)), marks


def test_an_incremental_read_gives_only_the_issues_updated_since(
    redmine: tuple[str, str], seed: Seeder
) -> None:
    url, key = redmine
    tree = seed_tree(seed)
    items, marks = read_since(url, key, tree, None)
    newest = max(str(i.remote_version) for i in items if i.kind == "work_item")
    assert marks == [newest]
    # Redmine keeps seconds: a change in the same second as the watermark is read again
    # (>=), never missed. The change is made a second after the seeding, so only it is read.
    time.sleep(1.1)
    seed.update(tree["child"], done_ratio=80)
    changed = seed.get(tree["child"])["updated_on"]
    later, marks = read_since(url, key, tree, changed)
    issues = {i.remote_id: i for i in later if i.kind == "work_item"}
    # Redmine derives a parent's progress from its children: the parent changed too.
    assert sorted(issues) == sorted([str(tree["child"]["id"]), str(tree["extract"]["id"])])
    assert issues[str(tree["child"]["id"])].data["parent"] == str(tree["extract"]["id"])
    assert marks == [changed]
    # An issue whose predecessor is not read this time: the link is kept (the predecessor is
    # in scope, imported before).
    time.sleep(1.1)
    seed.update(tree["test"], subject="Acceptance test")
    changed = seed.get(tree["test"])["updated_on"]
    later, _ = read_since(url, key, tree, changed)
    issues = {i.remote_id: i for i in later if i.kind == "work_item"}
    assert list(issues) == [str(tree["test"]["id"])]
    links = issues[str(tree["test"]["id"])].data["links"]
    assert links == [{"predecessor": str(tree["build"]["id"]), "type": "FS", "lag_days": 0.0}]
    # Projects and versions are read whole (a handful), so the core sees them unchanged.
    assert {i.kind for i in later} >= {"project", "milestone"}


def test_write_back_sets_status_and_percent_complete(
    redmine: tuple[str, str], seed: Seeder
) -> None:
    url, key = redmine
    tree = seed_tree(seed)
    settings = settings_for(tree, write_back=["status", "percent_complete"])
    with workspace(url, key, **settings) as ws:
        ws.import_from("redmine", url)
        items = by_remote(ws, "work_item")
        # Done here: its status becomes "done", which Redmine calls Closed.
        ws.record_progress(items[str(tree["build"]["id"])]["id"], 100)
        # Started: open (Redmine's New) becomes in_progress (In Progress).
        ws.record_progress(items[str(tree["design"]["id"])]["id"], 60)
        ws.export_to("redmine", url, scope=tree["top"]["identifier"])
        build, design = seed.get(tree["build"]), seed.get(tree["design"])
        assert (build["status"]["name"], build["done_ratio"]) == ("Closed", 100)
        assert (design["status"]["name"], design["done_ratio"]) == ("In Progress", 60)
        # Read back, the statuses are the ones written: the same change on both sides.
        ws.import_from("redmine", url, on_conflict="manual")
        assert ws.sync_conflicts() == []
        items = by_remote(ws, "work_item")
        assert items[str(tree["build"]["id"])]["status"] == "done"
        assert items[str(tree["design"]["id"])]["status"] == "in_progress"
    # Issues whose values were the same were not touched.
    assert seed.get(tree["test"])["updated_on"] == tree["test"]["updated_on"]


def test_a_wrong_api_key_is_one_line_naming_the_url(
    redmine: tuple[str, str], pmo_cli: Callable[..., Any], tmp_path: Path
) -> None:
    url, _ = redmine
    wrong = "f" * 40
    assert pmo_cli("init", str(tmp_path / "ws")).exit_code == 0
    workspace_dir = tmp_path / "ws"
    assert pmo_cli("plugins", "enable", "redmine", workspace=workspace_dir).exit_code == 0
    result = pmo_cli(
        "import", "redmine", url, workspace=workspace_dir, env={"PMO_REDMINE_API_KEY": wrong}
    )
    assert result.exit_code == 2
    shown = (result.output + result.stderr).strip().splitlines()
    assert len(shown) == 1, shown
    assert shown[0] == (
        f"error: {url}: Redmine refused the API key (401 Unauthorized): check "
        "PMO_REDMINE_API_KEY (or the file PMO_REDMINE_API_KEY_FILE names)"
    )
    assert wrong not in result.output + result.stderr
