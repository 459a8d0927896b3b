"""pmo store copy and copy_store: a whole workspace to another store URL and back, the journal
verbatim, both sides checked; refusals write nothing and leave nothing half-copied."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import Pmo, assert_user_error, make_runner

from pmo_core import (
    InvalidInputError,
    MemoryStore,
    StoreError,
    SupportsCopyIn,
    Workspace,
    copy_store,
)
from pmo_core._cli import cli
from pmo_core._cli.progress import ProgressBar
from pmo_core._services import copying
from pmo_core.testing import HOSTILE_STRINGS

_REPORTS = ["portfolio-summary", "evm", "raid-register", "roadmap"]


def _run(*args: str) -> Any:
    return make_runner().invoke(cli, list(args), catch_exceptions=False)


def _ok(*args: str) -> Any:
    result = _run(*args)
    assert result.exit_code == 0, (result.output, result.stderr)
    return result


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`pmo demo` once for the module (it builds 27 projects and a week of decisions)."""
    root = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PMO_CACHE_DIR", str(root / "cache"))
        patch.setenv("PMO_USER", "tester")
        patch.delenv("PMO_WORKSPACE", raising=False)
        _ok("demo", str(root / "acme"))
    return root / "acme"


def _outputs(root: Path, *extra: str) -> dict[str, str]:
    found = {}
    for name in _REPORTS:
        for format in ("md", "json"):
            result = _ok("-w", str(root), "report", name, "--format", format, *extra)
            found[f"{name}.{format}"] = result.output
    found["journal"] = _ok("-w", str(root), "journal", "--limit", "0", "--json", *extra).output
    return found


