"""A chart as static, inline SVG: a Vega-Lite spec rendered by vl-convert, offline.

No JavaScript reaches the page and nothing is fetched: vl-convert runs Vega in-process and
writes SVG, with every text it draws escaped. Data reaches a chart only as values of the
spec (labels cut to a readable length, control and bidi characters shown as escapes, which
also keeps vl-convert's SVG parser from failing on them); coordinates are rounded to two
places so large charts stay small files.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from markupsafe import Markup

from ._format import plain
from ._page import fragment

Tone = Literal["green", "amber", "red"]

#: Mark colours by RAG, readable on a light and a dark page; shapes say it again.
TONE_COLOURS: Mapping[str, str] = {
    "green": "#2e7d32",
    "amber": "#d98c00",
    "red": "#c62828",
    "none": "#7b8794",
}
TONE_SHAPES: Mapping[str, str] = {
    "green": "circle",
    "amber": "square",
    "red": "triangle-up",
    "none": "diamond",
}
SERIES_COLOURS = ["#3b6ea8", "#2e7d32", "#c0571b", "#7b4fa0", "#8c6d1f"]
TONES = ("green", "amber", "red", "none")
_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
LABEL_LIMIT = 40
# Geometry attributes only: text drawn from data is never touched.
_GEOMETRY = re.compile(r' (d|transform|x|y|x1|x2|y1|y2|width|height|points)="([^"]*)"')
_LONG_NUMBER = re.compile(r"(\d+\.\d\d)\d+")
_NAMESPACES = re.compile(r' xmlns(:xlink)?="[^"]*"')


@dataclass(frozen=True)
class Chart:
    """A rendered chart: its title (the figure caption and the SVG ``<title>``), its alt
    text (the SVG's ``aria-label``, with ``role="img"``), the SVG itself, and a note said
    under it (what was left out or binned).

    Example::

        chart = bar_chart("Budget", ["ALPHA"], {"BAC": [Decimal(3000)]})
        chart.svg.startswith("<svg")  # True
    """

    title: str
    alt: str
    svg: Markup
    note: str = ""
    kind: Literal["chart"] = field(default="chart", init=False)

    def html(self) -> Markup:
        """The chart as an HTML ``<figure>`` with its caption.

        Example::

            str(chart.html()).startswith('<figure class="chart">')  # True
        """
        return fragment("chart", self)


def label(value: Any, limit: int = LABEL_LIMIT) -> str:
    """Data as a chart label: plain (control characters escaped), cut to ``limit``.

    Example::

        label("x" * 100)  # 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'
    """
    text = plain(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def number(value: Decimal | int | None, places: int = 4) -> float | None:
    # The spec is JSON for a picture: floats, rounded so the SVG and the spec stay small.
    # Figures themselves stay Decimals in every table.
    return None if value is None else round(float(value), places)


def _rounded(found: re.Match[str]) -> str:
    numbers = _LONG_NUMBER.sub(r"\1", found[2])
    return f' {found[1]}="{numbers}"'


def _inert(value: Any) -> Any:
    if isinstance(value, str):
        return plain(value)
    if isinstance(value, Mapping):
        return {plain(k): _inert(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_inert(v) for v in value]
    return value


def vega_chart(spec: Mapping[str, Any], *, title: str, alt: str, note: str = "") -> Chart:
    """Render a Vega-Lite spec to a :class:`Chart`, for charts of one's own.

    The spec gets the kit's defaults (no background, no per-mark ARIA labels, which would
    repeat every data point) unless it sets its own ``config``; nothing may be fetched.
    Every string in it has its control and bidi characters shown as escapes first: vl-convert
    cannot draw them (a control character in a label would end the process).

    Example::

        chart = vega_chart(
            {"data": {"values": [{"a": "x", "b": 1}]}, "mark": "bar",
             "encoding": {"x": {"field": "a"}, "y": {"field": "b", "type": "quantitative"}}},
            title="One bar", alt="A bar chart with one bar.",
        )
    """
    # vl-convert (and its bundled JavaScript engine) loads on the first chart only.
    import vl_convert

    full = {
        "$schema": _SCHEMA,
        "config": {
            "aria": False,
            "background": None,
            "view": {"stroke": None},
            "font": "DejaVu Sans, Verdana, sans-serif",
            "legend": {"labelLimit": 200},
            "axis": {"labelLimit": 220},
        },
        **spec,
    }
    svg = vl_convert.vegalite_to_svg(_inert(full), allowed_base_urls=[])
    svg = _GEOMETRY.sub(_rounded, svg)
    # Inline SVG in HTML needs no namespace declarations; without them the page names no
    # URL at all.
    svg = _NAMESPACES.sub("", svg)
    head, _, rest = svg.partition(">")
    described = (
        head.replace("<svg", f'<svg role="img" aria-label="{html.escape(plain(alt))}"', 1)
        + f"><title>{html.escape(plain(title))}</title>"
        + rest
    )
    return Chart(title=title, alt=alt, svg=Markup(described), note=note)
