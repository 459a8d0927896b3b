"""The jira connector passes the connector conformance suite, on Cloud and on Data Center,
against recorded responses served by httpx.MockTransport: the suite's changes, deletions
and breakages are made to the recorded data."""

from __future__ import annotations

from typing import ClassVar

import pytest
from jira_support import EMAIL, TOKEN, FakeJira, later

from pmo_core.testing.connector_conformance import ConnectorConformance


class JiraSample:
    """The recorded site of one deployment, changed and broken in memory."""

    connector = "jira"
    expected: ClassVar[dict[str, int]] = {
        "project": 1,
        "milestone": 2,
        "work_item": 5,
        "cost_entry": 4,
    }
    record = ("work_item", "10005", "subject")

    def __init__(self, deployment: str) -> None:
        self.fake = FakeJira(deployment)
        self.plugins = {"jira": self.fake.plugin()}
        self.location = self.fake.url

    def _by_id(self, remote_id: str) -> dict[str, object]:
        return next(i for i in self.fake.issues if i["id"] == remote_id)

    def change(self, kind: str, remote_id: str, field: str, value: str) -> None:
        assert (kind, field) == ("work_item", "subject")
        fields = self._by_id(remote_id)["fields"]
        assert isinstance(fields, dict)
        fields["summary"] = value
        # Jira stamps every edit: an incremental run finds it by this.
        fields["updated"] = later(max(i["fields"]["updated"] for i in self.fake.issues), 5)

    def deletable(self) -> tuple[str, str]:
        # The sub-task: nothing under it, nothing blocked by it, no worklogs.
        return ("work_item", "10004")

    def delete(self, kind: str, remote_id: str) -> None:
        assert kind == "work_item"
        self.fake.issues = [i for i in self.fake.issues if i["id"] != remote_id]

    def corrupt(self) -> str:
        # A proxy's login page where the search's JSON should be.
        self.fake.html_search = True
        return self.fake.url


class TestJiraConnector(ConnectorConformance):
    @pytest.fixture(params=["cloud", "datacenter"])
    def sample(self, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> JiraSample:
        deployment = request.param
        # The suite's workspaces read settings from the environment only.
        monkeypatch.setenv("PMO_JIRA_TOKEN", TOKEN)
        monkeypatch.setenv("PMO_JIRA_PROJECTS", "PMO")
        monkeypatch.setenv("PMO_JIRA_HOUR_RATE", "100 EUR")
        monkeypatch.setenv("PMO_JIRA_STORY_POINTS_FIELD", "customfield_10016")
        if deployment == "cloud":
            monkeypatch.setenv("PMO_JIRA_EMAIL", EMAIL)
        else:
            monkeypatch.setenv("PMO_JIRA_EPIC_LINK_FIELD", "customfield_10008")
        return JiraSample(deployment)
