"""Scoring records: a model that values proposals, what it is given and what it returns."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import BaseModel

from ._base import PmoRecord

if TYPE_CHECKING:
    from .._domain import Entity
    from .._view import WorkspaceView


@dataclass(frozen=True)
class Score:
    """The value a scoring model gives one project, with a one-line reason.

    ``value`` is a finite :class:`~decimal.Decimal` (higher is better: rankings sort on it);
    ``explanation`` says how it was reached, in one line, so a board can check it.

    Example::

        Score(value=Decimal("4"), explanation="WSJF (8 + 5 + 3) / 4 = 4")
    """

    #: The value; higher is better (rankings sort on it).
    value: Decimal
    #: How it was reached, in one line.
    explanation: str = ""


@dataclass(frozen=True)
class ScoringRequest:
    """What a scoring model's ``score`` function receives.

    ``view`` reads the workspace (as the caller sees it: now, or a what-if state);
    ``proposals`` are the projects to score, in the caller's order; ``settings`` are the
    validated settings the model names (``[settings.<name>]`` of its ``settings`` field,
    ``None`` when it names none).

    Example::

        def score(request: ScoringRequest) -> dict[str, Score]:
            return {p.id: Score(Decimal(len(p.name)), f"{len(p.name)} letters")
                    for p in request.proposals}
    """

    #: Reads the workspace as the caller sees it (now, or a what-if state).
    view: WorkspaceView
    #: The projects to score, in the caller's order.
    proposals: tuple[Entity, ...]
    #: The validated settings the model names; ``None`` when it names none.
    settings: BaseModel | None = None


class PmoScoringModel(PmoRecord):
    """A scoring model, yielded by :func:`~pmo_core.hookspecs.pmo_scoring_models`.

    ``score`` receives a :class:`ScoringRequest` and returns a :class:`Score` for every
    proposal, by project key. ``settings`` names the settings it reads (a name registered
    with :func:`~pmo_core.hookspecs.pmo_settings`; empty: none); ``unit`` says what the values
    are (``points``, ``EUR``, ``%``), for display.

    Example::

        def score(request: ScoringRequest) -> dict[str, Score]:
            return {p.id: Score(Decimal(len(p.name)), f"{len(p.name)} letters")
                    for p in request.proposals}

        PmoScoringModel(name="name-length", summary="Longer names first (a toy).",
                        score=score, unit="letters")
    """

    #: Scores every proposal of a :class:`ScoringRequest`, by project key.
    score: Callable[[ScoringRequest], Mapping[str, Score]]
    #: The name of the settings it reads; empty: none.
    settings: str = ""
    #: What the values are (``points``, ``EUR``, ``%``), for display.
    unit: str = ""


__all__ = ["PmoScoringModel", "Score", "ScoringRequest"]
