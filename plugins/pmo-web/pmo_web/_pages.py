"""The pages: the portfolio tree, an entity's dashboard, the reports list, and any report in
any of its formats.

Each request opens the workspace, reads it through a view or a report, and closes it: no
store connection is shared between the server's threads (SQLite connections are per thread),
a request sees only committed transactions, and nothing here calls a method that writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from pmo_core import (
    Entity,
    InvalidInputError,
    NotFoundError,
    PmoReport,
    ReportOutput,
    Workspace,
    WorkspaceView,
)

from ._dates import parse_as_of, parse_status_date, show_moment
from ._html import Link, Nav, page, with_nav

#: The report an entity's page shows, by kind: change this table to change the dashboards.
DASHBOARDS: dict[str, str] = {
    "portfolio": "portfolio-summary",
    "program": "portfolio-summary",
    "project": "project-status",
}

# A report without an HTML format is shown in a page as text, in the first of these it has.
_TEXT_FORMATS = ("md", "txt", "json", "csv")
# Formats a browser should save rather than show.
_ATTACHMENT_FORMATS = frozenset({"csv", "xlsx"})
_KIND_ORDER = {"portfolio": 0, "program": 1, "project": 2}


@dataclass(frozen=True)
class Defaults:
    """What ``create_app`` was given: the workspace and the dates pages show by default."""

    root: Path
    status_date: date | None
    as_of: date | datetime | None


@dataclass(frozen=True)
class _Reading:
    """One request's workspace, view and dates, and the links it makes."""

    ws: Workspace
    view: WorkspaceView
    status_date: date | None
    as_of: date | datetime | None
    base: str
    query: str

    def url(self, path: str, **extra: str) -> str:
        params = self.query + ("&" if self.query and extra else "") + urlencode(extra)
        return self.base + path + (f"?{params}" if params else "")

    def entity_url(self, key: str) -> str:
        return self.url(f"/entity/{quote(key, safe='')}")

    def report_url(self, name: str, scope: str | None = None, **extra: str) -> str:
        path = f"/reports/{quote(name, safe='')}"
        if scope is not None:
            path += f"/{quote(scope, safe='')}"
        return self.url(path, **extra)

    def nav(self, crumbs: Sequence[Link] = (), **more: Any) -> Nav:
        known = self.view.known_at
        return Nav(
            home=self.url("/"),
            reports=self.url("/reports"),
            status_date=self.view.status_date.isoformat(),
            known=f"as known at {show_moment(known)}" if known else "as known now",
            crumbs=tuple(crumbs),
            **more,
        )

    def report(self, name: str, scope: str | None, fmt: str) -> ReportOutput:
        return self.ws.report(
            name, scope, format=fmt, status_date=self.status_date, as_of=self.as_of
        )


def _given(request: Request, name: str) -> str | None:
    # An empty field of the dates form means "the default", not a bad value.
    value = request.query_params.get(name)
    return value if value else None


@contextmanager
def _reading(request: Request) -> Iterator[_Reading]:
    defaults: Defaults = request.app.state.pmo_defaults
    status_text, as_of_text = _given(request, "status_date"), _given(request, "as_of")
    status_date = (
        parse_status_date(status_text, "status_date") if status_text else defaults.status_date
    )
    as_of = parse_as_of(as_of_text, "as_of") if as_of_text else defaults.as_of
    kept = {k: v for k, v in (("status_date", status_text), ("as_of", as_of_text)) if v}
    with Workspace.open(defaults.root) as ws:
        yield _Reading(
            ws=ws,
            view=ws.view(as_of, status_date=status_date),
            status_date=status_date,
            as_of=as_of,
            # Under a mount (``/pmo``) the links start with the mount's path.
            base=str(request.scope.get("root_path", "")).rstrip("/"),
            query=urlencode(kept),
        )


def _html(text: str, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status_code)


# ------------------------------------------------------------------------------- the tree


