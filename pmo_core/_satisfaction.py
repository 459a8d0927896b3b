"""Stakeholder satisfaction: the mean survey score per group and per period, computed once
for ``pmo survey list --by``, :meth:`Workspace.satisfaction <pmo_core.Workspace.satisfaction>`
and the pmo-review report alike."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from ._errors import InvalidInputError

if TYPE_CHECKING:
    from ._domain import SurveyResponse

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class SatisfactionScore:
    """The stakeholder satisfaction of one group and/or period: how many responses and
    their mean score (1 to 5, two places).

    Example::

        score = SatisfactionScore(group="sponsors", period=None, responses=3,
                                  mean=Decimal("3.67"))
    """

    group: str | None
    period: str | None
    responses: int
    mean: Decimal

    def as_dict(self) -> dict[str, Any]:
        """JSON-able (the mean as a string).

        Example::

            score.as_dict()["mean"]  # '3.67'
        """
        return {
            "group": self.group,
            "period": self.period,
            "responses": self.responses,
            "mean": str(self.mean),
        }


def satisfaction_scores(responses: Iterable[SurveyResponse], by: str) -> list[SatisfactionScore]:
    """The mean score of ``responses`` per stakeholder group (``by="group"``), per month
    (``"month"``, keys ``2026-11``), per both (``"group-month"``) or of all of them
    (``"all"``: one score, or none without responses), in key order; the mean to two
    places, rounded half up.

    Example::

        satisfaction_scores(ws.survey_responses(), "group")[0].mean  # Decimal('3.67')
    """
    if by not in ("group", "month", "group-month", "all"):
        raise InvalidInputError(f"{by!r} is not group, month, group-month or all", where="--by")
    buckets: dict[tuple[str, str], list[int]] = {}
    for r in responses:
        month = f"{r.on.year:04d}-{r.on.month:02d}"
        group = r.group if by in ("group", "group-month") else ""
        key = (group, month if by in ("month", "group-month") else "")
        buckets.setdefault(key, []).append(r.score)
    return [
        SatisfactionScore(
            group=group or None,
            period=period or None,
            responses=len(scores),
            mean=(Decimal(sum(scores)) / Decimal(len(scores))).quantize(_CENT, ROUND_HALF_UP),
        )
        for (group, period), scores in sorted(buckets.items())
    ]


__all__ = ["SatisfactionScore", "satisfaction_scores"]
