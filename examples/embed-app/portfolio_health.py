"""A small internal tool that embeds pmo-core: a WSGI app serving portfolio health as JSON.

No framework and no CLI: the app opens the workspace through the library API, reads it through
a view, and closes it per request, so it can run under any WSGI server.

    GET /health            every project with its latest overall RAG
    GET /projects/<key>    one project, its latest status report and open RAID items

Run it locally with ``python portfolio_health.py path/to/workspace`` (stdlib wsgiref server).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pmo_core import NotFoundError, Workspace

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def _json(start_response: StartResponse, status: str, body: Any) -> list[bytes]:
    data = json.dumps(body, indent=2, default=str).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


def health(ws: Workspace) -> list[dict[str, Any]]:
    """Every project with its latest overall RAG (``None`` before its first status report)."""
    view = ws.view()
    rows = []
    for project in view.projects():
        latest = view.latest_status(project.id)
        rows.append(
            {
                "project": project.id,
                "name": project.name,
                "parent": project.parent,
                "status": project.status.value,
                "rag": latest.overall.value if latest else None,
                "as_of": latest.as_of.isoformat() if latest else None,
            }
        )
    return rows


def project_detail(ws: Workspace, key: str) -> dict[str, Any]:
    """One project with its latest status report and its open RAID items."""
    view = ws.view()
    project = view.entity(key)
    latest = view.latest_status(key)
    return {
        "project": project.id,
        "name": project.name,
        "tier": project.tier,
        "manager": project.manager,
        "latest_status": None
        if latest is None
        else {
            "as_of": latest.as_of.isoformat(),
            "rag": latest.overall.value,
            "summary": latest.summary,
        },
        "open_raid": [
            {"type": item.type, "title": item.title, "owner": item.owned_by}
            for item in view.raid(key, open_only=True)
        ],
    }


def make_app(workspace_path: str | Path) -> WSGIApp:
    """Build the WSGI app over the workspace at ``workspace_path``.

    The workspace is opened per request: a request never sees a half-written transaction and
    never holds the store open between requests.
    """
    root = Path(workspace_path)

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD", "GET") != "GET":
            return _json(start_response, "405 Method Not Allowed", {"error": "GET only"})
        path = environ.get("PATH_INFO", "/")
        with Workspace.open(root) as ws:
            if path == "/health":
                return _json(start_response, "200 OK", health(ws))
            if path.startswith("/projects/") and path.count("/") == 2:
                try:
                    body = project_detail(ws, path.removeprefix("/projects/"))
                except NotFoundError as exc:
                    return _json(start_response, "404 Not Found", {"error": str(exc)})
                return _json(start_response, "200 OK", body)
        return _json(start_response, "404 Not Found", {"error": f"no route {path}"})

    return app


if __name__ == "__main__":  # pragma: no cover - manual use
    from wsgiref.simple_server import make_server

    with make_server("127.0.0.1", 8000, make_app(sys.argv[1] if len(sys.argv) > 1 else ".")) as s:
        print("serving on http://127.0.0.1:8000/health")
        s.serve_forever()
