"""``pmo import xlsx`` and ``pmo export xlsx`` through the command line, with pmo-xlsx loaded
from its entry point."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from xlsx_samples import write_book

from pmo_core import PmoConnector, Workspace

RunPmo = Callable[..., Any]


@pytest.fixture
def enabled(pmo_cli: RunPmo, pmo_workspace: Workspace) -> Workspace:
    result = pmo_cli("plugins", "enable", "xlsx", workspace=pmo_workspace)
    assert result.exit_code == 0, result.stderr
    return pmo_workspace


def test_plugins_list_shows_the_connector_and_its_capabilities(
    pmo_cli: RunPmo, enabled: Workspace
) -> None:
    listed = pmo_cli("plugins", "list", "--json", workspace=enabled)
    assert listed.exit_code == 0, listed.stderr
    (xlsx,) = [p for p in listed.json() if p["id"] == "xlsx"]
    assert (xlsx["distribution"], xlsx["status"], xlsx["families"]) == (
        "pmo-xlsx", "loaded", ["connectors"])  # fmt: skip
    info = pmo_cli("plugins", "info", "xlsx", "--json", workspace=enabled)
    assert info.json()["records"] == {"pmo_connectors": ["xlsx"]}
    with Workspace.open(enabled.root) as ws:
        connector = ws.host.record(PmoConnector, "xlsx")
        assert connector.capabilities == frozenset({"read", "write"})
        assert connector.extensions == (".xlsx",)


def test_import_then_export(pmo_cli: RunPmo, enabled: Workspace, tmp_path: Path) -> None:
    book = write_book(tmp_path / "plan.xlsx")
    dry = pmo_cli("import", "xlsx", book, "--dry-run", workspace=enabled)
    assert dry.exit_code == 0, dry.stderr
    assert "would create 12, would update 0, unchanged 0" in dry.output
    done = pmo_cli("import", "xlsx", book, "--json", workspace=enabled)
    assert done.exit_code == 0, done.stderr
    assert done.json()["counts"]["create"] == 12
    out = tmp_path / "out.xlsx"
    exported = pmo_cli("export", "xlsx", out, workspace=enabled)
    assert exported.exit_code == 0, exported.stderr
    again = pmo_cli("import", "xlsx", out, "--json", workspace=enabled)
    assert again.exit_code == 0, again.stderr
    counts = again.json()["counts"]
    assert (counts["create"], counts["update"]) == (0, 0)


@pytest.mark.parametrize("broken", ["text", "header", "cell"])
def test_a_bad_workbook_exits_2_and_writes_nothing(
    pmo_cli: RunPmo, enabled: Workspace, tmp_path: Path, broken: str
) -> None:
    bad = tmp_path / "bad.xlsx"
    if broken == "text":
        bad.write_text("key,name\n", encoding="utf-8")
        place = f"{bad}: not an .xlsx workbook"
    elif broken == "header":
        write_book(bad, {"projects": [["key", "name", "colour"], ["P1", "Alpha", "red"]]})
        place = f"{bad}:projects:1:3: C1: unknown column 'colour'"
    else:
        write_book(bad, {"projects": [["key", "name", "planned_start"], ["P1", "Alpha", "soon"]]})
        place = f"{bad}:projects:2:3: C2: planned_start: 'soon' is not a date"
    before = len(enabled.journal())

    result = pmo_cli("import", "xlsx", bad, workspace=enabled)

    assert result.exit_code == 2
    assert place in result.stderr
    assert "Traceback" not in result.stderr + result.output
    with Workspace.open(enabled.root) as ws:
        assert len(ws.journal()) == before
