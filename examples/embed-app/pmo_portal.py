"""An internal tool that embeds the PMO's web view: a Starlette app with its own page, and
the read-only view of a workspace (``pmo_web.create_app``) mounted under ``/pmo``.

    GET /          the tool's own page, linking to the PMO view
    GET /pmo/...   the portfolio tree, entity dashboards and reports (read-only)

The tool serves its own host names, so it passes ``allowed_hosts`` on to the mounted view
(which, left alone, answers ``localhost`` and ``127.0.0.1`` only). Run it with
``python pmo_portal.py path/to/workspace`` (uvicorn on 127.0.0.1:8000).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from pmo_web import create_app
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Mount, Route

LOCAL = ("localhost", "127.0.0.1")


def home(request: Request) -> HTMLResponse:
    return HTMLResponse(
        "<!doctype html><title>Delivery tools</title>"
        "<h1>Delivery tools</h1><ul><li><a href='/pmo/'>Portfolio (read-only)</a></li></ul>"
    )


def make_portal(workspace_path: str | Path, *, hosts: Sequence[str] = LOCAL) -> Starlette:
    """The tool: its own page at ``/`` and the workspace's web view under ``/pmo``."""
    return Starlette(
        routes=[
            Route("/", home),
            Mount("/pmo", app=create_app(workspace_path, allowed_hosts=hosts)),
        ]
    )


if __name__ == "__main__":  # pragma: no cover - manual use
    import uvicorn

    uvicorn.run(make_portal(sys.argv[1] if len(sys.argv) > 1 else "."), host="127.0.0.1")
