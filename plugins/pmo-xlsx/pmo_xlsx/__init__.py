"""pmo-xlsx: import and export Excel workbooks.

The plugin registers the connector ``xlsx`` (read and write, extension ``.xlsx``). A workbook
has the sheets ``portfolios``, ``programs``, ``projects``, ``work_items``, ``raid`` and
``status`` (any of them on import), each with a header row of domain field names
(:data:`COLUMNS`) and typed cells: dates as dates, numbers as numbers, money as a number with
a ``currency`` column. An error names its cell: ``plan.xlsx:projects:7:4`` (and ``D7`` in the
message). The core validates, diffs and upserts the rows by their ``key``, so importing the
same workbook twice changes nothing.

Example::

    from pmo_core import Workspace
    import pmo_xlsx

    with Workspace.in_memory(plugins={"xlsx": pmo_xlsx}) as ws:
        print(ws.import_from("xlsx", "plan.xlsx", dry_run=True).summary())
        ws.import_from("xlsx", "plan.xlsx")
        pmo_xlsx.export_workbook(ws, "backup.xlsx")  # RAID and status reports too
"""

from __future__ import annotations

from collections.abc import Iterator

from pmo_core import PmoConnector, hookimpl

from ._layout import COLUMNS, KINDS, SHEETS
from ._reader import check_workbook, read
from ._writer import export_workbook, workbook_items, write

__version__ = "0.1.0"

__all__ = [
    "COLUMNS",
    "SHEETS",
    "__version__",
    "check_workbook",
    "export_workbook",
    "pmo_connectors",
    "read",
    "workbook_items",
    "write",
]


@hookimpl
def pmo_connectors() -> Iterator[PmoConnector]:
    """Register the ``xlsx`` connector.

    Example::

        ws.host.record(PmoConnector, "xlsx").capabilities  # frozenset({'read', 'write'})
    """
    yield PmoConnector(
        name="xlsx",
        summary="Excel workbooks: one sheet per kind (portfolios ... work_items, raid, status).",
        capabilities=frozenset({"read", "write"}),
        extensions=(".xlsx",),
        read=read,
        write=write,
        # What the layout holds: an export hands over RAID items and status reports too.
        kinds=KINDS,
    )
