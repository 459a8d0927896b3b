from __future__ import annotations

import json
from datetime import date
from wsgiref.util import setup_testing_defaults

import pytest
from digest import write_digest
from portfolio_health import make_app

from pmo_core import Workspace


@pytest.fixture
def delivery(tmp_path):
    """A workspace with one healthy and one red project."""
    path = tmp_path / "delivery"
    with Workspace.init(path, name="Delivery PMO") as ws:
        ws.create("portfolio", id="PF", name="Delivery portfolio")
        ws.create("project", id="ALPHA", name="Alpha", parent="PF", manager="Ana", tier=1)
        ws.create("project", id="BETA", name="Beta", parent="PF")
        ws.report_status("ALPHA", overall="red", summary="Vendor slipped.")
        ws.add_raid("ALPHA", "risk", "Vendor may slip again", probability=4, impact=4)
    return path


def call(app, path, method="GET"):
    environ = {"PATH_INFO": path, "REQUEST_METHOD": method}
    setup_testing_defaults(environ)
    captured = {}

    def start_response(status, headers):
        captured["status"], captured["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    assert captured["headers"]["Content-Type"] == "application/json"
    return captured["status"], json.loads(body)


def test_health_lists_projects_with_latest_rag(delivery):
    status, body = call(make_app(delivery), "/health")
    assert status == "200 OK"
    assert [(row["project"], row["rag"]) for row in body] == [("ALPHA", "red"), ("BETA", None)]


def test_project_detail(delivery):
    status, body = call(make_app(delivery), "/projects/ALPHA")
    assert status == "200 OK"
    assert body["manager"] == "Ana"
    assert body["latest_status"]["rag"] == "red"
    assert [item["title"] for item in body["open_raid"]] == ["Vendor may slip again"]


def test_unknown_project_and_route_are_404(delivery):
    app = make_app(delivery)
    assert call(app, "/projects/NOPE")[0] == "404 Not Found"
    assert call(app, "/nowhere")[0] == "404 Not Found"
    assert call(app, "/health", method="POST")[0] == "405 Method Not Allowed"


def test_digest_keeps_each_workspace_s_plugins_apart(delivery, tmp_path):
    # A second PMO in the same process enables Acme's rules; the first does not.
    it_pmo = tmp_path / "it"
    with Workspace.init(it_pmo, name="IT PMO", profile="controlling") as ws:
        ws.enable("acme-rules")
    with Workspace.open(it_pmo) as ws:
        ws.create("portfolio", id="IT", name="IT portfolio")
        ws.create("project", id="ERP", name="ERP renewal", parent="IT", tier=1)
    out = tmp_path / "digest.md"
    text = write_digest(out, [delivery, it_pmo], today=date(2025, 3, 14))
    assert out.read_text() == text
    delivery_part, it_part = text.split("## IT PMO")
    assert "week 11 of 2025" in delivery_part
    assert "- red: ALPHA" in delivery_part
    assert "acme" not in delivery_part
    assert "acme-rules" in it_part
    assert "ERP: acme-cost-centre [warn]" in it_part
