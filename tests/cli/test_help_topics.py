"""`pmo help`: the topics, and `pmo help COMMAND ...` as `pmo COMMAND ... --help`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import needs_governance

from pmo_core._cli.help_topics import TOPICS
from pmo_core.testing import CliResult

Run = Callable[..., CliResult]


def test_help_alone_lists_every_topic(pmo_cli: Run) -> None:
    result = pmo_cli("help")

    assert result.exit_code == 0
    for name, (summary, _text) in TOPICS.items():
        assert f"  {name}" in result.output
        assert summary in result.output


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_each_topic_prints_its_text(pmo_cli: Run, topic: str) -> None:
    result = pmo_cli("help", topic)

    assert result.exit_code == 0
    assert result.output == TOPICS[topic][1]


def test_the_topics_cover_what_the_conventions_promise() -> None:
    assert {"exit-codes", "environment", "configuration", "formats"} <= set(TOPICS)
    codes = TOPICS["exit-codes"][1]
    for code in "012345":
        assert f"\n  {code}  " in codes


@pytest.mark.parametrize("argv", [["project", "list"], ["raid"], ["init"]])
def test_help_of_a_command_is_its_own_help(pmo_cli: Run, argv: list[str]) -> None:
    helped = pmo_cli("help", *argv)
    own = pmo_cli(*argv, "--help")

    assert helped.exit_code == 0
    assert helped.output == own.output


@needs_governance
def test_help_of_a_plugin_command_with_the_workspace_after_it(pmo_cli: Run, tmp_path: Path) -> None:
    assert pmo_cli("init", str(tmp_path / "ws")).exit_code == 0

    result = pmo_cli("help", "governance", "check", "-w", str(tmp_path / "ws"))

    assert result.exit_code == 0, result.stderr
    assert result.output.startswith("Usage: pmo governance check")


@pytest.mark.parametrize(
    ("word", "said"),
    [
        (
            "exit-code",
            "error: no such help topic or command 'exit-code'; did you mean 'exit-codes'?",
        ),
        ("projetc", "error: no such help topic or command 'projetc'; did you mean 'project'?"),
        ("zzzz", "error: no such help topic or command 'zzzz' (see 'pmo help --help')"),
    ],
)
def test_an_unknown_topic_suggests_the_nearest(pmo_cli: Run, word: str, said: str) -> None:
    result = pmo_cli("help", word)

    assert result.exit_code == 2
    assert said in result.stderr


def test_root_help_names_the_exit_codes_and_the_environment(pmo_cli: Run) -> None:
    result = pmo_cli("--help")

    assert "Exit codes: 0 ok, 1 unexpected, 2 bad input" in result.output
    for name in ("PMO_WORKSPACE", "NO_COLOR", "pmo help exit-codes"):
        assert name in result.output
