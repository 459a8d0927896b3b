"""Rendering reports: the scope and format are checked, a failing report is the plugin's
error, never a traceback."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from .._errors import PLUGIN_FAILURES, InvalidInputError, PluginError, describe
from .._records import PmoReport, ReportOutput, ReportRequest

if TYPE_CHECKING:
    from .._workspace import Workspace


class ReportService:
    """Renders the reports the workspace's plugins register."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def render(
        self,
        name: str,
        scope: str | None,
        *,
        format: str | None,
        as_of: date | None,
        options: Mapping[str, Any],
    ) -> ReportOutput:
        """See :meth:`Workspace.report <pmo_core.Workspace.report>`."""
        report = self._ws.host.record(PmoReport, name)
        view = self._ws.view(as_of) if as_of else self._ws.view()
        entity = view.entity(scope) if scope else None
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
        request = ReportRequest(
            view=view, scope=entity, format=fmt, as_of=view.as_of, options=options
        )
        try:
            output = report.render(request)
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
