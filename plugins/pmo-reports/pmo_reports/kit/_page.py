"""One self-contained HTML document per report: inline CSS, no script, no outside URL.

The page carries a Content-Security-Policy that lets nothing load (``default-src 'none'``;
inline styles and ``data:`` images only), so even markup slipped past the escaping could not
fetch or run anything. Templates go through one jinja2 environment with autoescaping on:
data is never marked safe, only the SVG vl-convert wrote (whose text it escaped) and the
kit's own fragments, built from the same escaping templates.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Union

from markupsafe import Markup

from pmo_core import escape_controls

from .._version import GENERATED_BY
from ._format import plain

if TYPE_CHECKING:
    import jinja2

    from ._table import Table
    from ._vega import Chart

#: The Content-Security-Policy every page carries.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of text from the report or from data (escaped when rendered; its line
    breaks are kept).

    ``tone`` sets it apart: ``note`` (muted), ``warning`` (a bordered call-out, for a
    watermelon or an ended project); the tone is said in words too, never by colour alone.

    Example::

        Paragraph("Totals are recomputed from summed EV, PV and AC.", tone="note")
        Paragraph("Reported GREEN but the figures say RED.", tone="warning")
    """

    text: str
    tone: Literal["plain", "note", "warning"] = "plain"
    kind: Literal["paragraph"] = field(default="paragraph", init=False)


@dataclass(frozen=True)
class Bullets:
    """A bulleted list of texts (each escaped when rendered).

    Example::

        Bullets(["Vendor signed", "Data migrated"])
    """

    items: Sequence[str]
    kind: Literal["bullets"] = field(default="bullets", init=False)


Block = Union["Table", "Chart", Paragraph, Bullets]


@dataclass(frozen=True)
class Section:
    """A titled part of a page: its blocks (tables, charts, paragraphs, lists) in order.

    Example::

        projects_table = Table("projects", "Projects", [Column("key", "Key")], [{"key": "ALPHA"}])
        Section("Projects", [projects_table, Paragraph("Totals are summed.", tone="note")])
    """

    title: str
    blocks: Sequence[Block] = ()


@functools.cache
def environment() -> jinja2.Environment:
    """The kit's template environment: the package's templates, autoescaping on.

    Example::

        environment().autoescape  # True
    """
    # jinja2 loads on the first page, not when the plugin loads: a CLI that lists reports
    # never pays for it.
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pmo_reports.kit", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Autoescaping makes text inert for HTML; these make it inert for whoever reads it:
    # control and bidi characters shown as escapes (one line, or keeping line breaks).
    env.filters["plain"] = plain
    env.filters["lines"] = _lines
    return env


def _lines(value: Any) -> str:
    return "" if value is None else escape_controls(str(value), multiline=True)


def fragment(kind: str, block: Any) -> Markup:
    """One block (``table``, ``chart``, ``paragraph``, ``bullets``) as an HTML fragment."""
    macro = getattr(environment().get_template("blocks.html.j2").module, kind)
    return Markup(macro(block))


def page(
    title: str,
    sections: Sequence[Section],
    *,
    subtitle: str = "",
    generated_by: str = GENERATED_BY,
    lead: Sequence[Block] = (),
) -> str:
    """A complete HTML document: the title, a subtitle line, the ``lead`` blocks (call-outs
    before the first section), then each section; a light and a dark theme and a print
    style that reads in black and white.

    Everything is inline (CSS, SVG charts): the file opens offline, from disk or a mail
    attachment, and requests nothing.

    Example::

        table = Table("projects", "Projects", [Column("key", "Key")], [{"key": "ALPHA"}])
        chart = bar_chart("Budget", ["ALPHA"], {"BAC": [Decimal(3000)]})
        html = page(
            "Portfolio summary: PF",
            [Section("Projects", [table]), Section("Charts", [chart])],
            subtitle="As of 2025-04-25",
        )
        "<script" in html  # False
    """
    return (
        environment()
        .get_template("page.html.j2")
        .render(
            title=title,
            subtitle=subtitle,
            sections=sections,
            lead=lead,
            generated_by=generated_by,
            csp=CSP,
        )
    )
