"""The time-phased series of the metrics service as a table and an S-curve: cumulative PV on
the baseline in force and on the current plan, EV and AC, at each period end."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ._figures import Figures
from .kit import Chart, Column, Table, line_chart

SERIES_COLUMNS = (
    Column("period_end", "Period end", "date"),
    Column("pv", "PV (basis)", "money", missing="—"),
    Column("pv_current", "PV (current plan)", "money", missing="—"),
    Column("ev", "EV", "money", missing="—"),
    Column("ac", "AC", "money", missing="—"),
)


def series_table(figures: Figures, period: str) -> Table:
    """The series as a table, money in the project's currency; EV and AC stop at the status
    date (a dash after it: not known yet)."""
    rows = [p._asdict() for p in figures.series or ()]
    return Table(
        "Series",
        f"Time-phased, cumulative, by {period}",
        SERIES_COLUMNS,
        rows,
        currency=figures.currency,
        empty="No dated plan to spread over time.",
    )


def s_curve(figures: Figures, title: str = "S-curve") -> Chart | None:
    """Cumulative PV (the baseline's and, when there is one, the current plan's), EV and AC
    over time, a dashed rule at the status date; ``None`` without a series."""
    points = figures.series or ()
    if not points:
        return None

    def line(name: str) -> list[tuple[date, Decimal | None]]:
        return [(p.period_end, getattr(p, name)) for p in points]

    lines: dict[str, list[tuple[date, Decimal | None]]] = {}
    if figures.baseline is not None:
        lines["PV baseline"] = line("pv")
        lines["PV current plan"] = line("pv_current")
    else:
        # Without a baseline the basis is the current plan: one PV line, named for what it is.
        lines["PV current plan"] = line("pv")
    lines["EV"] = line("ev")
    lines["AC"] = line("ac")
    basis = f"baseline {figures.baseline}" if figures.baseline is not None else "the current plan"
    return line_chart(
        title,
        lines,
        y_title=figures.currency,
        marker=figures.status_date,
        alt=(
            f"Cumulative planned value on {basis}, earned value and actual cost in "
            f"{figures.currency or 'the project currency'} from {points[0].period_end} to "
            f"{points[-1].period_end}; a dashed rule marks the status date "
            f"{figures.status_date}."
        ),
    )
