"""Watermelons: a reported colour better than the one the figures give ("green outside, red
inside"), per dimension, with the figures that say so.

A status report colours the entity overall and per dimension (schedule, cost, scope,
resources, risk); the metrics service computes colours where figures exist (schedule from
SPI, cost from CPI, overall the worst of them). Any reported colour *better* than the
computed one for the same dimension is flagged, amber over red as much as green over red; and
an overall colour better than the worst of the report's own dimensions is flagged too, since
the report contradicts itself. A colour the reporter overrode with a reason
(:class:`~pmo_core.RagOverride`) is still flagged, with the reason beside it: the override
explains the difference, it does not hide it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ._errors import InvalidInputError

if TYPE_CHECKING:
    from ._domain import StatusReport
    from ._metrics import ProjectMetrics

_SEVERITY = {"green": 0, "amber": 1, "red": 2}

#: Where a computed colour comes from, per dimension, for the message.
_BASIS = {"schedule": "SPI", "cost": "CPI", "overall": "worst of SPI and CPI"}


def _colour(value: object, what: str) -> str | None:
    if value is None:
        return None
    text = getattr(value, "value", value)
    if text not in _SEVERITY:
        raise InvalidInputError(f"{text!r} is not a RAG colour (green, amber or red)", where=what)
    return str(text)


@dataclass(frozen=True)
class Watermelon:
    """One dimension reported better than its figures say.

    ``basis`` is ``"computed"`` when the figures give the colour, ``"dimensions"`` when the
    overall colour is better than the worst of the report's own dimensions. ``figures`` are
    the published values behind the computed colour; ``reason`` the override's, if any.

    Example::

        w = Watermelon(dimension="schedule", reported="amber", computed="red",
                       basis="computed", figures={"SPI": Decimal("0.76")})
    """

    dimension: str
    reported: str
    computed: str
    basis: str
    figures: Mapping[str, Decimal | None] = field(default_factory=dict)
    reason: str = ""

    @property
    def message(self) -> str:
        """One line a reader can check against the figures.

        Example::

            w.message  # 'schedule reported amber, computed red (SPI 0.76)'
        """
        if self.basis == "dimensions":
            said = f"overall reported {self.reported}, but a dimension is {self.computed}"
        else:
            shown = ", ".join(
                f"{k} {'n/a' if v is None else v}" for k, v in self.figures.items()
            ) or _BASIS.get(self.dimension, "figures")
            said = f"{self.dimension} reported {self.reported}, computed {self.computed} ({shown})"
        return said + (f"; overridden: {self.reason}" if self.reason else "")

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able view (Decimals as strings).

        Example::

            w.as_dict()["dimension"]  # 'schedule'
        """
        return {
            "dimension": self.dimension,
            "reported": self.reported,
            "computed": self.computed,
            "basis": self.basis,
            "figures": {k: None if v is None else str(v) for k, v in self.figures.items()},
            "reason": self.reason,
            "message": self.message,
        }


def watermelons(
    reported: Mapping[str, object],
    computed: Mapping[str, object],
    *,
    figures: Mapping[str, Mapping[str, Decimal | None]] | None = None,
    reasons: Mapping[str, str] | None = None,
) -> tuple[Watermelon, ...]:
    """Every dimension whose reported colour is better than the computed one.

    ``reported`` maps ``overall`` and the dimensions to the colours a status report gave;
    ``computed`` maps the dimensions the figures colour (``schedule``, ``cost``,
    ``overall``...). A dimension missing on either side is not compared. Besides, an
    ``overall`` better than the worst reported dimension is flagged with basis
    ``"dimensions"`` (once: a computed overall that is worse still wins). ``figures`` gives,
    per dimension, the values behind the computed colour; ``reasons`` the override reasons.
    Colours are strings or :class:`~pmo_core.Rag`; anything else raises
    :class:`~pmo_core.InvalidInputError`.

    Example::

        watermelons({"overall": "amber", "schedule": "amber"}, {"schedule": "red",
                    "overall": "red"}, figures={"schedule": {"SPI": Decimal("0.76")}})
        # (Watermelon(dimension='schedule', ...), Watermelon(dimension='overall', ...))
    """
    said = {k: _colour(v, f"reported {k}") for k, v in reported.items()}
    found = {k: _colour(v, f"computed {k}") for k, v in computed.items()}
    figures = figures or {}
    reasons = reasons or {}
    out: list[Watermelon] = []
    for dimension, colour in said.items():
        if dimension == "overall" or colour is None:
            continue
        truth = found.get(dimension)
        if truth is not None and _SEVERITY[colour] < _SEVERITY[truth]:
            out.append(
                Watermelon(
                    dimension,
                    colour,
                    truth,
                    "computed",
                    dict(figures.get(dimension, {})),
                    reasons.get(dimension, ""),
                )
            )
    overall = said.get("overall")
    if overall is not None:
        truth = found.get("overall")
        worst_dimension = max(
            (c for k, c in said.items() if k != "overall" and c is not None),
            key=_SEVERITY.__getitem__,
            default=None,
        )
        if truth is not None and _SEVERITY[overall] < _SEVERITY[truth]:
            out.append(
                Watermelon(
                    "overall",
                    overall,
                    truth,
                    "computed",
                    dict(figures.get("overall", {})),
                    reasons.get("overall", ""),
                )
            )
        elif worst_dimension is not None and _SEVERITY[overall] < _SEVERITY[worst_dimension]:
            out.append(
                Watermelon(
                    "overall",
                    overall,
                    worst_dimension,
                    "dimensions",
                    {},
                    reasons.get("overall", ""),
                )
            )
    return tuple(out)


def report_watermelons(report: StatusReport, figures: ProjectMetrics) -> tuple[Watermelon, ...]:
    """The watermelons of a status report against the figures of the metrics service.

    ``figures`` are those of the report's entity (a project's :func:`~pmo_core.measure_project`,
    or the totals of a program's or portfolio's :func:`~pmo_core.measure_scope`), measured on
    the day the report is about or on whichever day the caller compares. The schedule colour
    is SPI's, cost CPI's, overall the worst of both, each with its figures. A reason is
    attached when the report overrides that dimension with a computed colour at least as bad
    as the one found: an override written when the figures said amber does not explain a
    green over red.

    Example::

        report = view.latest_status("ALPHA")
        figures = measure_project(view, "ALPHA", status_date=report.as_of)
        [w.message for w in report_watermelons(report, figures)]
        # ['schedule reported amber, computed red (SPI 0.8143)',
        #  'overall reported amber, computed red (SPI 0.8143, CPI 0.9443)']
    """
    spi, cpi = figures.value("spi"), figures.value("cpi")
    reported: dict[str, object] = {"overall": report.overall}
    reported.update((str(k), v) for k, v in report.dimensions.items())
    found = watermelons(
        reported,
        {"schedule": figures.schedule, "cost": figures.cost, "overall": figures.overall},
        figures={
            "schedule": {"SPI": spi},
            "cost": {"CPI": cpi},
            "overall": {"SPI": spi, "CPI": cpi},
        },
    )
    overrides = {str(o.dimension): o for o in report.overrides}
    out: list[Watermelon] = []
    for melon in found:
        override = overrides.get(melon.dimension)
        if override is not None and override.computed.severity >= _SEVERITY[melon.computed]:
            melon = replace(melon, reason=override.reason)
        out.append(melon)
    return tuple(out)
