"""The PMO's own records: maturity assessments, stakeholder-satisfaction survey responses
and what the PMO itself costs. They belong to the workspace, not to an entity."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, model_validator
from typing_extensions import Self

from ._base import DomainModel, Key, Line, Name, NonNegativeMoney, Text

#: A maturity level, 1 (initial) to 5 (optimising).
Level = Annotated[int, Field(ge=1, le=5)]
#: A satisfaction score, 1 (very dissatisfied) to 5 (very satisfied).
Score = Annotated[int, Field(ge=1, le=5)]


class Assessment(DomainModel):
    """One maturity self-assessment of the PMO (``pmo assess``), as taken on ``taken_on``.

    ``answers`` maps each question id of the questionnaire ``questionnaire`` (its version)
    to the level chosen (1 to 5) or, for a question whose options are words, to the option
    chosen (``"scrum"``). ``levels`` holds the level computed per dimension and ``overall``
    the overall level (see :func:`pmo_core.score_answers` for how). ``note`` is free text.

    Example::

        Assessment(taken_on=date(2026, 12, 1), actor="Lee Chen", questionnaire="1",
                   answers={"gov-1": 2, "del-1": "scrum"},
                   levels={"governance": 2, "methodology": 1, "performance": 1,
                           "resources": 1, "knowledge": 1},
                   overall=1, note="First baseline of the PMO")
    """

    store_kind = "assessment"

    taken_on: date
    actor: Line = ""
    questionnaire: Line
    answers: dict[Line, Level | Line]
    levels: dict[Line, Level]
    overall: Level
    note: Text = ""


class SurveyResponse(DomainModel):
    """One stakeholder's answer to the PMO's satisfaction survey.

    ``group`` is the stakeholder group (``sponsors``, ``project managers``); ``respondent``
    may be left empty for an anonymous answer; ``score`` is 1 (very dissatisfied) to 5 (very
    satisfied); ``about`` optionally names the portfolio, program or project the answer is
    about; ``comment`` is free text.

    Example::

        SurveyResponse(on=date(2026, 11, 30), group="sponsors", respondent="Dana Ruiz",
                       score=4, about="ALPHA", comment="Gate packs arrive on time now")
    """

    store_kind = "survey_response"

    on: date
    group: Name
    respondent: Line = ""
    score: Score
    about: Key | None = None
    comment: Text = ""


class PmoCost(DomainModel):
    """What the PMO itself cost from ``start`` to ``end`` (inclusive): staff, tools...

    ``amount`` is money, never negative; ``category`` says what it was spent on
    (``staff``, ``tools``, ``training``); ``end`` is on or after ``start``.

    Example::

        PmoCost(start=date(2026, 1, 1), end=date(2026, 3, 31),
                amount=Money.parse("45000 EUR"), category="staff", note="Two analysts")
    """

    store_kind = "pmo_cost"

    start: date
    end: date
    amount: NonNegativeMoney
    category: Name = "staff"
    note: Text = ""

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


__all__ = ["Assessment", "PmoCost", "SurveyResponse"]
