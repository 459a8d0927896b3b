"""pmo import as a sync (conflicts, archiving) and pmo sync list / conflicts / resolve."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import Pmo, assert_user_error, needs_csv


def _exported(hierarchy: Pmo, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    hierarchy.ok("export", "csv", str(out))
    hierarchy.ok("import", "csv", str(out))  # records the external keys
    return next(out.rglob("projects.csv"))


@needs_csv
def test_a_conflict_is_listed_and_resolved_from_the_command_line(
    hierarchy: Pmo, tmp_path: Path
) -> None:
    projects = _exported(hierarchy, tmp_path)
    hierarchy.ok("project", "update", "ALPHA", "--name", "Renamed here")
    projects.write_text(projects.read_text().replace(",Alpha,", ",Renamed there,"))

    dry = hierarchy.ok(
        "import", "csv", str(projects.parent), "--on-conflict", "manual", "--dry-run"
    )
    assert "! project ALPHA name: here Renamed here, in the source Renamed there (was Alpha)" in (
        dry.output
    )
    assert json.loads(hierarchy.ok("sync", "conflicts", "--json").output) == []

    hierarchy.ok("import", "csv", str(projects.parent), "--on-conflict", "manual")

    listed = json.loads(hierarchy.ok("sync", "conflicts", "--json").output)
    assert [(c["target"], c["field"], c["local"], c["remote"]) for c in listed] == [
        ("ALPHA", "name", "Renamed here", "Renamed there")
    ]
    table = hierarchy.ok("sync", "conflicts").output
    assert "Renamed there" in table
    assert "open" in table
    runs = json.loads(hierarchy.ok("sync", "list", "--json").output)
    assert runs[0]["conflicts"] == 1
    assert runs[0]["source"] == str(projects.parent)
    assert runs[0]["mode"] == "full"

    done = hierarchy.ok("sync", "resolve", listed[0]["id"][:6], "--keep", "remote")

    assert "name is Renamed there (from the source)" in done.output
    assert "Renamed there" in hierarchy.ok("project", "show", "ALPHA").output
    assert "No conflicts waiting." in hierarchy.ok("sync", "conflicts").output
    again = hierarchy("sync", "resolve", listed[0]["id"], "--keep", "local")
    assert_user_error(again, 4, "is resolved, not open")


@needs_csv
def test_a_row_gone_from_the_file_archives_its_project(hierarchy: Pmo, tmp_path: Path) -> None:
    hierarchy.ok("project", "create", "BETA", "--name", "Beta", "--parent", "ERP")
    projects = _exported(hierarchy, tmp_path)
    lines = projects.read_text().splitlines(keepends=True)
    projects.write_text("".join(line for line in lines if not line.startswith("BETA,")))

    result = hierarchy.ok("import", "csv", str(projects.parent))

    assert "- project BETA" in result.output
    assert "archived 1" in result.output
    shown = json.loads(hierarchy.ok("project", "show", "BETA", "--json").output)
    assert shown["archived"] is True


def test_sync_commands_refuse_bad_input(pmo: Pmo) -> None:
    assert_user_error(pmo("sync", "resolve", "ab", "--keep", "local"), 2, "at least 4 characters")
    assert_user_error(pmo("sync", "resolve", "abcdef", "--keep", "local"), 3, "no sync conflict")
    bad = pmo("import", "csv", "x.csv", "--on-conflict", "theirs")
    assert bad.exit_code == 2
    assert "theirs" in bad.stderr
    assert "No sync runs yet" in pmo.ok("sync", "list").output


@needs_csv
def test_every_bad_row_is_listed_on_its_own_line(pmo: Pmo, tmp_path: Path) -> None:
    path = tmp_path / "projects.csv"
    path.write_text(
        "key,name,tier,planned_start\nA,Alpha,1,\nB,Beta,nine,\nC,,2,\nD,Delta,\x1b[31m,\n"
        "E,Echo,1,31.12.2025\n",
        encoding="utf-8",
    )
    before = pmo.snapshot()

    result = pmo("import", "csv", str(path))

    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "error: 4 items refused; nothing was written"
    # The connector's own (a date it cannot read) among the core's, in the file's order.
    assert [line.split(": ")[0] for line in lines[1:]] == [
        f"  {path}:3:3", f"  {path}:4:2", f"  {path}:5:3", f"  {path}:6:4",
    ]  # fmt: skip
    assert "is not a date" in lines[4]
    assert "\x1b" not in result.stderr  # data never drives the terminal
    assert pmo.snapshot() == before