def _node(reading: _Reading, entity: Entity, seen: set[str]) -> dict[str, Any]:
    seen.add(entity.id)
    latest = reading.view.latest_status(entity.id)
    children = [c for c in reading.view.children(entity.id) if not c.archived and c.id not in seen]
    children.sort(key=lambda e: (_KIND_ORDER.get(e.kind, 9), e.id))
    return {
        "key": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "lifecycle": entity.lifecycle,
        "colour": latest.overall.value if latest else None,
        "reported_on": latest.as_of.isoformat() if latest else None,
        "url": reading.entity_url(entity.id),
        "children": [_node(reading, c, seen) for c in children],
    }


def tree(request: Request) -> Response:
    """``/``: portfolios > programs > projects, each with its latest reported colour."""
    with _reading(request) as reading:
        live = reading.view.entities()
        keys = {e.id for e in live}
        # Roots: no parent, or a parent archived or not known at the view's moment.
        roots = sorted(
            (e for e in live if e.parent is None or e.parent not in keys),
            key=lambda e: (_KIND_ORDER.get(e.kind, 9), e.id),
        )
        seen: set[str] = set()
        nodes = [_node(reading, e, seen) for e in roots]
        form = {
            "status_date": reading.view.status_date.isoformat(),
            "as_of": _given(request, "as_of") or "",
        }
        return _html(
            page(
                "tree.html",
                title=reading.ws.config.name,
                nav=reading.nav(),
                nodes=nodes,
                form=form,
                known_then=reading.view.known_at is not None,
            )
        )


# ----------------------------------------------------------------------------- reports


def _record(ws: Workspace, name: str) -> PmoReport:
    return ws.host.record(PmoReport, name)


def _format_links(reading: _Reading, report: PmoReport, scope: str | None) -> tuple[Link, ...]:
    return tuple(
        Link(fmt, reading.report_url(report.name, scope, format=fmt)) for fmt in report.formats
    )


def _text(content: str | bytes) -> str:
    return content if isinstance(content, str) else content.decode("utf-8", errors="replace")


def _browser_page(
    reading: _Reading,
    report: PmoReport,
    entity: Entity | None,
    *,
    crumbs: Sequence[Link],
    others: Sequence[Link] = (),
) -> Response:
    """A report as a page: its own HTML document with the bar on top, else its text."""
    scope = entity.id if entity else None
    nav = reading.nav(
        crumbs,
        formats=_format_links(reading, report, scope),
        formats_label=f"{report.name} as",
        others=tuple(others),
    )
    if "html" in report.formats:
        output = reading.report(report.name, scope, "html")
        return _html(with_nav(_text(output.content), nav))
    shown = next((f for f in _TEXT_FORMATS if f in report.formats), None)
    text = _text(reading.report(report.name, scope, shown).content) if shown else None
    where = f"{entity.kind} {entity.id}" if entity else "the PMO"
    title = f"{report.name}: {where}"
    note = (
        f"This report has no HTML format; shown as {shown}."
        if shown
        else "This report has no format a page can show; use the links above."
    )
    return _html(page("text_report.html", title=title, nav=nav, text=text, note=note, entity=None))


def _crumbs(reading: _Reading, entity: Entity) -> list[Link]:
    path = [*reversed(reading.view.ancestors(entity.id)), entity]
    return [Link(f"{e.id} {e.name}", reading.entity_url(e.id)) for e in path]


def _scope_entity(reading: _Reading, key: str) -> Entity:
    found = reading.view.find(key)
    if found is None:
        known = reading.view.known_at
        if known is not None and reading.ws.view().find(key) is not None:
            raise NotFoundError(
                f"{key!r} was not yet recorded as known at {show_moment(known)} "
                "(as_of reads the workspace as it was known then; for a view of an earlier "
                "day from what is known now, use status_date)"
            )
        raise NotFoundError(f"no portfolio, program or project {key!r}")
    return found


