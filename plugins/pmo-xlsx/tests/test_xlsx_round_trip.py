"""The demo workspace exported to a workbook and imported into a new workspace comes back
equal, in every field the layout carries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pmo_xlsx
import pytest
from pmo_demo import build_demo

from pmo_core import Workspace

TODAY = date(2025, 6, 30)
PLUGINS = ["governance", "stage-gate"]


@pytest.fixture(scope="module")
def demo() -> Iterator[Workspace]:
    with Workspace.in_memory(enabled=PLUGINS, today=lambda: TODAY) as ws:
        build_demo(ws)
        yield ws


def _carried(kind: str, data: Any) -> dict[str, Any]:
    """The fields of a record the layout carries, as plain values."""
    out: dict[str, Any] = {}
    for name in pmo_xlsx.COLUMNS[kind]:
        if name in ("key", "currency"):
            continue
        if name.startswith("dimensions."):
            value = (data.get("dimensions") or {}).get(name.split(".", 1)[1])
        else:
            value = data.get(name)
        out[name] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    if hasattr(value, "value") and not isinstance(value, (str, int, float)):
        return _plain(value.value)
    if isinstance(value, dict) and set(value) == {"amount", "currency"}:
        return (Decimal(str(value["amount"])).normalize(), value["currency"])
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value] or None
    if isinstance(value, float):
        # Excel keeps 15 significant digits: 167.28000000000003 (a sum of floats) is 167.28.
        return int(value) if value.is_integer() else round(value, 9)
    if isinstance(value, date):
        return value.isoformat()
    return None if value in ("", {}) else value


def _records(ws: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    """Every record the layout carries, by kind, named by its owner and its fields."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for item in pmo_xlsx.workbook_items(ws):
        fields = _carried(item.kind, item.data)
        key = item.remote_id if item.kind in ("portfolio", "program", "project") else ""
        out.setdefault(item.kind, []).append((key, sorted(fields.items(), key=str)))
    return {kind: sorted(rows, key=repr) for kind, rows in out.items()}


def test_the_demo_workspace_round_trips_through_a_workbook(demo: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "demo.xlsx"
    written = pmo_xlsx.export_workbook(demo, str(target))

    with Workspace.in_memory(enabled=PLUGINS, plugins={"xlsx": pmo_xlsx}) as other:
        result = other.import_from("xlsx", str(target))
        assert sum(result.counts().values()) == written
        mine, theirs = _records(demo), _records(other)
        assert set(mine) == {"portfolio", "program", "project", "work_item", "raid",
                             "status_report"}  # fmt: skip
        for kind in mine:
            assert theirs[kind] == mine[kind], kind
        # Importing the same workbook again changes nothing.
        again = other.import_from("xlsx", str(target)).counts()
        assert (again["create"], again["update"], again["archive"]) == (0, 0, 0)


def test_export_to_writes_the_whole_layout_and_reads_back(demo: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "core.xlsx"
    with Workspace.in_memory(enabled=PLUGINS, plugins={"xlsx": pmo_xlsx}) as other:
        pmo_xlsx.export_workbook(demo, str(target))
        other.import_from("xlsx", str(target))
        back = tmp_path / "back.xlsx"
        count = other.export_to("xlsx", str(back))
        # The core hands over every kind the layout holds: RAID and status reports too.
        assert count == sum(other.store.count(kind) for kind in pmo_xlsx.KINDS)
        assert other.store.count("raid") > 0
        with Workspace.in_memory(plugins={"xlsx": pmo_xlsx}) as third:
            third.import_from("xlsx", str(back))
            for kind in ("work_item", "project", "raid", "status_report"):
                assert _records(third)[kind] == _records(other)[kind], kind
