"""The kit's formatting, tables (Markdown, HTML, CSV) and pages keep data inert and figures
exact: money and indices as published, ``n/a`` for undefined, colours said in words."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from pmo_reports.kit import (
    MEDIA_TYPES,
    NA,
    Bullets,
    Column,
    Paragraph,
    Section,
    Table,
    day,
    days,
    index,
    md_cell,
    money,
    page,
    percent,
    plain,
    rag_label,
)

from pmo_core.testing import HOSTILE_STRINGS

SCRIPT = HOSTILE_STRINGS["script"]
FORMULA = HOSTILE_STRINGS["formula-equals"]
COLUMNS = [
    Column("key", "Key"),
    Column("name", "Name"),
    Column("bac", "BAC", "money"),
    Column("spi", "SPI", "index"),
    Column("sv_pct", "SV %", "percent"),
    Column("due", "Due", "date"),
    Column("late", "Late", "days"),
    Column("items", "Items", "int"),
    Column("rag", "RAG", "rag", missing="not reported"),
]


def _table(name: str = "Alpha") -> Table:
    return Table(
        "projects",
        "Projects",
        COLUMNS,
        [
            {
                "key": "ALPHA",
                "name": name,
                "bac": Decimal("3000"),
                "spi": Decimal("0.761904"),
                "sv_pct": Decimal("-12.5"),
                "due": date(2025, 6, 1),
                "late": 12,
                "items": 3,
                "rag": "red",
            },
            {
                "key": "BETA",
                "name": "Beta",
                **dict.fromkeys(("bac", "spi", "sv_pct", "due")),
                **dict.fromkeys(("late", "items", "rag")),
            },
        ],
        currency="EUR",
        footer={"key": "Total", "bac": Decimal("3000"), "rag": "red"},
    )


def test_formatting_says_undefined_as_na_never_zero() -> None:
    assert money(Decimal("1250"), "EUR") == "1,250.00 EUR"
    assert money(Decimal("-0.5")) == "-0.50"
    assert [money(None), index(None), percent(None), day(None), days(None)] == [NA] * 5
    assert index(Decimal("0.761904")) == "0.7619"
    assert percent(Decimal("-12.5")) == "-12.50 %"
    assert day(date(2025, 4, 25)) == "2025-04-25"
    assert days(3) == "3 d"
    assert rag_label("amber") == "AMBER"
    assert rag_label(None, missing="—") == "—"
    assert plain("a\x1b[31mb\u202ec") == "a\\u001b[31mb\\u202ec"


def test_markdown_escapes_data_and_formats_figures() -> None:
    lines = _table(SCRIPT + " | x").markdown()

    assert lines[0] == "| Key | Name | BAC | SPI | SV % | Due | Late | Items | RAG |"
    assert lines[2] == (
        "| ALPHA | &lt;script&gt;alert(1)&lt;/script&gt; \\| x | 3,000.00 EUR | 0.7619 "
        "| -12.50 % | 2025-06-01 | 12 d | 3 | RED |"
    )
    assert lines[3] == "| BETA | Beta | n/a | n/a | n/a | n/a | n/a | n/a | not reported |"
    # A footer's cells it does not give are blank; those it gives as None are undefined.
    assert lines[4] == "| **Total** |  | 3,000.00 EUR |  |  |  |  |  | RED |"


def test_markdown_escapes_a_hostile_currency_code() -> None:
    table = Table("t", "T", [Column("v", "V", "money")], [{"v": Decimal(1)}], currency="<b>")
    # Escaped as any text (a line starting "1." would open a list: escaped too).
    assert table.markdown()[2] == "| 1\\.00 &lt;b&gt; |"


def test_an_empty_table_says_so() -> None:
    table = Table("t", "T", COLUMNS, [], empty="No projects.")
    assert table.markdown() == ["No projects."]
    assert "No projects." in str(table.html())


def test_html_escapes_data_right_aligns_numbers_and_says_colours_in_words() -> None:
    html = str(_table(SCRIPT).html())

    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<td class="num">3,000.00 EUR</td>' in html
    assert '<td class="num na">n/a</td>' in html
    # The colour is a class AND the word: never the colour alone.
    assert '<td class="rag rag-red">RED</td>' in html
    assert '<td class="rag na">not reported</td>' in html
    assert "<tfoot>" in html


@pytest.mark.parametrize("label", [k for k in HOSTILE_STRINGS if k.startswith("formula")])
def test_csv_neutralises_formulas_and_keeps_numbers_plain(label: str) -> None:
    rows = list(csv.reader(io.StringIO(_table(HOSTILE_STRINGS[label]).csv())))

    assert rows[0] == ["Key", "Name", "BAC", "SPI", "SV %", "Due", "Late", "Items", "RAG"]
    assert rows[1][2:] == ["3000", "0.761904", "-12.5", "2025-06-01", "12", "3", "red"]
    name = rows[1][1]
    # A spreadsheet would run a cell starting with one of these; the quote makes it text.
    assert not re.match(r"[=+\-@\t\r]", name), name
    assert len(rows) == 3  # the footer is not data


def test_csv_shows_control_characters_as_escapes() -> None:
    rows = list(csv.reader(io.StringIO(_table(HOSTILE_STRINGS["esc-csi"]).csv())))
    assert "\x1b" not in rows[1][1]


def test_a_column_kind_may_come_from_the_row() -> None:
    table = Table(
        "metrics",
        "Metrics",
        [Column("name", "Figure"), Column("value", "Value", "money", kind_key="kind")],
        [
            {"name": "BAC", "value": Decimal(3000), "kind": "money"},
            {"name": "SPI", "value": Decimal("0.75"), "kind": "index"},
        ],
        currency="EUR",
    )
    assert table.markdown()[2:] == ["| BAC | 3,000.00 EUR |", "| SPI | 0.7500 |"]


def test_an_unknown_column_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="kind 'float'"):
        Column("x", "X", "float")  # type: ignore[arg-type]


def test_the_page_is_self_contained_and_loads_nothing() -> None:
    html = page(
        SCRIPT,
        [
            Section(
                SCRIPT,
                [
                    _table(SCRIPT),
                    Paragraph(SCRIPT, tone="warning"),
                    Paragraph(SCRIPT, tone="note"),
                    Bullets([SCRIPT]),
                ],
            )
        ],
        subtitle=SCRIPT,
    )

    assert html.startswith("<!doctype html>")
    assert (
        '<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; '
        'style-src &#39;unsafe-inline&#39;; img-src data:">' in html
    )
    assert "<script" not in html
    # No URL of any kind: no link, no source, no CSS import or url().
    assert re.search(r"(?i)\b(href|src)\s*=|@import|url\(|https?:", html) is None
    assert "prefers-color-scheme: dark" in html
    assert "@media print" in html
    assert '<p class="callout" role="note"><strong>Warning:</strong> &lt;script&gt;' in html


def test_media_types_name_every_format() -> None:
    assert set(MEDIA_TYPES) == {"md", "json", "html", "csv", "xlsx"}
    assert md_cell("") == "—"


def test_long_inputs_show_six_places_and_say_they_are_cut() -> None:
    from pmo_reports.kit import metric_row

    from pmo_core import Metric

    metric = Metric(
        name="pv",
        value=Decimal("449648.65"),
        formula="PV",
        inputs={
            "PV": Decimal("449648.648648648648648648648648648"),
            "EV": Decimal("375708.000"),
            "AT": Decimal("0.1234565"),
            "start": "2025-01-01",
            "CPI": None,
        },
        unit="EUR",
    )
    assert metric_row(metric)["inputs"] == (
        "PV = 449648.648649\u2026; EV = 375708.000; AT = 0.123456\u2026; start = 2025-01-01; "
        "CPI = n/a"
    )
    # The metric keeps every digit: the JSON of a report is made from it, not from the row.
    assert metric.inputs["PV"] == Decimal("449648.648648648648648648648648648")
