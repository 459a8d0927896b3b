"""pmo-csv: import and export portfolios, programs, projects and work items as CSV.

The plugin registers the connector ``csv`` (read and write). A location is either one CSV
file with a ``kind`` column (or named after one kind, such as ``projects.csv``), or a
directory holding any of ``portfolios.csv``, ``programs.csv``, ``projects.csv`` and
``work_items.csv``. The connector only reads and writes rows; pmo-core validates, diffs and
upserts them by their ``key``, so importing the same file twice changes nothing.

Example::

    from pmo_core import Workspace
    import pmo_csv

    with Workspace.in_memory(plugins={"csv": pmo_csv}) as ws:
        print(ws.import_from("csv", "portfolio/", dry_run=True).summary())
        ws.import_from("csv", "portfolio/")
        ws.export_to("csv", "backup.csv")
"""

from __future__ import annotations

from collections.abc import Iterator

from pmo_core import PmoConnector, hookimpl

from ._columns import ENTITY_COLUMNS, FILES, WORK_ITEM_COLUMNS, CsvSettings, neutralise, restore
from ._reader import read
from ._writer import write

__version__ = "0.1.0"

__all__ = [
    "ENTITY_COLUMNS",
    "FILES",
    "WORK_ITEM_COLUMNS",
    "CsvSettings",
    "__version__",
    "neutralise",
    "pmo_connectors",
    "read",
    "restore",
    "write",
]


@hookimpl
def pmo_connectors() -> Iterator[PmoConnector]:
    """Register the ``csv`` connector.

    Example::

        ws.host.record(PmoConnector, "csv").capabilities  # frozenset({'read', 'write'})
    """
    yield PmoConnector(
        name="csv",
        summary="CSV files: one file with a kind column, or a directory of one file per kind.",
        capabilities=frozenset({"read", "write"}),
        extensions=(".csv",),
        settings=CsvSettings,
        read=read,
        write=write,
    )
