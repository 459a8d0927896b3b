"""Building blocks for report authors: typed tables, static SVG charts, a self-contained HTML
page and an XLSX workbook, each keeping data inert.

A report builds its content once, as :class:`Table` s (rows of plain values in typed
:class:`Column` s), charts and :class:`Section` s, then renders it:

- **Markdown**: :meth:`Table.markdown`, every text from data escaped (:func:`md_text`,
  :func:`md_cell`, :func:`md_block`);
- **HTML**: :func:`page`, one document with inline CSS and SVG, no script and no outside
  URL, under a Content-Security-Policy that lets nothing load; a light and a dark theme and a
  print style that reads in black and white;
- **CSV**: :meth:`Table.csv`, text cells neutralised against spreadsheet formulas;
- **XLSX**: :func:`workbook`, one sheet per table, numbers and dates typed, every text a
  string cell, never a formula.

Charts (:func:`line_chart`, :func:`bubble_chart`, :func:`bar_chart`, :func:`heatmap`,
:func:`gantt`, or any Vega-Lite spec through :func:`vega_chart`) are rendered offline by
vl-convert to static SVG with a title and an alt text.

Example::

    from datetime import date
    from decimal import Decimal

    from pmo_reports.kit import Column, Section, Table, bar_chart, page, workbook

    table = Table(
        "projects",
        "Projects",
        [Column("key", "Key"), Column("bac", "BAC", "money"), Column("spi", "SPI", "index")],
        [{"key": "ALPHA", "bac": Decimal(3000), "spi": Decimal("0.75")}],
        currency="EUR",
    )
    chart = bar_chart("Budget", ["ALPHA"], {"BAC": [Decimal(3000)]}, y_title="EUR")
    html = page("Portfolio PF", [Section("Projects", [table, chart])], subtitle="As of 2025-04-25")
    xlsx = workbook([table], created=date(2025, 4, 25))
"""

from __future__ import annotations

from collections.abc import Mapping

from ._charts import Bubble, bar_chart, bubble_chart, line_chart
from ._format import NA, day, days, index, money, percent, plain, rag_label
from ._gantt import GanttBar, GanttMilestone, gantt
from ._heatmap import heatmap
from ._markdown import md_block, md_cell, md_table, md_text
from ._metrics import metric_row, metrics_table
from ._page import Bullets, Paragraph, Section, page
from ._table import Column, Table
from ._vega import Chart, vega_chart
from ._workbook import workbook

#: The media type of each format a report of this kit writes.
MEDIA_TYPES: Mapping[str, str] = {
    "md": "text/markdown",
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

__all__ = [
    "MEDIA_TYPES",
    "NA",
    "Bubble",
    "Bullets",
    "Chart",
    "Column",
    "GanttBar",
    "GanttMilestone",
    "Paragraph",
    "Section",
    "Table",
    "bar_chart",
    "bubble_chart",
    "day",
    "days",
    "gantt",
    "heatmap",
    "index",
    "line_chart",
    "md_block",
    "md_cell",
    "md_table",
    "md_text",
    "metric_row",
    "metrics_table",
    "money",
    "page",
    "percent",
    "plain",
    "rag_label",
    "vega_chart",
    "workbook",
]
