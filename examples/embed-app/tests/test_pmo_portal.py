from __future__ import annotations

import pytest
from pmo_portal import make_portal
from starlette.testclient import TestClient

from pmo_core import Workspace


@pytest.fixture
def workspace(tmp_path):
    path = tmp_path / "delivery"
    with Workspace.init(path, name="Delivery PMO", profile="starter") as ws:
        ws.create("portfolio", id="PF", name="Delivery <b>portfolio</b>")
        ws.create("project", id="ALPHA", name="Alpha", parent="PF")
        ws.report_status("ALPHA", overall="red", summary="Vendor slipped.")
    return path


def test_the_tool_keeps_its_own_page(workspace):
    client = TestClient(make_portal(workspace), base_url="http://localhost")
    got = client.get("/")
    assert got.status_code == 200
    assert "href='/pmo/'" in got.text


def test_the_pmo_view_is_mounted_under_pmo(workspace):
    client = TestClient(make_portal(workspace), base_url="http://localhost")
    tree = client.get("/pmo/")
    assert tree.status_code == 200
    assert "Delivery &lt;b&gt;portfolio&lt;/b&gt;" in tree.text
    # The view's links stay under the mount.
    assert 'href="/pmo/entity/ALPHA"' in tree.text
    project = client.get("/pmo/entity/ALPHA")
    assert project.status_code == 200
    assert "<h1>Project status: ALPHA — " in project.text  # pmo-reports' HTML page
    data = client.get("/pmo/reports/project-status/ALPHA?format=json")
    assert data.headers["content-type"].startswith("application/json")
    assert client.get("/pmo/entity/NOPE").status_code == 404


def test_the_mounted_view_stays_read_only(workspace):
    client = TestClient(make_portal(workspace), base_url="http://localhost")
    got = client.post("/pmo/entity/ALPHA")
    assert got.status_code == 405
    assert got.headers["allow"] == "GET, HEAD"


def test_the_tool_names_the_hosts_it_serves(workspace):
    intranet = TestClient(make_portal(workspace, hosts=["pmo.intra"]), base_url="http://pmo.intra")
    assert intranet.get("/pmo/").status_code == 200
    local_only = TestClient(make_portal(workspace), base_url="http://pmo.intra")
    assert local_only.get("/pmo/").status_code == 400
