"""What an import did, or with ``dry_run`` would do: a diff item per record."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class DiffItem:
    """What an import does to one record: ``create``, ``update`` or ``unchanged``.

    ``changes`` maps each changed field to ``(before, after)``.

    Example::

        DiffItem(op="update", kind="project", id="ALPHA", remote_id="ALPHA",
                 changes={"status": ("on_track", "at_risk")}, where="projects.csv:3")
    """

    op: Literal["create", "update", "unchanged"]
    kind: str
    id: str
    remote_id: str
    changes: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)
    where: str = ""

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able view.

        Example::

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

    Example::

        result = ws.import_from("csv", "portfolio.csv", dry_run=True)
        result.counts()  # {'create': 27, 'update': 0, 'unchanged': 0}
    """

    connector: str
    location: str
    dry_run: bool
    items: tuple[DiffItem, ...]

    def counts(self) -> dict[str, int]:
        """How many records each operation touches.

        Example::

            ws.import_from("csv", "portfolio.csv").counts()["update"]  # 0 on a re-run
        """
        out = {"create": 0, "update": 0, "unchanged": 0}
        for item in self.items:
            out[item.op] += 1
        return out

    def summary(self) -> str:
        """One line: what was (or would be) created, updated and left unchanged.

        Example::

            ws.import_from("csv", "portfolio.csv", dry_run=True).summary()
            # 'would create 27, would update 0, unchanged 0'
        """
        c = self.counts()
        verb = "would create" if self.dry_run else "created"
        upd = "would update" if self.dry_run else "updated"
        return f"{verb} {c['create']}, {upd} {c['update']}, unchanged {c['unchanged']}"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able view, as ``pmo import --json`` prints it.

        Example::

            json.dumps(ws.import_from("csv", "portfolio.csv", dry_run=True).as_dict())
        """
        return {
            "connector": self.connector,
            "location": self.location,
            "dry_run": self.dry_run,
            "counts": self.counts(),
            "items": [i.as_dict() for i in self.items if i.op != "unchanged"],
        }
