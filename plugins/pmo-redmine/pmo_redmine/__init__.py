"""pmo-redmine: Redmine as a source of projects, milestones, work items and costs, read over
its REST API, incrementally, with write-back of status and percent complete.

The plugin registers the connector ``redmine`` (read, sync, write). The location is the
Redmine base URL; the API key comes from ``PMO_REDMINE_API_KEY`` or the file
``PMO_REDMINE_API_KEY_FILE`` names (see :class:`RedmineSettings`) and never appears in a
message, the journal or a log.

What becomes what:

- a Redmine **project** is a **project** whose key is the project's identifier; a subproject
  is a project under its parent (pmo projects nest), the top projects under ``parent`` when
  set (a portfolio or program of the workspace), else at the top;
- a **version** is a **milestone** of its project (``status`` open, locked or closed as in
  Redmine);
- an **issue** is a **work item**: subject, tracker as ``type``, status name, ``done_ratio``
  as ``percent_complete``, ``estimated_hours`` as ``work``, start and due dates, the assignee's
  name, its parent issue as ``parent``, its target version as ``milestone``, and the issues
  that precede or block it as finish-to-start ``links`` (with the relation's delay as lag);
- a **time entry** is a **cost entry** (labour) of its project: hours times the rate of its
  user or activity (``hour_rates``) or ``hour_rate``; without a rate, spent time is not read.

Every item carries Redmine's ``updated_on`` as its remote version and its page as its remote
URL. An incremental run (the core passes the last run's watermark) reads only the issues
updated since; projects, versions and spent time are read whole (Redmine cannot filter time
entries by update), and what did not change is counted unchanged. An issue deleted in
Redmine is archived by the next full run (``pmo import --full``), which sees it missing.

Example::

    from pmo_core import Workspace
    import pmo_redmine

    settings = {"redmine": {"api_key": "0123...", "hour_rate": "85 EUR"}}
    with Workspace.in_memory(plugins={"redmine": pmo_redmine}, settings=settings) as ws:
        print(ws.import_from("redmine", "https://redmine.example", dry_run=True).summary())
"""

from __future__ import annotations

from collections.abc import Iterator

from pmo_core import PmoConnector, hookimpl

from ._reader import RedmineReader, read
from ._settings import KEY_HEADER, RedmineSettings
from ._writer import write

__version__ = "0.1.0"

__all__ = [
    "KEY_HEADER",
    "RedmineReader",
    "RedmineSettings",
    "__version__",
    "pmo_connectors",
    "read",
    "write",
]


@hookimpl
def pmo_connectors() -> Iterator[PmoConnector]:
    """Register the ``redmine`` connector.

    Example::

        ws.host.record(PmoConnector, "redmine").capabilities
        # frozenset({'read', 'sync', 'write'})
    """
    yield PmoConnector(
        name="redmine",
        summary="Redmine over its REST API: projects, versions, issues and spent time.",
        capabilities=frozenset({"read", "sync", "write"}),
        settings=RedmineSettings,
        read=read,
        write=write,
    )
