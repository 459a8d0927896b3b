"""The redmine connector passes the connector conformance suite, against a real Redmine
(scripts/redmine.sh): each test seeds a project tree of its own and reads it through the
project's page as the location."""

from __future__ import annotations

from typing import Any, ClassVar

import pmo_redmine
import pytest
from redmine_support import Seeder
from test_redmine_server import seed_tree

from pmo_core.testing.connector_conformance import ConnectorConformance

pytestmark = pytest.mark.integration


class RedmineSample:
    """A seeded tree on the test server, changed and broken through Redmine's REST API."""

    connector = "redmine"
    plugins: ClassVar[dict[str, object]] = {"redmine": pmo_redmine}
    expected: ClassVar[dict[str, int]] = {
        "project": 2,
        "milestone": 1,
        "work_item": 5,
        "cost_entry": 2,
    }

    def __init__(self, url: str, seed: Seeder) -> None:
        self.url = url
        self.seed = seed
        self.tree = seed_tree(seed)
        self.location = f"{url}/projects/{self.tree['top']['identifier']}"
        # Write-back to the same Redmine, read back from it.
        self.export_to = self.location
        self.record = ("work_item", str(self.tree["build"]["id"]), "subject")

    def _issue(self, remote_id: str) -> dict[str, Any]:
        return {"id": int(remote_id)}

    def change(self, kind: str, remote_id: str, field: str, value: str) -> None:
        assert (kind, field) == ("work_item", "subject")
        self.seed.update(self._issue(remote_id), subject=value)

    def deletable(self) -> tuple[str, str]:
        # Nothing is under it and nothing waits for it.
        return ("work_item", str(self.tree["test"]["id"]))

    def delete(self, kind: str, remote_id: str) -> None:
        assert kind == "work_item"
        self.seed.delete(self._issue(remote_id))

    def corrupt(self) -> str:
        # A project that is not there (or not visible): the read is refused at the URL.
        self.location = f"{self.url}/projects/{self.tree['top']['identifier']}-gone"
        return self.url


class TestRedmineConnector(ConnectorConformance):
    @pytest.fixture
    def sample(
        self, redmine: tuple[str, str], seed: Seeder, monkeypatch: pytest.MonkeyPatch
    ) -> RedmineSample:
        url, key = redmine
        # The suite's workspaces read settings from the environment only.
        monkeypatch.setenv("PMO_REDMINE_API_KEY", key)
        monkeypatch.setenv("PMO_REDMINE_HOUR_RATE", "100 EUR")
        monkeypatch.setenv("PMO_REDMINE_WRITE_BACK", "status,percent_complete")
        return RedmineSample(url, seed)
