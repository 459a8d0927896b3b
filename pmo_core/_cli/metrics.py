"""``pmo metrics``: every figure of a project, program or portfolio, with its formula and
basis, from the metrics service the reports and the tolerances read too."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import click

from ._output import echo_json, echo_line, workspace
from ._params import DATE, KNOWN_AT, ChoiceType
from ._tables import echo_table

if TYPE_CHECKING:
    from .._metrics import ProjectMetrics


def _value(value: Any, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit in ("ratio", "days", "projects", "rag", "%"):
        return f"{value} %" if unit == "%" else str(value)
    return f"{value:,.2f} {unit}".rstrip()


def _figures(figures: ProjectMetrics) -> None:
    echo_table(
        ["figure", "value", "rag", "formula", "source"],
        [
            [
                m.name,
                _value(m.value, m.unit) if m.name != "overall" else (m.rag or "n/a"),
                m.rag or "",
                m.formula,
                m.source,
            ]
            for m in figures.metrics
        ],
    )


@click.command()
@click.argument("key")
@click.option(
    "--status-date",
    type=DATE,
    help="The data date: what was planned, done and spent by then (default: today, or the "
    "--as-of day).",
)
@click.option(
    "--as-of",
    type=KNOWN_AT,
    help="As the workspace was known then: a date (its end) or a date-time (default: now).",
)
@click.option(
    "--series",
    type=ChoiceType(("week", "month")),
    help="Add the time-phased series (PV, current-plan PV, EV, AC) by week or month end.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON, with every metric's lineage.")
@click.pass_context
def metrics(
    ctx: click.Context,
    key: str,
    status_date: date | None,
    as_of: date | datetime | None,
    series: str | None,
    as_json: bool,
) -> None:
    """Every figure of KEY (a project, program or portfolio) on the status date: earned value
    against the baseline in force, the EAC variants and the headline ([metrics] eac in
    pmo.toml), the current plan and its variances, earned schedule; a program or portfolio
    sums its live projects and recomputes every index from the sums.

    \b
    Examples:
      pmo metrics ALPHA
      pmo metrics ALPHA --status-date 2025-03-31 --json
      pmo metrics ALPHA --status-date 2025-03-31 --as-of 2025-04-02T09:00
      pmo metrics PF --series month
    """
    from .._metrics import ProjectMetrics

    ws = workspace(ctx)
    period: Any = series  # ChoiceType checked it is "week" or "month"
    found = ws.metrics(key, status_date=status_date, as_of=as_of, series=period)
    if as_json:
        echo_json(found.as_dict())
        return
    figures = found if isinstance(found, ProjectMetrics) else found.totals
    lineage = figures.lineage()
    echo_line(f"{key} on {lineage['status_date']}, in {figures.currency or 'n/a'}")
    echo_line(f"basis: {figures.basis}")
    if figures.note:
        echo_line(f"not measured: {figures.note}")
    for conflict in figures.conflicts:
        echo_line(f"left out: {conflict}")
    if figures.unbaselined:
        echo_line(
            "unbaselined (current plan only): "
            + ", ".join(f"{i} {s}" for i, s, _ in figures.unbaselined)
        )
    if figures.removed:
        echo_line("removed since the baseline: " + ", ".join(figures.removed))
    if not isinstance(found, ProjectMetrics):
        echo_line(f"projects summed: {', '.join(found.included) or 'none'}")
        for excluded, reason in found.excluded:
            echo_line(f"not summed: {excluded} ({reason})")
    click.echo()
    _figures(figures)
    if figures.series is not None:
        click.echo()
        echo_table(
            ["period end", "pv", "pv current", "ev", "ac"],
            [[p.period_end, *("" if v is None else v for v in p[1:])] for p in figures.series],
            empty="No dated plan to phase.",
        )
