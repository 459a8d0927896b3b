"""The app's own HTML: pages from the package's templates, and the navigation bar put into a
report's own document.

Every value is escaped by jinja2's autoescape: a name such as ``<script>alert(1)</script>``
is text on every page. The templates carry their CSS inline and load nothing: no script, no
external URL (the Content-Security-Policy the app sends would block them anyway).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Nav:
    """The bar at the top of every page: home, the reports list, where the page is, the two
    dates it shows, and (on a report) links to its other formats and to other reports."""

    home: str
    reports: str
    status_date: str
    known: str
    crumbs: tuple[Link, ...] = ()
    formats: tuple[Link, ...] = ()
    formats_label: str = "Formats"
    others: tuple[Link, ...] = field(default=())


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("pmo_web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def page(template: str, *, title: str, nav: Nav, **values: Any) -> str:
    """Render one of the app's pages."""
    return _environment().get_template(template).render(title=title, nav=nav, **values)


_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)


def with_nav(document: str, nav: Nav) -> str:
    """A report's own HTML document with the navigation bar as the first thing in its body.

    The document is the report plugin's, kept whole (its styles, its title); the bar goes
    right after ``<body ...>``, else after ``</head>``, else before everything.
    """
    bar = _environment().get_template("nav.html").render(nav=nav)
    for pattern in (_BODY, _HEAD_END):
        found = pattern.search(document)
        if found:
            return document[: found.end()] + "\n" + bar + document[found.end() :]
    return bar + document
