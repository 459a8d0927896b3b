"""What an import did, or with ``dry_run`` would do: counts per kind and operation, and the
diff items of the first records it touched (at most :data:`ITEM_LIMIT`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

#: The most diff items an :class:`ImportResult` keeps: an import of a million rows must not
#: hold a million diffs. Creates and updates are kept before unchanged items; the counts are
#: always exact.
ITEM_LIMIT = 1000
_OPS = ("create", "update", "unchanged", "archive")


@dataclass(frozen=True)
class DiffItem:
    """What an import does to one record: ``create``, ``update``, ``unchanged``, or
    ``archive`` (the source deleted it, or a full read no longer holds it).

    ``changes`` maps each changed field to ``(before, after)``; for a created record, each
    field it is given, from ``None``. A dry run cannot know the id a new record that is not an
    entity will get (it is drawn when the record is written), so its ``id`` is ``""`` there;
    ``remote_id`` names it.

    Example::

        DiffItem(op="update", kind="project", id="ALPHA", remote_id="ALPHA",
                 changes={"status": ("on_track", "at_risk")}, where="projects.csv:3")
    """

    op: Literal["create", "update", "unchanged", "archive"]
    kind: str
    id: str
    remote_id: str
    changes: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)
    where: str = ""

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able view.

        Example::

            result = ws.import_from("csv", "portfolio.csv", dry_run=True)
            [i.as_dict() for i in result.items if i.op != "unchanged"]
        """
        return {
            "op": self.op,
            "kind": self.kind,
            "id": self.id,
            "remote_id": self.remote_id,
            "where": self.where,
            "changes": {k: {"before": b, "after": a} for k, (b, a) in self.changes.items()},
        }


@dataclass(frozen=True)
class ImportResult:
    """The outcome (or, with ``dry_run``, the plan) of an import.

    ``by_kind`` counts the records per kind and operation, exactly; ``items`` holds the diff
    of at most :data:`ITEM_LIMIT` records (creates and updates first, in the order the
    import met them, then unchanged ones while there is room), and ``omitted`` says how many
    were left out. A result built from ``items`` alone (``by_kind`` empty) counts them.

    Example::

        result = ws.import_from("csv", "portfolio.csv", dry_run=True)
        result.counts()  # {'create': 2, 'update': 0, 'unchanged': 0, 'archive': 0}
        result.by_kind["project"]["create"]  # 2
    """

    connector: str
    location: str
    dry_run: bool
    items: tuple[DiffItem, ...]
    by_kind: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    omitted: int = 0
    #: The fields changed on both sides (the first :data:`ITEM_LIMIT`, as
    #: :class:`~pmo_core.SyncConflict` documents) and how many there were.
    conflicts: tuple[Mapping[str, Any], ...] = ()
    conflict_count: int = 0
    #: The policy that decided them, and the sync run the import recorded (``None`` for a
    #: dry run).
    policy: str = "source-wins"
    sync_run: str | None = None

    def counts(self) -> dict[str, int]:
        """How many records each operation touches.

        Example::

            ws.import_from("csv", "portfolio.csv").counts()["update"]  # 0 on a re-run
        """
        out = dict.fromkeys(_OPS, 0)
        if self.by_kind:
            for ops in self.by_kind.values():
                for op, n in ops.items():
                    out[op] += n
        else:
            for item in self.items:
                out[item.op] += 1
        return out

    def summary(self) -> str:
        """One line: what was (or would be) created, updated and left unchanged.

        Example::

            ws.import_from("csv", "portfolio.csv", dry_run=True).summary()
            # 'would create 2, would update 0, unchanged 0'
        """
        c = self.counts()
        verb = "would create" if self.dry_run else "created"
        upd = "would update" if self.dry_run else "updated"
        line = f"{verb} {c['create']}, {upd} {c['update']}, unchanged {c['unchanged']}"
        if c["archive"]:
            line += f", {'would archive' if self.dry_run else 'archived'} {c['archive']}"
        if self.conflict_count:
            what = {
                "source-wins": "the source's value taken",
                "local-wins": "the local value kept",
                "manual": "the local value kept until resolved: pmo sync conflicts",
            }.get(self.policy, self.policy)
            line += f"; {self.conflict_count} conflict(s), {what}"
        return line

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able view, as ``pmo import --json`` prints it: the counts (in all and per
        kind), the created and updated items kept, and how many changed items were left out.

        Example::

            json.dumps(ws.import_from("csv", "portfolio.csv", dry_run=True).as_dict())
        """
        counts = self.counts()
        listed = [i.as_dict() for i in self.items if i.op != "unchanged"]
        by_kind = self.by_kind or _count_items(self.items)
        return {
            "connector": self.connector,
            "location": self.location,
            "dry_run": self.dry_run,
            "counts": counts,
            "by_kind": {kind: dict(ops) for kind, ops in sorted(by_kind.items())},
            "items": listed,
            "items_omitted": counts["create"] + counts["update"] + counts["archive"] - len(listed),
            "policy": self.policy,
            "conflict_count": self.conflict_count,
            "conflicts": [dict(c) for c in self.conflicts],
            "sync_run": self.sync_run,
        }


def _count_items(items: tuple[DiffItem, ...]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for item in items:
        ops = out.setdefault(item.kind, dict.fromkeys(_OPS, 0))
        ops[item.op] += 1
    return out


class DiffCollector:
    """Counts every diff exactly and keeps the first :data:`ITEM_LIMIT` of them, the changed
    ones before the unchanged, for an :class:`ImportResult`."""

    def __init__(self, limit: int = ITEM_LIMIT) -> None:
        self._limit = limit
        self._seq = 0
        self._changed: list[tuple[int, DiffItem]] = []
        self._unchanged: list[tuple[int, DiffItem]] = []
        self.by_kind: dict[str, dict[str, int]] = {}
        self.total = 0

    def count(self, kind: str, op: str) -> None:
        """Count a diff without keeping it (the caller knows it will not be kept)."""
        ops = self.by_kind.get(kind)
        if ops is None:
            ops = self.by_kind[kind] = dict.fromkeys(_OPS, 0)
        ops[op] += 1
        self.total += 1
        self._seq += 1

    def wants(self, op: str) -> bool:
        """Whether a diff of ``op`` would still be kept (so it is worth building)."""
        if op == "unchanged":
            return len(self._changed) + len(self._unchanged) < self._limit
        return len(self._changed) < self._limit

    def add(self, item: DiffItem) -> None:
        """Count ``item`` and keep it while there is room."""
        seq = self._seq
        self.count(item.kind, item.op)
        if not self.wants(item.op):
            return
        (self._unchanged if item.op == "unchanged" else self._changed).append((seq, item))

    def result(self, connector: str, location: str, dry_run: bool, **extra: Any) -> ImportResult:
        """The :class:`ImportResult` of everything counted (``extra``: its conflicts,
        policy and sync run)."""
        room = max(0, self._limit - len(self._changed))
        kept = sorted(self._changed + self._unchanged[:room], key=lambda pair: pair[0])
        return ImportResult(
            connector=connector,
            location=location,
            dry_run=dry_run,
            items=tuple(item for _, item in kept),
            by_kind={kind: dict(ops) for kind, ops in self.by_kind.items()},
            omitted=self.total - len(kept),
            **extra,
        )
