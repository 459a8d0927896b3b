"""The reports through ``pmo report``, with pmo-reports loaded from its entry point."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from pmo_core import WorkItem, Workspace


def test_pmo_report_through_the_cli(pmo_cli: Callable[..., Any], pmo_workspace: Workspace) -> None:
    pmo_workspace.create("portfolio", id="PF", name="Digital")
    pmo_workspace.create("project", id="P1", name="One", parent="PF")
    pmo_workspace.add(
        WorkItem(
            project="P1",
            subject="Build",
            budget="1000 EUR",
            percent_complete=50,
            start=date(2025, 1, 1),
            due=date(2025, 1, 31),
            actual_cost="400 EUR",
        )
    )

    listed = pmo_cli("report", "list", "--json", workspace=pmo_workspace)
    md = pmo_cli("report", "portfolio-summary", "PF", workspace=pmo_workspace)
    js = pmo_cli("report", "project-status", "P1", "--json", workspace=pmo_workspace)

    assert listed.exit_code == 0, listed.stderr
    names = {r["name"]: r["plugin"] for r in listed.json()}
    assert names["project-status"] == names["portfolio-summary"] == "reports"
    assert md.exit_code == 0, md.stderr
    # January is over: PV 1000, EV 500, AC 400 -> SPI 0.5, CPI 1.25.
    assert (
        "| P1 | One | — | not reported | RED | 0.5000 | 1.2500 | 800.00 EUR | 1,000.00 EUR |"
        in (md.output)
    )
    assert js.exit_code == 0, js.stderr
    metrics = {m["name"]: m["value"] for m in js.json()["metrics"]}
    assert (metrics["spi"], metrics["cpi"], metrics["eac"]) == ("0.5000", "1.2500", "800.00")


def test_html_and_xlsx_reports_are_written_with_output(
    pmo_cli: Callable[..., Any], pmo_workspace: Workspace, tmp_path: Path
) -> None:
    pmo_workspace.create("portfolio", id="PF", name="<script>alert(1)</script>")
    pmo_workspace.create(
        "project",
        id="P1",
        name="One",
        parent="PF",
        planned_start=date(2025, 1, 1),
        planned_finish=date(2025, 6, 30),
    )
    html, xlsx = tmp_path / "roadmap.html", tmp_path / "raid.xlsx"

    wrote_html = pmo_cli(
        "report",
        "roadmap",
        "PF",
        "--format",
        "html",
        "--output",
        str(html),
        workspace=pmo_workspace,
    )
    wrote_xlsx = pmo_cli(
        "report",
        "raid-register",
        "PF",
        "--format",
        "xlsx",
        "--output",
        str(xlsx),
        workspace=pmo_workspace,
    )
    shown = pmo_cli("report", "raid-register", "PF", "--format", "csv", workspace=pmo_workspace)

    assert wrote_html.exit_code == 0, wrote_html.stderr
    assert html.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert "&lt;script&gt;" in html.read_text(encoding="utf-8")
    assert wrote_xlsx.exit_code == 0, wrote_xlsx.stderr
    assert xlsx.read_bytes()[:2] == b"PK"
    assert shown.exit_code == 0, shown.stderr
    assert shown.output.splitlines()[0].startswith("Type,ID,Entity,Title")


def test_report_options_through_the_cli(
    pmo_cli: Callable[..., Any], pmo_workspace: Workspace
) -> None:
    pmo_workspace.create("project", id="P1", name="One")
    risk = pmo_workspace.add_raid("P1", "risk", "Vendor late", probability=3, impact=4)
    pmo_workspace.close_raid(risk.id, "Vendor delivered")

    open_only = pmo_cli("report", "raid-register", "P1", "--json", workspace=pmo_workspace)
    everything = pmo_cli(
        "report",
        "raid-register",
        "P1",
        "--json",
        "--option",
        "open=false",
        workspace=pmo_workspace,
    )
    wrong_key = pmo_cli(
        "report", "raid-register", "P1", "--option", "colour=red", workspace=pmo_workspace
    )
    wrong_value = pmo_cli(
        "report", "raid-register", "P1", "--option", "open=maybe", workspace=pmo_workspace
    )
    no_value = pmo_cli("report", "raid-register", "P1", "--option", "open", workspace=pmo_workspace)
    twice = pmo_cli(
        "report",
        "raid-register",
        "P1",
        "--option",
        "open=false",
        "--option",
        "open=true",
        workspace=pmo_workspace,
    )

    assert open_only.exit_code == 0, open_only.stderr
    assert [i["title"] for i in open_only.json()["items"]] == []
    assert everything.exit_code == 0, everything.stderr
    assert [i["title"] for i in everything.json()["items"]] == ["Vendor late"]
    # An option the report does not declare is the caller's mistake (exit 2), refused by
    # pmo-core before the report renders, naming the report, the option and what it takes.
    assert wrong_key.exit_code == 2
    assert wrong_key.stderr == (
        "error: --option colour: report 'raid-register' has no option 'colour' (it takes: open)\n"
    )
    assert wrong_value.exit_code == 2
    assert "--option open" in wrong_value.stderr
    assert no_value.exit_code == 2
    assert "'open' is not KEY=VALUE" in no_value.stderr
    assert twice.exit_code == 2
    assert "open is given twice" in twice.stderr
