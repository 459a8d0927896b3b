"""What the pmo-redmine tests share: a fake Redmine behind httpx.MockTransport (for the tests
without a server) and a seeder that creates projects, versions, issues, relations and spent
time on a real one through its REST API."""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pmo_redmine
import pytest

from pmo_core import ConnectorRequest, SourceItem, Workspace
from pmo_core.http import HttpClient

KEY = "0123456789abcdef0123456789abcdef0123fake"
URL = "https://redmine.example"
HOW_TO_START = 'start one with: eval "$(bash scripts/redmine.sh)"'


def workspace(url: str, key: str, **settings: Any) -> Workspace:
    """An in-memory workspace with the redmine connector reading ``url`` with ``key``."""
    return Workspace.in_memory(
        plugins={"redmine": pmo_redmine},
        settings={"redmine": {"url": url, "api_key": key, **settings}},
    )


# ---------------------------------------------------------------------- a fake Redmine


class FakeRedmine:
    """A Redmine in memory, answering the REST calls the connector makes."""

    def __init__(self) -> None:
        self.projects: list[dict[str, Any]] = []
        self.versions: list[dict[str, Any]] = []
        self.issues: list[dict[str, Any]] = []
        self.time_entries: list[dict[str, Any]] = []
        self.statuses = [
            {"id": 1, "name": "New", "is_closed": False},
            {"id": 2, "name": "In Progress", "is_closed": False},
            {"id": 5, "name": "Closed", "is_closed": True},
        ]
        self.requests: list[httpx.Request] = []
        self.puts: list[tuple[int, dict[str, Any]]] = []

    def client(self, **options: Any) -> HttpClient:
        return HttpClient(
            URL,
            secret_headers={pmo_redmine.KEY_HEADER: options.pop("key", KEY)},
            transport=httpx.MockTransport(self.handle),
            sleep=lambda s: None,
            **options,
        )

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.headers.get(pmo_redmine.KEY_HEADER) != KEY:
            return httpx.Response(401, text="")
        path, params = request.url.path, request.url.params
        if request.method == "PUT" and path.startswith("/issues/"):
            iid = int(path.split("/")[2].removesuffix(".json"))
            change = json.loads(request.content)["issue"]
            self.puts.append((iid, change))
            return httpx.Response(204)
        if path == "/projects.json":
            return self._page(self.projects, "projects", params)
        if path.startswith("/projects/") and path.endswith("/versions.json"):
            pid = int(path.split("/")[2])
            shown = [v for v in self.versions if v["project"]["id"] == pid]
            return httpx.Response(200, json={"versions": shown, "total_count": len(shown)})
        if path == "/issues.json":
            return self._page(self._filtered(self.issues, params), "issues", params)
        if path == "/time_entries.json":
            return self._page(self._filtered(self.time_entries, params), "time_entries", params)
        if path == "/users/current.json":
            return httpx.Response(200, json={"user": {"id": 1, "login": "admin"}})
        if path == "/issue_statuses.json":
            return httpx.Response(200, json={"issue_statuses": self.statuses})
        return httpx.Response(404, text="<html>not found</html>")

    @staticmethod
    def _filtered(records: list[dict[str, Any]], params: Any) -> list[dict[str, Any]]:
        out = list(records)
        if "project_id" in params:
            out = [r for r in out if r["project"]["id"] == int(params["project_id"])]
        if "issue_id" in params:
            wanted = {int(i) for i in params["issue_id"].split(",")}
            out = [r for r in out if r["id"] in wanted]
        if "updated_on" in params:
            since = params["updated_on"].removeprefix(">=")
            out = [r for r in out if r["updated_on"] >= since]
        return sorted(out, key=lambda r: r["id"])

    @staticmethod
    def _page(records: list[dict[str, Any]], key: str, params: Any) -> httpx.Response:
        offset, limit = int(params.get("offset", 0)), int(params.get("limit", 25))
        page = records[offset : offset + limit]
        return httpx.Response(200, json={key: page, "total_count": len(records)})


