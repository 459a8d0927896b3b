"""pmo-json: a lossless, versioned JSON file of a whole workspace."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import pmo_json
import pytest
from pmo_demo import build_demo

import pmo_core
from pmo_core import DomainModel, InvalidInputError, Workspace
from pmo_core.testing import ConnectorConformance

TODAY = date(2025, 6, 30)
_BOOKKEEPING = ("external_ref", "sync_run", "sync_conflict")


def _workspace() -> Workspace:
    return Workspace.in_memory(
        enabled=["governance", "stage-gate"], plugins={"json": pmo_json}, today=lambda: TODAY
    )


def _records(ws: Workspace) -> dict[tuple[str, str], Any]:
    return {
        (kind, doc.id): doc.data
        for kind in ws.store.kinds()
        if kind not in _BOOKKEEPING
        for doc in ws.store.query(kind)
    }


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[Any, Any]]:
    path = tmp_path_factory.mktemp("demo") / "demo.json"
    with _workspace() as ws:
        build_demo(ws)
        count = ws.export_to("json", path)
        records = _records(ws)
    assert count == len(records)
    return path, records


def test_the_demo_comes_back_record_for_record_under_the_same_keys(
    demo_file: tuple[Path, dict[Any, Any]],
) -> None:
    path, records = demo_file
    with _workspace() as other:
        result = other.import_from("json", path)
        assert result.counts()["create"] == len(records)
        assert _records(other) == records
        kinds = {kind for kind, _ in records}
        # Every kind the demo holds: RAID items, status reports, gate decisions, baselines...
        assert {"raid", "status_report", "gate_decision", "baseline", "artifact"} <= kinds
        again = other.import_from("json", path)
        assert again.counts()["unchanged"] == len(records)
        assert (again.counts()["create"], again.counts()["update"]) == (0, 0)


def test_the_file_is_versioned_and_its_schema_comes_from_the_domain(
    demo_file: tuple[Path, dict[Any, Any]],
) -> None:
    path, _ = demo_file
    document = json.loads(path.read_text(encoding="utf-8"))
    assert (document["format"], document["version"]) == ("pmo-workspace", 1)
    assert {r["kind"] for r in document["records"]} <= set(pmo_json.KINDS)
    # Every kind of record the domain defines, but the import's own bookkeeping.
    public = (getattr(pmo_core, name) for name in pmo_core.__all__)
    kinds = {
        m.store_kind
        for m in public
        if isinstance(m, type) and issubclass(m, DomainModel) and getattr(m, "store_kind", "")
    }
    assert set(pmo_json.KINDS) == kinds - set(_BOOKKEEPING)
    schema = pmo_json.schema()
    assert schema["properties"]["version"] == {"const": 1}
    assert "WorkItem" in schema["$defs"]


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('{"format": "pmo-workspace", "version": 1, "records": [', ":1:", "not JSON"),
        ("[1, 2]", "", "not a pmo-core workspace file"),
        ('{"format": "pmo-workspace", "version": 2, "records": []}', "", "upgrade pmo-json"),
        ('{"format": "pmo-workspace", "version": 1, "records": [NaN]}', "", "NaN"),
        ('{"format": "pmo-workspace", "version": 1, "records": [{"kind": "x"}]}',
         ":records[0]", '{"kind", "id", "data"}'),
        ('{"format": "pmo-workspace", "version": 1, "records": '
         '[{"kind": "project", "id": "P", "data": {"name": "P", "budget": "lots"}}]}',
         ":records[0] (project P)", "budget"),
        ("[" * 100000, "", "nested too deeply"),
    ],
)  # fmt: skip
def test_a_bad_file_is_one_error_with_its_place_and_nothing_written(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with _workspace() as ws:
        with pytest.raises(InvalidInputError) as caught:
            ws.import_from("json", path)
        assert str(caught.value).startswith(f"{path}{where}")
        assert message in str(caught.value)
        assert ws.journal() == []


def test_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(b'{"format": "\xff"}')
    with _workspace() as ws, pytest.raises(InvalidInputError, match="not UTF-8"):
        ws.import_from("json", path)


def test_the_command_line_exports_and_imports(pmo_cli: Any, tmp_path: Path) -> None:
    root, other = tmp_path / "ws", tmp_path / "other"
    for ws in (root, other):
        assert pmo_cli("init", str(ws)).exit_code == 0
        enabled = pmo_cli("plugins", "enable", "json", workspace=ws)
        assert enabled.exit_code == 0, enabled.stderr
    assert pmo_cli("portfolio", "create", "PF", "--name", "Digital", workspace=root).exit_code == 0
    out = tmp_path / "all.json"
    exported = pmo_cli("export", "json", str(out), workspace=root)
    assert exported.exit_code == 0, exported.stderr
    imported = pmo_cli("import", "json", str(out), "--json", workspace=other)
    assert imported.exit_code == 0, imported.stderr
    assert json.loads(imported.output)["counts"]["create"] == 1
    listed = pmo_cli("plugins", "list", "--json", workspace=other)
    assert "json" in listed.output


class JsonSample:
    """A small workspace file, changed record by record."""

    connector = "json"
    plugins: ClassVar[dict[str, object]] = {"json": pmo_json}
    record = ("project", "P1", "name")
    expected: ClassVar[dict[str, int]] = {"portfolio": 1, "project": 2, "work_item": 2}

    def __init__(self, root: Path) -> None:
        self.path = root / "workspace.json"
        self.location = str(self.path)
        self.export_to = str(root / "export.json")
        records = [
            ("portfolio", "PF", {"kind": "portfolio", "name": "Digital"}),
            ("project", "P1", {"kind": "project", "name": "One", "parent": "PF"}),
            ("project", "P2", {"kind": "project", "name": "Two", "parent": "PF"}),
            ("work_item", "W1", {"project": "P1", "subject": "Design"}),
            ("work_item", "W2", {"project": "P2", "subject": "Build"}),
        ]
        self._save([{"kind": k, "id": i, "data": d} for k, i, d in records])

    def _load(self) -> list[dict[str, Any]]:
        return list(json.loads(self.path.read_text(encoding="utf-8"))["records"])

    def _save(self, records: list[dict[str, Any]]) -> None:
        document = {"format": "pmo-workspace", "version": 1, "records": records}
        self.path.write_text(json.dumps(document), encoding="utf-8")

    def change(self, kind: str, remote_id: str, field: str, value: str) -> None:
        records = self._load()
        for record in records:
            if (record["kind"], record["id"]) == (kind, remote_id):
                record["data"][field] = value
        self._save(records)

    def delete(self, kind: str, remote_id: str) -> None:
        self._save([r for r in self._load() if (r["kind"], r["id"]) != (kind, remote_id)])

    def deletable(self) -> tuple[str, str]:
        return ("work_item", "W2")

    def corrupt(self) -> str:
        self.path.write_text(self.path.read_text(encoding="utf-8")[:-10], encoding="utf-8")
        return str(self.path)


class TestJsonConnector(ConnectorConformance):
    sample_type = JsonSample
