"""Reading Redmine over its REST API into SourceItems: projects, versions, issues and spent
time, in an order where every item comes after the items it refers to."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from pmo_core import ConnectorRequest, InvalidInputError, SourceItem
from pmo_core.http import HttpClient

from ._settings import RedmineSettings, connected, decimal_hours

# Relations that make one issue wait for another, as stored by Redmine (which keeps
# "follows" and "blocked" as their reverse) and as given: the issue a relation points from
# is the predecessor; for the reverse types, the one it points to.
_FORWARD = frozenset({"precedes", "blocks"})
_REVERSE = frozenset({"follows", "blocked"})
# Work-item fields a Redmine custom field may fill (the rest of the domain fields come from
# Redmine's own fields).
_WORK_ITEM_FIELDS = frozenset(
    {"remaining", "points", "iteration", "budget", "actual_cost", "ev_method", "type"}
)
_PROJECT_FIELDS = frozenset(
    {
        "sponsor",
        "manager",
        "phase",
        "tier",
        "methodology",
        "planned_start",
        "planned_finish",
        "actual_start",
        "actual_finish",
        "budget",
        "currency",
        "status",
    }
)


def read(request: ConnectorRequest) -> Iterator[SourceItem]:
    """Read the Redmine at ``request.location`` (or ``settings.url``): see the package's
    docstring for what becomes what. With ``request.since`` only the issues updated since
    are read; the newest ``updated_on`` read is reported as the next watermark.

    Example::

        items = list(read(ConnectorRequest(location="https://redmine.example",
                                           settings=RedmineSettings(api_key="..."))))
    """
    with connected(request) as (client, url, settings):
        yield from RedmineReader(client, url, settings, request).items()


class RedmineReader:
    """One read of a Redmine: :meth:`items` yields the SourceItems.

    Example::

        with HttpClient(url, secret_headers={KEY_HEADER: key}) as client:
            for item in RedmineReader(client, url, settings, request).items():
                print(item.kind, item.remote_id)
    """

    def __init__(
        self,
        client: HttpClient,
        url: str,
        settings: RedmineSettings,
        request: ConnectorRequest,
    ) -> None:
        self.client = client
        self.url = url
        self.settings = settings
        self.request = request
        self.since = request.since
        # Redmine's numeric project id -> the project's JSON, for the projects read.
        self.projects: dict[int, dict[str, Any]] = {}
        self.version_ids: set[int] = set()
        self._scope_issue_ids: set[int] | None = None
        self._local_statuses = {
            remote.casefold(): local for local, remote in settings.status_names.items()
        }

    def items(self) -> Iterator[SourceItem]:
        """Projects (parents first), versions, issues (parents and predecessors first),
        then spent time."""
        self.projects = self._projects_in_scope()
        for project in self.projects.values():
            yield self._project(project)
        yield from self._versions()
        issues = self._issues()
        read_ids = {int(i["id"]) for i in issues}
        newest = self.since
        for issue in _ordered(issues):
            newest = max(newest or "", str(issue.get("updated_on") or "")) or None
            yield self._issue(issue, read_ids)
        if newest:
            self.request.watermark(newest)
        yield from self._time_entries()

    # ------------------------------------------------------------------ projects

    def _projects_in_scope(self) -> dict[int, dict[str, Any]]:
        visible = {
            int(p["id"]): p
            for p in self.client.offset_pages(
                "/projects.json", "projects", limit=self.settings.page_size
            )
        }
        wanted = self.settings.projects
        if wanted:
            by_identifier = {str(p["identifier"]): pid for pid, p in visible.items()}
            missing = [name for name in wanted if name not in by_identifier]
            if missing:
                shown = ", ".join(sorted(by_identifier)[:20]) or "none"
                raise InvalidInputError(
                    f"projects: {', '.join(missing)} not found or not visible to this account "
                    f"(visible: {shown})",
                    where=self.url,
                )
            roots = {by_identifier[name] for name in wanted}
            chosen = {pid: p for pid, p in visible.items() if self._under(pid, roots, visible)}
        else:
            chosen = visible
        # Parents first: a project's parent must come earlier in the read.
        return dict(sorted(chosen.items(), key=lambda kv: (_depth(kv[0], chosen), kv[0])))

    @staticmethod
    def _under(pid: int, roots: set[int], visible: Mapping[int, dict[str, Any]]) -> bool:
        seen: set[int] = set()
        current: int | None = pid
        while current is not None and current not in seen:
            if current in roots:
                return True
            seen.add(current)
            parent = visible.get(current, {}).get("parent")
            current = int(parent["id"]) if isinstance(parent, dict) else None
        return False

    def _project(self, project: dict[str, Any]) -> SourceItem:
        identifier = str(project["identifier"])
        parent = project.get("parent")
        parent_id = int(parent["id"]) if isinstance(parent, dict) else None
        if parent_id in self.projects:
            parent_key: str | None = str(self.projects[parent_id]["identifier"])
        else:
            parent_key = self.settings.parent
        data: dict[str, Any] = {
            "name": project.get("name") or identifier,
            "description": project.get("description") or "",
            "parent": parent_key,
        }
        custom = self._custom(project, _PROJECT_FIELDS, entity=True)
        data.update(custom)
        return SourceItem(
            kind="project",
            remote_id=identifier,
            data=data,
            where=f"{self.url}/projects/{identifier}",
            remote_version=_text(project.get("updated_on")),
            remote_url=f"{self.url}/projects/{identifier}",
        )

    # ------------------------------------------------------------------ versions

    def _versions(self) -> Iterator[SourceItem]:
        for pid in self.projects:
            data = self.client.get_json(f"/projects/{pid}/versions.json")
            versions = data.get("versions") if isinstance(data, dict) else None
            for version in versions if isinstance(versions, list) else ():
                vid = int(version["id"])
                owner = version.get("project", {}).get("id")
                # A version shared from a project out of scope has nowhere to go.
                if vid in self.version_ids or owner not in self.projects:
                    continue
                self.version_ids.add(vid)
                yield SourceItem(
                    kind="milestone",
                    remote_id=str(vid),
                    data={
                        "project": str(self.projects[int(owner)]["identifier"]),
                        "name": version.get("name") or f"Version {vid}",
                        "due": version.get("due_date"),
                        "status": version.get("status") or "open",
                        "description": version.get("description") or "",
                    },
                    where=f"{self.url}/versions/{vid}",
                    remote_version=_text(version.get("updated_on")),
                    remote_url=f"{self.url}/versions/{vid}",
                )

    # ------------------------------------------------------------------ issues

    def _issue_params(self) -> list[dict[str, Any]]:
        """One query per project in scope (without its subprojects, which are in scope
        themselves), or one for everything the account sees."""
        base: dict[str, Any] = {"status_id": "*", "sort": "id"}
        if not self.settings.projects:
            return [base]
        return [{**base, "project_id": pid, "subproject_id": "!*"} for pid in self.projects]

    def _issues(self) -> list[dict[str, Any]]:
        found: dict[int, dict[str, Any]] = {}
        done = 0
        for params in self._issue_params():
            query = {**params, "include": "relations"}
            if self.since:
                query["updated_on"] = f">={self.since}"
            for issue in self.client.offset_pages(
                "/issues.json", "issues", params=query, limit=self.settings.page_size
            ):
                if _project_id(issue) in self.projects:
                    found[int(issue["id"])] = issue
                done += 1
                if done % self.settings.page_size == 0:
                    self.request.progress(done, None)
        return list(found.values())

    def _issue(self, issue: dict[str, Any], read_ids: set[int]) -> SourceItem:
        iid = int(issue["id"])
        project = self.projects[_project_id(issue)]
        parent = issue.get("parent")
        version = issue.get("fixed_version")
        version_id = int(version["id"]) if isinstance(version, dict) else None
        assignee = issue.get("assigned_to")
        data: dict[str, Any] = {
            "project": str(project["identifier"]),
            "subject": issue.get("subject") or f"Issue {iid}",
            "type": str(issue.get("tracker", {}).get("name") or "task").lower(),
            "status": self._status(issue),
            "percent_complete": issue.get("done_ratio") or 0,
            "work": issue.get("estimated_hours"),
            "start": issue.get("start_date"),
            "due": issue.get("due_date"),
            "assignee": assignee.get("name") if isinstance(assignee, dict) else None,
            "parent": self._issue_ref(parent, read_ids),
            "milestone": str(version_id) if version_id in self.version_ids else None,
            "links": self._links(issue, read_ids),
        }
        data.update(self._custom(issue, _WORK_ITEM_FIELDS, entity=False))
        return SourceItem(
            kind="work_item",
            remote_id=str(iid),
            data=data,
            where=f"{self.url}/issues/{iid}",
            remote_version=_text(issue.get("updated_on")),
            remote_url=f"{self.url}/issues/{iid}",
        )

    def _status(self, issue: Mapping[str, Any]) -> str:
        """The issue's status as pmo names it: ``status_names`` read backwards (Redmine's New
        is open, In Progress in_progress, Closed done), so reported progress moves it on and
        a status written back comes back as it was; any other status by its Redmine name."""
        name = str(issue.get("status", {}).get("name") or "")
        return self._local_statuses.get(name.casefold(), name) or "open"

    def _issue_ref(self, ref: Any, read_ids: set[int]) -> str | None:
        """The remote id of a referred issue, or ``None`` when it is out of scope (in a
        project not read)."""
        if not isinstance(ref, dict) or ref.get("id") is None:
            return None
        iid = int(ref["id"])
        if iid in read_ids or (self.since and iid in self._scope_ids()):
            return str(iid)
        return None

    def _links(self, issue: dict[str, Any], read_ids: set[int]) -> list[dict[str, Any]]:
        iid = int(issue["id"])
        links: dict[str, dict[str, Any]] = {}
        for relation in issue.get("relations") or ():
            kind = relation.get("relation_type")
            if kind in _FORWARD and relation.get("issue_to_id") == iid:
                other = relation.get("issue_id")
            elif kind in _REVERSE and relation.get("issue_id") == iid:
                other = relation.get("issue_to_id")
            else:
                continue
            predecessor = self._issue_ref({"id": other}, read_ids)
            if predecessor is not None and predecessor not in links:
                lag = relation.get("delay") if kind in ("precedes", "follows") else None
                links[predecessor] = {
                    "predecessor": predecessor,
                    "type": "FS",
                    "lag_days": float(lag or 0),
                }
        return list(links.values())

    def _scope_ids(self) -> set[int]:
        """The ids of every issue in scope (an incremental read refers to issues it did not
        read): listed once, when first needed."""
        if self._scope_issue_ids is None:
            ids: set[int] = set()
            for params in self._issue_params():
                for issue in self.client.offset_pages(
                    "/issues.json", "issues", params=params, limit=self.settings.page_size
                ):
                    if _project_id(issue) in self.projects:
                        ids.add(int(issue["id"]))
            self._scope_issue_ids = ids
        return self._scope_issue_ids

    # ------------------------------------------------------------------ spent time

    def _time_entries(self) -> Iterator[SourceItem]:
        settings = self.settings
        if settings.hour_rate is None and not settings.hour_rates:
            return
        seen: set[int] = set()
        for params in self._issue_params():
            query = {k: v for k, v in params.items() if k not in ("status_id", "sort")}
            for entry in self.client.offset_pages(
                "/time_entries.json", "time_entries", params=query, limit=settings.page_size
            ):
                tid = int(entry["id"])
                if tid in seen or _project_id(entry) not in self.projects:
                    continue
                seen.add(tid)
                item = self._cost(entry)
                if item is not None:
                    yield item

    def _cost(self, entry: dict[str, Any]) -> SourceItem | None:
        tid = int(entry["id"])
        user = str(entry.get("user", {}).get("name") or "")
        activity = str(entry.get("activity", {}).get("name") or "")
        rate = self.settings.rate_for(user, activity)
        if rate is None:
            return None
        hours = decimal_hours(entry.get("hours") or 0)
        amount = (hours * rate.amount).quantize(Decimal("0.01"))
        issue = entry.get("issue")
        what = [f"{hours} h", activity, user]
        if isinstance(issue, dict) and issue.get("id") is not None:
            what.append(f"#{issue['id']}")
        description = ", ".join(w for w in what if w)
        comments = str(entry.get("comments") or "").strip()
        if comments:
            description += f": {comments}"
        data = {
            "project": str(self.projects[_project_id(entry)]["identifier"]),
            "incurred_on": entry.get("spent_on"),
            "amount": f"{amount} {rate.currency}",
            "description": description,
            "nature": "labour",
        }
        spent_on = issue.get("id") if isinstance(issue, dict) else None
        if spent_on is not None and int(spent_on) in self._scope_ids():
            # Spent on an issue this source holds: the core links it to its work item.
            data["work_item"] = str(spent_on)
        return SourceItem(
            kind="cost_entry",
            remote_id=str(tid),
            data=data,
            where=f"{self.url}/time_entries/{tid}",
            remote_version=_text(entry.get("updated_on")),
            remote_url=f"{self.url}/time_entries/{tid}/edit",
        )

    # ------------------------------------------------------------------ custom fields

    def _custom(
        self, record: Mapping[str, Any], fields: frozenset[str], *, entity: bool
    ) -> dict[str, Any]:
        mapping = self.settings.custom_fields
        if not mapping:
            return {}
        out: dict[str, Any] = {}
        for field in record.get("custom_fields") or ():
            target = mapping.get(str(field.get("name")))
            if target is None:
                continue
            value = field.get("value")
            if value == "" or value == []:
                value = None
            namespace, dot, name = target.partition(".")
            if dot and entity:
                out.setdefault("custom_fields", {}).setdefault(namespace, {})[name] = value
            elif not dot and target in fields:
                out[target] = value
        return out


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _project_id(record: Mapping[str, Any]) -> int:
    project = record.get("project")
    return int(project["id"]) if isinstance(project, dict) else -1


def _depth(pid: int, projects: Mapping[int, dict[str, Any]]) -> int:
    depth, seen = 0, {pid}
    parent = projects[pid].get("parent")
    while isinstance(parent, dict) and int(parent["id"]) in projects:
        current = int(parent["id"])
        if current in seen:
            break
        seen.add(current)
        depth += 1
        parent = projects[current].get("parent")
    return depth


def _ordered(issues: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """``issues`` with each issue after its parent and its predecessors (Redmine forbids
    cycles among them; one would be broken where it is met)."""
    by_id = {int(i["id"]): i for i in issues}
    done: set[int] = set()
    out: list[dict[str, Any]] = []
    for start in sorted(by_id):
        stack: list[tuple[int, bool]] = [(start, False)]
        on_path: set[int] = set()
        while stack:
            iid, expanded = stack.pop()
            if iid in done:
                continue
            if expanded:
                on_path.discard(iid)
                done.add(iid)
                out.append(by_id[iid])
                continue
            on_path.add(iid)
            stack.append((iid, True))
            for dep in _depends_on(by_id[iid]):
                if dep in by_id and dep not in done and dep not in on_path:
                    stack.append((dep, False))
    return out


def _depends_on(issue: Mapping[str, Any]) -> list[int]:
    iid = int(issue["id"])
    deps: list[int] = []
    parent = issue.get("parent")
    if isinstance(parent, dict) and parent.get("id") is not None:
        deps.append(int(parent["id"]))
    for relation in issue.get("relations") or ():
        kind = relation.get("relation_type")
        if kind in _FORWARD and relation.get("issue_to_id") == iid:
            deps.append(int(relation["issue_id"]))
        elif kind in _REVERSE and relation.get("issue_id") == iid:
            deps.append(int(relation["issue_to_id"]))
    return deps
