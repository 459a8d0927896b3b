"""The PMO's own records through the API: PmoCost and SurveyResponse validation, surveys
recorded all or nothing, satisfaction rounding, requested_gate, and an assessment's history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from pmo_core import (
    InvalidInputError,
    Money,
    PmoCost,
    RaidItem,
    SurveyResponse,
    Workspace,
    requested_gate,
    satisfaction_scores,
)
from pmo_core._maturity import QUESTIONS

TODAY = date(2026, 6, 30)


@pytest.fixture
def ws() -> Workspace:
    workspace = Workspace.in_memory(today=lambda: TODAY)
    workspace.create("portfolio", id="PF", name="Digital")
    return workspace


def test_pmo_cost_boundaries() -> None:
    day = date(2026, 1, 1)
    one_day = PmoCost(start=day, end=day, amount=Money.parse("0 EUR"))

    assert one_day.end == one_day.start  # end == start is a period of one day
    with pytest.raises(ValidationError, match="end 2025-12-31 is before start 2026-01-01"):
        PmoCost(start=day, end=date(2025, 12, 31), amount=Money.parse("1 EUR"))
    with pytest.raises(ValidationError, match="negative"):
        PmoCost(start=day, end=day, amount=Money.parse("-0.01 EUR"))
    with pytest.raises(ValidationError, match="currency"):
        PmoCost.model_validate({"start": day, "end": day, "amount": {"amount": "1"}})


@pytest.mark.parametrize("score", [0, 6])
def test_a_survey_score_is_one_to_five(score: int) -> None:
    with pytest.raises(ValidationError, match="score"):
        SurveyResponse(on=TODAY, group="sponsors", score=score)


def test_edge_scores_are_accepted() -> None:
    assert [SurveyResponse(on=TODAY, group="g", score=s).score for s in (1, 5)] == [1, 5]


def test_record_survey_is_all_or_nothing(ws: Workspace) -> None:
    good = {"on": date(2026, 6, 1), "group": "sponsors", "score": 4}

    with pytest.raises(InvalidInputError) as caught:
        ws.record_survey([good, good | {"score": 9}, good | {"about": "NOPE"}])

    assert [p.where for p in caught.value.problems] == ["response 2", "response 3"]
    assert ws.survey_responses() == []
    with pytest.raises(InvalidInputError, match="after the status date"):
        ws.record_survey([good | {"on": date(2026, 7, 1)}])
    assert len(ws.record_survey([good, good | {"on": TODAY, "about": "PF"}])) == 2


def test_satisfaction_rounds_half_up_to_two_places() -> None:
    def r(score: int, group: str = "g", on: date = TODAY) -> SurveyResponse:
        return SurveyResponse(on=on, group=group, score=score)

    # 1/8 = 0.125 -> 0.13 half up (not 0.12 half even): 1 + 0.125 = 1.125 -> 1.13
    scores = satisfaction_scores([r(1)] * 7 + [r(2)], "all")
    assert scores[0].mean == Decimal("1.13")
    assert satisfaction_scores([], "all") == []
    with pytest.raises(InvalidInputError, match="not group, month"):
        satisfaction_scores([r(1)], "week")


def test_requested_gate_reads_gate_requests_only() -> None:
    def action(title: str, type: str = "action") -> RaidItem:
        return RaidItem(entity="PF", type=type, title=title)

    assert requested_gate(action("Gate review requested: gate-3 (scoping -> build)")) == "gate-3"
    assert requested_gate(action("Gate review requested: gate-3 (x)", "risk")) is None
    assert requested_gate(action("Gate review for gate-3")) is None


def test_the_request_title_a_gate_request_writes_is_read_back() -> None:
    from pmo_core._services.gates import REQUEST_TITLE

    title = REQUEST_TITLE.format(gate="g2") + "(a -> b)"
    assert requested_gate(RaidItem(entity="PF", type="action", title=title)) == "g2"


def test_assessments_newest_first_with_changes(ws: Workspace) -> None:
    def answers(level: int) -> dict[str, int | str]:
        return {q.id: level if q.dimension else "kanban" for q in QUESTIONS}

    first = ws.assess(answers(2), on=date(2026, 1, 1))
    second = ws.assess(answers(3), on=date(2026, 3, 1), note="After Q1")
    dry = ws.assess(answers(4), dry_run=True)

    assert first.previous is None
    assert second.previous is not None
    assert second.previous.id == first.assessment.id
    assert set(second.changes.values()) == {1}
    assert dry.assessment.version == 0
    assert [a.taken_on for a in ws.assessments()] == [date(2026, 3, 1), date(2026, 1, 1)]
    assert ws.assessment("latest").assessment.note == "After Q1"
    with pytest.raises(InvalidInputError, match="after the status date"):
        ws.assess(answers(2), on=date(2026, 7, 1))


def test_applying_needs_a_workspace_with_a_config(ws: Workspace) -> None:
    result = ws.assess({q.id: 3 if q.dimension else "predictive" for q in QUESTIONS})

    with pytest.raises(InvalidInputError, match=r"pmo\.toml"):
        ws.apply_recommendations(result.recommendations)
