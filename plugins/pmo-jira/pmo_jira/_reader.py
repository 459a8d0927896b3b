"""Reading Jira over its REST API into SourceItems: projects, versions, epics and issues,
and worklogs, in an order where every item comes after the items it refers to."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from pmo_core import ConnectorRequest, InvalidInputError, SourceItem
from pmo_core.http import BadResponseError, HttpClient, UnauthorisedError

from ._settings import JiraSettings, base_url, client_for, settings_of

#: A status category's key -> pmo's status and the percent complete it stands for (Jira
#: has three categories; an issue "In Progress" counts half done, as the 50/50 rule of
#: earned value does).
CATEGORIES: dict[str, tuple[str, float]] = {
    "new": ("open", 0.0),
    "indeterminate": ("in_progress", 50.0),
    "done": ("done", 100.0),
}
#: The fields a search asks for (custom fields are added from the settings).
FIELDS = (
    "summary",
    "issuetype",
    "status",
    "project",
    "parent",
    "assignee",
    "duedate",
    "fixVersions",
    "issuelinks",
    "worklog",
    "timeoriginalestimate",
    "timeestimate",
    "updated",
)
# Jira's timestamps: 2024-03-02T10:15:30.000+0000.
_STAMP = "%Y-%m-%dT%H:%M:%S.%f%z"
# The widest offset from UTC a user's time zone may have: a JQL date is read in the
# searching user's zone, unknown when Jira does not say it.
_WIDEST_OFFSET = timedelta(hours=14)
# Pages are read in creation order: an issue edited, or one created, while a run pages
# through the search stays in its place or comes last, so no other issue moves to a page
# already read (ordered by update, an edit would move an issue to the end, and the one
# after it onto a page already read, missed).
_ORDER = "ORDER BY created ASC, key ASC"
_ORDER_BY = re.compile(r"\s+order\s+by\s+.*$", re.IGNORECASE | re.DOTALL)


def read(
    request: ConnectorRequest,
    *,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] | None = None,
) -> Iterator[SourceItem]:
    """Read the Jira at ``request.location`` (or ``settings.url``): see the package's
    docstring for what becomes what. With ``request.since`` only the issues updated since
    are read; the newest ``updated`` read is reported as the next watermark. ``transport``
    and ``sleep`` stand in for the network and the clock in tests.

    Example::

        items = list(read(ConnectorRequest(location="https://acme.atlassian.net",
                                           settings=JiraSettings(projects=["PMO"]))))
    """
    settings = settings_of(request)
    url = base_url(request, settings)
    with client_for(url, settings, transport=transport, sleep=sleep) as client:
        try:
            yield from JiraReader(client, url, settings, request).items()
        except UnauthorisedError:
            raise InvalidInputError(
                "Jira refused the credentials (401 Unauthorized): check PMO_JIRA_TOKEN (or the "
                "file PMO_JIRA_TOKEN_FILE names) and, on Cloud, PMO_JIRA_EMAIL",
                where=url,
            ) from None


class JiraReader:
    """One read of a Jira: :meth:`items` yields the SourceItems.

    Example::

        with client_for(url, settings) as client:
            for item in JiraReader(client, url, settings, request).items():
                print(item.kind, item.remote_id)
    """

    def __init__(
        self,
        client: HttpClient,
        url: str,
        settings: JiraSettings,
        request: ConnectorRequest,
    ) -> None:
        self.client = client
        self.url = url
        self.settings = settings
        self.request = request
        self.cloud = settings.deployment_for(url) == "cloud"
        self.api = "/rest/api/3" if self.cloud else "/rest/api/2"
        # Jira's project id -> the project's JSON, for the projects read.
        self.projects: dict[str, dict[str, Any]] = {}
        self.version_ids: set[str] = set()
        self.issues: dict[str, dict[str, Any]] = {}
        self._ids_by_key: dict[str, str] = {}
        self._scope: dict[str, str] | None = None
        # Parent id -> the fields of its children, for a percent complete from points.
        self._children: dict[str, list[Mapping[str, Any]]] | None = None
        self._more_children: list[dict[str, Any]] = []
        token = settings.token.get_secret_value().strip() if settings.token else ""
        self.anonymous = not token

    def items(self) -> Iterator[SourceItem]:
        """Projects, versions, issues (epics and parents first, and what blocks an issue
        before it), then worklogs."""
        zone = self._zone()
        base = self._base_jql()
        self.issues = {str(i["id"]): i for i in self._search(self._jql(base, zone))}
        self._ids_by_key = {str(i["key"]): iid for iid, i in self.issues.items()}
        if self._since() is not None and self.settings.story_points_field:
            self._widen_for_points()
        self.projects = self._projects()
        for project in self.projects.values():
            yield self._project(project)
        for pid, project in self.projects.items():
            yield from self._versions(pid, project)
        since = self._since()
        newest = (since, str(self.request.since)) if since is not None else None
        ordered = _ordered(self.issues, self._depends_on)
        for issue in ordered:
            stamp = str(issue["fields"].get("updated") or "")
            when = _stamp_or_none(stamp)
            if when is not None and (newest is None or when > newest[0]):
                newest = (when, stamp)
            yield self._issue(issue)
        if newest is not None:
            self.request.watermark(newest[1])
        rate = self.settings.hour_money()
        if rate is not None:
            for issue in ordered:
                yield from self._worklogs(issue, rate.amount, rate.currency)

    # ------------------------------------------------------------------ search

    def _zone(self) -> ZoneInfo | None:
        """The account's time zone, in which Jira reads a JQL date; the call checks the
        credentials before anything else. ``None`` when Jira does not say it (anonymous)."""
        if not self.anonymous:
            me = self.client.get_json(f"{self.api}/myself")
            name = me.get("timeZone") if isinstance(me, dict) else None
            if isinstance(name, str) and name:
                try:
                    return ZoneInfo(name)
                except (ZoneInfoNotFoundError, ValueError):
                    return None
        return None

    def _base_jql(self) -> str:
        if self.settings.jql:
            return _ORDER_BY.sub("", self.settings.jql.strip())
        if not self.settings.projects:
            raise InvalidInputError(
                "no issues to read: set projects (PMO_JIRA_PROJECTS) or jql", where=self.url
            )
        keys = ", ".join(f'"{k}"' for k in self.settings.projects)
        return f"project in ({keys})"

    def _jql(self, base: str, zone: ZoneInfo | None) -> str:
        """The search's JQL: ``base``, and on an incremental read ``updated >=`` the
        watermark as a wall-clock minute of the account's zone (rounded down, so an issue
        updated in the same minute is read again, never missed)."""
        since = self._since()
        if since is None:
            return f"({base}) {_ORDER}"
        if zone is not None:
            wall = since.astimezone(zone)
        else:
            wall = since.astimezone(timezone.utc) - _WIDEST_OFFSET
        return f'({base}) AND updated >= "{wall:%Y-%m-%d %H:%M}" {_ORDER}'

    def _since(self) -> datetime | None:
        """The watermark as a time; ``None`` on a full read, or for a watermark that is no
        Jira timestamp (then everything is read again, which changes nothing)."""
        if not self.request.since:
            return None
        return _stamp_or_none(self.request.since)

    def _fields(self) -> list[str]:
        s = self.settings
        custom = [s.story_points_field, s.start_date_field, s.sprint_field, s.epic_link_field]
        return [*FIELDS, *(f for f in custom if f)]

    def _search(self, jql: str, fields: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
        """The issues ``jql`` selects: on Cloud ``GET /rest/api/3/search/jql``, paged with
        ``nextPageToken``; on Data Center ``GET /rest/api/2/search``, paged with
        ``startAt``."""
        params = {"jql": jql, "fields": ",".join(fields or self._fields())}
        report = fields is None
        if not self.cloud:
            yield from self.client.start_at_pages(
                f"{self.api}/search",
                "issues",
                params=params,
                max_results=self.settings.page_size,
                progress=self.request.progress if report else None,
            )
            return
        token: str | None = None
        done = 0
        while True:
            page_params: dict[str, Any] = {**params, "maxResults": self.settings.page_size}
            if token:
                page_params["nextPageToken"] = token
            path = f"{self.api}/search/jql"
            data = self.client.get_json(path, params=page_params)
            issues = data.get("issues") if isinstance(data, dict) else None
            if not isinstance(issues, list):
                raise BadResponseError(
                    "bad response: no list 'issues' in the page", url=self.client.url(path)
                )
            yield from issues
            done += len(issues)
            token = data.get("nextPageToken")
            last = data.get("isLast") is True or not token or not issues
            if report:
                self.request.progress(done, done if last else None)
            if last:
                return

    def _scope_ids(self) -> dict[str, str]:
        """Key -> id of every issue the base JQL selects: an incremental read refers to
        issues it did not read (kept when in scope, left out when not). Listed once."""
        if self._scope is None:
            jql = f"({self._base_jql()}) {_ORDER}"
            self._scope = {str(i["key"]): str(i["id"]) for i in self._search(jql, ["key"])}
        return self._scope

    # ------------------------------------------------------------------ projects

    def _projects(self) -> dict[str, dict[str, Any]]:
        keys = list(self.settings.projects)
        for issue in self.issues.values():
            key = str(issue["fields"]["project"]["key"])
            if key not in keys:
                keys.append(key)
        found: dict[str, dict[str, Any]] = {}
        for key in keys:
            project = self.client.get_json(f"{self.api}/project/{key}")
            found[str(project["id"])] = project
        return found

    def _project(self, project: dict[str, Any]) -> SourceItem:
        key = str(project["key"])
        lead = project.get("lead")
        description = project.get("description")
        data: dict[str, Any] = {
            "name": project.get("name") or key,
            "description": description if isinstance(description, str) else "",
            "parent": self.settings.parent,
            "manager": lead.get("displayName") if isinstance(lead, dict) else None,
        }
        page = f"{self.url}/browse/{key}"
        return SourceItem(
            kind="project",
            remote_id=str(project["id"]),
            data=data,
            where=page,
            remote_url=page,
        )

    def _versions(self, pid: str, project: Mapping[str, Any]) -> Iterator[SourceItem]:
        key = str(project["key"])
        versions = self.client.get_json(f"{self.api}/project/{key}/versions")
        for version in versions if isinstance(versions, list) else ():
            vid = str(version["id"])
            self.version_ids.add(vid)
            released = bool(version.get("released"))
            closed = released or bool(version.get("archived"))
            page = f"{self.url}/projects/{key}/versions/{vid}"
            yield SourceItem(
                kind="milestone",
                remote_id=vid,
                data={
                    "project": pid,
                    "name": version.get("name") or f"Version {vid}",
                    "due": version.get("releaseDate"),
                    "status": "closed" if closed else "open",
                    "completed_on": version.get("releaseDate") if released else None,
                    "description": version.get("description") or "",
                },
                where=page,
                remote_url=page,
            )

    # ------------------------------------------------------------------ issues

    def _parent_id(self, issue: Mapping[str, Any]) -> str | None:
        """The issue's parent: a sub-task's parent, or an issue's epic (Cloud's ``parent``,
        Data Center's Epic Link field, which holds the epic's key)."""
        fields = issue["fields"]
        parent = fields.get("parent")
        if isinstance(parent, dict) and parent.get("id") is not None:
            return self._ref(str(parent["id"]), parent.get("key"))
        link = self.settings.epic_link_field
        epic_key = fields.get(link) if link else None
        if isinstance(epic_key, str) and epic_key:
            return self._ref(None, epic_key)
        return None

    def _blockers(self, issue: Mapping[str, Any]) -> list[str]:
        """The ids of the issues that block this one (its ``is blocked by`` links)."""
        found: list[str] = []
        for link in issue["fields"].get("issuelinks") or ():
            kind = link.get("type") or {}
            blocks = str(kind.get("name") or "").casefold() == "blocks" or (
                str(kind.get("inward") or "").casefold() == "is blocked by"
            )
            other = link.get("inwardIssue")
            if blocks and isinstance(other, dict):
                ref = self._ref(str(other.get("id")), other.get("key"))
                if ref is not None and ref not in found:
                    found.append(ref)
        return found

    def _depends_on(self, issue: Mapping[str, Any]) -> list[str]:
        parent = self._parent_id(issue)
        return ([parent] if parent else []) + self._blockers(issue)

    def _ref(self, iid: str | None, key: Any) -> str | None:
        """The remote id of a referred issue, or ``None`` when it is out of scope (in a
        project or a query not read)."""
        if iid is not None and iid in self.issues:
            return iid
        if isinstance(key, str) and key in self._ids_by_key:
            return self._ids_by_key[key]
        if self.request.since and isinstance(key, str):
            return self._scope_ids().get(key)
        return None

    def _issue(self, issue: dict[str, Any]) -> SourceItem:
        iid, key, fields = str(issue["id"]), str(issue["key"]), issue["fields"]
        status, percent = self._status(fields)
        assignee = fields.get("assignee")
        kind = fields.get("issuetype") or {}
        versions = [str(v.get("id")) for v in fields.get("fixVersions") or ()]
        milestone = next((v for v in versions if v in self.version_ids), None)
        s = self.settings
        data: dict[str, Any] = {
            "project": str(fields["project"]["id"]),
            "subject": fields.get("summary") or key,
            "type": str(kind.get("name") or "task").lower(),
            "status": status,
            "percent_complete": self._percent(iid, percent),
            "work": _hours(fields.get("timeoriginalestimate")),
            "remaining": _hours(fields.get("timeestimate")),
            "due": fields.get("duedate"),
            "assignee": assignee.get("displayName") if isinstance(assignee, dict) else None,
            "parent": self._parent_id(issue),
            "milestone": milestone,
            "iteration": _sprint(fields.get(s.sprint_field)) if s.sprint_field else None,
            "links": [
                {"predecessor": p, "type": "FS", "lag_days": 0.0} for p in self._blockers(issue)
            ],
        }
        if s.start_date_field:
            data["start"] = fields.get(s.start_date_field)
        if s.story_points_field:
            data["points"] = _points(fields.get(s.story_points_field))
        page = f"{self.url}/browse/{key}"
        return SourceItem(
            kind="work_item",
            remote_id=iid,
            data=data,
            where=page,
            remote_version=_text(fields.get("updated")),
            remote_url=page,
        )

    @staticmethod
    def _status(fields: Mapping[str, Any]) -> tuple[str, float]:
        status = fields.get("status") or {}
        category = (status.get("statusCategory") or {}).get("key")
        return CATEGORIES.get(str(category), CATEGORIES["new"])

    def _percent(self, iid: str, own: float) -> float:
        """The issue's percent complete: with story points configured, an issue with
        children (an epic, a parent of sub-tasks) is done as far as its children's points
        are (each weighted by its own status category); otherwise, and for an issue without
        pointed children, its status category."""
        field = self.settings.story_points_field
        if not field or own == 100.0:
            return own
        weights = [
            (points, self._status(child)[1])
            for child in self._family().get(iid, ())
            if (points := _points(child.get(field))) is not None and points > 0
        ]
        total = sum(w for w, _ in weights)
        if not total:
            return own
        return round(sum(w * p for w, p in weights) / total, 1)

    def _family(self) -> dict[str, list[Mapping[str, Any]]]:
        if self._children is None:
            children: dict[str, list[Mapping[str, Any]]] = {}
            pool = {str(i["id"]): i for i in self._more_children}
            pool.update(self.issues)
            for child in pool.values():
                parent = self._parent_id(child)
                if parent is not None:
                    children.setdefault(parent, []).append(child["fields"])
            self._children = children
        return self._children

    def _parent_key(self, issue: Mapping[str, Any]) -> str | None:
        fields = issue["fields"]
        parent = fields.get("parent")
        if isinstance(parent, dict) and isinstance(parent.get("key"), str):
            return str(parent["key"])
        link = self.settings.epic_link_field
        epic_key = fields.get(link) if link else None
        return epic_key if isinstance(epic_key, str) and epic_key else None

    def _widen_for_points(self) -> None:
        """On an incremental read with story points: a changed child changes its parent's
        percent complete, which Jira does not mark as an update of the parent. So the
        parents of the issues read are read too, and the children of every parent read are
        listed (for their points and status only)."""
        base = self._base_jql()
        wanted = {
            k
            for i in self.issues.values()
            if (k := self._parent_key(i)) is not None and k not in self._ids_by_key
        }
        for chunk in _chunks(sorted(wanted)):
            jql = f"({base}) AND key in ({', '.join(chunk)})"
            for issue in self._search(jql, self._fields()):
                self.issues[str(issue["id"])] = issue
                self._ids_by_key[str(issue["key"])] = str(issue["id"])
        fields = ["status", "parent", *(f for f in (self.settings.story_points_field,
                  self.settings.epic_link_field) if f)]  # fmt: skip
        link = self.settings.epic_link_field
        for chunk in _chunks(sorted(self._ids_by_key)):
            keys = ", ".join(chunk)
            clause = f"parent in ({keys})"
            if link:
                clause += f" OR cf[{link.removeprefix('customfield_')}] in ({keys})"
            jql = f"({base}) AND ({clause})"
            self._more_children.extend(self._search(jql, fields))

    # ------------------------------------------------------------------ worklogs

    def _worklogs(
        self, issue: Mapping[str, Any], rate: Decimal, currency: str
    ) -> Iterator[SourceItem]:
        """The issue's worklogs as labour cost entries: those the search brought (Jira
        gives at most 20), or every one from the issue's worklog list when there are more."""
        iid, key, fields = str(issue["id"]), str(issue["key"]), issue["fields"]
        page = fields.get("worklog") or {}
        logs = list(page.get("worklogs") or ())
        total = page.get("total")
        if isinstance(total, int) and total > len(logs):
            logs = list(self.client.start_at_pages(f"{self.api}/issue/{iid}/worklog", "worklogs"))
        for log in logs:
            wid = str(log["id"])
            hours = (Decimal(int(log.get("timeSpentSeconds") or 0)) / 3600).quantize(
                Decimal("0.01")
            )
            author = log.get("author") or {}
            what = [f"{hours} h", str(author.get("displayName") or ""), key]
            description = ", ".join(w for w in what if w)
            comment = _plain(log.get("comment")).strip()
            if comment:
                description += f": {comment}"
            url = f"{self.url}/browse/{key}?focusedWorklogId={wid}"
            yield SourceItem(
                kind="cost_entry",
                remote_id=wid,
                data={
                    "project": str(fields["project"]["id"]),
                    "incurred_on": str(log.get("started") or "")[:10] or None,
                    "amount": f"{(hours * rate).quantize(Decimal('0.01'))} {currency}",
                    "description": description,
                    "nature": "labour",
                },
                where=url,
                remote_version=_text(log.get("updated")),
                remote_url=url,
            )


