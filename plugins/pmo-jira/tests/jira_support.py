"""A Jira answered from recorded responses (tests/data/cloud, tests/data/datacenter: shaped
after the examples of Jira's REST API documentation) behind httpx.MockTransport: the search
is re-paged as the request asks and filtered by the few JQL clauses the connector sends."""

from __future__ import annotations

import base64
import copy
import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pmo_jira

DATA = Path(__file__).parent / "data"
EMAIL = "mia@acme.example"
TOKEN = "ATATT3xFfGF0-s3cret-token"
URLS = {"cloud": "https://acme.atlassian.net", "datacenter": "https://jira.acme.example"}
# The account's zone (myself.json): Jira reads a JQL date in it.
ZONE = ZoneInfo("Australia/Sydney")


def settings(deployment: str, **more: Any) -> dict[str, Any]:
    """The connector's settings for the recorded site of ``deployment``."""
    base: dict[str, Any] = {
        "projects": ["PMO"],
        "token": TOKEN,
        "story_points_field": "customfield_10016",
        "start_date_field": "customfield_10015",
        "hour_rate": "100 EUR",
    }
    if deployment == "cloud":
        base["email"] = EMAIL
    else:
        base["epic_link_field"] = "customfield_10008"
    return {**base, **more}


class FakeJira:
    """The recorded site of ``deployment``; its data may be changed (``issue(key)``) or
    broken (``html_search``), and ``fail`` queues statuses to answer before the real ones."""

    def __init__(self, deployment: str) -> None:
        self.deployment = deployment
        self.url = URLS[deployment]
        self.v = 3 if deployment == "cloud" else 2
        folder = DATA / deployment
        self.myself = _load(folder / "myself.json")
        self.projects = {"PMO": _load(folder / "project-PMO.json")}
        self.versions = {"PMO": _load(folder / "project-PMO-versions.json")}
        self.issues: list[dict[str, Any]] = _load(folder / "search.json")["issues"]
        self.worklogs = {"10005": _load(folder / "issue-10005-worklog.json")}
        self.requests: list[httpx.Request] = []
        self.fail: list[httpx.Response] = []
        self.html_search = False

    def plugin(self, sleep: Any = None) -> pmo_jira.JiraPlugin:
        return pmo_jira.JiraPlugin(
            transport=httpx.MockTransport(self.handle), sleep=sleep or (lambda s: None)
        )

    def issue(self, key: str) -> dict[str, Any]:
        return next(i for i in self.issues if i["key"] == key)

    def searches(self) -> list[httpx.Request]:
        return [r for r in self.requests if "/search" in r.url.path]

    # ------------------------------------------------------------------ answers

    def authorised(self, request: httpx.Request) -> bool:
        header = request.headers.get("Authorization", "")
        if self.deployment == "datacenter":
            return header == f"Bearer {TOKEN}"
        return header == "Basic " + base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.fail:
            return self.fail.pop(0)
        if not self.authorised(request):
            return httpx.Response(401, json={"errorMessages": ["You are not authenticated."]})
        api = f"/rest/api/{self.v}"
        path, params = request.url.path, request.url.params
        if path == f"{api}/myself":
            return httpx.Response(200, json=self.myself)
        if m := re.fullmatch(rf"{api}/project/([A-Z]+)(/versions)?", path):
            key, versions = m.groups()
            if key not in self.projects:
                return httpx.Response(404, json={"errorMessages": [f"No project '{key}'"]})
            return httpx.Response(200, json=(self.versions if versions else self.projects)[key])
        if m := re.fullmatch(rf"{api}/issue/(\d+)/worklog", path):
            page = self.worklogs[m.group(1)]
            start = int(params.get("startAt", 0))
            size = int(params.get("maxResults", 5000))
            shown = page["worklogs"][start : start + size]
            return httpx.Response(200, json={**page, "startAt": start, "worklogs": shown})
        search = f"{api}/search/jql" if self.v == 3 else f"{api}/search"
        if path == search:
            if self.html_search:
                return httpx.Response(
                    200,
                    text="<!DOCTYPE html><title>Log in</title>",
                    headers={"Content-Type": "text/html"},
                )
            return self._search(params)
        return httpx.Response(404, json={"errorMessages": [f"no {path}"]})

    def _search(self, params: httpx.QueryParams) -> httpx.Response:
        found = [i for i in self.issues if _matches(i, params["jql"])]
        fields = params.get("fields", "").split(",")
        found = [_only(i, fields) for i in found]
        size = int(params.get("maxResults", 50))
        if self.v == 2:
            start = int(params.get("startAt", 0))
            page = found[start : start + size]
            return httpx.Response(
                200,
                json={"startAt": start, "maxResults": size, "total": len(found), "issues": page},
            )
        start = int(params.get("nextPageToken") or 0)
        page = found[start : start + size]
        last = start + size >= len(found)
        cloud: dict[str, Any] = {"issues": page, "isLast": last}
        if not last:
            cloud["nextPageToken"] = str(start + size)
        return httpx.Response(200, json=cloud)


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _only(issue: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    out = copy.deepcopy(issue)
    out["fields"] = {k: v for k, v in issue["fields"].items() if k in fields}
    return out


def _matches(issue: dict[str, Any], jql: str) -> bool:
    """The clauses the connector sends: ``project in``, ``key in``, ``parent in`` or an
    epic link ``cf[N] in``, and ``updated >=`` a minute of the account's zone."""
    fields = issue["fields"]
    m = re.search(r"project in \(([^)]*)\)", jql)
    if m and fields["project"]["key"] not in re.findall(r'"([^"]+)"', m.group(1)):
        return False
    m = re.search(r"\bkey in \(([^)]*)\)", jql)
    if m and issue["key"] not in [k.strip() for k in m.group(1).split(",")]:
        return False
    if m := re.search(r"parent in \(([^)]*)\)", jql):
        keys = [k.strip() for k in m.group(1).split(",")]
        parent = (fields.get("parent") or {}).get("key")
        epic = fields.get("customfield_10008")
        if parent not in keys and epic not in keys:
            return False
    if m := re.search(r'updated >= "([^"]+)"', jql):
        since = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=ZONE)
        updated = datetime.strptime(fields["updated"], "%Y-%m-%dT%H:%M:%S.%f%z")
        if updated < since:
            return False
    return True


def later(stamp: str, minutes: int) -> str:
    """A Jira timestamp ``minutes`` after ``stamp``, in the same offset."""
    when = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%f%z") + timedelta(minutes=minutes)
    return when.strftime("%Y-%m-%dT%H:%M:%S.000%z")
