"""Options renamed to the one word CLI.md gives each meaning: the former spelling still works
until pmo-core 0.2, warns once on stderr, and is hidden from the help."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from cli_helpers import Pmo, needs_csv
from click.testing import CliRunner

from pmo_core._cli._output import renamed_option

WARNING = "warning: {old} is deprecated and goes in pmo-core 0.2; use {new}"


@pytest.mark.parametrize("kind", ["portfolio", "program", "project"])
def test_list_all_is_the_former_archived(hierarchy: Pmo, kind: str) -> None:
    key = {"portfolio": "PF", "program": "ERP", "project": "ALPHA"}[kind]
    hierarchy.ok(kind, "archive", key)

    now = hierarchy.ok(kind, "list", "--archived", "--json")
    former = hierarchy.ok(kind, "list", "--all", "--json")

    assert [e["id"] for e in json.loads(now.stdout)] == [key]
    assert json.loads(former.stdout) == json.loads(now.stdout)
    assert former.stderr.strip() == WARNING.format(old="--all", new="--archived")
    assert now.stderr == ""
    assert json.loads(hierarchy.ok(kind, "list", "--json").stdout) == []
    help_text = hierarchy.ok(kind, "list", "--help").stdout
    assert "--archived" in help_text
    assert "--all" not in help_text


@pytest.mark.plugins("pmo-stage-gate", "pmo-governance")  # the controlling profile
def test_gate_request_note_is_the_former_comment(make_pmo: Callable[..., Pmo]) -> None:
    pmo = make_pmo("gated", profile="controlling")
    pmo.ok("portfolio", "create", "PF", "--name", "Digital")
    pmo.ok("project", "create", "ALPHA", "--name", "Alpha", "--parent", "PF")
    former = pmo.ok("gate", "request", "ALPHA", "--note", "Case attached", "--json")

    assert former.stderr.strip() == WARNING.format(old="--note", new="--comment")
    assert "Case attached" in former.stdout
    assert "--note" not in pmo.ok("gate", "request", "--help").stdout


@needs_csv
def test_export_scope_is_the_former_under(hierarchy: Pmo, tmp_path: Path) -> None:
    hierarchy.ok("plugins", "enable", "csv")
    hierarchy.ok("export", "csv", str(tmp_path / "now"), "--under", "ERP")
    former = hierarchy.ok("export", "csv", str(tmp_path / "former"), "--scope", "ERP")

    assert former.stderr.count("warning: --scope is deprecated") == 1
    now_files = sorted(p.name for p in (tmp_path / "now").iterdir())
    assert now_files == sorted(p.name for p in (tmp_path / "former").iterdir())
    for name in now_files:
        assert (tmp_path / "now" / name).read_text() == (tmp_path / "former" / name).read_text()
    assert "ALPHA" in "".join((tmp_path / "now" / n).read_text() for n in now_files)
    assert "Digital" not in "".join((tmp_path / "now" / n).read_text() for n in now_files)


def _command() -> click.Command:
    @click.command()
    @renamed_option("--under", "under", metavar="KEY", old="--scope", help="Below KEY.")
    @renamed_option("--archived", "archived", is_flag=True, old="--all", help="Archived too.")
    def show(under: str | None, archived: bool) -> None:
        click.echo(f"{under} {archived}")

    return show


@pytest.mark.parametrize(
    ("args", "printed", "warnings"),
    [
        ([], "None False", 0),
        (["--under", "A"], "A False", 0),
        (["--scope", "A"], "A False", 1),
        (["--all"], "None True", 1),
        (["--all", "--scope", "B"], "B True", 2),
        (["--scope", "A", "--under", "B"], "B False", 1),  # the new spelling wins
        (["--under", "B", "--scope", "A"], "B False", 1),
    ],
)
def test_renamed_option_takes_either_spelling(args: list[str], printed: str, warnings: int) -> None:
    result = CliRunner().invoke(_command(), args)

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == printed
    assert result.stderr.count("is deprecated") == warnings
