"""``pmo import csv`` through the command line, with pmo-csv loaded from its entry point."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pmo_core import Workspace


def test_pmo_import_dry_run_then_import(
    pmo_cli: Callable[..., Any], pmo_workspace: Workspace, source: Path
) -> None:
    # The starter workspace registers no "acme" custom fields: drop that column.
    projects = (source / "projects.csv").read_text(encoding="utf-8").splitlines()
    (source / "projects.csv").write_text(
        "\n".join(line.rsplit(",", 1)[0] for line in projects) + "\n", encoding="utf-8"
    )

    dry = pmo_cli("import", "csv", source, "--dry-run", workspace=pmo_workspace)

    assert dry.exit_code == 0, dry.stderr
    assert "would create 10, would update 0, unchanged 0" in dry.output
    assert "+ project ALPHA" in dry.output
    assert pmo_workspace.journal() == []

    done = pmo_cli("import", "csv", source / "portfolios.csv", "--json", workspace=pmo_workspace)

    assert done.exit_code == 0, done.stderr
    assert done.json()["counts"] == {"create": 2, "update": 0, "unchanged": 0, "archive": 0}
    assert [p.id for p in pmo_workspace.view().portfolios()] == ["PF-DIG", "PF-OPS"]


def test_pmo_import_error_names_file_line_and_column(
    pmo_cli: Callable[..., Any], pmo_workspace: Workspace, tmp_path: Path
) -> None:
    bad = tmp_path / "projects.csv"
    bad.write_text("key,name,colour\nP1,Alpha,red\n", encoding="utf-8")

    result = pmo_cli("import", "csv", bad, "--dry-run", workspace=pmo_workspace)

    assert result.exit_code == 2
    assert f"error: {bad}:1:3: unknown column 'colour'" in result.stderr
    assert "Traceback" not in result.stderr + result.output
