"""The workbook layout: which sheet holds which kind, its columns and their cell types.

The entity and work-item columns are those of pmo-csv (the same names, the same order), so a
sheet copied from a CSV export imports as it is.
"""

from __future__ import annotations

from typing import Literal

#: A column's cell type: how a cell is read and written.
#:
#: - ``text``: a text cell (a number is read as its text: ``42`` -> ``"42"``)
#: - ``date``: an Excel date, or ISO text ``2025-03-31``
#: - ``number``: a number, or its text
#: - ``money``: a number with the row's ``currency`` column, or text ``1200.50 EUR``
#: - ``currency``: an ISO 4217 code
#: - ``bool``: TRUE / FALSE, or text ``true`` / ``false`` / ``yes`` / ``no``
#: - ``list``: text, the values separated by ``;`` (tags)
#: - ``lines``: text, one value per line (achievements, next steps)
#: - ``json``: a JSON object as text (a status report's metrics)
CellType = Literal["text", "date", "number", "money", "currency", "bool", "list", "lines", "json"]

#: The sheets of the layout, by kind, in the order they are read and written.
SHEETS: dict[str, str] = {
    "portfolio": "portfolios",
    "program": "programs",
    "project": "projects",
    "work_item": "work_items",
    "raid": "raid",
    "status_report": "status",
}
KINDS: tuple[str, ...] = tuple(SHEETS)
KIND_OF_SHEET: dict[str, str] = {sheet: kind for kind, sheet in SHEETS.items()}
ENTITY_KINDS: tuple[str, ...] = ("portfolio", "program", "project")

_ENTITY: dict[str, CellType] = {
    "key": "text",
    "name": "text",
    "parent": "text",
    "description": "text",
    "sponsor": "text",
    "manager": "text",
    "status": "text",
    "phase": "text",
    "planned_start": "date",
    "planned_finish": "date",
    "actual_start": "date",
    "actual_finish": "date",
    "budget": "money",
    "currency": "currency",
    "tier": "number",
    "methodology": "text",
    "governance_model": "text",
    "business_case_approved": "bool",
    "archived": "bool",
    "tags": "list",
}

_WORK_ITEM: dict[str, CellType] = {
    "key": "text",
    "project": "text",
    "subject": "text",
    "type": "text",
    "status": "text",
    "assignee": "text",
    "start": "date",
    "due": "date",
    "work": "number",
    "remaining": "number",
    "percent_complete": "number",
    "ev_method": "text",
    "points": "number",
    "iteration": "text",
    "budget": "money",
    "actual_cost": "money",
    "currency": "currency",
}

_RAID: dict[str, CellType] = {
    "key": "text",
    "entity": "text",
    "type": "text",
    "title": "text",
    "description": "text",
    "owned_by": "text",
    "status": "text",
    "raised_on": "date",
    "due": "date",
    "closed_on": "date",
    "resolution": "text",
    "probability": "number",
    "impact": "number",
    "proximity": "date",
    "response": "text",
    "depends_on": "text",
    "needed_by": "date",
    "committed_on": "date",
    "delivered_on": "date",
    "decided_by": "text",
    "decided_on": "date",
    "requested_by": "text",
    "cost_impact": "money",
    "schedule_impact_days": "number",
    "approved": "bool",
    "proposed_budget": "money",
    "proposed_start": "date",
    "proposed_finish": "date",
    "scope_change": "text",
    "baseline_number": "number",
    "currency": "currency",
}

#: The colour of each status-report dimension is a column of its own.
DIMENSION_PREFIX = "dimensions."
DIMENSIONS: tuple[str, ...] = ("schedule", "cost", "scope", "resources", "risk")

_STATUS: dict[str, CellType] = {
    "key": "text",
    "entity": "text",
    "as_of": "date",
    "kind": "text",
    "overall": "text",
    **{f"{DIMENSION_PREFIX}{d}": "text" for d in DIMENSIONS},
    "status": "text",
    "summary": "text",
    "achievements": "lines",
    "next_steps": "lines",
    "metrics": "json",
    "author": "text",
    "approved_by": "text",
    "approved_on": "date",
}

#: Per kind, its columns in export order and the type of each.
COLUMNS: dict[str, dict[str, CellType]] = {
    "portfolio": _ENTITY,
    "program": _ENTITY,
    "project": _ENTITY,
    "work_item": _WORK_ITEM,
    "raid": _RAID,
    "status_report": _STATUS,
}

#: The field each kind's records are owned by: it names an entity of the same workbook
#: (or of the workspace), and is where a money cell without a currency takes its currency.
OWNER_FIELD: dict[str, str] = {
    "work_item": "project",
    "raid": "entity",
    "status_report": "entity",
}

#: Column widths (in characters) a writer sets, by type; long texts get more.
WIDTHS: dict[CellType, int] = {
    "text": 18,
    "date": 12,
    "number": 10,
    "money": 14,
    "currency": 9,
    "bool": 8,
    "list": 24,
    "lines": 40,
    "json": 30,
}
LONG_TEXT = frozenset({"description", "summary", "response", "scope_change", "resolution", "title"})


def width(name: str, type: CellType) -> int:
    """The width a writer gives the column ``name``: its type's, long texts wider, never
    narrower than the header.

    Example::

        width("description", "text"), width("planned_finish", "date")  # (40, 16)
    """
    base = 40 if name in LONG_TEXT else WIDTHS[type]
    return max(base, len(name) + 2)
