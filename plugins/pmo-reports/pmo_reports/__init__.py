"""pmo-reports: a project status report, a portfolio summary, a RAID register, an
earned-value report and a roadmap, in Markdown, JSON, HTML, CSV and XLSX.

Registers five reports, each in the formats ``md`` (the default), ``json``, ``html`` (one
self-contained page with static SVG charts), ``csv`` (its main table) and ``xlsx`` (a sheet
per table):

- ``project-status`` (scope: a project): reported RAG per dimension beside the colours
  computed from earned value, a "watermelon" warning for every colour reported better than
  its figures say (:func:`pmo_core.watermelons`), key figures, the S-curve (in HTML), the
  next milestones, open high risks, RAID counts and the latest narrative.
- ``portfolio-summary`` (scope: a portfolio, a program or the whole PMO): one row per live
  project and totals recomputed from their summed BAC, PV, EV and AC; a roll-up per
  portfolio and program below; killed and closed projects under "Ended" with their final
  figures, proposed ones under "Pipeline", never in the totals (who counts is
  :func:`pmo_core.scope_members`'s call). In HTML: SPI against CPI sized by BAC, budget
  against actual and forecast, the RAG per program and dimension, the open milestones
  nearest the status date (at most 50), the top risks (a 5 x 5 grid and the ten highest)
  and the watermelons per dimension.
- ``raid-register`` (scope: a project, program, portfolio or the PMO): every RAID item of the
  scope by type, open items first; the risks on a 5 x 5 probability by impact grid; the
  option ``open=false`` lists closed items too.
- ``evm`` (scope: a project, program, portfolio or the PMO): every earned-value figure of
  the metrics service with its formula, inputs and basis, grouped (earned value, the EAC
  variants and which is the headline, ETC, VAC, TCPI, earned schedule, the current plan
  against the baseline), the unbaselined work items; for a project the time-phased series
  (option ``series=week|month``, default month) as a table and an S-curve, for a scope one
  row per live project and the totals.
- ``roadmap`` (scope: a portfolio, a program or the PMO): the live projects from planned
  start to finish, by program, with milestones and forecasts that finish late; the pipeline
  apart, ended projects left out.
- ``pmo-review`` (scope: the PMO): the PMO's own KPIs over a period (options ``from``,
  ``to``, ``currency``, ``rates``): projects on time and on budget, gate compliance, status
  reports on time, forecast error, gate request to decision, budget saved and overrun
  avoided, stakeholder satisfaction, the PMO's cost and its ROI; each KPI with its formula,
  inputs and the records behind it, "not measured" with the reason when data is missing.

Earned value comes from each project's work items (budget, percent complete, start, due,
actual cost) at the report's status date; colours follow the FEMA program-dashboard rule.
Every figure is a :class:`~pmo_core.Metric` with its formula, inputs and thresholds; a figure
whose formula is undefined (a zero divisor, no work items) is ``null`` in JSON and ``n/a``
in Markdown and HTML, never 0. The building blocks are public: :mod:`pmo_reports.kit`.

Example::

    from pmo_core import Workspace
    import pmo_reports

    with Workspace.in_memory(plugins={"reports": pmo_reports}) as ws:
        ...
        print(ws.report("portfolio-summary", "PF", format="md").content)
        html = ws.report("roadmap", "PF", format="html").content
"""

from __future__ import annotations

from collections.abc import Iterator

from pmo_core import PmoReport, hookimpl

from ._evm import render as render_evm
from ._output import FORMATS
from ._pmo_review import render as render_pmo_review
from ._portfolio_summary import render as render_portfolio_summary
from ._project_status import render as render_project_status
from ._raid_register import render as render_raid_register
from ._roadmap import render as render_roadmap
from ._version import VERSION

__version__ = VERSION

__all__ = [
    "__version__",
    "pmo_reports",
    "render_evm",
    "render_pmo_review",
    "render_portfolio_summary",
    "render_project_status",
    "render_raid_register",
    "render_roadmap",
]


@hookimpl
def pmo_reports() -> Iterator[PmoReport]:
    """Register ``project-status``, ``portfolio-summary``, ``raid-register``, ``evm``,
    ``roadmap`` and ``pmo-review``.

    Example::

        [r.name for r in ws.host.records(PmoReport)]
        # [..., 'evm', 'pmo-review', 'portfolio-summary', 'project-status', 'raid-register', ...]
    """
    yield PmoReport(
        name="project-status",
        summary="One project's status: RAG reported vs computed, earned value, milestones, RAID.",
        scopes=("project",),
        formats=FORMATS,
        render=render_project_status,
        options={},
    )
    yield PmoReport(
        name="portfolio-summary",
        summary="The live projects of a portfolio, program or the PMO, totals from summed EV.",
        scopes=("portfolio", "program", "pmo"),
        formats=FORMATS,
        render=render_portfolio_summary,
        options={},
    )
    yield PmoReport(
        name="raid-register",
        summary="Every RAID item of a scope by type, open first; risks on a 5 x 5 grid.",
        scopes=("project", "program", "portfolio", "pmo"),
        formats=FORMATS,
        render=render_raid_register,
        options={"open": "Only the open items (true, the default) or every item (false)."},
    )
    yield PmoReport(
        name="evm",
        summary="Every earned-value figure with its formula, inputs and basis; S-curve.",
        scopes=("project", "program", "portfolio", "pmo"),
        formats=FORMATS,
        render=render_evm,
        options={"series": "The S-curve's periods: week or month (a project's default: month)."},
    )
    yield PmoReport(
        name="roadmap",
        summary="Live projects on a time line by program, with milestones and late forecasts.",
        scopes=("portfolio", "program", "pmo"),
        formats=FORMATS,
        render=render_roadmap,
        options={},
    )
    yield PmoReport(
        name="pmo-review",
        summary="The PMO's own KPIs over a period, satisfaction and ROI, each with lineage.",
        scopes=("pmo",),
        formats=FORMATS,
        render=render_pmo_review,
        options={
            "from": "The period's first day, YYYY-MM-DD (default: January 1 of its end's year).",
            "to": "The period's last day, YYYY-MM-DD (default: the status date).",
            "currency": "The currency the money KPIs are in (default: the commonest).",
            "rates": "Conversion rates to it, CODE:RATE,... (e.g. USD:0.92).",
        },
    )
