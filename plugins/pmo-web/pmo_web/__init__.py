"""pmo-web: ``pmo serve``, a read-only web view of a workspace, local by default.

A plugin for pmo-core (plugin id ``web``). ``pmo serve`` serves, on http://127.0.0.1:8400/:

- ``/``: the portfolio tree (portfolios > programs > projects) with each entity's lifecycle
  and latest reported overall colour, and a form to change the status date;
- ``/entity/{key}``: a project's ``project-status`` report, a portfolio's or program's
  ``portfolio-summary``, with links to its other formats and to the other reports over it;
- ``/reports``: the reports the enabled plugins provide; ``/reports/{name}`` (the whole PMO)
  and ``/reports/{name}/{scope}``: any report, as a page or in any of its formats
  (``?format=json``).

Every page takes ``?status_date=YYYY-MM-DD`` (the data date) and ``?as_of=YYYY-MM-DD`` (the
workspace as known then). The view only reads: every method but GET and HEAD is refused.
:func:`create_app` is the Starlette app itself, to mount in another ASGI app.

Example::

    from starlette.testclient import TestClient
    from pmo_web import create_app

    client = TestClient(create_app("acme"), base_url="http://localhost")
    client.get("/entity/ALPHA").status_code  # 200
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pmo_core import PmoCommand, hookimpl

from ._hosts import LOOPBACK_HOSTS

if TYPE_CHECKING:
    from starlette.applications import Starlette

__all__ = ["create_app", "pmo_cli_commands"]


def create_app(
    root: str | os.PathLike[str],
    *,
    status_date: date | None = None,
    as_of: date | datetime | None = None,
    allowed_hosts: Sequence[str] | None = LOOPBACK_HOSTS,
) -> Starlette:
    """The read-only web view of the workspace at ``root``, as a Starlette (ASGI) app.

    ``status_date`` and ``as_of`` are what the pages show when a request names neither
    (``?status_date=``, ``?as_of=``): the data date (default: today) and the knowledge moment
    (a date, its end, or a date-time; default: now). The workspace is opened for each request
    and closed after it, through the public API only; the app never writes.

    ``allowed_hosts`` are the Host headers the app answers: by default the loopback names
    only, which defeats DNS rebinding; ``None`` accepts any (an app that mounts this one and
    checks hosts itself, or a server bound to another interface on purpose).

    Example::

        from starlette.applications import Starlette
        from starlette.routing import Mount
        from pmo_web import create_app

        portal = Starlette(routes=[Mount("/pmo", app=create_app("acme"))])
    """
    # Starlette and jinja2 load when an app is made, not when the plugin host loads this
    # plugin to list its command.
    from ._app import build_app

    return build_app(
        Path(root),
        status_date=status_date,
        as_of=as_of,
        allowed_hosts=allowed_hosts,
    )


@hookimpl
def pmo_cli_commands() -> Iterator[PmoCommand]:
    """Register ``pmo serve``.

    Example::

        $ pmo serve                          # http://127.0.0.1:8400/
        $ pmo serve --port 8500 --status-date 2025-03-31
    """
    # click, Starlette and uvicorn are imported only when the CLI asks for commands.
    from ._cli import serve

    yield PmoCommand(
        name="serve",
        summary="Serve a read-only web view of the workspace (local by default).",
        command=serve,
    )
