"""The end of ``pmo import``: the summary line, then the counts of each kind when the source
held more than one."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from pmo_core import Workspace
from pmo_core.testing import CliResult, FakeDistribution

PLUGIN = """
import json
from pmo_core import SourceItem, PmoConnector, hookimpl


def read(request):
    with open(request.location) as f:
        for n, row in enumerate(json.load(f), start=1):
            kind = row.pop("kind")
            yield SourceItem(kind=kind, remote_id=row.pop("key"), data=row, where=f"src:{n}")


@hookimpl
def pmo_connectors():
    yield PmoConnector(name="rows", capabilities=frozenset({"read"}), read=read)
"""


@pytest.fixture
def ws(fake_distribution: Callable[..., FakeDistribution], tmp_path: Path) -> Workspace:
    fake_distribution("pmo-rows", PLUGIN, families=("connectors",))
    workspace = Workspace.init(tmp_path / "ws")
    workspace.enable("rows")
    return workspace


def _source(tmp_path: Path, *projects: str) -> str:
    rows = [{"kind": "portfolio", "key": "PF", "name": "Portfolio"}]
    rows += [{"kind": "project", "key": p, "name": p.title(), "parent": "PF"} for p in projects]
    path = tmp_path / "src.json"
    path.write_text(json.dumps(rows))
    return str(path)


def test_counts_per_kind_follow_the_summary(
    ws: Workspace, pmo_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    source = _source(tmp_path, "ALPHA", "BETA")

    planned = pmo_cli("import", "rows", source, "--dry-run", workspace=ws).assert_ok()
    lines = planned.output.splitlines()
    assert lines[-3:] == [
        "would create 3, would update 0, unchanged 0",
        "  portfolio  would create 1",
        "  project    would create 2",
    ]
    pmo_cli("import", "rows", source, workspace=ws).assert_ok()
    source = _source(tmp_path, "ALPHA", "BETA", "GAMMA")
    again = pmo_cli("import", "rows", source, workspace=ws).assert_ok()
    assert again.output.splitlines()[-3:] == [
        "created 1, updated 0, unchanged 3",
        "  portfolio  unchanged 1",
        "  project    created 1, unchanged 2",
    ]


def test_one_kind_gets_no_breakdown(
    ws: Workspace, pmo_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    ws.create("portfolio", id="PF", name="Portfolio")
    path = tmp_path / "one.json"
    path.write_text(json.dumps([{"kind": "project", "key": "A", "name": "A", "parent": "PF"}]))

    done = pmo_cli("import", "rows", str(path), workspace=ws).assert_ok()

    assert done.output.splitlines()[-1] == "created 1, updated 0, unchanged 0"
