"""The ranked pipeline: the proposals of a portfolio or program, best value first."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from pmo_core import Entity, InvalidInputError, Money, Score, WorkspaceView

from ._fields import strategy_fields

#: What scores a list of projects with a named model (``Workspace.score`` on a view, or
#: ``ReportRequest.score``).
Scorer = Callable[[str, Sequence[str]], Mapping[str, Score]]


def proposals(view: WorkspaceView, under: str | None = None) -> list[Entity]:
    """The proposed projects (lifecycle ``proposed``) below ``under``, by key.

    Example::

        [p.id for p in proposals(ws.view(), "PF")]  # ['CRM', 'ERP']
    """
    return [p for p in view.projects(under=under) if p.lifecycle == "proposed"]


def proposal_cost(entity: Entity) -> Money | None:
    """What a proposal costs: the sum of its yearly ``costs``, else its budget, else ``None``.

    Example::

        proposal_cost(ws.view().entity("CRM"))  # Money('400000 EUR')
    """
    costs = strategy_fields(entity).costs
    if not costs:
        return entity.budget
    currency = costs[min(costs)].currency
    try:
        return Money.total(costs.values(), currency)
    except InvalidInputError as exc:
        raise InvalidInputError(exc.message, where=f"{entity.id} costs") from None


@dataclass(frozen=True)
class PipelineRow:
    """One proposal in the ranked pipeline.

    ``rank`` starts at 1; proposals with equal values are ranked by key. ``marks`` are the
    selection constraints in words (``mandatory``, ``needs ERP``, ``excludes CRM``).

    Example::

        row = ranked_pipeline(ws.view(), "PF", "wsjf", scorer)[0]
        row.rank, row.entity.id, row.score.value, row.marks
    """

    rank: int
    entity: Entity
    score: Score
    cost: Money | None
    marks: tuple[str, ...]


def marks(entity: Entity) -> tuple[str, ...]:
    """The selection constraints of a proposal, in words.

    Example::

        marks(ws.view().entity("CRM"))  # ('mandatory', 'needs ERP')
    """
    fields = strategy_fields(entity)
    out = ["mandatory"] if fields.mandatory else []
    out += [f"needs {key}" for key in fields.depends_on]
    out += [f"excludes {key}" for key in fields.excludes]
    return tuple(out)


def ranked_pipeline(
    view: WorkspaceView, under: str | None, model: str, scorer: Scorer
) -> list[PipelineRow]:
    """The proposals below ``under`` scored with ``model`` by ``scorer``, best first.

    Example::

        rows = ranked_pipeline(ws.view(), "PF", "npv",
                               lambda m, keys: ws.score(m, keys))
    """
    found = proposals(view, under)
    scores = scorer(model, [p.id for p in found]) if found else {}
    order = sorted(found, key=lambda p: (-scores[p.id].value, p.id))
    return [
        PipelineRow(n, p, scores[p.id], proposal_cost(p), marks(p))
        for n, p in enumerate(order, start=1)
    ]


def value_text(value: Decimal) -> str:
    """A score as shown: as the model gave it (money keeps its cents), rounded to four
    decimal places when it has more.

    Example::

        value_text(Decimal("22908.10"))  # '22908.10'
        value_text(Decimal(1) / 3)  # '0.3333'
    """
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -4:
        return f"{value:f}"
    return f"{value.quantize(Decimal('0.0001')).normalize():f}"
