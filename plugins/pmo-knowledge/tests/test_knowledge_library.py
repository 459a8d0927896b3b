"""Suggestions (scores at their boundaries, exclusions), applied lessons (journaled, errors
write nothing) and the rule that surfaces lessons in gate checks (Must hold 4)."""

from __future__ import annotations

from datetime import date

import pmo_knowledge as pk
import pytest

from pmo_core import Entity, InvalidInputError, LessonLearned, NotFoundError, Workspace

RULE = pk.RULE_NAME


def _project(**fields: object) -> Entity:
    data: dict[str, object] = {"id": "NEW", "name": "Something", "kind": "project"}
    data.update(fields)
    return Entity.model_validate(data)


def _lesson(**fields: object) -> LessonLearned:
    data: dict[str, object] = {"entity": "OLD", "what_happened": "Nothing in common"}
    data.update(fields)
    return LessonLearned.model_validate(data)


def test_nothing_shared_scores_zero_even_with_the_same_methodology_and_tier() -> None:
    new = _project(methodology="scrum", tier=2)
    old = _project(id="OLD", name="Other", methodology="scrum", tier=2)
    assert pk.score_lesson(new, _lesson(), old) == (0, ())


def test_each_shared_tag_word_methodology_and_tier_adds_its_weight() -> None:
    new = _project(name="Vendor contract", tags=("Vendor", "erp"), methodology="scrum", tier=2)
    old = _project(id="OLD", name="x", tags=("erp",), methodology="scrum", tier=2)
    lesson = _lesson(what_happened="The vendor was late", tags=("vendor",))
    score, reasons = pk.score_lesson(new, lesson, old)
    # tags erp (source's) and vendor (lesson's, case-insensitive): 3 + 3; word vendor: 1;
    # methodology: 2; tier: 1.
    assert score == 3 + 3 + 1 + 2 + 1
    assert reasons == ("tag erp", "tag vendor", "word vendor", "methodology scrum", "tier 2")


def test_other_methodology_or_tier_adds_nothing() -> None:
    new = _project(name="Vendor", methodology="scrum", tier=2)
    lesson = _lesson(what_happened="vendor late")
    assert pk.score_lesson(new, lesson, _project(id="OLD", methodology="kanban", tier=3))[0] == 1
    assert pk.score_lesson(new, lesson, _project(id="OLD", methodology="scrum", tier=1))[0] == 3
    assert pk.score_lesson(new, lesson, _project(id="OLD", methodology="scrum", tier=2))[0] == 4
    # No methodology on either side is not "the same methodology".
    none = _project(name="Vendor", tier=2)
    assert pk.score_lesson(none, lesson, _project(id="OLD", tier=2))[0] == 2
    assert pk.score_lesson(new, lesson, None)[0] == 1


def test_stop_words_short_words_and_numbers_make_nothing_similar() -> None:
    assert pk.significant_words("The project of 2025 at an ERP go") == {"erp"}
    new = _project(name="The project phase", description="of 2025")
    assert pk.score_lesson(new, _lesson(what_happened="The project phase of 2025"), None)[0] == 0


def _similar_pair(ws: Workspace) -> str:
    ws.create("project", id="ALPHA", name="CRM rollout", tags=("vendor",), methodology=None)
    lesson = ws.add_lesson(
        "ALPHA",
        "Vendor missed two drops",
        recommendation="Put delivery milestones in the contract",
        tags=("vendor", "contract"),
    )
    ws.add_lesson("ALPHA", "Canteen closed early", recommendation="Bring lunch")
    return lesson.id


def test_a_tagged_lesson_shows_in_the_gate_check_of_a_similar_new_project(ws: Workspace) -> None:
    lesson_id = _similar_pair(ws)
    ws.create("project", id="BETA", name="ERP upgrade", tags=("contract",))
    result = ws.gate_check("BETA")
    finding = next(f for f in result.findings if f.rule == RULE)
    assert not finding.passed
    assert finding.level == "advise"
    assert lesson_id in finding.message
    assert "(ALPHA)" in finding.message
    assert "Bring lunch" not in finding.message  # shares nothing with BETA
    assert not result.blocked


def test_a_dissimilar_project_gets_no_finding(ws: Workspace) -> None:
    _similar_pair(ws)
    ws.create("project", id="GAMMA", name="Office move")
    finding = next(f for f in ws.gate_check("GAMMA").findings if f.rule == RULE)
    assert finding.passed


def test_the_projects_own_lessons_are_not_suggested(ws: Workspace) -> None:
    _similar_pair(ws)
    assert pk.suggest(ws.view(), "ALPHA") == []


def test_suggestions_rank_by_score_then_newest_then_id(ws: Workspace) -> None:
    ws.create("project", id="OLD", name="Old")
    two = ws.add_lesson("OLD", "vendor contract", recorded_on=date(2025, 1, 1))
    one_old = ws.add_lesson("OLD", "vendor", recorded_on=date(2025, 1, 1))
    one_new = ws.add_lesson("OLD", "vendor", recorded_on=date(2025, 2, 1))
    ws.create("project", id="NEW", name="Vendor contract")
    found = pk.suggest(ws.view(), "NEW", min_score=1)
    assert [s.lesson.id for s in found] == [two.id, one_new.id, one_old.id]
    assert [s.score for s in found] == [2 + 1, 1 + 1, 1 + 1]  # words, then tier 3
    assert [s.lesson.id for s in pk.suggest(ws.view(), "NEW", limit=1, min_score=1)] == [two.id]
    with pytest.raises(InvalidInputError):
        pk.suggest(ws.view(), "NEW", limit=0)