def _chunks(keys: list[str], size: int = 50) -> Iterator[list[str]]:
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def _parse_stamp(value: str) -> datetime:
    """A Jira timestamp (``2024-03-02T10:15:30.000+0000``) as an aware datetime."""
    try:
        return datetime.strptime(value, _STAMP)
    except ValueError:
        when = datetime.fromisoformat(value)
        return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _stamp_or_none(value: str) -> datetime | None:
    try:
        return _parse_stamp(value) if value else None
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _hours(seconds: Any) -> float | None:
    return None if not isinstance(seconds, (int, float)) else round(seconds / 3600, 2)


def _points(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and value >= 0 else None


_SPRINT_TEXT = re.compile(r"(?:^|[\[,])(state|name)=([^,\]]*)")


def _sprint(value: Any) -> str | None:
    """The name of the issue's sprint: the active one, else the last one it was in. Cloud
    gives sprints as objects; older Data Center versions as text
    (``com.atlassian.greenhopper.service.sprint.Sprint@1f[id=1,state=ACTIVE,name=S1,...]``).
    """
    sprints: list[tuple[str, str]] = []
    for sprint in value if isinstance(value, list) else ():
        if isinstance(sprint, dict):
            sprints.append((str(sprint.get("state") or ""), str(sprint.get("name") or "")))
        elif isinstance(sprint, str):
            parts = dict(_SPRINT_TEXT.findall(sprint))
            sprints.append((parts.get("state", ""), parts.get("name", "")))
    named = [(state.casefold(), name) for state, name in sprints if name]
    active = [name for state, name in named if state == "active"]
    if active:
        return active[-1]
    return named[-1][1] if named else None


def _plain(value: Any) -> str:
    """Text from a v2 string or a v3 Atlassian Document Format node (its text nodes,
    paragraphs on lines of their own)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if value.get("type") == "text":
            return str(value.get("text") or "")
        inner = "".join(_plain(v) for v in value.get("content") or ())
        return inner + (" " if value.get("type") == "paragraph" else "")
    return ""


def _ordered(
    issues: Mapping[str, dict[str, Any]],
    depends_on: Callable[[Mapping[str, Any]], list[str]],
) -> list[dict[str, Any]]:
    """``issues`` with each after its parent and the issues that block it (a cycle of
    blocks links is broken where it is met)."""
    done: set[str] = set()
    out: list[dict[str, Any]] = []
    for start in sorted(issues, key=int):
        stack: list[tuple[str, bool]] = [(start, False)]
        on_path: set[str] = set()
        while stack:
            iid, expanded = stack.pop()
            if iid in done:
                continue
            if expanded:
                on_path.discard(iid)
                done.add(iid)
                out.append(issues[iid])
                continue
            on_path.add(iid)
            stack.append((iid, True))
            for dep in depends_on(issues[iid]):
                if dep in issues and dep not in done and dep not in on_path:
                    stack.append((dep, False))
    return out
