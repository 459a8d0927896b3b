"""pmo doctor on the store: the quick check every time, --verify for the journal and the
file's full check; a damaged, missing or empty store is a failed check, never a traceback."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import Pmo

from pmo_core import JournalEntry, Workspace


def _db(pmo: Pmo) -> Path:
    return pmo.root / ".pmo" / "pmo.db"


def _checks(result: Any) -> dict[str, dict[str, Any]]:
    return {c["check"]: c for c in json.loads(result.output)["checks"]}


def _with_data(pmo: Pmo) -> Pmo:
    pmo.ok("portfolio", "create", "PF", "--name", "Digital")
    pmo.ok("project", "create", "ALPHA", "--name", "Alpha", "--parent", "PF")
    pmo.ok("project", "create", "BETA", "--name", "Beta", "--parent", "PF")
    pmo.ok("project", "update", "ALPHA", "--status", "at_risk")
    return pmo


def _sql(pmo: Pmo, *statements: str) -> None:
    conn = sqlite3.connect(_db(pmo), isolation_level=None)
    for sql in statements:
        conn.execute(sql)
    conn.close()


def test_verify_passes_on_a_sound_workspace(pmo: Pmo) -> None:
    _with_data(pmo)
    result = pmo.ok("doctor", "--verify", "--json")
    checks = _checks(result)
    with Workspace.open(pmo.root) as ws:
        journal = ws.journal()
    assert checks["journal"]["ok"]
    assert checks["journal"]["detail"] == (
        f"{len(journal)} entries; the hash chain is intact from the first entry and every "
        f"document matches its journal; head {journal[-1].hash}"
    )
    assert checks["store integrity"] == {
        "check": "store integrity",
        "ok": True,
        "detail": "the integrity check passed and the append-only triggers are in place",
        "problems": [],
    }
    # Without --verify doctor stays quick: no journal walk.
    assert set(_checks(pmo.ok("doctor", "--json"))) & {"journal", "store integrity"} == set()


def test_the_journal_shows_the_chain(pmo: Pmo) -> None:
    _with_data(pmo)
    entries = json.loads(pmo.ok("journal", "--json", "--limit", "0").output)
    with Workspace.open(pmo.root) as ws:
        journal = ws.journal()
    prev = JournalEntry.GENESIS
    for shown, entry in zip(entries, journal, strict=True):
        assert shown["hash"] == entry.hash == entry.chain_hash(prev)
        prev = entry.hash
    head = _checks(pmo.ok("doctor", "--verify", "--json"))["journal"]["detail"].split()[-1]
    assert head == entries[-1]["hash"]


def test_verify_names_a_forged_journal_entry(pmo: Pmo) -> None:
    _with_data(pmo)
    _sql(
        pmo,
        "DROP TRIGGER journal_no_update",
        "UPDATE journal SET owner = 'mallory' WHERE seq = 2",
    )
    # The quick check sees the dropped trigger; only --verify walks the chain.
    quick = pmo("doctor")
    assert quick.exit_code == 1
    assert "trigger journal_no_update is missing (dropped)" in quick.output
    result = pmo("doctor", "--verify")
    assert result.exit_code == 1
    assert (
        "FAIL journal: 1 problem(s) in 4 entries\n"
        "       - journal entry seq 2 was altered (forged): its content does not give its hash\n"
    ) in result.output
    assert "FAIL store integrity" in result.output


def test_verify_finds_an_edited_project(pmo: Pmo) -> None:
    _with_data(pmo)
    with Workspace.open(pmo.root) as ws:
        data = dict(ws.store.get("project", "BETA").data)  # type: ignore[union-attr]
    data["name"] = "Edited behind the back of pmo"
    _sql(
        pmo,
        f"UPDATE documents SET data = '{json.dumps(data)}' WHERE kind = 'project' AND id = 'BETA'",
    )
    assert pmo("doctor").exit_code == 0  # the file itself is sound
    result = pmo("doctor", "--verify", "--json")
    assert result.exit_code == 1
    payload = json.loads(result.output)
    assert payload["ok"] is False
    assert _checks(result)["journal"]["problems"] == [
        "document project BETA differs from the replay of its journal (seq 3) in data: "
        "edited around the journal"
    ]


def test_a_damaged_document_in_a_sound_file(pmo: Pmo) -> None:
    _with_data(pmo)
    _sql(pmo, "UPDATE documents SET data = '{not json' WHERE kind = 'project' AND id = 'BETA'")
    plain = pmo("doctor")
    assert plain.exit_code == 1
    assert "ok   store:" in plain.output  # the file's pages are sound
    assert f"the entities cannot be read: the store {_db(pmo)} is damaged (" in plain.output
    verify = pmo("doctor", "--verify", "--json")
    assert _checks(verify)["journal"]["problems"] == [
        "document project BETA differs from the replay of its journal (seq 3) in data: "
        "edited around the journal"
    ]
    shown = pmo("project", "show", "BETA")
    assert shown.exit_code == 1
    assert f"error: the store {_db(pmo)} is damaged (" in shown.stderr


def _garble(path: Path, seed: int) -> None:
    rng = random.Random(seed)
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.seek(size // 2 - 4096 + rng.randrange(4096))
        f.write(rng.randbytes(8192))


def _bigger(pmo: Pmo) -> None:
    with Workspace.open(pmo.root) as ws, ws.transaction("bulk") as tx:
        rows = [(f"T-{i:05d}", None, {"n": i, "text": "x" * 300}) for i in range(1500)]
        tx.insert_many("task", rows)


@pytest.mark.parametrize("seed", range(5))
def test_a_garbled_store_fails_doctor_cleanly(pmo: Pmo, seed: int) -> None:
    _bigger(_with_data(pmo))
    _garble(_db(pmo), seed)
    plain = pmo("doctor")  # Pmo runs with catch_exceptions=False: a traceback fails here
    assert plain.exit_code == 1
    line = next(x for x in plain.output.splitlines() if x.startswith("FAIL store:"))
    assert line.startswith(f"FAIL store: {_db(pmo)} is not a valid pmo store: its check found ")
    assert "unexpected" not in plain.output + plain.stderr
    verify = pmo("doctor", "--verify", "--json")
    assert verify.exit_code == 1
    integrity = _checks(verify)["store integrity"]
    assert integrity["ok"] is False
    assert integrity["detail"] == f"{_db(pmo)} failed its integrity check"
    assert integrity["problems"][0].startswith("quick_check: ")


def test_a_file_that_is_not_a_database_fails_the_store_check(pmo: Pmo) -> None:
    _db(pmo).write_bytes(b"garbage " * 2000)
    for args in (["doctor"], ["doctor", "--verify"]):
        result = pmo(*args)
        assert result.exit_code == 1
        assert (
            f"FAIL store: {_db(pmo)} is not a valid pmo store: file is not a database"
        ) in result.output
    assert pmo("project", "list").exit_code == 1


@pytest.mark.parametrize("how", ["missing", "empty"])
def test_a_missing_or_empty_store_fails_and_is_not_recreated(pmo: Pmo, how: str) -> None:
    _with_data(pmo)
    db = _db(pmo)
    if how == "missing":
        db.unlink()
    else:
        db.write_bytes(b"")
    what = "is missing" if how == "missing" else "is empty (0 bytes)"
    result = pmo("doctor", "--json")
    assert result.exit_code == 1
    store = _checks(result)["store"]
    assert store["detail"] == f"{db} {what}"
    assert store["problems"] == [
        f"StoreError: the store {db} {what}: restore it from a backup, or run 'pmo init' in "
        "another directory to start a new workspace"
    ]
    listed = pmo("project", "list")
    assert listed.exit_code == 1
    assert f"error: the store {db} {what}" in listed.stderr
    created = pmo("portfolio", "create", "PF2", "--name", "New")
    assert created.exit_code == 1
    assert db.exists() == (how == "empty")
    assert not db.exists() or db.stat().st_size == 0
