"""The payloads of the event hooks that are not domain records themselves:
``pmo_entities_changed`` and ``pmo_escalated``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from datetime import date

    from ._domain import RaidItem


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


@dataclass(frozen=True)
class Escalation:
    """A RAID item escalated to a scope above: the payload of ``pmo_escalated``.

    ``item`` is the item as committed (its ``entity`` is still where it was raised, its
    ``escalations`` end with this step); ``from_entity`` held it before, ``to_entity`` holds
    it now; ``on`` is the status date of the escalation, ``actor`` who escalated it.

    Example::

        Escalation(item=risk, from_entity="ALPHA", to_entity="ERP",
                   comment="Needs the program's budget reserve", on=date(2025, 4, 2),
                   actor="kim", txn_id="9f2c...")
    """

    item: RaidItem
    from_entity: str
    to_entity: str
    comment: str
    on: date
    actor: str
    txn_id: str
