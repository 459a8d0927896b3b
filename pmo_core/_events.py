"""The payload of the ``pmo_entities_changed`` event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class EntityChange:
    """One committed change: what was written, by whom, before and after.

    Example::

        EntityChange(kind="project", id="ALPHA", op="update", version=3,
                     before={"status": "on_track"}, after={"status": "at_risk"},
                     actor="ana", txn_id="9f2c...")
    """

    kind: str
    id: str
    op: Literal["insert", "update", "delete"]
    version: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    actor: str
    txn_id: str
