"""The ``evm`` report's content as typed tables: every figure of the metrics service grouped
(earned value, estimates at completion, earned schedule, current plan against the
baseline), what they were measured from, the unbaselined work items and the time-phased
series; for a scope, one row per live project and the totals."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ._figures import Figures, Row, Scope
from ._scurve import series_table
from .kit import Column, Table, metrics_table

#: The figures of each group, in order, with their labels.
GROUPS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Earned value",
        "Earned value",
        (
            ("bac", "Budget at completion (BAC)"),
            ("pv", "Planned value (PV)"),
            ("ev", "Earned value (EV)"),
            ("ac", "Actual cost (AC)"),
            ("sv", "Schedule variance (SV)"),
            ("cv", "Cost variance (CV)"),
            ("sv_pct", "Schedule variance (SV %)"),
            ("cv_pct", "Cost variance (CV %)"),
            ("spi", "Schedule performance index (SPI)"),
            ("cpi", "Cost performance index (CPI)"),
            ("overall", "Overall colour"),
            ("projects_measured", "Projects measured"),
        ),
    ),
    (
        "Estimates",
        "Estimates at completion",
        (
            ("eac", "Estimate at completion (EAC), the headline"),
            ("eac_bottom_up", "EAC bottom-up (latest forecast)"),
            ("eac_cpi", "EAC at the cost efficiency so far (BAC / CPI)"),
            ("eac_atypical", "EAC, the variance so far atypical"),
            ("eac_cpi_spi", "EAC at the cost and schedule efficiency so far"),
            ("etc", "Estimate to complete (ETC)"),
            ("vac", "Variance at completion (VAC)"),
            ("tcpi_bac", "To-complete performance index on BAC (TCPI)"),
            ("tcpi_eac", "To-complete performance index on EAC (TCPI)"),
        ),
    ),
    (
        "Earned schedule",
        "Earned schedule",
        (
            ("es", "Earned schedule (ES), days"),
            ("at", "Actual time (AT), days"),
            ("sv_t", "Schedule variance in time (SV(t)), days"),
            ("spi_t", "Schedule performance index in time (SPI(t))"),
            ("pd", "Planned duration (PD), days"),
            ("ieac_t", "Forecast duration (IEAC(t)), days"),
        ),
    ),
    (
        "Current plan",
        "Current plan against the baseline",
        (
            ("bac_current", "BAC of the current plan"),
            ("pv_current", "PV of the current plan"),
            ("bac_variance", "BAC variance (current plan - baseline)"),
            ("pv_variance", "PV variance (current plan - baseline)"),
            ("finish_variance", "Finish variance, days"),
            ("unbaselined_budget", "Budget of unbaselined work items"),
        ),
    ),
)
LABELS = {name: label for _, _, figures in GROUPS for name, label in figures}

FACT_COLUMNS = (Column("fact", "Measured from"), Column("value", "Value", missing="—"))
UNBASELINED_COLUMNS = (
    Column("id", "Work item"),
    Column("subject", "Subject"),
    Column("budget", "Budget", "money", missing="no budget"),
)
PROJECT_COLUMNS = (
    Column("key", "Key"),
    Column("name", "Name"),
    Column("basis", "Basis", missing="—"),
    *(
        Column(k, k.upper(), "money", currency_key="currency")
        for k in ("bac", "pv", "ev", "ac", "sv", "cv")
    ),
    Column("spi", "SPI", "index"),
    Column("cpi", "CPI", "index"),
    Column("eac", "EAC", "money", currency_key="currency"),
    Column("variant", "EAC variant", missing="—"),
    Column("etc", "ETC", "money", currency_key="currency"),
    Column("vac", "VAC", "money", currency_key="currency"),
    Column("tcpi_eac", "TCPI (EAC)", "index"),
    Column("spi_t", "SPI(t)", "index"),
    Column("finish", "Forecast finish", "date", missing="—"),
    Column("unbaselined", "Unbaselined items", "int"),
    Column("currency", "Currency", missing="—"),
    Column("note", "Not measured because", missing=""),
)
_ROW_FIGURES = ("bac", "pv", "ev", "ac", "sv", "cv", "spi", "cpi", "eac", "etc", "vac")


def headline(figures: Figures) -> str | None:
    """Which EAC variant is the headline (``bottom_up``, ``cpi``...), ``None`` when none is
    defined."""
    variant = figures.metric("eac").inputs.get("variant")
    return str(variant) if variant is not None else None


def facts(figures: Figures, name: str) -> list[dict[str, Any]]:
    """What the figures of the project called ``name`` were measured from, one fact a row."""
    schedule = figures.earned_schedule
    finish = schedule.finish if schedule is not None else None
    chosen = headline(figures)
    return [
        {"fact": "Project", "value": figures.key},
        {"fact": "Name", "value": name},
        {"fact": "Status date", "value": figures.status_date.isoformat()},
        {"fact": "Basis (BAC, PV and EV)", "value": figures.basis},
        {"fact": "Currency", "value": figures.currency},
        {"fact": "Work items", "value": str(figures.work_items)},
        {"fact": "Headline EAC", "value": f"EAC_{chosen}" if chosen else None},
        {
            "fact": "Forecast finish (earned schedule: start + IEAC(t))",
            "value": finish.isoformat() if finish else None,
        },
        {"fact": "Not measured because", "value": figures.note or None},
        {"fact": "In another currency, left out", "value": "; ".join(figures.conflicts) or None},
        {"fact": "Removed since the baseline, still in it", "value": ", ".join(figures.removed)},
    ]


def _grouped(figures: Figures) -> list[Table]:
    names = {m.name for m in figures.metrics}
    tables = []
    for name, title, group in GROUPS:
        only = [n for n, _ in group if n in names]
        if only:
            tables.append(metrics_table(name, title, figures.metrics, labels=LABELS, only=only))
    known = set(LABELS)
    rest = [m for m in figures.metrics if m.name not in known]
    if rest:  # a figure the service adds later is still shown, never dropped
        tables.append(metrics_table("Other", "Other figures", rest))
    return tables


def project_tables(figures: Figures, name: str, period: str) -> list[Table]:
    """A project: every figure (the CSV), the facts, the groups, unbaselined, the series."""
    unbaselined = [{"id": i, "subject": s, "budget": b} for i, s, b in figures.unbaselined]
    return [
        metrics_table(
            "Metrics", "Every figure, with formulas and inputs", figures.metrics, labels=LABELS
        ),
        Table(
            "Measurement", "What the figures were measured from", FACT_COLUMNS, facts(figures, name)
        ),
        *_grouped(figures),
        Table(
            "Unbaselined",
            "Unbaselined work items (current plan only)",
            UNBASELINED_COLUMNS,
            unbaselined,
            currency=figures.currency,
            empty="None: every planned work item is in the basis.",
        ),
        series_table(figures, period),
    ]


def _value(figures: Figures, name: str) -> Decimal | None:
    # A scope's totals have no earned schedule: the service does not roll it up.
    return next((m.value for m in figures.metrics if m.name == name), None)


def project_row(key: str, name: str, figures: Figures) -> dict[str, Any]:
    """One project (or the totals) as a row of the scope's projects table."""
    schedule = figures.earned_schedule
    return {
        "key": key,
        "name": name,
        "basis": figures.basis,
        **{k: _value(figures, k) for k in _ROW_FIGURES},
        "variant": headline(figures),
        "tcpi_eac": _value(figures, "tcpi_eac"),
        "spi_t": _value(figures, "spi_t"),
        "finish": schedule.finish if schedule is not None else None,
        "unbaselined": len(figures.unbaselined),
        "currency": figures.currency,
        "note": figures.note,
    }


def scope_tables(node: Scope, period: str | None) -> list[Table]:
    """A scope: one row per live project with the totals under them (the CSV), the totals'
    figures grouped, the projects left out of the totals and, when asked, the series."""
    rows: Sequence[Row] = node.rows
    totals = node.totals
    footer = project_row("Total", f"{len(node.included)} of {len(rows)} measured", totals)
    footer["basis"] = None
    tables = [
        Table(
            "Projects",
            "Live projects",
            PROJECT_COLUMNS,
            [project_row(r.project.id, r.project.name, r.figures) for r in rows],
            footer=footer,
            empty="No live projects in scope.",
        ),
        *_grouped(totals),
        Table(
            "Excluded",
            "Live projects not in the totals",
            (Column("key", "Key"), Column("reason", "Reason")),
            [{"key": k, "reason": r} for k, r in node.excluded],
            empty="None: every live project is in the totals.",
        ),
    ]
    if period is not None:
        tables.append(series_table(totals, period))
    return tables
