"""Rendering reports: the scope and format are checked, a failing report is the plugin's
error, never a traceback."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from .._errors import PLUGIN_FAILURES, InvalidInputError, NotFoundError, PluginError, describe
from .._gc import collector_paused
from .._records import PmoReport, ReportOutput, ReportRequest
from .options import refuse_undeclared

if TYPE_CHECKING:
    from .._domain import Entity
    from .._records import PmoGovernanceModel
    from .._view import WorkspaceView
    from .._workspace import Workspace
    from .governance import GovernanceService


class ReportService:
    """Renders the reports the workspace's plugins register."""

    def __init__(self, ws: Workspace, governance: GovernanceService) -> None:
        self._ws = ws
        self._governance = governance

    def _model(self, view: WorkspaceView, entity: Entity) -> PmoGovernanceModel | None:
        model, unavailable = self._governance.model_in_force(entity, view)
        return None if unavailable else model

    def render(
        self,
        name: str,
        scope: str | None,
        *,
        format: str | None,
        status_date: date | None,
        as_of: date | datetime | None,
        options: Mapping[str, Any],
    ) -> ReportOutput:
        """See :meth:`Workspace.report <pmo_core.Workspace.report>`."""
        report = self._ws.host.record(PmoReport, name)
        view = self._ws.view(as_of, status_date=status_date)
        entity = self._scope(view, scope) if scope else None
        scope_kind = entity.kind if entity else "pmo"
        if scope_kind not in report.scopes:
            raise InvalidInputError(
                f"report {report.name!r} covers {', '.join(report.scopes)}, not a {scope_kind}",
                where="scope",
            )
        fmt = format or report.formats[0]
        if fmt not in report.formats:
            raise InvalidInputError(
                f"report {report.name!r} has formats {', '.join(report.formats)}, not {fmt!r}",
                where="--format",
            )
        if report.options is not None:
            refuse_undeclared(f"report {report.name!r}", report.options, options)
        request = ReportRequest(
            view=view,
            scope=entity,
            format=fmt,
            status_date=view.status_date,
            known_at=view.known_at,
            options=options,
            governance_model=functools.partial(self._model, view),
            tolerance_checks=lambda key: self._ws.tolerance_checks(key, view=view),
            rule_settings=self._ws.rule_settings,
            score=lambda model, keys: self._ws.score(model, keys, view=view),
            settings=self._ws.settings,
        )
        try:
            with collector_paused():
                output = report.render(request)
        except InvalidInputError as exc:
            # The report refused its input (an option it does not take, a value it cannot
            # read): the caller's mistake, named as such, not a failing plugin.
            raise InvalidInputError(
                f"report {report.name!r}: {exc.message}", where=exc.where
            ) from exc
        except PluginError:
            raise  # another plugin the report called (a scoring model) failed: it is named
        except PLUGIN_FAILURES as exc:
            raise PluginError(
                f"report {report.name!r} failed: {describe(exc)}", plugin=report.plugin
            ) from exc
        if not isinstance(output, ReportOutput):
            raise PluginError(
                f"report {report.name!r} returned {type(output).__name__}, not ReportOutput",
                plugin=report.plugin,
            )
        return output

    def _scope(self, view: WorkspaceView, key: str) -> Entity:
        try:
            return view.entity(key)
        except NotFoundError:
            if view.known_at is None:
                raise
            try:
                self._ws.view().entity(key)
            except NotFoundError:
                raise NotFoundError(f"no portfolio, program or project {key!r}") from None
            # It exists now but was not yet recorded then: say so, and point to the data date.
            raise NotFoundError(
                f"{key!r} was not yet recorded as known at {view.known_at.isoformat()} "
                "(--as-of reads the workspace as it was known then; for a report about an "
                "earlier day made from what is known now, use --status-date)"
            ) from None
