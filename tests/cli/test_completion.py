"""`pmo completion SHELL` and the values completion offers (click's completion protocol)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import make_runner, needs_governance

from pmo_core._cli import cli
from pmo_core._cli.completion import SHELLS, install
from pmo_core.testing import CliResult

Run = Callable[..., CliResult]


@pytest.fixture
def ws(pmo_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "ws"
    assert pmo_cli("init", str(root)).exit_code == 0
    for key, kind in (("PF", "portfolio"), ("ALPHA", "project"), ("ALTO", "project")):
        assert pmo_cli(kind, "create", key, "--name", key, workspace=root).exit_code == 0
    monkeypatch.chdir(root)
    return root


def complete(line: str, env: dict[str, str] | None = None) -> list[str]:
    """What bash is offered for ``line`` (completing its last word), by the env-var protocol."""
    words = line.split(" ")
    result = make_runner().invoke(
        cli,
        [],
        prog_name="pmo",
        env={
            "_PMO_COMPLETE": "bash_complete",
            "COMP_WORDS": line,
            "COMP_CWORD": str(len(words) - 1),
            **(env or {}),
        },
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output + result.stderr
    return [row.split(",", 1)[1] for row in result.output.splitlines() if row]


@pytest.mark.parametrize("shell", SHELLS)
def test_completion_prints_the_script_of_each_shell(pmo_cli: Run, shell: str) -> None:
    result = pmo_cli("completion", shell)

    assert result.exit_code == 0
    assert "_PMO_COMPLETE" in result.output
    assert f"{shell}_complete" in result.output


def test_completion_refuses_an_unknown_shell(pmo_cli: Run) -> None:
    result = pmo_cli("completion", "tcsh")

    assert result.exit_code == 2
    assert "tcsh" in result.stderr


def test_completion_help_says_how_to_install_it(pmo_cli: Run) -> None:
    helped = pmo_cli("completion", "--help").output

    for shell in SHELLS:
        assert f"pmo completion {shell} >" in helped


def test_commands_and_subcommands_complete(ws: Path) -> None:
    assert complete("pmo proj") == ["project"]
    assert complete("pmo project sh") == ["show"]


def test_entity_keys_complete_from_the_store(ws: Path) -> None:
    assert complete("pmo project show AL") == ["ALPHA", "ALTO"]
    assert complete("pmo raid list ") == ["ALPHA", "ALTO", "PF"]
    assert complete("pmo project list --under P") == ["PF"]
    # A PROJECT argument offers projects only.
    assert "PF" not in complete("pmo milestone add ")


def test_keys_of_the_workspace_named_by_w(
    ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    assert complete(f"pmo -w {ws} project show A") == ["ALPHA", "ALTO"]


def test_completion_outside_a_workspace_offers_nothing_quietly(tmp_path: Path) -> None:
    assert complete("pmo project show ") == []
    assert complete(f"pmo -w {tmp_path / 'missing'} project show ") == []


@needs_governance
def test_plugin_ids_complete(ws: Path) -> None:
    assert "governance" in complete("pmo plugins info g")
    assert "governance" in complete("pmo plugins disable ")
    assert complete("pmo plugins enable stage-g") == ["stage-gate"]


@pytest.mark.plugins("pmo-governance")  # the profiles are pmo-governance's
def test_profiles_complete(tmp_path: Path) -> None:
    assert "starter" in complete("pmo init x --profile ")


@pytest.mark.plugins("pmo-reports", "pmo-csv")
def test_report_names_and_connectors_complete(ws: Path) -> None:
    offered = complete("pmo report ")
    exported = complete("pmo export ")

    assert "project-status" in offered
    assert "csv" in exported


def test_a_failing_source_offers_nothing(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pmo_core._cli import completion

    def broken(kind: str | None) -> Callable[..., list[str]]:
        def keys(ctx: object) -> list[str]:
            raise RuntimeError("store on fire")

        return keys

    monkeypatch.setattr(completion, "_entity_keys", broken)

    assert complete("pmo project show ") == []


def test_the_shell_complete_api_gives_the_same_values(ws: Path) -> None:
    from click.shell_completion import get_completion_class

    install()
    cls = get_completion_class("zsh")
    assert cls is not None
    comp = cls(cli, {}, "pmo", "_PMO_COMPLETE")

    values = [item.value for item in comp.get_completions(["project", "show"], "ALP")]

    assert values == ["ALPHA"]
