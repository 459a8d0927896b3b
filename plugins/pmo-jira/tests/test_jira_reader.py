"""The jira connector against recorded responses of Jira Cloud (REST v3) and Data Center
(REST v2): what becomes what, pagination, incremental runs, refused credentials and rate
limits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pmo_jira
import pytest
from jira_support import EMAIL, TOKEN, FakeJira, later, settings

from pmo_core import ConnectorRequest, InvalidInputError, SourceItem, Workspace

DEPLOYMENTS = ["cloud", "datacenter"]


def read_items(
    fake: FakeJira, since: str | None = None, marks: list[str] | None = None, **more: Any
) -> list[SourceItem]:
    """What the connector reads from ``fake``; the watermarks it reports go to ``marks``."""
    request = ConnectorRequest(
        location=fake.url,
        settings=pmo_jira.JiraSettings(**settings(fake.deployment, **more)),
        since=since,
        watermark=(marks if marks is not None else []).append,
    )
    return list(
        pmo_jira.read(request, transport=httpx.MockTransport(fake.handle), sleep=lambda s: None)
    )


def workspace(fake: FakeJira, **more: Any) -> Workspace:
    return Workspace.in_memory(
        plugins={"jira": fake.plugin()}, settings={"jira": settings(fake.deployment, **more)}
    )


def by_id(items: list[SourceItem]) -> dict[tuple[str, str], SourceItem]:
    return {(i.kind, i.remote_id): i for i in items}


@pytest.mark.parametrize("deployment", DEPLOYMENTS)
def test_a_project_reads_as_projects_milestones_work_items_and_costs(deployment: str) -> None:
    fake = FakeJira(deployment)
    items = read_items(fake)
    found = by_id(items)
    kinds = [i.kind for i in items]
    assert kinds.count("project") == 1
    assert kinds.count("milestone") == 2
    assert kinds.count("work_item") == 5
    assert kinds.count("cost_entry") == 4

    project = found["project", "10000"]
    assert project.data["name"] == "Customer Portal"
    assert project.data["manager"] == "Mia Krystof"
    assert project.remote_url == f"{fake.url}/browse/PMO"
    released, planned = found["milestone", "10100"], found["milestone", "10101"]
    assert (released.data["status"], released.data["due"]) == ("closed", "2024-02-29")
    assert (planned.data["status"], planned.data["due"]) == ("open", "2024-05-31")

    epic = found["work_item", "10001"].data
    story = found["work_item", "10002"]
    blocked = found["work_item", "10003"].data
    subtask = found["work_item", "10004"].data
    assert epic["type"] == "epic"
    assert epic["parent"] is None
    assert (epic["status"], epic["start"], epic["milestone"]) == (
        "in_progress",
        "2024-02-05",
        "10101",
    )
    # Story points: the epic is done as far as its stories' points are (5 done of 8).
    assert epic["percent_complete"] == 62.5
    assert story.data["parent"] == "10001"
    assert blocked["parent"] == "10001"
    assert subtask["parent"] == "10002"
    assert subtask["type"] == "sub-task"
    assert (story.data["status"], story.data["percent_complete"]) == ("done", 100.0)
    assert (subtask["status"], subtask["percent_complete"]) == ("in_progress", 50.0)
    assert (blocked["status"], blocked["percent_complete"]) == ("open", 0.0)
    assert (story.data["work"], story.data["remaining"], story.data["points"]) == (8.0, 0.0, 5.0)
    assert story.data["milestone"] == "10100"
    assert story.data["assignee"] == "Mia Krystof"
    # The active sprint, else the last one.
    assert (story.data["iteration"], blocked["iteration"]) == ("Sprint 1", "Sprint 2")
    # "is blocked by" PMO-5; PMO-5's "relates to" link is no schedule link.
    assert blocked["links"] == [{"predecessor": "10005", "type": "FS", "lag_days": 0.0}]
    assert found["work_item", "10005"].data["links"] == []
    assert story.remote_version == "2024-02-16T15:04:12.000+1100"
    assert story.remote_url == f"{fake.url}/browse/PMO-2"

    # Each work item after its parent and what blocks it.
    order = [i.remote_id for i in items if i.kind == "work_item"]
    assert order.index("10005") < order.index("10003")
    assert order.index("10001") < order.index("10002") < order.index("10004")

    cost = found["cost_entry", "100028"]
    assert cost.data["amount"] == "350.00 EUR"  # 3.5 h at 100 EUR
    assert cost.data["incurred_on"] == "2024-02-06"
    assert cost.data["description"] == "3.50 h, Mia Krystof, PMO-2: Form and validation"
    assert cost.remote_url == f"{fake.url}/browse/PMO-2?focusedWorklogId=100028"
    # The search brought one of PMO-5's two worklogs: the rest come from its worklog list.
    assert found["cost_entry", "100032"].data["amount"] == "150.00 EUR"
    api = "/rest/api/3" if deployment == "cloud" else "/rest/api/2"
    assert any(r.url.path == f"{api}/issue/10005/worklog" for r in fake.requests)


@pytest.mark.parametrize("deployment", DEPLOYMENTS)
def test_the_import_resolves_every_reference(deployment: str) -> None:
    fake = FakeJira(deployment)
    with workspace(fake, parent=None) as ws:
        result = ws.import_from("jira", fake.url)
        created = {k: ops["create"] for k, ops in result.by_kind.items() if ops["create"]}
        assert created == {"project": 1, "milestone": 2, "work_item": 5, "cost_entry": 4}
        (project,) = ws.view().projects()
        subjects = {w.subject: w for w in ws.view().work_items(project.id)}
        assert subjects["Password reset email"].parent == subjects["Login page"].id
        (link,) = subjects["Account settings"].links
        assert link.predecessor == subjects["Update the privacy notice"].id


@pytest.mark.parametrize("deployment", DEPLOYMENTS)
def test_the_search_is_paged(deployment: str) -> None:
    fake = FakeJira(deployment)
    items = read_items(fake, page_size=2)
    assert len([i for i in items if i.kind == "work_item"]) == 5
    pages = [r.url.params for r in fake.searches()]
    assert len(pages) == 3
    if deployment == "cloud":
        assert [p.get("nextPageToken") for p in pages] == [None, "2", "4"]
        assert all(r.url.path == "/rest/api/3/search/jql" for r in fake.searches())
    else:
        assert [p["startAt"] for p in pages] == ["0", "2", "4"]
        assert all(r.url.path == "/rest/api/2/search" for r in fake.searches())
    assert {p["maxResults"] for p in pages} == {"2"}
    # The custom fields configured are asked for.
    assert "customfield_10016" in pages[0]["fields"].split(",")


@pytest.mark.parametrize("deployment", DEPLOYMENTS)
def test_an_incremental_run_sends_the_watermark_as_jql_and_records_the_newest(
    deployment: str,
) -> None:
    fake = FakeJira(deployment)
    with workspace(fake) as ws:
        ws.import_from("jira", fake.url)
        first = ws.sync_runs(connector="jira")[0]
        assert first.watermark == "2024-02-21T11:00:00.000+1100"

        changed = fake.issue("PMO-4")
        changed["fields"]["summary"] = "Password reset by email"
        changed["fields"]["updated"] = later(first.watermark, 90)
        fake.requests.clear()
        result = ws.import_from("jira", fake.url)

        jql = fake.searches()[0].url.params["jql"]
        # The watermark as a minute of the account's zone (Australia/Sydney, +11:00).
        assert jql == (
            '(project in ("PMO")) AND updated >= "2024-02-21 11:00" ORDER BY created ASC, key ASC'
        )
        run = ws.sync_runs(connector="jira")[0]
        assert (run.mode, run.since) == ("incremental", first.watermark)
        assert run.watermark == "2024-02-21T12:30:00.000+1100"
        assert result.counts()["update"] >= 1
        subjects = [w.subject for p in ws.view().projects() for w in ws.view().work_items(p.id)]
        assert "Password reset by email" in subjects


@pytest.mark.parametrize("deployment", DEPLOYMENTS)
def test_an_incremental_run_keeps_references_to_issues_it_did_not_read(deployment: str) -> None:
    fake = FakeJira(deployment)
    with workspace(fake) as ws:
        ws.import_from("jira", fake.url)
        fake.issue("PMO-3")["fields"]["updated"] = "2024-03-01T09:00:00.000+1100"
        marks: list[str] = []
        items = read_items(fake, since="2024-02-22T00:00:00.000+1100", marks=marks)
        blocked = by_id(items)["work_item", "10003"].data
        # PMO-3's epic and blocker were not updated: still referred to, from the scope.
        assert blocked["parent"] == "10001"
        assert blocked["links"] == [{"predecessor": "10005", "type": "FS", "lag_days": 0.0}]
        # The epic is read again for its percent complete, from all its stories' points.
        assert by_id(items)["work_item", "10001"].data["percent_complete"] == 62.5
        jqls = [r.url.params["jql"] for r in fake.searches()]
        (children,) = [j for j in jqls if "parent in (" in j]
        assert (" OR cf[10008] in (" in children) == (deployment == "datacenter")
        assert marks == ["2024-03-01T09:00:00.000+1100"]


def test_without_the_account_zone_the_watermark_goes_back_the_widest_offset() -> None:
    fake = FakeJira("datacenter")
    del fake.myself["timeZone"]
    read_items(fake, since="2024-02-21T11:00:00.000+1100")
    jql = fake.searches()[0].url.params["jql"]
    # 00:00 UTC, less 14 hours: no zone is further from UTC.
    assert 'updated >= "2024-02-20 10:00"' in jql


@pytest.mark.parametrize("deployment", DEPLOYMENTS)
def test_refused_credentials_are_one_line_naming_the_url_never_the_token(
    deployment: str,
) -> None:
    fake = FakeJira(deployment)
    with pytest.raises(InvalidInputError) as caught:
        read_items(fake, token="wrong-token-value")
    message = str(caught.value)
    assert "\n" not in message
    assert caught.value.where == fake.url
    assert "401" in message
    assert "PMO_JIRA_TOKEN" in message
    assert "wrong-token-value" not in message
    assert TOKEN not in message


def test_cloud_sends_email_and_token_as_basic_auth_and_data_center_a_bearer_token() -> None:
    cloud, dc = FakeJira("cloud"), FakeJira("datacenter")
    read_items(cloud)
    read_items(dc)
    assert cloud.requests[0].headers["Authorization"].startswith("Basic ")
    assert cloud.requests[0].url.path == "/rest/api/3/myself"
    assert dc.requests[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert dc.requests[0].url.path == "/rest/api/2/myself"


def test_a_cloud_token_without_an_email_is_refused_before_any_request() -> None:
    fake = FakeJira("cloud")
    with pytest.raises(InvalidInputError, match="PMO_JIRA_EMAIL"):
        read_items(fake, email=None)
    assert fake.requests == []


def test_the_deployment_is_detected_from_the_url_and_may_be_set() -> None:
    assert pmo_jira.JiraSettings().deployment_for("https://acme.atlassian.net") == "cloud"
    assert pmo_jira.JiraSettings().deployment_for("https://jira.acme.example") == "datacenter"
    forced = pmo_jira.JiraSettings(deployment="cloud")
    assert forced.deployment_for("https://jira.acme.example") == "cloud"
    with pytest.raises(ValueError, match="customfield_NNNNN"):
        pmo_jira.JiraSettings(story_points_field="Story Points")
    assert EMAIL  # the recorded account


def test_a_429_is_retried_after_what_retry_after_says() -> None:
    fake = FakeJira("cloud")
    waits: list[float] = []
    fake.fail = [httpx.Response(429, headers={"Retry-After": "7"}, json={})]
    request = ConnectorRequest(
        location=fake.url, settings=pmo_jira.JiraSettings(**settings("cloud"))
    )
    items = list(
        pmo_jira.read(request, transport=httpx.MockTransport(fake.handle), sleep=waits.append)
    )
    assert 7.0 in waits
    assert len([i for i in items if i.kind == "work_item"]) == 5
    assert fake.requests[0].url == fake.requests[1].url


def test_neither_projects_nor_jql_is_refused() -> None:
    fake = FakeJira("cloud")
    with pytest.raises(InvalidInputError, match="projects"):
        read_items(fake, projects=[])


def test_a_jql_of_ones_own_is_searched_without_its_order() -> None:
    fake = FakeJira("cloud")
    items = read_items(fake, projects=[], jql='project in ("PMO") ORDER BY rank')
    assert len([i for i in items if i.kind == "work_item"]) == 5
    jql = fake.searches()[0].url.params["jql"]
    assert jql == '(project in ("PMO")) ORDER BY created ASC, key ASC'


def test_a_watermark_that_is_no_jira_timestamp_reads_everything_again() -> None:
    fake = FakeJira("cloud")
    marks: list[str] = []
    items = read_items(fake, since="last Tuesday", marks=marks)
    assert len([i for i in items if i.kind == "work_item"]) == 5
    jql = fake.searches()[0].url.params["jql"]
    assert jql == '(project in ("PMO")) ORDER BY created ASC, key ASC'
    assert marks == ["2024-02-21T11:00:00.000+1100"]


def test_the_token_may_come_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "jira-token"
    secret.write_text(TOKEN + "\n", encoding="utf-8")
    monkeypatch.setenv("PMO_JIRA_TOKEN_FILE", str(secret))
    fake = FakeJira("datacenter")
    given = {k: v for k, v in settings("datacenter").items() if k != "token"}
    with Workspace.in_memory(plugins={"jira": fake.plugin()}, settings={"jira": given}) as ws:
        result = ws.import_from("jira", fake.url)
    assert result.counts()["create"] == 12
    assert fake.requests[0].headers["Authorization"] == f"Bearer {TOKEN}"


def test_an_issue_gone_from_a_full_read_is_archived_and_comes_back_with_it() -> None:
    fake = FakeJira("cloud")
    with workspace(fake) as ws:
        ws.import_from("jira", fake.url)
        every = fake.issues
        fake.issues = [i for i in every if i["key"] != "PMO-4"]
        assert ws.import_from("jira", fake.url, full=True).counts()["archive"] == 1
        ref = ws.store.get("external_ref", "jira:work_item:10004")
        assert ref is not None
        key = str(ref.data["target"])
        archived = ws.store.get("work_item", key)
        assert archived is not None
        assert archived.data["archived_on"]

        fake.issues = every
        ws.import_from("jira", fake.url, full=True)
        back = ws.store.get("work_item", key)
        assert back is not None
        assert not back.data.get("archived_on")