def entity(request: Request) -> Response:
    """``/entity/{key}``: the entity's dashboard (a report chosen by kind in DASHBOARDS)."""
    key = request.path_params["key"]
    with _reading(request) as reading:
        found = _scope_entity(reading, key)
        crumbs = _crumbs(reading, found)
        reports = reading.ws.host.records(PmoReport)
        others = [
            Link(r.name, reading.report_url(r.name, found.id))
            for r in reports
            if found.kind in r.scopes and r.name != DASHBOARDS.get(found.kind)
        ]
        dashboard = next((r for r in reports if r.name == DASHBOARDS.get(found.kind)), None)
        if dashboard is not None and found.kind in dashboard.scopes:
            return _browser_page(reading, dashboard, found, crumbs=crumbs, others=others)
        latest = reading.view.latest_status(found.id)
        wanted = DASHBOARDS.get(found.kind)
        note = (
            f"No dashboard: no enabled plugin provides the report {wanted!r} "
            "(pmo plugins enable reports)."
            if wanted
            else f"No dashboard for a {found.kind}."
        )
        facts = {
            "kind": found.kind,
            "name": found.name,
            "lifecycle": found.lifecycle,
            "colour": latest.overall.value if latest else None,
        }
        title = f"{found.kind} {found.id}"
        nav = reading.nav(crumbs, others=tuple(others))
        return _html(
            page("text_report.html", title=title, nav=nav, text=None, note=note, entity=facts)
        )


def report_list(request: Request) -> Response:
    """``/reports``: the reports the workspace's enabled plugins provide."""
    with _reading(request) as reading:
        rows = []
        for r in reading.ws.host.records(PmoReport):
            pmo_wide = "pmo" in r.scopes
            rows.append(
                {
                    "name": r.name,
                    "plugin": r.plugin,
                    "summary": r.summary,
                    "scopes": list(r.scopes),
                    "url": reading.report_url(r.name) if pmo_wide else None,
                    "formats": [
                        Link(f, reading.report_url(r.name, format=f) if pmo_wide else "")
                        for f in r.formats
                    ],
                }
            )
        return _html(page("reports.html", title="Reports", nav=reading.nav(), reports=rows))


_UNSAFE_IN_FILENAME = re.compile(r"[^A-Za-z0-9._-]")


def _shown_inline(media: str) -> bool:
    return media.startswith("text/") or media.split(";")[0].strip() == "application/json"


def _media_type(output: ReportOutput) -> str:
    media = output.media_type
    if isinstance(output.content, str) and _shown_inline(media) and "charset" not in media:
        return f"{media}; charset=utf-8"
    return media


def report(request: Request) -> Response:
    """``/reports/{name}`` (the PMO) and ``/reports/{name}/{scope}``: a report as a page, or
    in the format ``?format=`` names, with its media type."""
    name = request.path_params["name"]
    scope = request.path_params.get("scope")
    fmt = request.query_params.get("format")
    with _reading(request) as reading:
        record = _record(reading.ws, name)
        if fmt is not None and fmt not in record.formats:
            raise InvalidInputError(
                f"report {name!r} has formats {', '.join(record.formats)}, not {fmt!r}",
                where="format",
            )
        found = _scope_entity(reading, scope) if scope is not None else None
        kind = found.kind if found else "pmo"
        if kind not in record.scopes:
            raise InvalidInputError(
                f"report {name!r} covers {', '.join(record.scopes)}, not a {kind}", where="scope"
            )
        if fmt is None:
            crumbs = _crumbs(reading, found) if found else []
            return _browser_page(reading, record, found, crumbs=crumbs)
        output = reading.report(name, scope, fmt)
        headers = {}
        if fmt in _ATTACHMENT_FORMATS or not _shown_inline(output.media_type):
            day = reading.view.status_date.isoformat()
            filename = _UNSAFE_IN_FILENAME.sub("_", f"{name}-{scope or 'pmo'}-{day}.{fmt}")
            headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        return Response(output.content, media_type=_media_type(output), headers=headers)
