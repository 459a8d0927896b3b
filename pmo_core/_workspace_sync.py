"""The Workspace's sync records: the runs of imports and syncs, and the conflicts they
found. A part of :class:`~pmo_core.Workspace` (which composes it); every method delegates
to the sync service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ._domain import SyncConflict, SyncRun
    from ._services.sync import SyncService


class SyncAPI:
    """Sync runs and conflicts of a workspace."""

    if TYPE_CHECKING:

        @property
        def _sync(self) -> SyncService: ...

    def sync_runs(
        self, *, connector: str | None = None, source: str | None = None
    ) -> list[SyncRun]:
        """The committed imports and syncs, newest first (of one connector or source).

        Example::

            ws.import_from("csv", "portfolio.csv")
            latest = ws.sync_runs(connector="csv")[0]
            latest.counts, latest.conflicts, latest.watermark
            # ({'create': 2, 'update': 0, 'unchanged': 0, 'archive': 0}, 0, None)
        """
        return self._sync.runs(connector, source)

    def sync_conflicts(
        self, target: str | None = None, *, include_closed: bool = False
    ) -> list[SyncConflict]:
        """The open conflicts (of one local record, ``target``), oldest first; with
        ``include_closed``, resolved ones and those a policy decided too.

        Example::

            for c in ws.sync_conflicts():
                print(c.id, c.kind, c.target, c.field, c.local, "<>", c.remote)
        """
        return self._sync.conflicts(target, include_closed=include_closed)

    def resolve_conflict(self, conflict: str, *, keep: Literal["local", "remote"]) -> SyncConflict:
        """Resolve an open conflict (``conflict``: its id, or 4+ leading characters) by
        keeping the local value or taking the source's. Either way the next sync leaves
        the field alone until the source changes it again.

        Example::

            # HR is imported, then renamed both here and in the file:
            ws.import_from("csv", "portfolio.csv")
            ws.update("HR", name="HR portal")
            csv = Path("portfolio.csv")
            csv.write_text(csv.read_text().replace("HR self-service", "HR online"))
            ws.import_from("csv", "portfolio.csv", on_conflict="manual")  # 1 conflict
            conflict = ws.sync_conflicts()[0]
            ws.resolve_conflict(conflict.id[:6], keep="remote")
            ws.get("HR").name  # 'HR online'
        """
        return self._sync.resolve(conflict, keep)
