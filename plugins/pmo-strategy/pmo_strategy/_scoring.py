"""The value of proposals under a scoring model; selection maximises the sum of these values."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from pmo_core import Alignment, InvalidInputError, Objective, Workspace, WorkspaceView

#: The model used when none is named: strategic alignment.
DEFAULT_MODEL = "alignment"


def _alignment(view: WorkspaceView, keys: Sequence[str]) -> dict[str, Decimal]:
    weight = {o.id: Decimal(str(o.weight)) for o in view.records(Objective)}
    values = dict.fromkeys(keys, Decimal(0))
    for a in view.records(Alignment):
        if a.project in values and a.objective in weight:
            values[a.project] += weight[a.objective] * Decimal(str(a.weight))
    return values


def proposal_values(
    ws: Workspace,
    keys: Sequence[str],
    model: str = DEFAULT_MODEL,
    *,
    view: WorkspaceView | None = None,
) -> dict[str, Decimal]:
    """The value of each project in ``keys`` under the scoring model ``model``.

    ``view`` is the state to score (the workspace's current view when omitted); the workspace
    supplies the registered scoring models and their settings.

    ``alignment`` sums, over the objectives a project serves, the objective's weight times the
    alignment's weight. An unknown model is an :class:`~pmo_core.InvalidInputError`.

    Example::

        proposal_values(ws, ["EV-FLEET", "CRM"], "alignment")  # {'EV-FLEET': ...}
    """
    if model == "alignment":
        return _alignment(ws.view() if view is None else view, keys)
    raise InvalidInputError(f"no scoring model {model!r}; known: alignment", where="--model")
