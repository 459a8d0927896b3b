"""Shared output helpers: number formatting, Markdown escaping and tables, the JSON envelope.

Every text from data (a name, a title, a summary) reaches Markdown through :func:`text`,
:func:`cell` or :func:`block`, which keep it inert: it can neither add structure (a heading,
a list, a table, a link) nor carry HTML or terminal controls, whoever stored it. JSON holds
data as it is: its consumers escape for their own output.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from pmo_core import Entity, Metric, ReportOutput, ScopeMember, escape_controls

from ._figures import Ended, Figures, Row, Scope, measurement_json

NA = "n/a"
VERSION = "0.1.0"
GENERATED_BY = f"pmo-reports {VERSION}"


def money(value: Decimal | None, currency: str = "") -> str:
    """``1,250.00 EUR``, or ``n/a`` when undefined (never 0)."""
    if value is None:
        return NA
    text = f"{value:,.2f}"
    return f"{text} {currency}".strip()


def index(value: Decimal | None) -> str:
    """An index as published (4 places), or ``n/a``."""
    return NA if value is None else f"{value:.4f}"


def figure(metric: Metric, currency: str) -> str:
    """A metric's value in its unit, or ``n/a``."""
    if metric.unit == "ratio":
        return index(metric.value)
    if metric.unit == "%":
        return NA if metric.value is None else f"{metric.value:.2f} %"
    return money(metric.value, currency)


def rag(colour: str | None, *, missing: str = NA) -> str:
    """A colour as a word a reader cannot misread in plain text."""
    return missing if colour is None else colour.upper()


# Line ends of every system, tab, and Unicode's separators: inline text is one line, so a
# newline in a name cannot end a heading and start a line of its own.
_BREAKS = re.compile(r"\r\n|[\r\n\t\u2028\u2029]")
# HTML first (inline HTML would run in a renderer that allows it), as character references
# that every Markdown renderer shows as the character.
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Then the punctuation Markdown reads inline: code spans, emphasis, strikethrough, links and
# images (escaping the brackets is enough to make "[x](javascript:...)" plain text), headings'
# closing hashes, and the backslash itself.
_INLINE = re.compile(r"([\\`*_~\[\]#])")
# A line starting with one of these would open a block: a list, a setext underline, an
# ordered list ("1." or "1)").
_BLOCK_START = re.compile(r"^([-+=]|[0-9]+[.)])")


def text(value: Any, *, pipes: bool = False) -> str:
    r"""Data as inert inline Markdown: one line, no markup, no HTML, no control characters.

    ``pipes`` escapes ``|`` too, for table cells and blocks where a row could form a table.

    Example::

        text("<script>alert(1)</script>")  # '&lt;script&gt;alert(1)&lt;/script&gt;'
        text("[x](javascript:alert(1))")   # '\\[x\\](javascript:alert(1))'
        text("Alpha\n# Owned")             # 'Alpha \\# Owned'
    """
    raw = "" if value is None else str(value)
    out = _BREAKS.sub(" ", raw).strip().translate(_HTML)
    out = _INLINE.sub(r"\\\1", out)
    if pipes:
        out = out.replace("|", "\\|")
    out = _BLOCK_START.sub(lambda m: m.group()[:-1] + "\\" + m.group()[-1], out)
    # Last: the escapes it writes (backslash, u, four digits) must not be escaped again.
    return escape_controls(out)


def block(value: Any) -> list[str]:
    r"""Multi-line free text (a summary) as inert Markdown lines, its line breaks kept.

    Each line is escaped as :func:`text` (pipes too), so no line can open a heading, a list,
    a table, a code block or HTML.

    Example::

        block("Done.\n# not a heading")  # ['Done.', '\\# not a heading']
    """
    raw = "" if value is None else str(value).strip()
    return [text(line, pipes=True) for line in re.split(r"\r\n|[\r\n\u2028\u2029]", raw)]


