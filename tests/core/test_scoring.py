"""Scoring models (``pmo_scoring_models``) and the objectives hierarchy in the core."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, ClassVar

import pytest
from pydantic import BaseModel

from pmo_core import (
    InvalidInputError,
    NotFoundError,
    Objective,
    PluginError,
    PmoScoringModel,
    PmoSettings,
    Score,
    ScoringRequest,
    Workspace,
    hookimpl,
)


class Bonus(BaseModel):
    bonus: Decimal = Decimal(0)


def _by_name_length(request: ScoringRequest) -> dict[str, Score]:
    bonus = request.settings.bonus if isinstance(request.settings, Bonus) else Decimal(0)
    return {
        p.id: Score(Decimal(len(p.name)) + bonus, f"{len(p.name)} letters")
        for p in request.proposals
    }


class Toy:
    """A plugin whose models answer well or badly, to check what the core accepts."""

    answers: ClassVar[dict[str, Any]] = {}

    @hookimpl
    def pmo_scoring_models(self) -> Iterator[PmoScoringModel]:
        yield PmoScoringModel(
            name="length", summary="Longer names first.", score=_by_name_length, settings="toy"
        )
        yield PmoScoringModel(name="fixed", summary="Whatever the test says.", score=self._fixed)

    @hookimpl
    def pmo_settings(self) -> Iterator[PmoSettings]:
        yield PmoSettings(name="toy", model=Bonus)

    def _fixed(self, request: ScoringRequest) -> Any:
        answer = self.answers["fixed"]
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def ws() -> Iterator[Workspace]:
    with Workspace.in_memory(plugins={"toy": Toy()}, settings={"toy": {"bonus": "0.5"}}) as ws:
        ws.create("portfolio", id="PF", name="Acme")
        ws.create("project", id="A", name="Alpha", parent="PF", lifecycle="proposed")
        ws.create("project", id="B", name="Be", parent="PF", lifecycle="proposed")
        yield ws


def test_a_registered_model_scores_with_its_settings(ws: Workspace) -> None:
    scores = ws.score("length", ["B", "A"])
    assert list(scores) == ["B", "A"]
    assert scores["A"] == Score(Decimal("5.5"), "5 letters")
    assert scores["B"].value == Decimal("2.5")
    assert [m.name for m in ws.host.records(PmoScoringModel)] == ["fixed", "length"]
    assert ws.host.record(PmoScoringModel, "length").plugin == "toy"


def test_an_unknown_model_or_key_is_named(ws: Workspace) -> None:
    with pytest.raises(InvalidInputError, match="no scoring model 'nope'; known: fixed, length"):
        ws.score("nope", ["A"])
    with pytest.raises(NotFoundError):
        ws.score("length", ["ZZ"])


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (RuntimeError("boom"), "scoring model 'fixed' failed: RuntimeError: boom"),
        ([1, 2], "returned list, not a mapping"),
        ({"A": Score(Decimal(1))}, "gave no score for B"),
        (
            {"A": Score(Decimal(1)), "B": Score(Decimal(1)), "C": Score(Decimal(1))},
            "scored projects it was not asked for: C",
        ),
        ({"A": Score(Decimal(1)), "B": 3}, "returned int for B, not Score"),
        ({"A": Score(Decimal(1)), "B": Score(Decimal("NaN"))}, "gave B the value"),
        ({"A": Score(Decimal(1)), "B": Score(2.0)}, "not a finite Decimal"),  # type: ignore[arg-type]
    ],
)
def test_a_failing_model_is_the_plugins_error_never_a_ranking(
    ws: Workspace, answer: Any, message: str
) -> None:
    Toy.answers["fixed"] = answer
    with pytest.raises(PluginError, match="plugin 'toy'") as caught:
        ws.score("fixed", ["A", "B"])
    assert message in str(caught.value)


def test_a_model_refusing_its_input_is_bad_input_naming_the_model(ws: Workspace) -> None:
    Toy.answers["fixed"] = InvalidInputError("A has no cash flows", where="A")
    with pytest.raises(InvalidInputError, match="scoring model 'fixed': A has no cash flows"):
        ws.score("fixed", ["A"])


def test_a_scoring_model_name_clash_quarantines_the_second_plugin() -> None:
    class Copy:
        @hookimpl
        def pmo_scoring_models(self) -> Iterator[PmoScoringModel]:
            yield PmoScoringModel(name="length", score=_by_name_length)

    with Workspace.in_memory(plugins={"toy": Toy(), "zcopy": Copy()}) as ws:
        assert ws.host.record(PmoScoringModel, "length").plugin == "toy"
        status = ws.host.status("zcopy")
        assert status.state == "failed"
        assert "pmo_scoring_models name 'length' clashes with plugin 'toy'" in (status.error or "")


# ------------------------------------------------------------------------- objectives


def test_objectives_form_a_hierarchy_within_a_portfolio(ws: Workspace) -> None:
    ws.create("portfolio", id="PG", name="Other")
    grow = ws.add(Objective(portfolio="PF", name="Grow", owned_by="Dana", measure="Revenue"))
    sub = ws.add(Objective(portfolio="PF", name="New markets", parent=grow.id, target="3"))
    assert (sub.parent, grow.owned_by, grow.measure, sub.target) == (
        grow.id,
        "Dana",
        "Revenue",
        "3",
    )
    with pytest.raises(InvalidInputError, match="parent objective 'nope' does not exist"):
        ws.add(Objective(portfolio="PF", name="X", parent="nope"))
    with pytest.raises(InvalidInputError, match="belongs to portfolio PF, not PG"):
        ws.add(Objective(portfolio="PG", name="X", parent=grow.id))
    with pytest.raises(InvalidInputError, match="makes a cycle") as caught:
        ws.replace(grow.replace(parent=sub.id))
    assert caught.value.where == "objective.parent"
    with pytest.raises(InvalidInputError, match="makes a cycle"):
        ws.replace(grow.replace(parent=grow.id))
    assert [o.parent for o in ws.view().records(Objective) if o.id == grow.id] == [None]


def test_old_objective_documents_still_read() -> None:
    old = Objective.from_document(
        {"id": "o1", "portfolio": "PF", "name": "Grow", "description": "", "weight": 2.0}, 1
    )
    assert (old.parent, old.owned_by, old.measure, old.target) == (None, "", "", "")


def test_a_report_scores_through_its_request_and_a_failing_model_stays_named() -> None:
    from pmo_core import PmoReport, ReportOutput, ReportRequest

    def render(request: ReportRequest) -> ReportOutput:
        assert request.score is not None
        scores = request.score(str(request.options.get("model", "length")), ["A", "B"])
        text = ", ".join(f"{k}={s.value}" for k, s in scores.items())
        return ReportOutput(content=text, media_type="text/plain")

    class Reporting(Toy):
        @hookimpl
        def pmo_reports(self) -> Iterator[PmoReport]:
            yield PmoReport(name="ranked", scopes=("portfolio",), formats=("txt",), render=render)

    with Workspace.in_memory(plugins={"toy": Reporting()}) as ws:
        ws.create("portfolio", id="PF", name="Acme")
        ws.create("project", id="A", name="Alpha", parent="PF", lifecycle="proposed")
        ws.create("project", id="B", name="Be", parent="PF", lifecycle="proposed")
        assert ws.report("ranked", "PF").content == "A=5, B=2"
        Toy.answers["fixed"] = RuntimeError("boom")
        with pytest.raises(PluginError) as caught:
            ws.report("ranked", "PF", options={"model": "fixed"})
        # The scoring model is named, not the report that called it.
        assert str(caught.value) == "plugin 'toy': scoring model 'fixed' failed: RuntimeError: boom"
