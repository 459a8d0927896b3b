"""``pmo serve``: the web view on a local port, until Ctrl-C.

The listening socket is bound here, before the server starts, so a port in use is a one-line
error (exit 1) rather than a server log; the server then runs on that socket.
"""

from __future__ import annotations

import errno
import socket
from typing import TYPE_CHECKING

import click

from pmo_core import InvalidInputError, PmoError, current_workspace, escape_controls

from ._dates import parse_as_of, parse_status_date
from ._hosts import LOOPBACK_HOSTS, is_loopback

if TYPE_CHECKING:
    import uvicorn
    from starlette.types import ASGIApp

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8400


def server_config(
    app: ASGIApp, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT
) -> uvicorn.Config:
    """The uvicorn configuration ``pmo serve`` runs: quiet, no Server header, no proxy
    headers trusted, no lifespan events (the app has none)."""
    import uvicorn  # only when serving: listing commands must not load a web server

    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        server_header=False,
        proxy_headers=False,
        lifespan="off",
    )


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port``; a port in use is a :class:`PmoError`."""
    try:
        family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise InvalidInputError(
            f"cannot resolve {host!r}: {exc.strerror}", where="--host"
        ) from None
    try:
        return socket.create_server(address, family=family)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PmoError(
                f"--port: {port} is already in use on {host} (choose another with --port)"
            ) from None
        raise PmoError(
            f"--host/--port: cannot listen on {host}:{port}: {exc.strerror or exc}"
        ) from None


def run(config: uvicorn.Config, sock: socket.socket) -> None:
    """Serve on ``sock`` until Ctrl-C (uvicorn shuts down gracefully, then re-raises it)."""
    import uvicorn

    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()


def _url(host: str, port: int) -> str:
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    return f"http://{shown}:{port}/"


@click.command(name="serve")
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    help="Interface to listen on. Another than the loopback makes the view reachable from "
    "other machines, with no authentication.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--status-date",
    metavar="YYYY-MM-DD",
    help="The data date the pages show by default (default: today; a page's ?status_date= "
    "overrides it).",
)
@click.option(
    "--as-of",
    metavar="DATE[THH:MM]",
    help="Show the workspace as it was known then, by default (default: now; a page's "
    "?as_of= overrides it).",
)
def serve(host: str, port: int, status_date: str | None, as_of: str | None) -> None:
    """Serve a read-only web view of the workspace: the portfolio tree, each entity's
    dashboard and every report, on http://127.0.0.1:8400/ until Ctrl-C.

    \b
    Examples:
      pmo serve
      pmo serve --port 8500 --status-date 2025-03-31
      pmo serve --status-date 2025-03-31 --as-of 2025-04-02
      pmo serve --host 0.0.0.0      # reachable from other machines: no authentication
    """
    from . import create_app

    day = parse_status_date(status_date, "--status-date") if status_date else None
    moment = parse_as_of(as_of, "--as-of") if as_of else None
    root = current_workspace().root
    local = is_loopback(host)
    if not local:
        click.echo(
            f"warning: --host {escape_controls(host)}: the view has no authentication; anyone "
            "who can reach this address can read the workspace",
            err=True,
        )
    app = create_app(
        root, status_date=day, as_of=moment, allowed_hosts=LOOPBACK_HOSTS if local else None
    )
    sock = bind(host, port)
    config = server_config(app, host=host, port=sock.getsockname()[1])
    click.echo(f"Serving {escape_controls(str(root))} read-only at {_url(host, config.port)}")
    click.echo("Press Ctrl-C to stop.", err=True)
    run(config, sock)
    click.echo("Stopped.", err=True)
