"""pmo import / export, pmo report, pmo schema and pmo journal."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import Pmo, assert_user_error, needs_csv, needs_reports

from pmo_core._cli.progress import ProgressBar


@needs_csv
def test_export_then_import_dry_run_then_import_is_idempotent(
    hierarchy: Pmo, make_pmo: Callable[..., Pmo], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = hierarchy.ok("export", "csv", str(out), "--scope", "PF")
    assert "Exported 3 record(s)" in result.output
    other = make_pmo("other")
    before = other.journal_length()

    dry = other.ok("import", "csv", str(out), "--dry-run")

    assert "+ project ALPHA" in dry.output
    assert "would create 3" in dry.output
    assert other.journal_length() == before
    assert "created 3" in other.ok("import", "csv", str(out)).output
    again = json.loads(other.ok("import", "csv", str(out), "--json").output)
    assert again["counts"] == {"create": 0, "update": 0, "unchanged": 3, "archive": 0}


@needs_csv
def test_import_shows_changed_fields(hierarchy: Pmo, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    hierarchy.ok("export", "csv", str(out))
    hierarchy.ok("import", "csv", str(out))  # records the external keys
    projects = next(out.rglob("projects.csv"))
    projects.write_text(projects.read_text().replace(",Alpha,", ",Renamed,"))

    result = hierarchy.ok("import", "csv", str(out), "--dry-run")

    assert "~ project ALPHA" in result.output
    assert "name: Alpha -> Renamed" in result.output
    assert "would update 1" in result.output


@needs_csv
def test_import_keeps_a_local_edit_and_shows_a_conflict(hierarchy: Pmo, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    hierarchy.ok("export", "csv", str(out))
    hierarchy.ok("import", "csv", str(out))
    hierarchy.ok("project", "update", "ALPHA", "--name", "Renamed here")
    # The file unchanged: the local edit stays.
    assert "unchanged" in hierarchy.ok("import", "csv", str(out)).output
    assert "Renamed here" in hierarchy.ok("project", "show", "ALPHA").output
    # Changed in the file too: a conflict, kept local under manual.
    projects = next(out.rglob("projects.csv"))
    projects.write_text(projects.read_text().replace(",Alpha,", ",Renamed there,"))
    result = hierarchy.ok("import", "csv", str(out), "--on-conflict", "manual")
    assert "1 conflict(s), the local value kept until resolved" in result.output
    assert "Renamed here" in hierarchy.ok("project", "show", "ALPHA").output


@needs_csv
def test_a_bad_row_imports_nothing_and_names_the_place(
    hierarchy: Pmo, make_pmo: Callable[..., Pmo], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    hierarchy.ok("export", "csv", str(out))
    files = list(out.rglob("*.csv"))
    target = next(f for f in files if "ALPHA" in f.read_text())
    rows = list(csv.reader(io.StringIO(target.read_text())))
    column = rows[0].index("planned_finish")
    row = next(r for r in rows if "ALPHA" in r)
    row[column] = "not-a-date"
    with target.open("w", newline="") as f:
        csv.writer(f).writerows(rows)
    other = make_pmo("other")
    before = other.snapshot()

    result = other("import", "csv", str(out))

    assert_user_error(result, 2, target.name, "planned_finish")
    assert other.snapshot() == before


def test_import_through_an_unknown_connector(pmo: Pmo) -> None:
    assert_user_error(pmo("import", "nope", "x.csv"), 3, "no connector 'nope'")
    assert_user_error(pmo("export", "nope", "out"), 3, "no connector 'nope'")


def test_progress_bar_draws_only_when_enabled(capsys: pytest.CaptureFixture[str]) -> None:
    with ProgressBar("Quiet", enabled=False) as quiet:
        quiet("read", 5, 10)
    assert capsys.readouterr().err == ""

    with ProgressBar("Importing", enabled=True) as bar:
        bar("read", 5, 10)
        bar("read", 10, 10)
        bar("commit", 0, 10)
        bar("commit", 10, 10)
    lines = capsys.readouterr().err.replace("\r", "\n").split("\n")
    assert "Importing: reading 10 rows" in lines
    assert "Importing: committing 10 changes..." in lines  # started: never a frozen 100 %
    assert "Importing: committing 10 changes" in lines
    assert re.fullmatch(r"Importing: done in \d+\.\d s", lines[-2])

    # The first phase's rate counts from the start of the work, a later one's from its
    # first report: 1,000 seconds in, 120,000 rows read make 120 rows/s.
    with ProgressBar("Importing", enabled=True) as bar:
        bar._started -= 1000
        bar("read", 120_000, None)
    assert capsys.readouterr().err.startswith("\rImporting: reading 120,000 rows, 120 rows/s")

    # A failure leaves the last line as it was (where it stopped), with no done line.
    def stopped() -> None:
        with ProgressBar("Importing", enabled=True) as bar:
            bar("read", 3, None)
            raise KeyError("x")

    with pytest.raises(KeyError):
        stopped()
    assert capsys.readouterr().err.endswith("Importing: reading 3 rows\n")


def test_progress_line_is_cut_to_the_terminal_width(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "41")
    ProgressBar("Importing " + "x" * 60, enabled=True)("read", 7, None)
    # A wrapped line could not be redrawn in place: 40 characters, the last three dots.
    assert capsys.readouterr().err == "\r" + ("Importing " + "x" * 60)[:37] + "..."


@pytest.mark.parametrize(
    ("phase", "done", "total", "elapsed", "line"),
    [
        ("read", 0, None, 0.0, "reading ..."),
        ("read", 12_000, 50_000, 1.2, "reading 12,000 of 50,000 rows, 10,000 rows/s"),
        ("read", 120_000, None, 4.0, "reading 120,000 rows, 30,000 rows/s"),
        ("read", 400, None, 0.4, "reading 400 rows"),  # too early for a rate
        ("read", 50_505, 50_505, 5.0, "reading 50,505 rows, 10,101 rows/s"),
        ("commit", 0, 50_505, 0.0, "committing 50,505 changes..."),
        ("plans", 0, 505, 0.0, "checking the plans of 505 entities..."),
        ("archive", 0, None, 0.0, "archiving what the source no longer holds: ..."),
        ("archive", 0, 0, 0.1, "archiving what the source no longer holds: no records"),
        ("commit", 0, 0, 0.0, "committing no changes"),
        ("write", 7, None, 0.1, "writing 7 records"),
        ("custom", 3, 4, 0.0, "custom 3 of 4 items"),
    ],
)
def test_progress_line_says_the_phase_its_counts_and_rate(
    phase: str, done: int, total: int | None, elapsed: float, line: str
) -> None:
    assert ProgressBar.line(phase, done, total, elapsed) == line


@needs_csv
def test_import_and_export_show_every_phase_on_a_terminal(
    hierarchy: Pmo, make_pmo: Callable[..., Pmo], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pmo_core._cli import progress

    out = tmp_path / "out"
    out.mkdir()
    quiet = hierarchy.ok("export", "csv", str(out))
    assert quiet.stderr == ""  # not a terminal: nothing on stderr
    monkeypatch.setattr(progress, "on_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "400")  # no line cut to the width of a terminal
    exported = hierarchy.ok("export", "csv", str(out))
    assert f"Exporting to {out}: writing 3 records" in exported.stderr
    other = make_pmo("other")

    result = other.ok("import", "csv", str(out))

    lines = result.stderr.replace("\r", "\n").split("\n")
    shown = [line for line in lines if line]
    label = f"Importing {out}: "
    assert all(line.startswith(label) for line in shown), shown
    said = [line[len(label) :] for line in shown]
    assert said.index("reading 3 rows") < said.index("committing 3 changes...")
    assert said.index("committing 3 changes...") < said.index("committing 3 changes")
    assert "archiving what the source no longer holds: ..." in said
    assert "archiving what the source no longer holds: no records" in said
    assert re.fullmatch(r"done in \d+\.\d s", said[-1])
    assert "created 3" in result.stdout  # the summary stays on stdout

    # --json output is only the JSON; the bar is on stderr, and a dry run commits nothing.
    dry = other.ok("import", "csv", str(out), "--dry-run", "--json")
    assert json.loads(dry.stdout)["dry_run"] is True
    assert "committing" not in dry.stderr


def test_report_list_and_errors(pmo: Pmo) -> None:
    from pmo_core import PmoReport, Workspace

    with Workspace.open(pmo.root) as ws:
        records = ws.host.records(PmoReport)
        expected = [r.name for r in records]
        declared = {r.name: None if r.options is None else dict(r.options) for r in records}
    listed = json.loads(pmo.ok("report", "list", "--json").output)
    assert [r["name"] for r in listed] == expected
    for entry in listed:
        assert {"name", "plugin", "scopes", "formats", "options", "summary"} <= set(entry)
        assert entry["options"] == declared[entry["name"]]
    if "raid-register" in declared:
        text = pmo.ok("report", "list").stdout
        assert "options" in text.splitlines()[0].lower().split()
        raid = next(line for line in text.splitlines() if line.startswith("raid-register"))
        assert "open" in raid.split()
        info = pmo.ok("plugins", "info", "reports").stdout
        assert "report raid-register" in info
        assert "--option open" in info
        shown = json.loads(pmo.ok("plugins", "info", "reports", "--json").stdout)
        assert shown["report_options"]["raid-register"] == declared["raid-register"]
        assert shown["report_options"]["roadmap"] == {}
    if len(expected) > 1:
        limited = pmo.ok("report", "list", "--limit", "1").stdout.splitlines()
        assert len(limited) == 2  # the header and one report

    assert_user_error(pmo("report"), 2, "name a report (see 'pmo report list')")
    assert_user_error(pmo("report", "list", "PF"), 2, "'pmo report list' takes no scope")
    assert_user_error(
        pmo("report", "list", "--format", "md"), 2, "pmo report list: cannot be combined"
    )
    assert_user_error(pmo("report", "no-such-report"), 3, "no report 'no-such-report'")


def test_report_list_former_spelling_warns_and_is_hidden(pmo: Pmo) -> None:
    former = pmo.ok("report", "--list", "--json")

    assert json.loads(former.stdout) == json.loads(pmo.ok("report", "list", "--json").stdout)
    assert former.stderr.count("warning: pmo report --list is deprecated") == 1
    assert "--list" not in pmo.ok("report", "--help").output


@needs_reports
def test_report_to_stdout_and_file(hierarchy: Pmo, tmp_path: Path) -> None:
    hierarchy.ok("status", "report", "ALPHA", "--overall", "green")

    md = hierarchy.ok("report", "project-status", "ALPHA").output
    assert "ALPHA" in md
    target = tmp_path / "pf.json"
    hierarchy.ok("report", "portfolio-summary", "PF", "--format", "json", "--output", str(target))
    assert json.loads(target.read_text())
    before = hierarchy.snapshot()
    result = hierarchy("report", "project-status", "ALPHA", "--format", "docx")
    assert_user_error(result, 2, "--format")
    assert hierarchy.snapshot() == before


def test_schema_prints_the_domain_and_one_kind(pmo: Pmo) -> None:
    whole = json.loads(pmo.ok("schema").output)
    assert {"Project", "RaidItem", "Money"} <= set(whole["$defs"])

    project = json.loads(pmo.ok("schema", "--kind", "project").output)
    assert project["title"] == "Project"
    assert "budget" in project["properties"]
    assert json.loads(pmo.ok("schema", "--kind", "RaidItem").output)["title"] == "RaidItem"
    assert json.loads(pmo.ok("schema", "--kind", "work-item").output)["title"] == "WorkItem"
    assert_user_error(pmo("schema", "--kind", "spaceship"), 2, "--kind", "unknown record kind")


def test_journal_lists_changes_with_filters(hierarchy: Pmo) -> None:
    hierarchy.ok("project", "update", "ALPHA", "--manager", "Sam")

    entries = json.loads(
        hierarchy.ok("journal", "--kind", "project", "--id", "ALPHA", "--json").output
    )

    assert [(e["op"], e["version"]) for e in entries] == [("insert", 1), ("update", 2)]
    assert entries[1]["actor"] == "tester"
    assert entries[1]["after"]["manager"] == "Sam"
    table = hierarchy.ok("journal", "--limit", "1").output.splitlines()
    assert len(table) == 2
    assert "manager" in table[1]
    assert json.loads(hierarchy.ok("journal", "--since", "2999-01-01", "--json").output) == []
    assert_user_error(hierarchy("journal", "--since", "last week"), 2, "--since")
    assert_user_error(hierarchy("journal", "--limit", "-1"), 2, "--limit: -1 is less than 0")


def test_journal_table_names_records_and_hints_at_kinds(hierarchy: Pmo) -> None:
    hierarchy.ok("raid", "add", "ALPHA", "risk", "Vendor late")

    table = hierarchy.ok("journal", "--kind", "raid").output.splitlines()
    assert "AT (UTC)" in table[0]
    assert "Vendor late" in table[1]  # a RAID id alone says nothing to a reader
    unknown = hierarchy.ok("journal", "--kind", "risk").output
    assert "No journal entries of kind 'risk' (kinds: portfolio, program, project, raid)" in (
        unknown
    )


@needs_csv
def test_a_dry_run_names_new_work_items_by_their_source_id(
    make_pmo: Callable[..., Pmo], tmp_path: Path
) -> None:
    pmo = make_pmo("plan")
    (tmp_path / "projects.csv").write_text("kind,key,name\nproject,ALPHA,Alpha\n")
    (tmp_path / "work_items.csv").write_text(
        "kind,key,project,subject\nwork_item,T-1,ALPHA,Design\n"
    )

    dry = pmo.ok("import", "csv", str(tmp_path), "--dry-run")

    # No id is shown that the import would not then give: the new item is named by its key.
    assert "+ work_item (new: T-1)" in dry.output
    data = json.loads(pmo.ok("import", "csv", str(tmp_path), "--dry-run", "--json").output)
    item = next(i for i in data["items"] if i["kind"] == "work_item")
    assert (item["id"], item["remote_id"]) == ("", "T-1")
    assert item["changes"]["subject"] == {"before": None, "after": "Design"}