def cell(value: Any) -> str:
    """Text safe inside a Markdown table cell (see :func:`text`); ``—`` when empty."""
    return text(value, pipes=True) or "—"


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A Markdown table as lines."""
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def metric_json(metric: Metric) -> dict[str, Any]:
    """A metric with its lineage, Decimals as strings so no precision is lost."""
    return metric.model_dump(mode="json")


def scope_json(scope: Entity | None) -> dict[str, Any]:
    """Which entity a report is about."""
    if scope is None:
        return {"kind": "pmo", "key": None, "name": None}
    return {"kind": scope.kind, "key": scope.id, "name": scope.name}


def project_json(row: Row) -> dict[str, Any]:
    """One project's entry of the ``projects`` list."""
    project, figures = row.project, row.figures
    return {
        "key": project.id,
        "name": project.name,
        "phase": project.phase,
        "status": project.status.value,
        "currency": figures.currency,
        "work_items": figures.work_items,
        "measured": figures.measured,
        "note": figures.note or None,
        "reported": {
            "overall": row.reported,
            "as_of": row.reported_on.isoformat() if row.reported_on else None,
        },
        "computed": {
            "schedule": figures.schedule,
            "cost": figures.cost,
            "overall": figures.overall,
        },
        "watermelon": row.watermelon,
        "lifecycle": project.lifecycle,
        "on_hold": row.held_by is not None,
        "held_by": row.held_by.id if row.held_by is not None else None,
        "measurement": measurement_json(figures),
        "metrics": [metric_json(m) for m in figures.metrics],
    }


def lifecycle_json(entity: Entity | None) -> dict[str, Any] | None:
    """An entity's lifecycle state with who moved it there, when and why."""
    if entity is None:
        return None
    return {
        "state": entity.lifecycle,
        "on": entity.lifecycle_on.isoformat() if entity.lifecycle_on else None,
        "by": entity.lifecycle_by,
        "reason": entity.lifecycle_reason or None,
    }


def _member_json(member: ScopeMember) -> dict[str, Any]:
    entity = member.entity
    return {
        "key": entity.id,
        "kind": entity.kind,
        "name": entity.name,
        "state": member.state,
        "on": member.on.isoformat() if member.on else None,
        "by": member.by,
        "reason": member.reason or None,
        # Set when the state is an entity's above it (a project of a killed program).
        "via": member.cause.id if member.inherited else None,
    }


def ended_json(ended: Ended) -> dict[str, Any]:
    """One entry of ``ended``: who ended it, when and why, and its final figures."""
    figures = ended.figures
    return {
        **_member_json(ended.member),
        "final": {
            "as_of": ended.as_of.isoformat(),
            "currency": figures.currency,
            "measured": figures.measured,
            "note": figures.note or None,
            "metrics": [metric_json(m) for m in figures.metrics],
        },
    }


def pipeline_json(member: ScopeMember) -> dict[str, Any]:
    """One entry of ``pipeline``: a proposed entity and the budget it asks for."""
    budget = member.entity.budget
    return {**_member_json(member), "budget": str(budget) if budget is not None else None}


def counts_json(node: Scope) -> dict[str, int]:
    """How many projects of a node are live (in the totals), on hold, ended, in the pipeline."""
    return {s: node.count(s) for s in ("live", "on_hold", "ended", "pipeline")}


def node_json(node: Scope) -> dict[str, Any]:
    """A roll-up node below the report's scope: its totals and what is beside them."""
    entity = node.entity
    assert entity is not None  # nodes are portfolios and programs, never the whole PMO
    return {
        "key": entity.id,
        "kind": entity.kind,
        "name": entity.name,
        "lifecycle": lifecycle_json(entity),
        "currency": node.totals.currency,
        "counts": counts_json(node),
        "projects": [r.project.id for r in node.rows],
        "on_hold": [r.project.id for r in node.on_hold],
        "excluded": [{"key": key, "reason": reason} for key, reason in node.excluded],
        "metrics": [metric_json(m) for m in node.totals.metrics],
        "ended": [ended_json(e) for e in node.ended],
        "pipeline": [pipeline_json(m) for m in node.pipeline],
        "nodes": [node_json(n) for n in node.nodes],
    }


def envelope(
    report: str, scope: Entity | None, as_of: date, figures: Figures, **more: Any
) -> dict[str, Any]:
    """The JSON document every report of this plugin starts from."""
    return {
        "report": report,
        "scope": scope_json(scope),
        "as_of": as_of.isoformat(),
        "generated_by": GENERATED_BY,
        "currency": figures.currency,
        "measurement": measurement_json(figures),
        "metrics": [metric_json(m) for m in figures.metrics],
        **more,
    }


def output(
    fmt: str, markdown: Sequence[str], document: Mapping[str, Any], metrics: Sequence[Metric]
) -> ReportOutput:
    """The ReportOutput for ``fmt`` (``md`` or ``json``)."""
    if fmt == "json":
        content = json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
        return ReportOutput(content=content, media_type="application/json", metrics=tuple(metrics))
    return ReportOutput(
        content="\n".join(markdown).rstrip() + "\n",
        media_type="text/markdown",
        metrics=tuple(metrics),
    )
