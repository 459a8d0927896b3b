"""The value of proposals under a scoring model; selection maximises the sum of these values."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from pmo_core import InvalidInputError, Workspace, WorkspaceView

#: The model used when none is named: strategic alignment.
DEFAULT_MODEL = "alignment"


def proposal_values(
    ws: Workspace,
    keys: Sequence[str],
    model: str = DEFAULT_MODEL,
    *,
    view: WorkspaceView | None = None,
) -> dict[str, Decimal]:
    """The value of each project in ``keys`` under the scoring model ``model``.

    ``view`` is the state to score (the workspace's current view when omitted); the model is
    looked up among the scoring models the workspace's plugins register
    (:meth:`Workspace.score <pmo_core.Workspace.score>`), with its settings.

    ``alignment`` sums, over the objectives a project serves, the objective's weight times the
    alignment's weight. An unknown model is an :class:`~pmo_core.InvalidInputError` naming
    ``--model``.

    Example::

        proposal_values(ws, ["EV-FLEET", "CRM"], "alignment")  # {'EV-FLEET': ...}
    """
    try:
        scores = ws.score(model, keys, view=view)
    except InvalidInputError as exc:
        if exc.where != "model":
            raise
        raise InvalidInputError(exc.message, where="--model") from None
    return {key: score.value for key, score in scores.items()}
