"""Charts render offline to static SVG with a title and an alt text; data reaches them only as
escaped text, whatever it holds; large inputs stay small files."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from pmo_reports.kit import (
    Bubble,
    Chart,
    GanttBar,
    GanttMilestone,
    bar_chart,
    bubble_chart,
    gantt,
    heatmap,
    line_chart,
    vega_chart,
)

from pmo_core.testing import HOSTILE_STRINGS

SCRIPT = HOSTILE_STRINGS["script"]
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _texts(chart: Chart) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", str(chart.svg))


def _assert_described(chart: Chart, title: str) -> None:
    svg = str(chart.svg)
    assert svg.startswith('<svg role="img" aria-label="')
    assert f"<title>{title}</title>" in svg
    assert "<script" not in svg
    # Inline SVG needs no namespace URL; nothing in it may point anywhere.
    assert "xmlns" not in svg
    assert "href" not in svg


def test_line_chart_draws_each_series_labelled_with_the_status_date() -> None:
    months = [date(2025, m, 28) for m in range(1, 7)]
    chart = line_chart(
        "S-curve",
        {
            "PV": [(d, Decimal(100 * n)) for n, d in enumerate(months, start=1)],
            "EV": [(d, Decimal(80 * n)) for n, d in enumerate(months[:4], start=1)],
            SCRIPT: [(months[0], Decimal(1)), (months[1], None)],
        },
        y_title="EUR",
        marker=date(2025, 4, 25),
    )

    _assert_described(chart, "S-curve")
    assert {"PV", "EV", ESCAPED} <= set(_texts(chart))
    assert "2025-04-25" in chart.alt
    assert "PV, EV" in chart.alt


def test_bubble_chart_labels_points_and_says_colour_with_shape() -> None:
    chart = bubble_chart(
        "SPI and CPI",
        [
            Bubble(SCRIPT, Decimal("0.75"), Decimal("1.0"), Decimal(3000), "red"),
            Bubble("BETA", Decimal("1.0"), Decimal("1.02"), Decimal(100), "green"),
            Bubble("GAMMA", Decimal("0.93"), Decimal("0.95"), Decimal(500), None),
        ],
    )

    _assert_described(chart, "SPI and CPI")
    texts = _texts(chart)
    assert ESCAPED in texts
    assert "BETA" in texts
    assert {"red", "green", "none"} <= set(texts)  # the legend says the colour in words
    assert chart.note == ""


def test_ten_thousand_bubbles_are_binned_into_a_small_file() -> None:
    bubbles = [
        Bubble(
            f"P{n}",
            Decimal("0.8") + Decimal(n % 40) / 100,
            Decimal("0.9") + Decimal(n % 25) / 100,
            Decimal(1000 + n),
            ("green", "amber", "red")[n % 3],  # type: ignore[arg-type]
        )
        for n in range(10_000)
    ]
    chart = bubble_chart("SPI and CPI", bubbles)

    assert "10000 projects, binned" in chart.note
    assert len(chart.svg) < 400_000
    assert "P9999" not in chart.svg  # no per-point label at that size


def test_bar_chart_keeps_the_largest_categories() -> None:
    names = [f"P{n}" for n in range(60)]
    chart = bar_chart(
        "Budget",
        names,
        {"Budget": [Decimal(n) for n in range(60)], "Actual": [None] * 60},
        y_title="EUR",
    )

    _assert_described(chart, "Budget")
    texts = _texts(chart)
    assert "P59" in texts
    assert "P0" not in texts
    assert chart.note == "The 25 largest of 60, by Budget."


def test_heatmap_labels_every_cell() -> None:
    chart = heatmap(
        "Risks",
        ["5", "4"],
        ["1", "2"],
        {("5", "1"): ("3", "amber"), ("4", "2"): (SCRIPT, "red")},
        x_title="Impact",
        y_title="Probability",
    )

    _assert_described(chart, "Risks")
    texts = _texts(chart)
    assert "3" in texts
    assert "Impact" in texts
    assert "Probability" in texts
    assert "&lt;script&gt;ale…" in texts  # a cell label is cut short, still escaped


def test_gantt_marks_late_work_in_words_and_keeps_groups() -> None:
    start = date(2025, 1, 1)
    chart = gantt(
        "Roadmap",
        [
            GanttBar(SCRIPT, start, date(2025, 6, 30), "ERP", late_until=date(2025, 8, 14)),
            GanttBar("BETA", start, date(2025, 3, 31), "CRM"),
        ],
        [GanttMilestone(SCRIPT, date(2025, 3, 1), "Design"), GanttMilestone("GONE", start)],
        marker=date(2025, 4, 25),
    )

    _assert_described(chart, "Roadmap")
    texts = _texts(chart)
    assert {ESCAPED, "BETA", "ERP", "CRM", "+45 d late"} <= set(texts)
    assert "1 rows run late" in chart.alt


def test_a_long_gantt_is_cut_and_says_so() -> None:
    bars = [
        GanttBar(f"P{n}", date(2025, 1, 1), date(2025, 1, 1) + timedelta(days=n + 1), "G")
        for n in range(200)
    ]
    assert gantt("Roadmap", bars, limit=50).note == "The first 50 of 200 rows."


def test_every_hostile_string_is_drawn_as_text() -> None:
    # Control characters would make vl-convert's SVG parser abort the process: the kit shows
    # them as escapes before any text reaches a spec.
    labels = list(HOSTILE_STRINGS.values())
    chart = bar_chart("Hostile", labels, {"Budget": [Decimal(1)] * len(labels)}, limit=100)

    svg = str(chart.svg)
    assert "<script" not in svg
    assert "<img" not in svg
    assert "\x1b" not in svg
    assert re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e]", svg) is None


def test_vega_chart_renders_a_spec_of_ones_own() -> None:
    chart = vega_chart(
        {
            "data": {"values": [{"a": "x", "b": 1}]},
            "mark": "bar",
            "encoding": {"x": {"field": "a"}, "y": {"field": "b", "type": "quantitative"}},
        },
        title=SCRIPT,
        alt=SCRIPT,
    )
    _assert_described(chart, ESCAPED)
    assert f'aria-label="{ESCAPED}"' in chart.svg
    assert str(chart.html()).startswith('<figure class="chart">')


def test_a_spec_cannot_fetch_data() -> None:
    with pytest.raises(ValueError, match=r"(?i)not allowed|permission|denied|url"):
        vega_chart(
            {"data": {"url": "https://example.invalid/data.json"}, "mark": "point"},
            title="x",
            alt="x",
        )


def test_a_spec_of_ones_own_cannot_carry_control_characters_to_the_renderer() -> None:
    # Raw, they would abort the process inside vl-convert: every string is made plain first.
    chart = vega_chart(
        {
            "data": {"values": [{"a": HOSTILE_STRINGS["esc-csi"], "b": 1}]},
            "mark": "bar",
            "encoding": {"x": {"field": "a"}, "y": {"field": "b", "type": "quantitative"}},
        },
        title="x",
        alt="x",
    )
    assert "\\u001b[31mred" in chart.svg
    assert "\x1b" not in chart.svg
