"""``pmo report`` with --json, --output and a binary format, and the list of a report that
does not declare its options, against a report plugin installed for the test."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import tomlkit
from cli_helpers import Pmo, assert_user_error

from pmo_core.testing import FakeDistribution

Install = Callable[..., FakeDistribution]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NAMES = f"""
import json

from pmo_core import PmoReport, ReportOutput, hookimpl

def _render(request):
    names = sorted(e.name for e in request.view.entities())
    if request.format == "json":
        return ReportOutput(json.dumps({{"names": names}}), "application/json")
    if request.format == "xlsx":
        return ReportOutput(b"PK\\x03\\x04" + ",".join(names).encode(), "{XLSX}")
    return ReportOutput("# Names\\n" + "".join(f"- {{n}}\\n" for n in names), "text/markdown")

@hookimpl
def pmo_reports():
    # No options= : the report does not declare its options.
    yield PmoReport(name="kit-names", summary="Every name.", scopes=("pmo",),
                    formats=("md", "json", "xlsx"), render=_render)
"""


def _with_report(pmo: Pmo, install: Install) -> Pmo:
    install("pmo-kit-names", NAMES)
    path = pmo.root / "pmo.toml"
    document: Any = tomlkit.parse(path.read_text(encoding="utf-8"))
    document["plugins"]["enabled"].append("kit-names")
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    pmo.ok("portfolio", "create", "PF", "--name", "Digital")
    return pmo


def test_json_is_the_json_format(pmo: Pmo, fake_distribution: Install) -> None:
    _with_report(pmo, fake_distribution)

    shown = pmo.ok("report", "kit-names", "--json").stdout

    assert json.loads(shown) == {"names": ["Digital"]}
    assert pmo.ok("report", "kit-names", "--json", "--format", "json").stdout == shown


def test_json_with_another_format_is_refused(pmo: Pmo, fake_distribution: Install) -> None:
    _with_report(pmo, fake_distribution)

    result = pmo("report", "kit-names", "--json", "--format", "md")

    assert_user_error(result, 2, "--json: --json contradicts --format md")
    assert result.stdout == ""


def test_an_output_file_in_a_folder_that_does_not_exist_is_refused_and_nothing_written(
    pmo: Pmo, fake_distribution: Install
) -> None:
    _with_report(pmo, fake_distribution)
    target = pmo.root / "nowhere" / "names.md"

    result = pmo("report", "kit-names", "--output", str(target))

    assert_user_error(result, 2, f"--output: directory {target.parent} does not exist")
    assert not target.parent.exists()


def test_a_binary_report_is_written_to_its_file_as_bytes(
    pmo: Pmo, fake_distribution: Install
) -> None:
    _with_report(pmo, fake_distribution)
    target = pmo.root / "names.xlsx"

    result = pmo.ok("report", "kit-names", "--format", "xlsx", "-o", str(target))

    assert target.read_bytes() == b"PK\x03\x04Digital"
    assert result.stdout == ""
    assert result.stderr == f"Wrote {target} ({XLSX})\n"


def test_a_binary_report_goes_to_a_pipe_as_bytes(pmo: Pmo, fake_distribution: Install) -> None:
    _with_report(pmo, fake_distribution)

    result = pmo.ok("report", "kit-names", "--format", "xlsx")

    assert result.stdout_bytes == b"PK\x03\x04Digital"


def test_a_text_report_is_written_to_its_file(pmo: Pmo, fake_distribution: Install) -> None:
    _with_report(pmo, fake_distribution)
    target = pmo.root / "names.md"

    result = pmo.ok("report", "kit-names", "-o", str(target))

    assert target.read_text(encoding="utf-8") == "# Names\n- Digital\n"
    assert result.stderr == f"Wrote {target} (text/markdown)\n"


def test_the_list_marks_a_report_that_does_not_declare_its_options(
    pmo: Pmo, fake_distribution: Install
) -> None:
    _with_report(pmo, fake_distribution)

    line = next(x for x in pmo.ok("report", "list").stdout.splitlines() if "kit-names" in x)
    cells = re.split(r"\s{2,}", line.strip())
    assert cells[0] == "kit-names"
    assert cells[4] == "?"  # options: not declared ("-" would say it takes none)
    listed = json.loads(pmo.ok("report", "list", "--json").stdout)
    assert next(r for r in listed if r["name"] == "kit-names")["options"] is None
