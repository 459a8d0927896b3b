"""Shared helpers of the pmo-prince2 tests (a module name unique across plugins)."""

from __future__ import annotations

from datetime import date

from pmo_core import Workspace

TODAY = date(2025, 6, 2)
EXECUTIVE = "Dana Reyes"
BOARD = ["Dana Reyes (executive)", "Uma Lee (senior-user)"]


def name_board(ws: Workspace, entity: str) -> None:
    """Appoint the project board of ``entity``."""
    ws.assign_role(entity, "executive", "Dana Reyes")
    ws.assign_role(entity, "senior-user", "Uma Lee")
    ws.assign_role(entity, "senior-supplier", "Sol Vega")


def approve(ws: Workspace, entity: str, *names: str, on: date | None = None) -> None:
    """Submit (as the project manager) and approve (by the executive) ``names``."""
    for name in names:
        ws.submit_artifact(entity, name, location=f"docs/{name}.md", on=on)
        ws.approve_artifact(entity, name, approvers=["Dana Reyes (executive)"], on=on)


def criteria(ws: Workspace, entity: str) -> dict[str, bool]:
    """The next gate's criteria of ``entity``, name to passed."""
    return {c.name: c.passed for c in ws.gate_check(entity).criteria}
