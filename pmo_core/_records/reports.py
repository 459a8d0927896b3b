"""Report records: a report over a scope, what it is given, what it returns, and the metrics
it computed with their lineage."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field, model_validator

from ._base import Frozen, PmoRecord, ReportScope
from .connectors import OPTION_NAME

if TYPE_CHECKING:
    from .._domain import Entity
    from .._tolerances import ToleranceCheck
    from .._view import WorkspaceView
    from .governance import PmoGovernanceModel
    from .scoring import Score


class Metric(Frozen):
    """A computed figure with its lineage: inputs, formula, thresholds and RAG.

    ``value`` is ``None`` when the formula is undefined (a zero divisor).

    Example::

        Metric(name="spi", value=Decimal("0.92"), formula="EV / PV",
               inputs={"EV": Decimal("92"), "PV": Decimal("100")},
               thresholds={"green": "0.95-1.05", "amber": "0.90-0.95 or 1.05-1.10"},
               rag="amber", source="FEMA program dashboard")
    """

    #: What it measures (``spi``, ``cpi``...).
    name: str
    #: The figure; ``None`` when the formula is undefined (a zero divisor).
    value: Decimal | None
    #: How it is computed from its inputs (``EV / PV``).
    formula: str
    #: The figures the formula used, by name.
    inputs: Mapping[str, Decimal | str | None] = Field(default_factory=dict)
    #: The range of each colour, by colour.
    thresholds: Mapping[str, str] = Field(default_factory=dict)
    #: The colour its value falls in; ``None`` without thresholds.
    rag: Literal["green", "amber", "red"] | None = None
    #: What the value is in (``EUR``, ``%``, ``days``), for display.
    unit: str = ""
    #: Where the definition comes from (a standard, a dashboard).
    source: str = ""


@dataclass(frozen=True)
class ReportRequest:
    """What a report's ``render`` function receives.

    ``view`` reads the workspace; ``status_date`` is the data date the report is about and
    ``known_at`` the knowledge moment it reads the journal at (``None``: now), both as
    :meth:`Workspace.view <pmo_core.Workspace.view>` sets them; ``scope`` is the portfolio,
    program or project the report is about (``None`` for a PMO-wide report); ``format`` is one
    of the report's formats; ``options`` are the report's own options (``--option KEY=VALUE``).
    ``tolerance_checks(key)`` measures an entity's tolerances on the report's view, with the
    limits in force for it (the governance model's, the tolerance rule's settings), as
    :meth:`Workspace.tolerance_checks <pmo_core.Workspace.tolerance_checks>` does; it is
    ``None`` when the request was made outside a workspace (a test building one by hand).
    ``rule_settings(rule, key)`` gives the settings a governance rule sees for an entity, as
    :meth:`Workspace.rule_settings <pmo_core.Workspace.rule_settings>` does, so a report flags
    what the rule flags (``None`` outside a workspace, as ``tolerance_checks``).
    ``score(model, keys)`` scores projects with a registered scoring model on the report's
    view, as :meth:`Workspace.score <pmo_core.Workspace.score>` does (``None`` outside a
    workspace).
    ``settings(name)`` gives a plugin's settings (``[settings.<name>]`` in ``pmo.toml``,
    overridden by ``PMO_<NAME>_<FIELD>``), validated by the model it registered with
    :func:`~pmo_core.hookspecs.pmo_settings`, as :meth:`Workspace.settings
    <pmo_core.Workspace.settings>` does, so a report takes a workspace's defaults for its
    options (``None`` outside a workspace).

    Example::

        def render(request: ReportRequest) -> ReportOutput:
            projects = list(request.view.projects(under=request.scope.id))
            if request.tolerance_checks is not None:
                breached = [c for c in request.tolerance_checks("ALPHA") if c.breached]
            if request.rule_settings is not None:
                limits = request.rule_settings("benefit-at-risk", "PF")
            if request.score is not None:
                ranked = request.score("wsjf", ["CRM", "ERP"])  # {'CRM': Score(...), ...}
            if request.settings is not None:
                grace = request.settings("acme-report").grace  # [settings.acme-report]
            ...
    """

    #: Reads the workspace as of the status date.
    view: WorkspaceView
    #: The portfolio, program or project reported on; ``None`` for the whole PMO.
    scope: Entity | None
    #: The format asked for, one of the report's formats.
    format: str
    #: The data date the report is about.
    status_date: date
    #: The knowledge moment the journal is read at; ``None``: now.
    known_at: datetime | None = None
    #: The report's own options (``--option KEY=VALUE``).
    options: Mapping[str, Any] = field(default_factory=dict)
    #: The governance model in force for an entity.
    governance_model: Callable[[Entity], PmoGovernanceModel | None] | None = None
    #: An entity's tolerances measured on the report's view.
    tolerance_checks: Callable[[str], Sequence[ToleranceCheck]] | None = None
    #: The settings a governance rule sees for an entity.
    rule_settings: Callable[[str, str], BaseModel | None] | None = None
    #: Scores projects with a registered scoring model.
    score: Callable[[str, Sequence[str]], Mapping[str, Score]] | None = None
    #: A plugin's settings, by name.
    settings: Callable[[str], BaseModel] | None = None


@dataclass(frozen=True)
class ReportOutput:
    """A rendered report: its content, media type and the metrics it computed.

    Example::

        spi = Metric(name="spi", value=Decimal("0.92"), formula="EV / PV")
        ReportOutput(content="# Status\\n", media_type="text/markdown", metrics=(spi,))
    """

    #: The rendered report: text, or bytes for a binary format (xlsx).
    content: str | bytes
    #: Its media type (``text/markdown``, ``application/json``...).
    media_type: str
    #: The metrics it computed, with their lineage.
    metrics: tuple[Metric, ...] = ()


class PmoReport(PmoRecord):
    """A report, yielded by :func:`~pmo_core.hookspecs.pmo_reports`.

    ``options`` names the options ``render`` takes from the caller (``pmo report ...
    --option open=false``, ``ws.report(..., options=...)``), each with one line saying what
    it does, as :attr:`PmoConnector.options <pmo_core.PmoConnector.options>` does: the core
    refuses an option the report does not declare, suggesting the nearest, before the report
    renders; ``{}`` declares that it takes none. ``None`` (the default) leaves every option
    to ``render`` to check, as reports did before they declared them.

    Example::

        def render(request: ReportRequest) -> ReportOutput:
            risks = request.view.raid(request.scope.id, type="risk")
            if request.options.get("open", "true") != "false":
                risks = [r for r in risks if r.status == "open"]
            return ReportOutput(content=f"{len(risks)} risks\\n", media_type="text/markdown")

        PmoReport(name="risk-heatmap", summary="Risks by probability and impact.",
                  scopes=("project", "portfolio"), formats=("md", "json"), render=render,
                  options={"open": "Only the open risks (true, the default, or false)."})
    """

    #: The kinds of scope it reports on (``project``, ``portfolio``...).
    scopes: tuple[ReportScope, ...]
    #: The formats it renders (``md``, ``json``, ``html``...).
    formats: tuple[str, ...]
    #: Makes the report from a :class:`ReportRequest`.
    render: Callable[[ReportRequest], ReportOutput]
    #: The options ``render`` takes (``--option KEY=VALUE``): name -> what it does;
    #: ``None``: not declared, ``render`` checks them itself.
    options: Mapping[str, str] | None = None

    @model_validator(mode="after")
    def _option_names(self) -> PmoReport:
        for option in self.options or {}:
            if not OPTION_NAME.match(option):
                raise ValueError(
                    f"report {self.name!r} declares the option {option!r}: an option is "
                    "lower case letters, digits, '_' and '-'"
                )
        return self


__all__ = ["Metric", "PmoReport", "ReportOutput", "ReportRequest"]
