"""Watermelons in reports: every colour a project's latest status report gives better than
the one its figures give, per dimension, as :func:`pmo_core.watermelons` finds them.

Reported: the latest status report's overall colour and dimensions, with its overrides'
reasons. Computed: schedule from SPI, cost from CPI, overall the worst of the two (the
metrics service's colours), compared by :func:`pmo_core.report_watermelons`. Each flag
carries the figures behind the computed colour, so a reader can check it
(``schedule reported amber, computed red (SPI 0.7600)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pmo_core import StatusReport, Watermelon, report_watermelons

from ._figures import Figures
from .kit import Column, Table

WATERMELON_COLUMNS = (
    Column("key", "Project"),
    Column("dimension", "Dimension"),
    Column("reported", "Reported", "rag"),
    Column("computed", "Computed", "rag"),
    Column("figures", "Figures", missing="—"),
    Column("reason", "Override reason", missing="—"),
)

#: What a watermelon is, said beside every list of them.
WATERMELON_RULE = (
    "A watermelon is green outside and red inside: a colour the latest status report gives "
    "better than the one the figures give (schedule from SPI, cost from CPI, overall the "
    "worst of the two), amber over red as much as green over red; or an overall colour "
    "better than the report's own worst dimension. An override's reason is shown beside it when "
    "it was written against figures at least as bad: it explains the difference, it does not "
    "hide it."
)


def flags(latest: StatusReport | None, figures: Figures) -> tuple[Watermelon, ...]:
    """The watermelons of one project: its latest status report against its figures on the
    report's status date (:func:`pmo_core.report_watermelons`, the core's one comparison)."""
    return () if latest is None else report_watermelons(latest, figures)


def shown(flag: Watermelon) -> str:
    """The figures behind a flag's computed colour, as the message says them."""
    if flag.basis == "dimensions":
        return "worst reported dimension"
    return ", ".join(f"{k} {'n/a' if v is None else v}" for k, v in flag.figures.items())


def flag_rows(key: str, found: Sequence[Watermelon]) -> list[dict[str, Any]]:
    """One table row per flag of the project ``key``."""
    return [
        {
            "key": key,
            "dimension": f.dimension,
            "reported": f.reported,
            "computed": f.computed,
            "figures": shown(f),
            "reason": f.reason,
        }
        for f in found
    ]


def flags_table(rows: Sequence[dict[str, Any]], *, empty: str) -> Table:
    """The watermelons as a table: project, dimension, both colours, figures, reason."""
    return Table(
        "Watermelons",
        "Watermelons: reported better than computed",
        WATERMELON_COLUMNS,
        list(rows),
        empty=empty,
    )


def flags_json(found: Sequence[Watermelon]) -> list[dict[str, Any]]:
    """The flags as JSON (figures as strings, with each one's message)."""
    return [f.as_dict() for f in found]