def read_with(
    fake: FakeRedmine, since: str | None = None, **settings: Any
) -> tuple[list[SourceItem], list[str]]:
    """Read ``fake`` as the connector does, with the watermarks it reported."""
    marks: list[str] = []
    request = ConnectorRequest(
        location=URL,
        settings=pmo_redmine.RedmineSettings(api_key=KEY, **settings),
        since=since,
        watermark=marks.append,
    )
    with fake.client() as client:
        reader = pmo_redmine.RedmineReader(client, URL, request.settings, request)  # type: ignore[arg-type]
        return list(reader.items()), marks


# ---------------------------------------------------------------------- a real Redmine


class Seeder:
    """Creates records on a real Redmine; every project identifier is unique to the test, so
    tests share one server (and may run in parallel)."""

    def __init__(self, client: HttpClient) -> None:
        self.client = client
        self.tag = uuid.uuid4().hex[:8]
        self._n = itertools.count(1)
        activities = client.get_json("/enumerations/time_entry_activities.json")
        self.activity = activities["time_entry_activities"][0]["id"]
        statuses = client.get_json("/issue_statuses.json")["issue_statuses"]
        self.status = {s["name"]: s["id"] for s in statuses}

    def project(self, name: str, parent: dict[str, Any] | None = None) -> dict[str, Any]:
        identifier = f"t{self.tag}-{next(self._n)}"
        body: dict[str, Any] = {"name": name, "identifier": identifier}
        if parent is not None:
            body["parent_id"] = parent["id"]
        return dict(self.client.post_json("/projects.json", {"project": body})["project"])

    def version(self, project: dict[str, Any], name: str, **fields: Any) -> dict[str, Any]:
        body = {"name": name, **fields}
        path = f"/projects/{project['id']}/versions.json"
        return dict(self.client.post_json(path, {"version": body})["version"])

    def issue(self, project: dict[str, Any], subject: str, **fields: Any) -> dict[str, Any]:
        body = {"project_id": project["id"], "subject": subject, **fields}
        return dict(self.client.post_json("/issues.json", {"issue": body})["issue"])

    def relate(
        self,
        first: dict[str, Any],
        then: dict[str, Any],
        kind: str = "precedes",
        delay: int | None = None,
    ) -> None:
        body: dict[str, Any] = {"issue_to_id": then["id"], "relation_type": kind}
        if delay is not None:
            body["delay"] = delay
        self.client.post_json(f"/issues/{first['id']}/relations.json", {"relation": body})

    def spend(self, issue: dict[str, Any], hours: float, on: str, comments: str = "") -> None:
        body = {
            "issue_id": issue["id"],
            "hours": hours,
            "spent_on": on,
            "activity_id": self.activity,
            "comments": comments,
        }
        self.client.post_json("/time_entries.json", {"time_entry": body})

    def update(self, issue: dict[str, Any], **fields: Any) -> None:
        self.client.put_json(f"/issues/{issue['id']}.json", {"issue": fields})

    def get(self, issue: dict[str, Any]) -> dict[str, Any]:
        return dict(self.client.get_json(f"/issues/{issue['id']}.json")["issue"])

    def delete(self, issue: dict[str, Any]) -> None:
        self.client.request("DELETE", f"/issues/{issue['id']}.json")


@contextmanager
def seeder(url: str, key: str) -> Iterator[Seeder]:
    with HttpClient(url, secret_headers={pmo_redmine.KEY_HEADER: key}) as client:
        yield Seeder(client)


def server() -> tuple[str, str]:
    """The test server's URL and admin key, or the test skips saying how to start one (with
    ``PMO_FAIL_ON_SKIP=1``, as CI runs, the skip fails the run)."""
    import os

    url = os.environ.get("PMO_TEST_REDMINE_URL", "").strip()
    key = os.environ.get("PMO_TEST_REDMINE_KEY", "").strip()
    if not url or not key:
        message = f"PMO_TEST_REDMINE_URL and PMO_TEST_REDMINE_KEY are not set: {HOW_TO_START}"
        if os.environ.get("PMO_FAIL_ON_SKIP") == "1":
            # The plugins' tests run outside tests/, whose conftest turns skips into
            # failures: here a missing server fails by itself, as CI needs.
            pytest.fail(message)
        pytest.skip(message)
    return url, key
