"""``pmo serve`` through click's CliRunner, with the server's start patched out: the default
bind, the warning for another interface, a port in use, bad dates, and Ctrl-C."""

from __future__ import annotations

import socket
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pmo_web import _cli
from starlette.middleware.trustedhost import TrustedHostMiddleware
from web_support import free_port_in_use

from pmo_core import Workspace


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, socket.socket]]:
    """What ``pmo serve`` would have served: the uvicorn config and the bound socket."""
    calls: list[tuple[Any, socket.socket]] = []

    def run(config: Any, sock: socket.socket) -> None:
        calls.append((config, sock))
        sock.close()

    monkeypatch.setattr(_cli, "run", run)
    return calls


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    with Workspace.init(tmp_path / "acme", profile="starter") as ws:
        ws.enable("web")
        ws.create("project", id="ALPHA", name="Alpha")
    return tmp_path / "acme"


def _trusted_hosts(app: Any) -> list[str] | None:
    for middleware in app.user_middleware:
        if middleware.cls is TrustedHostMiddleware:
            return list(middleware.kwargs["allowed_hosts"])
    return None


def test_server_config_binds_loopback_by_default() -> None:
    config = _cli.server_config(object())  # type: ignore[arg-type]
    assert (config.host, config.port) == ("127.0.0.1", 8400)
    assert config.server_header is False
    assert config.proxy_headers is False


def test_serve_binds_127_0_0_1_and_prints_the_url(
    pmo_cli: Callable[..., Any],
    workspace: Path,
    served: list[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bound: list[tuple[str, int]] = []
    real_bind = _cli.bind

    def bind(host: str, port: int) -> socket.socket:
        bound.append((host, port))
        return real_bind(host, 0)  # 8400 itself may be taken on this machine

    monkeypatch.setattr(_cli, "bind", bind)
    result = pmo_cli("serve", workspace=workspace)
    assert result.exit_code == 0, result.stderr
    assert bound == [("127.0.0.1", 8400)]
    [(config, _sock)] = served
    assert config.host == "127.0.0.1"
    assert f"read-only at http://127.0.0.1:{config.port}/" in result.output
    assert "warning" not in result.stderr
    assert _trusted_hosts(config.app) == ["localhost", "127.0.0.1", "[::1]"]
    assert result.stderr.splitlines() == ["Press Ctrl-C to stop.", "Stopped."]


def test_another_host_warns_that_there_is_no_authentication(
    pmo_cli: Callable[..., Any], workspace: Path, served: list[Any]
) -> None:
    result = pmo_cli("serve", "--host", "0.0.0.0", "--port", "0", workspace=workspace)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        "warning: --host 0.0.0.0: the view has no authentication; anyone who can reach this "
        "address can read the workspace"
    )
    [(config, _)] = served
    assert config.host == "0.0.0.0"
    assert _trusted_hosts(config.app) is None  # the user chose the interface


@pytest.mark.parametrize("host", ["localhost", "127.0.0.2"])
def test_other_loopback_hosts_do_not_warn(
    pmo_cli: Callable[..., Any], workspace: Path, served: list[Any], host: str
) -> None:
    result = pmo_cli("serve", "--host", host, "--port", "0", workspace=workspace)
    assert result.exit_code == 0, result.stderr
    assert "warning" not in result.stderr


def test_a_port_in_use_is_one_line_and_exit_1(
    pmo_cli: Callable[..., Any], workspace: Path, served: list[Any]
) -> None:
    other, port = free_port_in_use()
    try:
        result = pmo_cli("serve", "--port", str(port), workspace=workspace)
    finally:
        other.close()
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: --port: {port} is already in use on 127.0.0.1 (choose another with --port)"
    ]
    assert result.output == ""
    assert served == []


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--status-date", "2025-02-30"], "error: --status-date: '2025-02-30' is not a date"),
        (["--as-of", "later"], "error: --as-of: 'later' is not a date or date-time"),
    ],
)
def test_bad_dates_are_exit_2_naming_the_option(
    pmo_cli: Callable[..., Any], workspace: Path, served: list[Any], args: list[str], says: str
) -> None:
    result = pmo_cli("serve", *args, workspace=workspace)
    assert result.exit_code == 2
    assert result.stderr.startswith(says)
    assert served == []


def test_dates_become_the_pages_defaults(
    pmo_cli: Callable[..., Any], workspace: Path, served: list[Any]
) -> None:
    args = ["serve", "--port", "0", "--status-date", "2025-03-31", "--as-of", "2025-04-02T09:00"]
    result = pmo_cli(*args, workspace=workspace)
    assert result.exit_code == 0, result.stderr
    defaults = served[0][0].app.state.pmo_defaults
    assert defaults.root == workspace.resolve()
    assert defaults.status_date == date(2025, 3, 31)
    assert defaults.as_of.isoformat() == "2025-04-02T09:00:00+00:00"


def test_ctrl_c_stops_cleanly(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    stopped: list[bool] = []

    class Interrupted:
        def __init__(self, config: Any) -> None:
            self.config = config

        def run(self, sockets: list[socket.socket]) -> None:
            # uvicorn shuts down on SIGINT, then raises it again for the caller.
            stopped.append(True)
            raise KeyboardInterrupt

    monkeypatch.setattr(uvicorn, "Server", Interrupted)
    sock = _cli.bind("127.0.0.1", 0)
    _cli.run(_cli.server_config(object(), port=0), sock)  # type: ignore[arg-type]
    assert stopped == [True]
    assert sock.fileno() == -1  # closed


def test_serve_is_listed_once_web_is_enabled(pmo_cli: Callable[..., Any], workspace: Path) -> None:
    result = pmo_cli("--help", workspace=workspace)
    assert "serve" in result.output
    assert "Serve a read-only web view of the workspace" in result.output


def test_the_plugin_loads_no_web_library_until_an_app_is_made() -> None:
    import subprocess
    import sys

    code = (
        "import sys, pmo_web\n"
        "list(pmo_web.pmo_cli_commands())\n"
        "print(sorted(m for m in ('starlette', 'uvicorn', 'jinja2') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_guide_shows_what_serve_prints(
    pmo_cli: Callable[..., Any],
    workspace: Path,
    served: list[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    guide = Path(__file__).resolve().parents[2] / "sdk_docs" / "guides" / "serve.md"
    text = guide.read_text(encoding="utf-8")
    session = text.split("```text\n$ pmo serve\n", 1)[1].split("```", 1)[0].splitlines()

    class Bound:  # the default port, whatever else runs on this machine
        def getsockname(self) -> tuple[str, int]:
            return ("127.0.0.1", 8400)

        def close(self) -> None:
            pass

    monkeypatch.setattr(_cli, "bind", lambda host, port: Bound())
    result = pmo_cli("serve", workspace=workspace)
    assert result.exit_code == 0, result.stderr
    printed = [*result.output.splitlines(), *result.stderr.splitlines()]
    shown = [line.replace("/home/lee/acme", str(workspace.resolve())) for line in session]
    shown[-1] = shown[-1].removeprefix("^C")  # the terminal echoes Ctrl-C
    assert printed == shown
