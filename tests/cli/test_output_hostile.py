"""Data never drives the terminal: tables, key/value listings, messages, errors and report
output escape control and bidi characters; JSON output stays valid JSON of the same data.

The hostile records are written through the store directly, as an older version or another
tool could have: the domain refuses most of these strings on input now.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from cli_helpers import Pmo, assert_user_error, needs_csv
from click.testing import CliRunner

from pmo_core import Project, RaidItem, StatusReport, Workspace
from pmo_core._cli import cli_error
from pmo_core._cli._output import dumps
from pmo_core._cli._tables import cell, kv_lines, table
from pmo_core.testing import HOSTILE_STRINGS, FakeDistribution

# Control characters (line feed is the output's own), bidi controls and line separators.
RAW = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
TERMINAL = ["esc-csi", "osc-title", "osc-hyperlink", "bel", "carriage-return", "backspace",
            "c1-csi", "del", "nul", "rlo", "isolates", "newline", "crlf", "line-separator",
            "heading"]  # fmt: skip


@pytest.mark.parametrize("label", TERMINAL)
def test_table_and_key_value_cells_escape_controls(label: str) -> None:
    text = HOSTILE_STRINGS[label]
    out = table(["key", "name"], [["ALPHA", text]], colour=False)
    assert RAW.findall(out) == []
    assert len(out.splitlines()) == 2  # a line break in data does not add a row
    assert RAW.findall(kv_lines([("name", text), ("tags", [text, "x"])])) == []


def test_a_cell_shows_the_escape_sequence_as_text() -> None:
    assert cell(HOSTILE_STRINGS["osc-title"]) == "\\u001b]0;owned\\u0007title"
    assert cell(HOSTILE_STRINGS["rlo"]) == "\\u202egnp.exe"
    out = table(["name"], [[HOSTILE_STRINGS["carriage-return"]]], colour=True)
    assert out.splitlines()[1] == "looks fine\\u000dEVIL"


@pytest.mark.parametrize("label", list(HOSTILE_STRINGS))
def test_json_output_is_the_same_data_with_nothing_raw(label: str) -> None:
    data = {"name": HOSTILE_STRINGS[label], "nested": [HOSTILE_STRINGS[label]]}
    text = dumps(data)
    assert RAW.findall(text) == []
    assert json.loads(text) == data


def test_an_error_quoting_data_is_one_escaped_line(capsys: pytest.CaptureFixture[str]) -> None:
    cli_error("no project 'A\x1b[2J\nerror: forged'", 3).show()
    assert capsys.readouterr().err == "error: no project 'A\\u001b[2J\\u000aerror: forged'\n"


def test_an_invalid_name_is_refused_with_its_option_and_position(pmo: Pmo) -> None:
    result = pmo("project", "create", "P1", "--name", "Al\x1b]0;owned\x07pha")
    assert_user_error(result, 2, "error: --name: control character U+001B at position 3")
    assert RAW.findall(result.stderr) == []


def test_a_negative_budget_is_refused(pmo: Pmo) -> None:
    result = pmo("project", "create", "P1", "--name", "One", "--budget", "-5 EUR")
    assert_user_error(result, 2, "error: --budget: must not be negative, got -5 EUR")


# ------------------------------------------------------ commands over hostile records


def _store_hostile(root: Path, text: str) -> None:
    with Workspace.open(root) as ws, ws.transaction("written by an older tool") as tx:
        project = Project(id="ALPHA", name="Alpha").to_document()
        tx.insert("project", "ALPHA", project | {"name": text, "manager": text, "tags": [text]})
        risk = RaidItem(type="risk", entity="ALPHA", title="t", probability=5, impact=5)
        tx.insert("raid", risk.id, risk.to_document() | {"title": text, "owned_by": text},
                  owner="ALPHA")  # fmt: skip
        report = StatusReport(entity="ALPHA", as_of=date(2025, 4, 1), overall="red", author="p")
        tx.insert("status_report", report.id, report.to_document() | {"summary": text},
                  owner="ALPHA")  # fmt: skip


COMMANDS = [
    ("project", "list"),
    ("project", "show", "ALPHA"),
    ("raid", "list", "ALPHA"),
    ("status", "list", "ALPHA"),
    ("journal",),
    ("report", "project-status", "ALPHA"),
]


@pytest.mark.plugins("pmo-reports")  # the project-status report
@pytest.mark.parametrize("label", TERMINAL)
def test_commands_print_hostile_records_inert(pmo: Pmo, label: str) -> None:
    _store_hostile(pmo.root, HOSTILE_STRINGS[label])
    for command in COMMANDS:
        result = pmo.ok(*command)
        assert RAW.findall(result.stdout + result.stderr) == [], command


@pytest.mark.parametrize("label", TERMINAL)
def test_json_of_hostile_records_is_valid_and_holds_the_data(pmo: Pmo, label: str) -> None:
    text = HOSTILE_STRINGS[label]
    _store_hostile(pmo.root, text)
    for command in (("project", "show", "ALPHA"), ("project", "list"), ("raid", "list", "ALPHA")):
        result = pmo.ok(*command, "--json")
        assert RAW.findall(result.stdout) == [], command
        found = json.loads(result.stdout)
        first = found[0] if isinstance(found, list) else found
        assert text.strip() in (first.get("name"), first.get("title")), command


@pytest.mark.plugins("pmo-reports")  # the project-status report
def test_the_status_summary_keeps_its_lines_in_a_report_on_the_terminal(pmo: Pmo) -> None:
    _store_hostile(pmo.root, "line one\nline two \x1b[2J")
    out = pmo.ok("report", "project-status", "ALPHA").stdout
    assert "\nline one\nline two \\u001b\\[2J\n" in out


# ----------------------------------------------------------------------- --allow-empty


@needs_csv
def test_importing_a_header_only_file_needs_allow_empty(pmo: Pmo, tmp_path: Path) -> None:
    path = tmp_path / "projects.csv"
    path.write_text("key,name\n", encoding="utf-8")
    before = pmo.snapshot()

    refused = pmo("import", "csv", str(path), "--dry-run")

    assert_user_error(
        refused,
        2,
        f"error: {path}: the file holds a header but no rows; to import it anyway, pass "
        "--allow-empty",
    )
    assert pmo.snapshot() == before
    allowed = pmo.ok("import", "csv", str(path), "--allow-empty")
    assert allowed.stdout.strip().splitlines()[-1] == "created 0, updated 0, unchanged 0"
    # Nothing imported: the journal holds only the run's own record.
    assert pmo.snapshot() == (before[0] + 1, before[1])


@needs_csv
def test_importing_an_empty_file_is_refused(pmo: Pmo, tmp_path: Path) -> None:
    path = tmp_path / "projects.csv"
    path.write_text("", encoding="utf-8")
    assert_user_error(
        pmo("import", "csv", str(path)), 2, "the file holds nothing: no header and no rows"
    )


def test_a_plugin_error_does_not_reach_the_terminal_raw(
    make_pmo: Callable[..., Pmo],
    fake_distribution: Callable[..., FakeDistribution],
    runner: CliRunner,
) -> None:
    from pmo_core._cli import cli

    fake_distribution("pmo-kit-noisy", f"raise RuntimeError({HOSTILE_STRINGS['osc-title']!r})\n")
    root = str(make_pmo().root)
    enabled = runner.invoke(cli, ["-w", root, "plugins", "enable", "kit-noisy"])
    listed = runner.invoke(cli, ["-w", root, "plugins", "list"])
    doctor = runner.invoke(cli, ["-w", root, "doctor"])

    for result in (enabled, listed, doctor):
        assert "RuntimeError" in result.output + result.stderr
        assert RAW.findall(result.output + result.stderr) == [], result.output
