"""The ``raid-register`` report: every RAID item raised in a scope, grouped by type, open items
first, and for risks the 5 x 5 probability by impact grid."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from pmo_core import Entity, RaidItem, ReportOutput, ReportRequest

from ._options import flags
from ._output import output, rendered, scope_json
from ._version import GENERATED_BY
from .kit import Chart, Column, Paragraph, Section, Table, heatmap, md_table, md_text, page
from .kit._page import Block
from .kit._vega import Tone

TYPES = ("risk", "issue", "assumption", "dependency", "decision", "action", "change")
TITLES = {
    "risk": "Risks",
    "issue": "Issues",
    "assumption": "Assumptions",
    "dependency": "Dependencies",
    "decision": "Decisions",
    "action": "Actions",
    "change": "Change requests",
}
SCALE = (1, 2, 3, 4, 5)
COLUMNS = {
    "id": Column("id", "ID"),
    "type": Column("type", "Type"),
    "entity": Column("entity", "Entity"),
    "title": Column("title", "Title"),
    "owner": Column("owner", "Owner", missing="—"),
    "status": Column("status", "Status"),
    "probability": Column("probability", "P", "int"),
    "impact": Column("impact", "I", "int"),
    "score": Column("score", "Score", "int"),
    "high": Column("high", "High", missing=""),
    "depends_on": Column("depends_on", "Depends on", missing="—"),
    "needed_by": Column("needed_by", "Needed by", "date", missing="—"),
    "decided_on": Column("decided_on", "Decided on", "date", missing="—"),
    "due": Column("due", "Due", "date", missing="—"),
    "raised_on": Column("raised_on", "Raised", "date", missing="—"),
    "closed_on": Column("closed_on", "Closed", "date", missing="—"),
}
_SHOWN = {
    "risk": (
        "id",
        "entity",
        "title",
        "owner",
        "status",
        "probability",
        "impact",
        "score",
        "high",
        "due",
    ),
    "issue": ("id", "entity", "title", "owner", "status", "impact", "due"),
    "dependency": ("id", "entity", "title", "owner", "status", "depends_on", "needed_by", "due"),
    "decision": ("id", "entity", "title", "owner", "status", "decided_on"),
}
_COMMON = ("id", "entity", "title", "owner", "status", "due")
_ALL = (
    "type",
    "id",
    "entity",
    "title",
    "owner",
    "status",
    "probability",
    "impact",
    "score",
    "high",
    "depends_on",
    "needed_by",
    "decided_on",
    "due",
    "raised_on",
    "closed_on",
)


def tone(probability: int, impact: int) -> Tone:
    """A cell of the risk grid coloured as :attr:`RaidItem.is_high` rates a risk: red from a
    score of 15 or an impact of 5, amber from 5, green below."""
    score = probability * impact
    if score >= 15 or impact == 5:
        return "red"
    return "amber" if score >= 5 else "green"


def _status(item: RaidItem, on: date) -> str:
    # On the status date: an item closed after it was still open then.
    closed = item.status == "closed" and (item.closed_on is None or item.closed_on <= on)
    return "closed" if closed else "open"


def _raised(item: RaidItem) -> date | None:
    if item.type == "decision" and item.decided_on is not None:
        return item.decided_on
    return item.raised_on


def _row(item: RaidItem, on: date) -> dict[str, Any]:
    owner = item.owned_by or (item.decided_by if item.type == "decision" else "") or ""
    return {
        "id": item.id,
        "type": item.type,
        "entity": item.entity,
        "title": item.title,
        "owner": owner,
        "status": _status(item, on),
        "probability": item.probability,
        "impact": item.impact,
        "score": item.score,
        "high": "high" if item.type == "risk" and item.is_high else "",
        "depends_on": item.depends_on,
        "needed_by": item.needed_by,
        "decided_on": item.decided_on,
        "due": item.due,
        "raised_on": item.raised_on,
        "closed_on": item.closed_on if _status(item, on) == "closed" else None,
    }


def _order(row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        row["status"] != "open",
        -(row["score"] or 0),
        row["due"] or date.max,
        row["id"],
    )


def _scope_ids(request: ReportRequest) -> set[str] | None:
    scope = request.scope
    if scope is None:
        return None
    return {scope.id, *(e.id for e in request.view.entities(under=scope.id))}


def register_rows(request: ReportRequest, open_only: bool) -> list[dict[str, Any]]:
    on = request.status_date
    ids = _scope_ids(request)
    rows = [
        _row(item, on)
        for item in request.view.raid()
        if (ids is None or item.entity in ids)
        # Not yet raised (a decision: not yet taken) on the status date: not in the register
        # of that day.
        and ((_raised(item) or on) <= on)
    ]
    if open_only:
        rows = [r for r in rows if r["status"] == "open"]
    return sorted(rows, key=lambda r: (TYPES.index(r["type"]), *_order(r)))


def risk_matrix(rows: Sequence[dict[str, Any]]) -> dict[tuple[int, int], int]:
    counts = {(p, i): 0 for p in SCALE for i in SCALE}
    for row in rows:
        if row["type"] == "risk" and row["probability"] and row["impact"]:
            counts[(row["probability"], row["impact"])] += 1
    return counts


def risk_grid(matrix: dict[tuple[int, int], int]) -> Chart:
    """The 5 x 5 grid of risk counts, probability up, impact across, coloured as
    :func:`tone` rates each cell."""
    return heatmap(
        "Risks by probability and impact",
        [str(p) for p in reversed(SCALE)],
        [str(i) for i in SCALE],
        {(str(p), str(i)): (str(matrix[(p, i)]), tone(p, i)) for p in SCALE for i in SCALE},
        x_title="Impact",
        y_title="Probability",
        alt="Five by five grid of risk counts, probability up, impact across; red cells "
        "are high risks (score 15 or more, or impact 5).",
    )


#: What a cell of the risk grid counts and how it is coloured.
GRID_NOTE = (
    "Each cell counts the risks with that probability and impact. Red: high (score 15 or "
    "more, or impact 5); amber: score 5 to 14; green: below 5."
)


def _tables(rows: Sequence[dict[str, Any]], matrix: dict[tuple[int, int], int]) -> list[Table]:
    tables = [Table("Register", "RAID register", [COLUMNS[c] for c in _ALL], rows)]
    for kind in TYPES:
        shown = [r for r in rows if r["type"] == kind]
        columns = [COLUMNS[c] for c in _SHOWN.get(kind, _COMMON)]
        tables.append(Table(TITLES[kind], TITLES[kind], columns, shown, empty="None."))
    tables.append(
        Table(
            "Risk grid",
            "Risks by probability (rows) and impact (columns)",
            [Column("probability", "Probability", "int")]
            + [Column(f"i{i}", f"Impact {i}", "int") for i in SCALE],
            [
                {"probability": p, **{f"i{i}": matrix[(p, i)] for i in SCALE}}
                for p in reversed(SCALE)
            ],
        )
    )
    return tables


def _title(scope: Entity | None, esc: Callable[[str], str] = str) -> str:
    if scope is None:
        return "RAID register: PMO"
    return f"RAID register: {esc(scope.id)} — {esc(scope.name)}"


def _facts(rows: Sequence[dict[str, Any]], on: date, open_only: bool) -> list[str]:
    opened = sum(1 for r in rows if r["status"] == "open")
    shown = (
        "closed items left out (option open=false lists them)"
        if open_only
        else f"{len(rows) - opened} closed item(s)"
    )
    return [f"As of {on.isoformat()}", f"{opened} open item(s)", shown]


def render(request: ReportRequest) -> ReportOutput:
    """Render ``raid-register`` for a project, program, portfolio or the whole PMO.

    Example::

        out = ws.report("raid-register", "PF", format="md", options={"open": False})
        print(out.content)
    """
    open_only = flags("raid-register", request.options, {"open": True})["open"]
    rows = register_rows(request, open_only)
    matrix = risk_matrix(rows)
    on = request.status_date
    if request.format == "json":
        document = {
            "report": "raid-register",
            "scope": scope_json(request.scope),
            "as_of": on.isoformat(),
            "generated_by": GENERATED_BY,
            "open_only": open_only,
            "counts": {
                t: {
                    "open": sum(1 for r in rows if r["type"] == t and r["status"] == "open"),
                    "closed": sum(1 for r in rows if r["type"] == t and r["status"] == "closed"),
                }
                for t in TYPES
            },
            "items": [
                {k: v.isoformat() if isinstance(v, date) else v for k, v in r.items()} for r in rows
            ],
            "risk_grid": [
                {"probability": p, "impact": i, "count": matrix[(p, i)], "tone": tone(p, i)}
                for p in reversed(SCALE)
                for i in SCALE
            ],
        }
        return output("json", [], document, ())
    if request.format != "md":
        return rendered(
            request.format,
            tables=lambda: _tables(rows, matrix),
            html=lambda: _html(request, rows, matrix, open_only),
            status_date=on,
            metrics=(),
        )
    tables = _tables(rows, matrix)
    facts = _facts(rows, on, open_only)
    facts[0] = f"As of **{on.isoformat()}**"
    lines = ["# " + _title(request.scope, md_text), "", " · ".join(facts), ""]
    if not rows:
        lines += ["No RAID items in scope.", ""]
    for table in tables[1:-1]:
        if table.rows:
            lines += [f"## {table.title} ({len(table.rows)})", "", *table.markdown(), ""]
    if any(matrix.values()):
        lines += ["## Risk grid", "", "Risks by probability (rows, 5 at the top) and impact.", ""]
        lines += md_table(
            ("P \\ I", *map(str, SCALE)),
            [(str(p), *(str(matrix[(p, i)]) for i in SCALE)) for p in reversed(SCALE)],
        )
    return output("md", lines, {}, ())


def _html(
    request: ReportRequest,
    rows: Sequence[dict[str, Any]],
    matrix: dict[tuple[int, int], int],
    open_only: bool,
) -> str:
    tables = _tables(rows, matrix)
    sections: list[Section] = []
    if any(matrix.values()):
        grid = risk_grid(matrix)
        blocks: list[Block] = [
            grid,
            Paragraph(
                "Each cell counts the risks with that probability and impact. Red: high "
                "(score 15 or more, or impact 5); amber: score 5 to 14; green: below 5.",
                tone="note",
            ),
        ]
        sections.append(Section("Risk grid", blocks))
    for table in tables[1:-1]:
        if table.rows:
            sections.append(Section(f"{table.title} ({len(table.rows)})", [table]))
    lead: list[Block] = [] if rows else [Paragraph("No RAID items in scope.")]
    return page(
        _title(request.scope),
        sections,
        subtitle=" · ".join(_facts(rows, request.status_date, open_only)),
        lead=lead,
    )
