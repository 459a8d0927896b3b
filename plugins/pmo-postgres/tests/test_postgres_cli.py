"""A workspace on PostgreSQL through the CLI: pmo init with PMO_STORE_URL creates the store
and enables this plugin, the usual commands work, and nothing printed holds the password."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from pmo_core.testing import CliResult


def _password(url: str) -> str:
    return url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]


def test_init_create_and_list_on_postgresql(
    pmo_cli: Callable[..., CliResult], store_url: str, tmp_path: Path
) -> None:
    env = {"PMO_STORE_URL": store_url}
    password = _password(store_url)

    init = pmo_cli("init", "acme", "--name", "Acme PMO", env=env)
    assert init.exit_code == 0, init.stderr
    assert "store:            postgresql://***@127.0.0.1:" in init.output
    assert "postgres" in init.output.split("plugins enabled:", 1)[1].splitlines()[0]
    config = (tmp_path / "acme" / "pmo.toml").read_text(encoding="utf-8")
    assert '"postgres"' in config
    assert "postgresql" not in config  # the URL stays in the environment

    ws = tmp_path / "acme"
    steps = [
        ("portfolio", "create", "PF", "--name", "Main"),
        ("project", "create", "ALPHA", "--name", "Alpha", "--parent", "PF"),
        ("project", "create", "BETA", "--name", "Beta", "--parent", "PF"),
    ]
    outputs = [init.output, init.stderr]
    for step in steps:
        result = pmo_cli(*step, workspace=ws, env=env)
        assert result.exit_code == 0, result.stderr
        outputs += [result.output, result.stderr]
    listed = pmo_cli("project", "list", "--json", workspace=ws, env=env)
    assert listed.exit_code == 0, listed.stderr
    assert [p["id"] for p in listed.json()] == ["ALPHA", "BETA"]

    doctor = pmo_cli("doctor", "--verify", workspace=ws, env=env)
    assert doctor.exit_code == 0, doctor.output
    assert "postgresql://***@127.0.0.1:" in doctor.output
    journal = pmo_cli("journal", "--json", workspace=ws, env=env)
    assert journal.exit_code == 0, journal.stderr
    outputs += [listed.output, doctor.output, doctor.stderr, journal.output]
    assert not [text for text in outputs if password in text]


def test_a_wrong_password_fails_the_command_without_showing_it(
    pmo_cli: Callable[..., CliResult], store_url: str, tmp_path: Path
) -> None:
    assert pmo_cli("init", "acme", env={"PMO_STORE_URL": store_url}).exit_code == 0
    wrong = "n0t-the-Pa55word"
    scheme, rest = store_url.split("://", 1)
    bad = f"{scheme}://pmo:{quote(wrong)}@{rest.split('@', 1)[1]}"
    for debug in ((), ("--debug",)):
        result = pmo_cli(*debug, "project", "list", workspace=tmp_path / "acme",
                         env={"PMO_STORE_URL": bad})  # fmt: skip
        assert result.exit_code != 0
        # With --debug the error escapes the command: its whole traceback is what would show.
        error = result.exception
        trace = "".join(traceback.format_exception(error)) if error is not None else ""
        shown = result.output + result.stderr + trace
        assert "password authentication failed" in shown
        assert wrong not in shown
        assert _password(store_url) not in shown
