"""The scale benchmark runs end to end at a tiny size: every step and its reference do the
work they claim (the figures themselves are not tested: nothing here is timed)."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.plugins("pmo-demo")  # the demo PMO it measures
def test_the_scale_benchmark_runs_small(tmp_path: Path) -> None:
    work = tmp_path / "work"
    size = ["--projects", "3", "--items", "30"]
    done = subprocess.run(
        [sys.executable, "benchmarks/scale.py", *size, "--json", "--keep", str(work)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["store"], result["projects"], result["items"]) == ("sqlite", 3, 30)
    assert {"cpu", "cores", "ram_gb", "python"} <= set(result["machine"])
    steps = [s["step"].split(" (")[0].split(",")[0] for s in result["steps"]]
    assert steps == [
        "import csv",
        "re-import",
        "report portfolio-summary",
        "project list --json",
        "export csv",
        "governance check",
        "store size vs flat table",
    ]
    assert all(s["pmo"] > 0 for s in result["steps"])
    assert [s["reference"] is None for s in result["steps"]] == [False] * 5 + [True, False]
    # The data: a portfolio, three projects, thirty work items, in pmo-csv's layout.
    source = _rows(work / "scale.csv")
    assert [r["kind"] for r in source].count("work_item") == 30
    # The reference loaded every row, and both exports hold all of them.
    with sqlite3.connect(work / "flat.db") as flat:
        assert flat.execute("SELECT COUNT(*) FROM flat").fetchone()[0] == len(source) == 34
    assert len(_rows(work / "reference.csv")) == len(_rows(work / "export.csv")) == 34
    exported = {(r["kind"], r["key"]) for r in _rows(work / "export.csv")}
    assert exported == {(r["kind"], r["key"]) for r in source}