def test_applying_a_lesson_stops_its_suggestion_and_is_journaled(ws: Workspace) -> None:
    lesson_id = _similar_pair(ws)
    ws.create("project", id="BETA", name="ERP upgrade", tags=("vendor",))
    assert lesson_id in [s.lesson.id for s in pk.suggest(ws.view(), "BETA")]
    done = pk.apply_lesson(ws, lesson_id, "BETA", comment="Milestones are in the contract")
    assert done == pk.AppliedLesson(
        lesson=lesson_id, on=date(2025, 4, 1), by="tester", comment="Milestones are in the contract"
    )
    assert lesson_id not in [s.lesson.id for s in pk.suggest(ws.view(), "BETA")]
    assert pk.applied_ids(ws.view().entity("BETA")) == {lesson_id}
    entries = ws.journal(kind="project", id="BETA")
    assert entries[-1].actor == "tester"
    assert entries[-1].op == "update"
    # The other ALPHA lesson (shares the source's tag) is still advice; once it is applied
    # too, the rule passes.
    other = [s.lesson.id for s in pk.suggest(ws.view(), "BETA")]
    assert len(other) == 1
    pk.apply_lesson(ws, other[0], "BETA", on=date(2025, 3, 1))
    assert next(f for f in ws.check("BETA") if f.rule == RULE).passed


def test_bad_applications_write_nothing(ws: Workspace) -> None:
    lesson_id = _similar_pair(ws)
    ws.create("project", id="BETA", name="ERP upgrade")
    ws.create("portfolio", id="PF", name="Portfolio")
    pk.apply_lesson(ws, lesson_id, "BETA")
    before = len(ws.journal())
    with pytest.raises(InvalidInputError, match="already applied"):
        pk.apply_lesson(ws, lesson_id, "BETA")
    with pytest.raises(InvalidInputError, match="no lesson 'nope'"):
        pk.apply_lesson(ws, "nope", "BETA")
    with pytest.raises(InvalidInputError, match="not a project"):
        pk.apply_lesson(ws, lesson_id, "PF")
    with pytest.raises(NotFoundError):
        pk.apply_lesson(ws, lesson_id, "NOPE")
    assert len(ws.journal()) == before


def test_the_finding_lists_at_most_show_lessons(ws: Workspace) -> None:
    ws.create("project", id="OLD", name="Old", tags=("vendor",))
    for n in range(4):
        ws.add_lesson("OLD", f"vendor issue {n}")
    ws.create("project", id="NEW", name="Vendor", tags=("vendor",))
    message = next(f for f in ws.check("NEW") if f.rule == RULE).message
    assert message.startswith("4 relevant lessons")
    assert message.count("(OLD)") == 3
    assert "and 1 more" in message


def test_the_show_setting_and_a_single_lesson(pmo_workspace_factory: object) -> None:
    factory = pmo_workspace_factory
    ws = factory(  # type: ignore[operator]
        enabled=["knowledge", "governance"], store="memory", rules={RULE: {"show": 1}}
    )
    ws.create("project", id="OLD", name="Old", tags=("vendor",))
    ws.add_lesson("OLD", "vendor issue")
    ws.create("project", id="NEW", name="Vendor", tags=("vendor",))
    message = next(f for f in ws.check("NEW") if f.rule == RULE).message
    assert message.startswith("1 relevant lesson from")
    assert "more" not in message
    ws.add_lesson("OLD", "vendor again")
    message = next(f for f in ws.check("NEW") if f.rule == RULE).message
    assert message.count("(OLD)") == 1
    assert "and 1 more" in message


def test_a_check_on_a_past_date_ignores_lessons_recorded_later(ws: Workspace) -> None:
    ws.create("project", id="OLD", name="Old")
    ws.add_lesson("OLD", "vendor late", recorded_on=date(2025, 3, 2))
    ws.create("project", id="NEW", name="Vendor")
    assert pk.suggest(ws.view(status_date=date(2025, 3, 1)), "NEW", min_score=1) == []
    assert len(pk.suggest(ws.view(status_date=date(2025, 3, 2)), "NEW", min_score=1)) == 1


def test_min_score_at_its_boundary(ws: Workspace) -> None:
    ws.create("project", id="OLD", name="Old", tier=2)
    ws.add_lesson("OLD", "vendor contract")  # two words and the tier: 3 for NEW
    ws.add_lesson("OLD", "vendor")  # one word and the tier: 2
    ws.create("project", id="NEW", name="Vendor contract", tier=2)
    assert [s.score for s in pk.suggest(ws.view(), "NEW")] == [3]  # default 3: equal passes
    assert [s.score for s in pk.suggest(ws.view(), "NEW", min_score=4)] == []
    assert [s.score for s in pk.suggest(ws.view(), "NEW", min_score=2)] == [3, 2]
    assert pk.MIN_SCORE == 3
    with pytest.raises(InvalidInputError, match="minimum score"):
        pk.suggest(ws.view(), "NEW", min_score=0)
    message = next(f for f in ws.check("NEW") if f.rule == RULE).message
    assert message.startswith("1 relevant lesson from")


def test_the_min_score_setting(pmo_workspace_factory: object) -> None:
    factory = pmo_workspace_factory
    ws = factory(  # type: ignore[operator]
        enabled=["knowledge", "governance"], store="memory", rules={RULE: {"min_score": 4}}
    )
    ws.create("project", id="OLD", name="Old", tier=2)
    ws.add_lesson("OLD", "vendor contract")
    ws.create("project", id="NEW", name="Vendor contract", tier=2)
    assert next(f for f in ws.check("NEW") if f.rule == RULE).passed