@pytest.mark.plugins("pmo-demo")
def test_the_demo_round_trips_sqlite_to_sqlite_and_back(demo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy" / "pmo.db"
    back = tmp_path / "back"
    back.mkdir()
    shutil.copy(demo / "pmo.toml", back / "pmo.toml")

    there = _ok("store", "copy", f"sqlite:///{demo / '.pmo' / 'pmo.db'}", f"sqlite:///{copy}")
    again = _ok("store", "copy", f"sqlite:///{copy}", f"sqlite:///{back / '.pmo' / 'pmo.db'}")

    assert "both sides agree" in there.output
    assert there.output.splitlines()[1:] == again.output.splitlines()[1:]
    # Every report, now and as known in the middle of the demo's history, is the same.
    assert _outputs(back) == _outputs(demo)
    with Workspace.open(demo) as ws:
        journal = ws.journal()
        middle = journal[len(journal) // 2].at.isoformat()
        head = ws.verify().head
    then = _outputs(demo, "--as-of", middle)
    assert then != _outputs(demo)  # the past differs from now: the journal's times carried over
    assert _outputs(back, "--as-of", middle) == then
    project = json.loads(_ok("-w", str(demo), "project", "list", "--json").output)[0]["id"]
    status = ["report", "project-status", project, "--format", "md"]
    assert _ok("-w", str(back), *status).output == _ok("-w", str(demo), *status).output
    # The copy is a sound store with the same chain head; writing to it continues the chain.
    checks = json.loads(_ok("-w", str(back), "doctor", "--verify", "--json").output)["checks"]
    verified = [c for c in checks if c["check"] in ("journal", "store integrity")]
    assert len(verified) == 2
    assert all(c["ok"] for c in verified), verified
    with Workspace.open(back) as ws:
        assert ws.verify().head == head
        ws.create("portfolio", id="AFTER", name="After the copy")
        result = ws.verify()
        assert (result.ok, result.entries) == (True, len(journal) + 1)


@pytest.mark.plugins("pmo-demo")
def test_json_shows_both_sides_and_they_agree(demo: Path, tmp_path: Path) -> None:
    result = _ok("store", "copy", f"sqlite:///{demo}/.pmo/pmo.db", "sqlite:///copy.db", "--json")
    data = json.loads(result.output)
    source, dest = data["source"], data["destination"]
    assert dest.pop("url") == "sqlite:///copy.db"
    assert source.pop("url") == f"sqlite:///{demo}/.pmo/pmo.db"
    assert source == dest
    assert set(source) == {"documents", "entries", "transactions", "head", "checksum"}
    assert data["entries"] == source["entries"] > 0
    assert (
        source["documents"]["project"] == 39
    )  # 25 stage-gate projects, the Scrum and Kanban teams, the closed project, the idea,
    # and the strategy's 10 proposals


def test_a_destination_that_holds_anything_is_refused(pmo: Pmo) -> None:
    pmo.ok("portfolio", "create", "PF", "--name", "Digital")
    other = Workspace.init(pmo.root.parent / "other")
    other.create("portfolio", id="KEEP", name="Kept")
    other.close()
    dest = pmo.root.parent / "other" / ".pmo" / "pmo.db"
    before = dest.read_bytes()
    src = f"sqlite:///{pmo.root / '.pmo' / 'pmo.db'}"

    result = pmo("store", "copy", src, f"sqlite:///{dest}", workspace=False)

    assert_user_error(result, 2, "DEST", "is not empty")
    assert dest.read_bytes() == before


@pytest.mark.parametrize(
    ("src", "dest", "code", "needles"),
    [
        ("sqlite:///missing.db", "sqlite:///out.db", 1, ["SRC", "missing.db is missing"]),
        ("pmo.db", "sqlite:///out.db", 2, ["SRC", "malformed store URL"]),
        ("sqlite:///a.db", "sqlite:///a.db", 2, ["DEST", "the same store"]),
        ("mysql://pmo:s3cret@db/acme", "sqlite:///out.db", 2, ["SRC", "mysql://***@db"]),
        # pmo-postgres is installed here: a server that cannot be reached is a store error.
        pytest.param(
            "postgresql://pmo:s3cret@db.invalid/acme",
            "sqlite:///out.db",
            1,
            ["SRC", "***@db"],
            marks=pytest.mark.plugins("pmo-postgres"),
        ),
        ("sqlite:///a.db", "nosuch://pmo:s3cret@db/x?token=t0k", 2, ["DEST", "nosuch://***@db"]),
    ],
)
def test_bad_urls_are_one_line_errors_naming_the_side(
    pmo: Pmo, src: str, dest: str, code: int, needles: list[str]
) -> None:
    Workspace.init(Path("a")).close()
    shutil.copy(Path("a/.pmo/pmo.db"), "a.db")

    result = pmo("store", "copy", src, dest, workspace=False)

    assert_user_error(result, code, *needles)
    assert "s3cret" not in result.output + result.stderr
    assert "t0k" not in result.output + result.stderr
    assert not Path("out.db").exists()


def test_a_damaged_source_is_refused_and_leaves_no_file(pmo: Pmo) -> None:
    pmo.ok("portfolio", "create", "PF", "--name", "Digital")
    pmo.ok("project", "create", "ALPHA", "--name", "Alpha", "--parent", "PF")
    db = pmo.root / ".pmo" / "pmo.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TRIGGER journal_no_update")
    conn.execute("UPDATE journal SET owner = 'mallory' WHERE seq = 2")
    conn.close()

    result = pmo("store", "copy", f"sqlite:///{db}", "sqlite:///out/pmo.db", workspace=False)

    assert_user_error(result, 1, "SRC: journal entry seq 2 does not follow", "was removed")
    assert not Path("out/pmo.db").exists()
    assert not Path("out/pmo.db-wal").exists()


def test_a_copy_that_does_not_match_is_undone(pmo: Pmo, monkeypatch: pytest.MonkeyPatch) -> None:
    pmo.ok("portfolio", "create", "PF", "--name", "Digital")
    monkeypatch.setattr(copying, "_differences", lambda source, dest: ["checksum: a, b"])
    src = f"sqlite:///{pmo.root / '.pmo' / 'pmo.db'}"

    with pytest.raises(StoreError, match=r"does not match the source.*checksum: a, b.*removed"):
        copy_store(src, "sqlite:///out.db")
    assert not Path("out.db").exists()
    # A destination this copy did not create is not removed: it is said to hold the copy.
    with pytest.raises(StoreError, match="holds the failed copy: empty it"):
        copy_store(src, MemoryStore())


def test_memory_and_sqlite_both_ways_keep_hostile_text(tmp_path: Path) -> None:
    with Workspace.in_memory() as ws:
        ws.create("portfolio", id="PF", name="Digital")
        for i, text in enumerate(HOSTILE_STRINGS):
            ws.create("project", id=f"P{i}", name=text[:200] or "x", parent="PF")
        ws.update("P0", status="at_risk")
        seen: list[tuple[str, int, int | None]] = []

        there = copy_store(ws.store, "sqlite:///hostile.db", lambda *a: seen.append(a))

        back = MemoryStore()
        again = copy_store("sqlite:///hostile.db", back)
        assert there.source.checksum == again.destination.checksum
        assert list(back.journal()) == list(ws.store.journal())
        assert [d.data["name"] for d in back.query("project")] == [
            d.data["name"] for d in ws.store.query("project")
        ]
    assert [phase for phase, *_ in seen][-3:] == ["copy", "check destination", "check source"]
    assert seen[0][1:] == (there.entries, there.entries)
    assert back.verify().ok


def test_a_destination_without_copy_in_gets_a_clear_error() -> None:
    class ReadOnlyCopy:
        """A store backend that can be read from but cannot load a journal."""

        def __init__(self) -> None:
            self._inner = MemoryStore()

        def __getattr__(self, name: str) -> Any:
            if name == "copy_in":
                raise AttributeError(name)
            return getattr(self._inner, name)

    source = MemoryStore()
    with source.transaction("tester") as tx:
        tx.insert("project", "ALPHA", {"name": "Alpha"})
    dest = ReadOnlyCopy()
    assert not isinstance(dest, SupportsCopyIn)

    with pytest.raises(StoreError, match="cannot load a journal \\(it has no copy_in\\)"):
        copy_store(source, dest)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="the same store"):
        copy_store(source, source)


def test_progress_shows_phase_counts_and_rate_on_a_terminal_only(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The same line as pmo import's (pmo_core._cli.progress), fed copy_store's phases.
    with ProgressBar("Copying the store", enabled=True) as shown:
        shown("copy", 5000, 12000)
        shown("copy", 12000, 12000)
        shown("check destination", 80, 80)
    with ProgressBar("Copying the store", enabled=False) as hidden:
        hidden("copy", 5000, 12000)

    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.replace("\r", "\n").split("\n")
    assert "Copying the store: copying 12,000 journal entries" in lines
    assert "Copying the store: checking the destination: 80 documents" in lines
    assert re.fullmatch(r"Copying the store: done in \d+\.\d s", lines[-2])
    assert ProgressBar.line("copy", 5000, 12000, 2.0) == (
        "copying 5,000 of 12,000 journal entries, 2,500 journal entries/s"
    )
