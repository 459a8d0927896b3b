"""The records plugins keep themselves (their ``PmoStoreKind``) go into a whole-workspace file
and come back: pmo-knowledge's templates with the demo, a plugin's own kind checked by its
model, and a kind no enabled plugin keeps refused with its place."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pmo_json
import pmo_knowledge
import pytest
from pmo_demo import build_demo
from pydantic import BaseModel, ConfigDict

from pmo_core import InvalidInputError, PluginError, PmoStoreKind, Workspace, hookimpl

TODAY = date(2025, 6, 30)
_BOOKKEEPING = ("external_ref", "sync_run", "sync_conflict")
DEMO = ["governance", "stage-gate", "scrum", "kanban", "reports", "resources", "benefits",
        "knowledge"]  # fmt: skip


def _records(ws: Workspace) -> dict[tuple[str, str], Any]:
    return {
        (kind, doc.id): doc.data
        for kind in ws.store.kinds()
        if kind not in _BOOKKEEPING
        for doc in ws.store.query(kind)
    }


def test_the_demo_with_its_registers_comes_back_templates_too(tmp_path: Path) -> None:
    path = tmp_path / "demo.json"
    with Workspace.in_memory(enabled=DEMO, plugins={"json": pmo_json}, today=lambda: TODAY) as ws:
        build_demo(ws)
        ws.export_to("json", path)
        records = _records(ws)
    kinds = {r["kind"] for r in json.loads(path.read_text(encoding="utf-8"))["records"]}
    assert pmo_knowledge.KIND in kinds
    assert {"resource", "allocation", "benefit", "benefit_measurement", "lesson"} <= kinds
    with Workspace.in_memory(
        enabled=DEMO, plugins={"json": pmo_json}, today=lambda: TODAY
    ) as other:
        other.import_from("json", path)
        assert _records(other) == records
        (template,) = pmo_knowledge.templates(other)
        assert (template.artifact, template.methodology) == ("business-case", "stage-gate")
        again = other.import_from("json", path)
        assert again.counts()["unchanged"] == len(records)


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    text: str
    stars: int = 0


class Notes:
    """A plugin keeping its own notes in the store."""

    @hookimpl
    def pmo_store_kinds(self) -> Iterator[PmoStoreKind]:
        yield PmoStoreKind(name="notes", summary="Notes.", kind="acme_note", model=Note)


def _notes_workspace() -> Workspace:
    return Workspace.in_memory(plugins={"json": pmo_json, "notes": Notes()}, today=lambda: TODAY)


def test_a_plugin_kind_round_trips_and_its_model_checks_it(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    with _notes_workspace() as ws:
        with ws.transaction("note add") as tx:
            tx.insert("acme_note", "N1", {"id": "N1", "text": "Hello", "stars": 3})
        assert ws.export_to("json", path) == 1
        # Only asked for the domain's kinds, an export leaves it out.
        assert ws.export_to("json", tmp_path / "domain.json", kinds=pmo_json.KINDS) == 0
    with _notes_workspace() as other:
        assert other.import_from("json", path).counts()["create"] == 1
        assert other.store.get("acme_note", "N1").data == {  # type: ignore[union-attr]
            "id": "N1",
            "text": "Hello",
            "stars": 3,
        }
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"format": "pmo-workspace", "version": 1, "records": [
            {"kind": "acme_note", "id": "N2", "data": {"text": "Hi", "stars": "many"}}]}),
        encoding="utf-8",
    )  # fmt: skip
    with _notes_workspace() as other:
        with pytest.raises(InvalidInputError) as caught:
            other.import_from("json", bad)
        assert str(caught.value).startswith(f"{bad}:records[0] (acme_note N2): stars: ")
        assert list(other.store.query("acme_note")) == []


def test_a_kind_no_enabled_plugin_keeps_is_refused_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_text(
        json.dumps({"format": "pmo-workspace", "version": 1, "records": [
            {"kind": "acme_note", "id": "N1", "data": {"text": "Hi"}}]}),
        encoding="utf-8",
    )  # fmt: skip
    with Workspace.in_memory(plugins={"json": pmo_json}, today=lambda: TODAY) as ws:
        with pytest.raises(InvalidInputError) as caught:
            ws.import_from("json", path)
        assert str(caught.value) == (
            f"{path}:records[0] (acme_note N1): unknown record kind 'acme_note' (neither the "
            "core's nor one an enabled plugin keeps)"
        )


class Hijack:
    """A plugin claiming the core's projects as its own kind."""

    @hookimpl
    def pmo_store_kinds(self) -> Iterator[PmoStoreKind]:
        yield PmoStoreKind(name="mine", summary="Mine.", kind="project", model=Note)


def test_a_plugin_may_not_claim_a_kind_of_the_core(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="pattern"):
        PmoStoreKind(name="mine", summary="Mine.", kind="Bad-Kind", model=Note)
    plugins = {"json": pmo_json, "hijack": Hijack()}
    with (
        Workspace.in_memory(plugins=plugins, today=lambda: TODAY) as ws,
        pytest.raises(PluginError, match="store kind 'project' \\(mine\\) is a kind"),
    ):
        ws.export_to("json", tmp_path / "out.json")
