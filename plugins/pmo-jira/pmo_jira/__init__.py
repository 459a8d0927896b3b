"""pmo-jira: Jira as a source of projects, milestones, work items and costs, read over Jira
Cloud's REST API v3 or Jira Data Center's v2, incrementally.

The plugin registers the connector ``jira`` (read, sync). The location is the Jira base
URL; the credentials come from ``PMO_JIRA_TOKEN`` (or the file ``PMO_JIRA_TOKEN_FILE``
names) and, on Cloud, ``PMO_JIRA_EMAIL`` (see :class:`JiraSettings`), and never appear in a
message, the journal or a log.

What becomes what:

- a Jira **project** is a **project** (under ``parent`` when set);
- a **version** (what ``fixVersions`` names) is a **milestone** of its project, closed once
  released or archived;
- an **epic** or an **issue** is a **work item**: summary as ``subject``, issue type as
  ``type``, the status category (To Do, In Progress, Done) as ``status`` (``open``,
  ``in_progress``, ``done``) and ``percent_complete`` (0, 50, 100; or, with story points
  configured, a parent's children's points done), estimates in hours, due date, start date
  and story points from their custom fields, the assignee's name, the sprint as
  ``iteration``, its epic (or a sub-task's parent) as ``parent``, its first version as
  ``milestone``, and the issues that block it as finish-to-start ``links``;
- a **worklog** is a **cost entry** (labour) of its project: hours times ``hour_rate``;
  without a rate, worklogs are not read.

Every issue carries ``fields.updated`` as its remote version and ``<base>/browse/KEY`` as
its remote URL. An incremental run (the core passes the last run's watermark) searches
``updated >= "yyyy-MM-dd HH:mm"``; an issue deleted in Jira is archived by the next full
run, which sees it missing (a search lists no deletions).

Example::

    from pmo_core import Workspace
    import pmo_jira

    settings = {"jira": {"projects": ["PMO"], "email": "me@acme.example", "token": "..."}}
    with Workspace.in_memory(plugins={"jira": pmo_jira}, settings=settings) as ws:
        print(ws.import_from("jira", "https://acme.atlassian.net", dry_run=True).summary())
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial

import httpx

from pmo_core import ConnectorRequest, PmoConnector, SourceItem, hookimpl

from ._reader import CATEGORIES, JiraReader, read
from ._settings import JiraSettings

__version__ = "0.1.0"

__all__ = [
    "CATEGORIES",
    "JiraPlugin",
    "JiraReader",
    "JiraSettings",
    "__version__",
    "connector",
    "pmo_connectors",
    "read",
]


def connector(
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] | None = None,
) -> PmoConnector:
    """The ``jira`` connector; ``transport`` (an ``httpx.MockTransport``) and ``sleep``
    replace the network and the clock, for tests and examples.

    Example::

        connector().capabilities   # frozenset({'read', 'sync'})
    """
    reader: Callable[[ConnectorRequest], Iterable[SourceItem]] = read
    if transport is not None or sleep is not None:
        reader = partial(read, transport=transport, sleep=sleep)
    return PmoConnector(
        name="jira",
        summary="Jira Cloud (REST v3) or Data Center (REST v2): projects, versions, epics, "
        "issues, sprints, links and worklogs.",
        capabilities=frozenset({"read", "sync"}),
        settings=JiraSettings,
        read=reader,
    )


@hookimpl
def pmo_connectors() -> Iterator[PmoConnector]:
    """Register the ``jira`` connector.

    Example::

        ws.host.record(PmoConnector, "jira").capabilities   # frozenset({'read', 'sync'})
    """
    yield connector()


class JiraPlugin:
    """The plugin with its HTTP traffic going to ``transport``: a Jira answered from
    recorded responses, with no network (``sleep`` skips the waits between retries).

    Example::

        import httpx

        plugin = JiraPlugin(transport=httpx.MockTransport(handler), sleep=lambda s: None)
        with Workspace.in_memory(plugins={"jira": plugin}, settings=settings) as ws:
            ws.import_from("jira", "https://acme.atlassian.net")
    """

    def __init__(
        self,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.transport = transport
        self.sleep = sleep

    @hookimpl
    def pmo_connectors(self) -> Iterator[PmoConnector]:
        """Register the ``jira`` connector, its traffic going to the transport.

        Example::

            next(JiraPlugin().pmo_connectors()).name   # 'jira'
        """
        yield connector(self.transport, self.sleep)
