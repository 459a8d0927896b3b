"""Tables: fitting the terminal, right-aligned numbers, tab-separated in a pipe, PMO_TABLES."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from cli_helpers import Pmo

from pmo_core import InvalidInputError, Money
from pmo_core._cli._tables import MIN_COLUMN_WIDTH, table, table_layout

#: The console script of this environment (a real process, its stdout a pipe).
PMO = str(Path(sys.executable).parent / "pmo")
LONG = "Customer portal: self-service, billing and the partner integrations"


def _aligned(headers: list[str], rows: list[list[object]], width: int) -> list[str]:
    return table(headers, rows, layout="aligned", width=width, colour=False).splitlines()


# ------------------------------------------------------------------ fitting the width


def test_a_table_that_fits_is_not_cut() -> None:
    lines = _aligned(["key", "name"], [["ALPHA", LONG]], width=200)
    assert lines == ["KEY    NAME", f"ALPHA  {LONG}"]


def test_the_widest_column_is_elided_to_fit_and_the_first_stays_whole() -> None:
    key = "A-VERY-LONG-PROJECT-KEY-2025"
    lines = _aligned(["key", "name", "owner"], [[key, LONG, "Sam Roe"]], width=60)

    assert max(len(line) for line in lines) == 60
    assert lines[1].startswith(key + "  ")  # the key is whole, to copy
    name = lines[1][len(key) + 2 :].split("  ")[0]
    assert name.endswith("...")
    assert LONG.startswith(name[:-3])
    assert lines[1].endswith("Sam Roe")


def test_one_character_too_wide_cuts_exactly_one() -> None:
    natural = _aligned(["key", "name"], [["ALPHA", LONG]], width=1000)
    width = len(natural[1])
    assert _aligned(["key", "name"], [["ALPHA", LONG]], width=width) == natural
    cut = _aligned(["key", "name"], [["ALPHA", LONG]], width=width - 1)
    assert len(cut[1]) == width - 1
    assert cut[1].endswith("...")


def test_the_widest_shrinks_first() -> None:
    rows = [["K", "x" * 30, "y" * 20]]
    lines = _aligned(["key", "a", "b"], rows, width=3 + 2 + 20 + 2 + 20)
    # a (30) is cut to 20 before b (20) loses anything.
    assert lines[1] == "K    " + "x" * 17 + "...  " + "y" * 20


def test_headers_stay_whole_and_nothing_goes_below_the_minimum() -> None:
    rows = [["K", "a" * 40, "b" * 40]]
    floors = 3 + 2 + max(len("DESCRIPTION"), MIN_COLUMN_WIDTH) + 2 + MIN_COLUMN_WIDTH
    lines = _aligned(["key", "description", "b"], rows, width=floors)
    # Just wide enough: every column at its floor, the header's width or the minimum.
    assert lines[0].split() == ["KEY", "DESCRIPTION", "B"]
    cells = lines[1].split()
    assert cells[1] == "a" * (max(len("DESCRIPTION"), MIN_COLUMN_WIDTH) - 3) + "..."
    assert cells[2] == "b" * (MIN_COLUMN_WIDTH - 3) + "..."
    assert max(len(line) for line in lines) == floors


def test_columns_that_cannot_fit_even_at_their_floor_are_left_out_from_the_right() -> None:
    rows = [["K", "a" * 40, "b" * 40, "c" * 40]]
    floors = 3 + 2 + MIN_COLUMN_WIDTH + 2 + MIN_COLUMN_WIDTH
    lines = _aligned(["key", "a", "b", "c"], rows, width=floors)
    assert lines[0].split() == ["KEY", "A", "B"]  # C left out, not B
    assert max(len(line) for line in lines) <= floors
    # One character less: B goes too, and A takes the room it leaves.
    fewer = _aligned(["key", "a", "b", "c"], rows, width=floors - 1)
    assert fewer[0].split() == ["KEY", "A"]
    assert len(fewer[1]) == floors - 1


def test_numbers_and_dates_are_never_cut() -> None:
    rows = [["K", "2025-06-30", "1,250,000.00 EUR", LONG]]
    lines = _aligned(["key", "finish", "budget", "name"], rows, width=47)
    assert lines[1].endswith("...")  # the name is cut, not the date or the amount
    assert "2025-06-30" in lines[1]
    assert "1,250,000.00 EUR" in lines[1]


def test_max_width_still_cuts_every_column_but_the_last() -> None:
    lines = table(["a", "b"], [["x" * 20, "y" * 20]], layout="aligned", width=200, max_width=10)
    assert lines.splitlines()[1] == "xxxxxxx...  " + "y" * 20


def test_an_empty_table_and_a_zero_width_do_not_fail() -> None:
    # Nothing fits: the first column is kept whole, the others are left out.
    assert _aligned(["key", "name"], [], width=0) == ["KEY"]
    assert _aligned(["key", "name"], [["A", LONG]], width=0) == ["KEY", "A"]


# ------------------------------------------------------------------ right alignment


def test_money_numbers_and_percentages_are_right_aligned_header_too() -> None:
    rows = [
        ["ALPHA", Money.parse("250000 EUR").amount, "1,250.00 EUR", "87 %", 3],
        ["BETA", Decimal("-3.5"), "-", "5%", None],
    ]
    lines = _aligned(["key", "delta", "budget", "done", "n"], rows, width=200)
    assert lines == [
        "KEY     DELTA        BUDGET  DONE  N",
        "ALPHA  250000  1,250.00 EUR  87 %  3",
        "BETA     -3.5             -    5%  -",
    ]


def test_a_money_value_is_a_number() -> None:
    lines = _aligned(["key", "eac"], [["A", Money.parse("9 EUR")], ["LONGER", None]], 80)
    assert lines[1].endswith("9.00 EUR") or lines[1].endswith("9 EUR")
    assert len(lines[1]) == len(lines[0])  # padded on the left, to the header's end


def test_text_columns_stay_left_even_with_some_numbers() -> None:
    rows = [["A", "12"], ["B", "twelve"]]
    assert _aligned(["key", "size"], rows, 80) == ["KEY  SIZE", "A    12", "B    twelve"]


def test_a_column_of_dashes_or_dates_or_yes_no_is_not_numeric() -> None:
    rows = [["A", None, "2025-01-01", True], ["B", "-", "2025-12-31", False]]
    lines = _aligned(["key", "none", "on", "flag"], rows, 80)
    assert lines == [
        "KEY  NONE  ON          FLAG",
        "A    -     2025-01-01  yes",
        "B    -     2025-12-31  no",
    ]


def test_the_header_name_does_not_decide() -> None:
    lines = _aligned(["key", "budget"], [["A", "none yet"], ["B", "TBD"]], 80)
    assert lines[1] == "A    none yet"


# ------------------------------------------------------------------ tab-separated


def test_tsv_has_a_header_line_no_padding_no_cut_and_empty_fields() -> None:
    rows = [["ALPHA", LONG, Decimal("12.50"), None], ["BETA", "a\tb\nc\r\nd", "-", []]]
    text = table(["key", "name", "cost", "tags"], rows, layout="tsv", max_width=10)
    assert text.splitlines() == [
        "KEY\tNAME\tCOST\tTAGS",
        f"ALPHA\t{LONG}\t12.50\t",
        "BETA\ta b c d\t\t",
    ]


def test_tsv_escapes_control_characters_and_never_colours() -> None:
    text = table(["key", "rag"], [["A\x1b[2J", "red"]], layout="tsv", colour=True)
    assert text.splitlines()[1] == "A\\u001b[2J\tred"


def test_the_layout_follows_stdout_and_pmo_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PMO_TABLES")
    assert table_layout() == "tsv"  # pytest's captured stdout is no terminal
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    assert table_layout() == "aligned"
    monkeypatch.setenv("PMO_TABLES", "TSV")
    assert table_layout() == "tsv"
    monkeypatch.setenv("PMO_TABLES", "aligned")
    assert table_layout() == "aligned"


def test_a_bad_pmo_tables_is_an_error_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PMO_TABLES", "csv")
    with pytest.raises(InvalidInputError) as caught:
        table_layout()
    assert caught.value.where == "$PMO_TABLES"
    assert "aligned, tsv" in caught.value.message


# ------------------------------------------------------------------ through pmo


def _projects(pmo: Pmo) -> None:
    pmo.ok("project", "create", "ALPHA-PLATFORM", "--name", LONG, "--budget", "1250000 EUR")
    pmo.ok("project", "create", "BETA", "--name", "Beta")


def test_project_list_on_a_narrow_terminal(pmo: Pmo, monkeypatch: pytest.MonkeyPatch) -> None:
    _projects(pmo)
    monkeypatch.setenv("COLUMNS", "60")
    narrow = pmo.ok("project", "list")
    lines = narrow.stdout.splitlines()
    # Thirteen columns cannot fit 60: those on the right are left out, and named on stderr.
    assert max(len(line) for line in lines) <= 60
    assert lines[0].split()[:3] == ["KEY", "NAME", "PARENT"]
    assert "BUDGET" not in lines[0]
    assert "left out to fit 60 characters" in narrow.stderr
    assert "BUDGET, FINISH; widen the terminal" in narrow.stderr
    alpha = next(line for line in lines if line.startswith("ALPHA-PLATFORM "))  # whole
    assert alpha.split("  ")[1].startswith("Customer")
    assert "..." in alpha  # the name, cut

    monkeypatch.setenv("COLUMNS", "200")
    wide = pmo.ok("project", "list")
    header, *rows = wide.stdout.splitlines()
    assert header.split()[-2:] == ["BUDGET", "FINISH"]
    assert "left out" not in wide.stderr
    alpha = next(line for line in rows if line.startswith("ALPHA-PLATFORM "))
    # BUDGET is right-aligned: its header ends where the amounts end.
    end = alpha.index("1,250,000.00 EUR") + len("1,250,000.00 EUR")
    assert end == header.index("BUDGET") + len("BUDGET")
    monkeypatch.setenv("COLUMNS", "300")
    assert LONG in pmo.ok("project", "list").stdout


@pytest.mark.plugins("pmo-governance", "pmo-reports", "pmo-csv")  # a list to fit
def test_plugins_list_fits_sixty_columns(pmo: Pmo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    lines = pmo.ok("plugins", "list").stdout.splitlines()
    widths = [len(line) for line in lines if line]
    monkeypatch.setenv("COLUMNS", "300")
    natural = pmo.ok("plugins", "list").stdout.splitlines()
    assert max(len(line) for line in natural) > 60  # so there is something to fit
    assert max(widths) <= 60
    first = [line.split()[0] for line in lines[1:] if line]
    assert first == [line.split()[0] for line in natural[1:] if line]  # ids whole


def test_pmo_tables_tsv_through_the_cli(pmo: Pmo, monkeypatch: pytest.MonkeyPatch) -> None:
    _projects(pmo)
    monkeypatch.setenv("PMO_TABLES", "tsv")
    out = pmo.ok("project", "list").stdout.splitlines()
    assert out[0].split("\t")[:2] == ["KEY", "NAME"]
    alpha = out[1].split("\t")
    assert alpha[:2] == ["ALPHA-PLATFORM", LONG]
    assert alpha[11] == "1,250,000.00 EUR"
    assert alpha[2] == ""  # no parent: an empty field
    assert len(alpha) == 13


def test_an_empty_list_in_a_pipe_prints_the_header_only(
    pmo: Pmo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMO_TABLES", "tsv")
    result = pmo.ok("project", "list")
    assert result.stdout.splitlines()[0].startswith("KEY\tNAME\t")
    assert len(result.stdout.splitlines()) == 1
    assert "No projects" in result.stderr
    monkeypatch.setenv("PMO_TABLES", "aligned")
    assert pmo.ok("project", "list").stdout.startswith("No projects")


@pytest.mark.plugins("pmo-governance")  # the starter profile
def test_piped_through_a_real_process_tables_are_tab_separated(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    env = {k: v for k, v in os.environ.items() if k not in ("PMO_TABLES", "COLUMNS")}
    env["PMO_CACHE_DIR"] = str(tmp_path / "cache")

    def pmo(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [PMO, "-w", str(root), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=True,
        )

    subprocess.run(
        [PMO, "init", str(root), "--profile", "starter"],
        capture_output=True,
        env=env,
        timeout=300,
        check=True,
    )
    pmo("project", "create", "ALPHA", "--name", "Alpha and more", "--budget", "250000 EUR")
    lines = pmo("project", "list").stdout.splitlines()
    assert lines[0] == (
        "KEY\tNAME\tPARENT\tPHASE\tSTATUS\tLIFECYCLE\tREPORTED\tCOMPUTED\tWATERMELON\t"
        "SPONSOR\tMANAGER\tBUDGET\tFINISH"
    )
    assert lines[1].split("\t")[:2] == ["ALPHA", "Alpha and more"]
    assert "250,000.00 EUR" in lines[1].split("\t")
    assert "  " not in lines[1]  # no padding
    # PMO_TABLES=aligned and COLUMNS give the terminal's layout in the same pipe.
    env.update({"PMO_TABLES": "aligned", "COLUMNS": "200"})
    aligned = pmo("project", "list").stdout.splitlines()
    assert aligned[0].startswith("KEY    NAME  ")
    assert "\t" not in "".join(aligned)


def test_the_first_column_is_never_cut_even_when_widest() -> None:
    key = "K" * 40
    lines = _aligned(["key", "name"], [[key, "n" * 20]], width=30)
    assert lines == ["KEY", key]  # wider than asked, never cut: the name is left out
    lines = _aligned(["key", "name"], [[key, "n" * 20]], width=40 + 2 + MIN_COLUMN_WIDTH)
    assert lines[1] == key + "  " + "n" * (MIN_COLUMN_WIDTH - 3) + "..."


def test_a_huge_cell_is_cut_in_one_go() -> None:
    lines = _aligned(["key", "text"], [["A", "t" * 1_000_000]], width=80)
    assert len(lines[1]) == 80


@pytest.mark.plugins("pmo-reports")
def test_report_list_fits_sixty_columns(pmo: Pmo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    natural = pmo.ok("report", "list").stdout.splitlines()
    assert max(len(line) for line in natural) > 60
    monkeypatch.setenv("COLUMNS", "60")
    fitted = pmo.ok("report", "list").stdout.splitlines()
    assert max(len(line) for line in fitted) <= 60
    kept = fitted[0].split()
    assert kept == natural[0].split()[: len(kept)]  # headers whole, the rightmost left out
    assert [line.split()[0] for line in fitted] == [line.split()[0] for line in natural]
