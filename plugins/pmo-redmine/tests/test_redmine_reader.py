"""The redmine connector against a fake Redmine (httpx.MockTransport, no network): what
becomes what, the order of the items, the scope, incremental reads, spent time, custom
fields, write-back and the API key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pmo_redmine
import pytest
from pmo_redmine import _settings
from redmine_support import KEY, URL, FakeRedmine, read_with

from pmo_core import ConnectorRequest, InvalidInputError, PmoConnector, SourceItem, Workspace

STAMP = "2025-03-01T10:00:00Z"


def project(pid: int, identifier: str, parent: int | None = None, **more: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": pid,
        "identifier": identifier,
        "name": identifier.upper(),
        "description": None,
        "updated_on": STAMP,
        **more,
    }
    if parent is not None:
        record["parent"] = {"id": parent, "name": "x"}
    return record


def issue(iid: int, pid: int, **more: Any) -> dict[str, Any]:
    return {
        "id": iid,
        "project": {"id": pid, "name": "x"},
        "tracker": {"id": 1, "name": "Feature"},
        "status": {"id": 1, "name": "New"},
        "subject": f"Issue {iid}",
        "done_ratio": 0,
        "estimated_hours": None,
        "start_date": None,
        "due_date": None,
        "updated_on": STAMP,
        "relations": [],
        **more,
    }


def relation(
    first: int, then: int, kind: str = "precedes", delay: int | None = None
) -> dict[str, Any]:
    return {"issue_id": first, "issue_to_id": then, "relation_type": kind, "delay": delay}


@pytest.fixture
def tree(fake: FakeRedmine) -> FakeRedmine:
    """Two project trees: erp (with the subproject data) and crm."""
    fake.projects = [
        project(1, "erp"),
        project(2, "data", parent=1),
        project(3, "crm"),
    ]
    fake.versions = [
        {
            "id": 7,
            "project": {"id": 1, "name": "ERP"},
            "name": "Go-live",
            "status": "locked",
            "due_date": "2025-06-30",
            "description": "",
            "updated_on": STAMP,
        }
    ]
    fake.issues = [
        # The child comes first by id: the parent was set later.
        issue(10, 2, parent={"id": 12}, subject="Child"),
        issue(
            11,
            1,
            done_ratio=40,
            estimated_hours=16.5,
            start_date="2025-01-06",
            due_date="2025-01-31",
            assigned_to={"id": 5, "name": "Jane Doe"},
            fixed_version={"id": 7, "name": "Go-live"},
            relations=[relation(13, 11, "precedes", 2), relation(11, 14, "blocks")],
            updated_on="2025-03-02T08:00:00Z",
        ),
        issue(12, 2, subject="Parent"),
        issue(13, 1, relations=[relation(13, 11, "precedes", 2)]),
        issue(14, 1, relations=[relation(11, 14, "blocks")]),
        issue(20, 3, parent={"id": 12}, subject="Across trees"),
    ]
    fake.time_entries = [
        {
            "id": 100,
            "project": {"id": 1, "name": "ERP"},
            "issue": {"id": 11},
            "user": {"id": 5, "name": "Jane Doe"},
            "activity": {"id": 9, "name": "Development"},
            "hours": 1.5,
            "comments": "pairing",
            "spent_on": "2025-01-08",
            "updated_on": STAMP,
        },
        {
            "id": 101,
            "project": {"id": 2, "name": "DATA"},
            "issue": None,
            "user": {"id": 6, "name": "Sam Roe"},
            "activity": {"id": 8, "name": "Design"},
            "hours": 2,
            "comments": "",
            "spent_on": "2025-01-09",
            "updated_on": STAMP,
        },
    ]
    return fake


def by_id(items: list[SourceItem], kind: str) -> dict[str, SourceItem]:
    return {i.remote_id: i for i in items if i.kind == kind}


def test_the_connector_is_registered_with_its_capabilities() -> None:
    with Workspace.in_memory(plugins={"redmine": pmo_redmine}) as ws:
        connector = ws.host.record(PmoConnector, "redmine")
    assert connector.capabilities == frozenset({"read", "sync", "write"})
    assert connector.settings is pmo_redmine.RedmineSettings


def test_projects_nest_and_come_parents_first(tree: FakeRedmine) -> None:
    items, _ = read_with(tree)
    projects = [i for i in items if i.kind == "project"]
    assert [(p.remote_id, p.data["parent"]) for p in projects] == [
        ("erp", None),
        ("crm", None),
        ("data", "erp"),
    ]
    erp = projects[0]
    assert erp.data == {"name": "ERP", "description": "", "parent": None}
    assert (erp.remote_version, erp.remote_url) == (STAMP, f"{URL}/projects/erp")


def test_top_projects_go_under_the_parent_setting(tree: FakeRedmine) -> None:
    items, _ = read_with(tree, parent="DIGITAL")
    parents = {i.remote_id: i.data["parent"] for i in items if i.kind == "project"}
    assert parents == {"erp": "DIGITAL", "crm": "DIGITAL", "data": "erp"}


def test_an_issue_becomes_a_work_item(tree: FakeRedmine) -> None:
    items, _ = read_with(tree)
    work = by_id(items, "work_item")["11"]
    assert work.data == {
        "project": "erp",
        "subject": "Issue 11",
        "type": "feature",
        "status": "open",
        "percent_complete": 40,
        "work": 16.5,
        "start": "2025-01-06",
        "due": "2025-01-31",
        "assignee": "Jane Doe",
        "parent": None,
        "milestone": "7",
        "links": [{"predecessor": "13", "type": "FS", "lag_days": 2.0}],
    }
    assert work.remote_version == "2025-03-02T08:00:00Z"
    assert work.remote_url == f"{URL}/issues/11"
    # "11 blocks 14": 14 waits for 11.
    assert by_id(items, "work_item")["14"].data["links"] == [
        {"predecessor": "11", "type": "FS", "lag_days": 0.0}
    ]
    milestone = by_id(items, "milestone")["7"]
    assert milestone.data == {
        "project": "erp",
        "name": "Go-live",
        "due": "2025-06-30",
        "status": "locked",
        "description": "",
    }


def test_statuses_are_read_as_pmo_names_them(tree: FakeRedmine) -> None:
    tree.issues[1]["status"] = {"id": 5, "name": "Closed"}
    tree.issues[2]["status"] = {"id": 4, "name": "Feedback"}
    items, _ = read_with(tree)
    statuses = {i.remote_id: i.data["status"] for i in items if i.kind == "work_item"}
    assert (statuses["10"], statuses["11"], statuses["12"]) == ("open", "done", "Feedback")
    items, _ = read_with(tree, status_names={"done": "Closed", "parked": "Feedback"})
    statuses = {i.remote_id: i.data["status"] for i in items if i.kind == "work_item"}
    assert (statuses["10"], statuses["11"], statuses["12"]) == ("New", "done", "parked")


def test_every_issue_comes_after_its_parent_and_predecessors(tree: FakeRedmine) -> None:
    items, _ = read_with(tree)
    order = [i.remote_id for i in items if i.kind == "work_item"]
    assert order.index("12") < order.index("10")
    assert order.index("13") < order.index("11") < order.index("14")
    kinds = [i.kind for i in items]
    assert kinds.index("milestone") < kinds.index("work_item")


def test_the_scope_is_the_projects_chosen_with_their_subprojects(tree: FakeRedmine) -> None:
    items, _ = read_with(tree, projects=["erp"])
    assert sorted(by_id(items, "project")) == ["data", "erp"]
    assert sorted(by_id(items, "work_item")) == ["10", "11", "12", "13", "14"]
    # One query per project in scope, without its subprojects (in scope themselves).
    queries = [r.url.params for r in tree.requests if r.url.path == "/issues.json"]
    assert [(q["project_id"], q["subproject_id"]) for q in queries] == [("1", "!*"), ("2", "!*")]


def test_a_parent_out_of_scope_is_left_out(tree: FakeRedmine) -> None:
    items, _ = read_with(tree, projects=["crm"])
    assert by_id(items, "work_item")["20"].data["parent"] is None


def test_an_unknown_project_is_refused_naming_the_visible_ones(tree: FakeRedmine) -> None:
    with pytest.raises(InvalidInputError, match=r"projects: nope not found .*crm, data, erp"):
        read_with(tree, projects=["nope"])


def test_an_incremental_read_asks_for_the_issues_updated_since(tree: FakeRedmine) -> None:
    items, marks = read_with(tree, since="2025-03-02T00:00:00Z")
    assert list(by_id(items, "work_item")) == ["11"]
    query = next(r.url.params for r in tree.requests if r.url.path == "/issues.json")
    assert query["updated_on"] == ">=2025-03-02T00:00:00Z"
    assert marks == ["2025-03-02T08:00:00Z"]
    # Its predecessor was not read this time, but is in scope (listed once to know).
    assert by_id(items, "work_item")["11"].data["links"][0]["predecessor"] == "13"


def test_a_read_with_nothing_new_keeps_the_watermark(tree: FakeRedmine) -> None:
    _, marks = read_with(tree, since="2026-01-01T00:00:00Z")
    assert marks == ["2026-01-01T00:00:00Z"]
    _, marks = read_with(tree)
    assert marks == ["2025-03-02T08:00:00Z"]


def test_spent_time_is_priced_by_user_then_activity_then_the_default(tree: FakeRedmine) -> None:
    items, _ = read_with(tree, hour_rate="80 EUR", hour_rates={"Jane Doe": "110.50 EUR"})
    costs = by_id(items, "cost_entry")
    assert costs["100"].data == {
        "project": "erp",
        "incurred_on": "2025-01-08",
        "amount": "165.75 EUR",
        "description": "1.50 h, Development, Jane Doe, #11: pairing",
        "nature": "labour",
        "work_item": "11",  # the issue's source id: the import links its work item
    }
    assert costs["101"].data["amount"] == "160.00 EUR"
    assert costs["101"].data["project"] == "data"
    items, _ = read_with(tree, hour_rates={"Design": "90 EUR"})
    assert list(by_id(items, "cost_entry")) == ["101"]


def test_without_a_rate_spent_time_is_not_read(tree: FakeRedmine) -> None:
    items, _ = read_with(tree)
    assert by_id(items, "cost_entry") == {}
    assert not [r for r in tree.requests if r.url.path == "/time_entries.json"]


def test_custom_fields_fill_the_fields_they_are_mapped_to(tree: FakeRedmine) -> None:
    tree.issues[1]["custom_fields"] = [
        {"id": 1, "name": "Story points", "value": "5"},
        {"id": 2, "name": "Sprint", "value": ""},
        {"id": 3, "name": "Unmapped", "value": "x"},
    ]
    tree.projects[0]["custom_fields"] = [{"id": 4, "name": "Sponsor", "value": "CFO"}]
    mapping = {"Story points": "points", "Sprint": "iteration", "Sponsor": "sponsor"}
    items, _ = read_with(tree, custom_fields=mapping)
    work = by_id(items, "work_item")["11"].data
    assert (work["points"], work["iteration"]) == ("5", None)
    assert "Unmapped" not in str(work)
    assert by_id(items, "project")["erp"].data["sponsor"] == "CFO"


def test_the_key_may_come_from_a_file_the_environment_names(tmp_path: Path) -> None:
    path = tmp_path / "key"
    path.write_text("abc123\n", encoding="utf-8")
    env = {"PMO_REDMINE_API_KEY_FILE": str(path)}
    with Workspace.in_memory(plugins={"redmine": pmo_redmine}, environ=env) as ws:
        settings = ws.settings("redmine")
    assert isinstance(settings, pmo_redmine.RedmineSettings)
    assert _settings.api_key(settings) == "abc123"


def test_a_bad_hour_rate_is_refused() -> None:
    with pytest.raises(ValueError, match="not money"):
        pmo_redmine.RedmineSettings(hour_rate="lots")


def test_the_key_comes_from_the_environment_and_is_never_shown() -> None:
    env = {"PMO_REDMINE_API_KEY": "s3cret-key", "PMO_REDMINE_PAGE_SIZE": "500"}
    with (
        Workspace.in_memory(plugins={"redmine": pmo_redmine}, environ=env) as ws,
        pytest.raises(InvalidInputError) as caught,
    ):
        ws.settings("redmine")
    assert "PMO_REDMINE_PAGE_SIZE" in str(caught.value)
    with Workspace.in_memory(
        plugins={"redmine": pmo_redmine}, environ={"PMO_REDMINE_API_KEY": "s3cret-key"}
    ) as ws:
        settings = ws.settings("redmine")
    assert isinstance(settings, pmo_redmine.RedmineSettings)
    assert "s3cret-key" not in repr(settings)
    assert _settings.api_key(settings) == "s3cret-key"


# ---------------------------------------------------------------------- through connected()


@pytest.fixture
def wired(tree: FakeRedmine, monkeypatch: pytest.MonkeyPatch) -> FakeRedmine:
    """The fake, reached by the connector's own read and write (the key as the settings
    give it)."""

    def client_for(url: str, settings: pmo_redmine.RedmineSettings) -> Any:
        return tree.client(key=_settings.api_key(settings) or "")

    monkeypatch.setattr(_settings, "client_for", client_for)
    return tree


def request(key: str = KEY, items: Any = (), **settings: Any) -> ConnectorRequest:
    return ConnectorRequest(
        location=URL, settings=pmo_redmine.RedmineSettings(api_key=key, **settings), items=items
    )


def test_a_wrong_key_is_one_line_naming_the_url_and_never_the_key(wired: FakeRedmine) -> None:
    wrong = "f" * 40
    with pytest.raises(InvalidInputError) as caught:
        list(pmo_redmine.read(request(key=wrong)))
    message = str(caught.value)
    assert message == (
        f"{URL}: Redmine refused the API key (401 Unauthorized): check PMO_REDMINE_API_KEY "
        "(or the file PMO_REDMINE_API_KEY_FILE names)"
    )
    assert wrong not in repr(caught.value)
    # The key is checked before anything is read.
    assert [r.url.path for r in wired.requests] == ["/users/current.json"]


def work_item(rid: str, **data: Any) -> SourceItem:
    return SourceItem(kind="work_item", remote_id=rid, data=data)


def test_write_back_puts_only_what_differs(wired: FakeRedmine) -> None:
    items = [
        SourceItem(kind="project", remote_id="erp", data={"name": "ERP"}),
        work_item("11", status="New", percent_complete=40),  # as in Redmine
        work_item("13", status="done", percent_complete=100),
        work_item("14", status="In Progress", percent_complete=12.6),
        work_item("3f2a9c1b7d4e", status="done", percent_complete=100),  # a local id
    ]
    pmo_redmine.write(request(items=items, write_back=["status", "percent_complete"]))
    assert wired.puts == [
        (13, {"status_id": 5, "done_ratio": 100}),
        (14, {"status_id": 2, "done_ratio": 13}),
    ]


def test_write_back_of_percent_complete_only(wired: FakeRedmine) -> None:
    items = [work_item("13", status="done", percent_complete=100)]
    pmo_redmine.write(request(items=items, write_back=["percent_complete"]))
    assert wired.puts == [(13, {"done_ratio": 100})]


def test_write_back_reports_what_it_could_not_write(wired: FakeRedmine) -> None:
    items = [
        work_item("13", status="Parked", percent_complete=0),
        work_item("99", status="New", percent_complete=0),
        work_item("14", status="New", percent_complete=50),
    ]
    with pytest.raises(InvalidInputError) as caught:
        pmo_redmine.write(request(items=items, write_back=["status", "percent_complete"]))
    message = str(caught.value)
    assert "2 issue(s) not written back" in message
    assert "#13: no status 'Parked' in Redmine (known: closed, in progress, new)" in message
    assert "#99 no longer exists" in message
    # The rest was written.
    assert (14, {"done_ratio": 50}) in wired.puts


def test_write_back_is_off_by_default(wired: FakeRedmine) -> None:
    with pytest.raises(InvalidInputError, match="write-back is off"):
        pmo_redmine.write(request(items=[work_item("13", status="done")]))
    assert wired.requests == []


def test_a_project_page_as_location_reads_that_project() -> None:
    request = ConnectorRequest(location=f"{URL}/projects/erp/")
    settings = pmo_redmine.RedmineSettings(projects=["crm"])
    assert _settings.base_url(request, settings) == URL
    assert _settings.scoped(request, settings).projects == ["erp"]
    # The base URL as location keeps the projects setting.
    plain = ConnectorRequest(location=f"{URL}/")
    assert _settings.base_url(plain, settings) == URL
    assert _settings.scoped(plain, settings).projects == ["crm"]


def test_lists_from_the_environment_are_comma_separated() -> None:
    env = {"PMO_REDMINE_PROJECTS": "erp, crm", "PMO_REDMINE_WRITE_BACK": "status"}
    with Workspace.in_memory(plugins={"redmine": pmo_redmine}, environ=env) as ws:
        settings = ws.settings("redmine")
    assert isinstance(settings, pmo_redmine.RedmineSettings)
    assert (settings.projects, settings.write_back) == (["erp", "crm"], ["status"])
