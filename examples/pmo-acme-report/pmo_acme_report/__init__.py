"""Acme's overdue actions report for pmo-core: the open RAID actions past their due date.

The plugin the SDK tutorial "Your first report" builds: the report ``overdue-actions`` over a
project, program, portfolio or the whole PMO, in Markdown, JSON, HTML and CSV, with the share
of open actions that are overdue as a metric with its lineage, and its settings
``[settings.acme-report]`` (a workspace's default days of grace).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pmo_reports.kit import MEDIA_TYPES, Column, Paragraph, Section, Table, md_text, page
from pydantic import BaseModel, Field

from pmo_core import (
    Entity,
    InvalidInputError,
    Metric,
    PmoReport,
    PmoSettings,
    RaidItem,
    ReportOutput,
    ReportRequest,
    hookimpl,
    scope_members,
)

REPORT = "overdue-actions"


def projects_in(request: ReportRequest) -> list[Entity]:
    """The projects the report covers: the scope itself when it is a project, else the live
    projects below it (below every portfolio for the whole PMO).

    Example::

        [p.id for p in projects_in(request)]  # ['ALPHA', 'BETA']
    """
    scope = request.scope
    if scope is not None and scope.kind == "project":
        return [scope]
    return list(scope_members(request.view, scope).live)


def open_on(action: RaidItem, day: date) -> bool:
    """Whether ``action`` was open on ``day``: open now, or closed only after that day.

    Example::

        open_on(action, date(2025, 4, 30))  # True
    """
    if action.status == "open":
        return True
    return action.closed_on is not None and action.closed_on > day


@dataclass(frozen=True)
class Overdue:
    """The actions of the report's projects open on its status date, and the overdue ones.

    Example::

        found = overdue_actions(request, grace=0)
        found.open, [row["action"] for row in found.rows]  # (3, ['Sign the contract'])
    """

    open: int
    rows: list[dict[str, Any]]


def overdue_actions(request: ReportRequest, grace: int) -> Overdue:
    """The actions open on the status date, and one row per action more than ``grace``
    days past its due date, the most overdue first.

    Example::

        overdue_actions(request, grace=5).rows[0]["days_overdue"]  # 12
    """
    on = request.status_date
    open_count = 0
    rows: list[dict[str, Any]] = []
    for project in projects_in(request):
        for action in request.view.raid(project.id, type="action"):
            if not open_on(action, on):
                continue
            open_count += 1
            if action.due is None or (on - action.due).days <= grace:
                continue
            rows.append(
                {
                    "id": action.id,
                    "project": project.id,
                    "action": action.title,
                    "owner": action.owned_by,
                    "due": action.due,
                    "days_overdue": (on - action.due).days,
                }
            )
    rows.sort(key=lambda row: (-row["days_overdue"], row["project"], row["action"]))
    return Overdue(open=open_count, rows=rows)


GREEN_UP_TO = Decimal("0.10")
AMBER_UP_TO = Decimal("0.25")


def share_rag(share: Decimal | None) -> Literal["green", "amber", "red"] | None:
    """The colour of an overdue share: green up to 10 %, amber up to 25 %, red above;
    ``None`` when the share is undefined (no open actions).

    Example::

        share_rag(Decimal("0.10"))  # 'green'
    """
    if share is None:
        return None
    if share <= GREEN_UP_TO:
        return "green"
    if share <= AMBER_UP_TO:
        return "amber"
    return "red"


def overdue_share(found: Overdue) -> Metric:
    """The share of open actions that are overdue, with its lineage; undefined (``None``)
    when no action is open.

    Example::

        overdue_share(found).value  # Decimal('0.3333')
    """
    overdue, open_count = len(found.rows), found.open
    exact = Decimal(overdue) / Decimal(open_count) if open_count else None
    return Metric(
        name="overdue-share",
        # Coloured on the exact share; shown to four places.
        value=None if exact is None else exact.quantize(Decimal("0.0001")),
        formula="overdue actions / open actions",
        inputs={"overdue actions": Decimal(overdue), "open actions": Decimal(open_count)},
        thresholds={"green": "<= 0.10", "amber": "<= 0.25", "red": "> 0.25"},
        rag=share_rag(exact),
        unit="ratio",
        source="Acme PMO handbook",
    )


SETTINGS = "acme-report"


class AcmeReportSettings(BaseModel):
    """The report's defaults in a workspace: ``[settings.acme-report]`` in ``pmo.toml``,
    overridden by ``PMO_ACME_REPORT_GRACE``.

    Example::

        AcmeReportSettings(grace=2)
    """

    grace: int = Field(default=0, ge=0)


def default_grace(request: ReportRequest) -> int:
    """The workspace's default days of grace; 0 for a request built outside a workspace.

    Example::

        default_grace(request)  # 2, with grace = 2 under [settings.acme-report]
    """
    if request.settings is None:
        return 0
    settings = request.settings(SETTINGS)
    return settings.grace if isinstance(settings, AcmeReportSettings) else 0


def grace_days(options: Mapping[str, Any], default: int) -> int:
    """The report's one option, ``grace``: days past due before an action counts as
    overdue, ``default`` when not given. A value that is not a whole number of days from 0
    is refused naming it (pmo-core refuses an option the report does not declare).

    Example::

        grace_days({"grace": "5"}, 0)  # 5
    """
    if "grace" not in options:
        return default
    raw = options["grace"]
    text = str(raw).strip()
    if isinstance(raw, bool) or not text.isdigit():
        raise InvalidInputError(
            f"grace={raw!r} is not a whole number of days from 0", where="--option grace"
        )
    return int(text)


COLUMNS = [
    Column("project", "Project"),
    Column("action", "Action"),
    Column("owner", "Owner", missing="nobody"),
    Column("due", "Due", "date"),
    Column("days_overdue", "Overdue", "days"),
]


def title_of(request: ReportRequest) -> str:
    """The report's title: the scope's key and name, or the PMO.

    Example::

        title_of(request)  # 'Overdue actions: PF — Acme portfolio'
    """
    scope = request.scope
    return f"Overdue actions: {scope.id} — {scope.name}" if scope else "Overdue actions: the PMO"


def summary_of(request: ReportRequest, found: Overdue, metric: Metric, grace: int) -> str:
    """One sentence with the counts, the share and its colour.

    Example::

        summary_of(request, found, metric, 0)
        # '1 of 3 open actions overdue on 2025-04-30 (grace: 0 days): share 0.3333, RED.'
    """
    share = "undefined" if metric.value is None else str(metric.value)
    colour = (metric.rag or "no colour").upper()
    return (
        f"{len(found.rows)} of {found.open} open actions overdue on "
        f"{request.status_date.isoformat()} (grace: {grace} days): share {share}, {colour}."
    )


def render(request: ReportRequest) -> ReportOutput:
    """Render the report in ``request.format``: md, json, html or csv.

    Example::

        render(request).media_type  # 'text/markdown'
    """
    grace = grace_days(request.options, default_grace(request))
    found = overdue_actions(request, grace)
    metric = overdue_share(found)
    title = title_of(request)
    summary = summary_of(request, found, metric, grace)
    if request.format == "json":
        data = {
            "report": REPORT,
            "scope": request.scope.id if request.scope else None,
            "status_date": request.status_date.isoformat(),
            "grace": grace,
            "open": found.open,
            "actions": [{**row, "due": row["due"].isoformat()} for row in found.rows],
            "metrics": [metric.model_dump(mode="json")],
        }
        content = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        return ReportOutput(content, MEDIA_TYPES["json"], metrics=(metric,))
    table = Table("overdue-actions", "Overdue actions", COLUMNS, found.rows, empty="None.")
    if request.format == "csv":
        return ReportOutput(table.csv(), MEDIA_TYPES["csv"], metrics=(metric,))
    if request.format == "html":
        sections = [Section("Overdue actions", [Paragraph(summary), table])]
        return ReportOutput(page(title, sections), MEDIA_TYPES["html"], metrics=(metric,))
    lines = [f"# {md_text(title)}", "", summary, "", *table.markdown()]
    return ReportOutput("\n".join(lines) + "\n", MEDIA_TYPES["md"], metrics=(metric,))


@hookimpl
def pmo_reports() -> Iterator[PmoReport]:
    yield PmoReport(
        name=REPORT,
        summary="Open RAID actions past their due date.",
        scopes=("project", "program", "portfolio", "pmo"),
        formats=("md", "json", "html", "csv"),
        render=render,
        options={"grace": "Days an action may be past due before it counts (default 0)."},
    )


@hookimpl
def pmo_settings() -> Iterator[PmoSettings]:
    yield PmoSettings(
        name=SETTINGS,
        summary="Defaults of the overdue-actions report: grace (days).",
        model=AcmeReportSettings,
    )
