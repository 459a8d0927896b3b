"""Shared helpers of the pmo-hybrid tests (a module name unique across plugins)."""

from __future__ import annotations

from datetime import date

from pmo_core import Artifact, Workspace

TODAY = date(2025, 6, 2)


def approve(ws: Workspace, entity: str, *names: str) -> None:
    """Store approved artifacts ``names`` for ``entity``."""
    ws.add_many(
        Artifact(entity=entity, name=n, status="approved", approved_on=TODAY, approved_by="Dana")
        for n in names
    )


def criteria(ws: Workspace, entity: str) -> dict[str, bool]:
    """The next gate's criteria of ``entity``, name to passed."""
    return {c.name: c.passed for c in ws.gate_check(entity).criteria}
