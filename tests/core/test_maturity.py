"""The maturity questionnaire's scoring and recommendation rules, at their boundaries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pmo_core import InvalidInputError
from pmo_core._maturity import (
    DIMENSIONS,
    QUESTIONS,
    check_answers,
    choose_profile,
    dimension_level,
    plan_for,
    read_answers,
    score_answers,
)
from pmo_core._records import PmoProfile


def answers(levels: dict[str, int] | int = 3, delivery: str = "predictive", **each: int) -> dict:
    """Every question answered: per dimension (or one level for all), some one by one."""
    out: dict[str, int | str] = {}
    for q in QUESTIONS:
        if q.dimension is None:
            out[q.id] = delivery
        else:
            out[q.id] = levels if isinstance(levels, int) else levels[q.dimension]
    for key, value in each.items():
        out[key.replace("_", "-")] = value
    return out


def test_the_questionnaire_has_five_questions_per_dimension_and_five_options_each() -> None:
    scored = [q for q in QUESTIONS if q.dimension]
    assert len(scored) == 25
    assert {d: sum(q.dimension == d for q in scored) for d in DIMENSIONS} == dict.fromkeys(
        DIMENSIONS, 5
    )
    assert all(len(q.options) == 5 for q in QUESTIONS)
    assert len({q.id for q in QUESTIONS}) == len(QUESTIONS)


@pytest.mark.parametrize(
    ("values", "level"),
    [
        ([3, 3, 3, 3, 3], 3),  # mean exactly 3
        ([3, 3, 3, 3, 2], 2),  # 2.8: just below 3
        ([4, 3, 3, 3, 3], 3),  # 3.2: just above 3
        ([5, 5, 5, 5, 4], 4),  # 4.8
        ([5, 5, 5, 5, 5], 5),
        ([1, 1, 1, 1, 1], 1),
        ([2, 1, 1, 1, 1], 1),
        ([], 1),
    ],
)
def test_a_dimension_level_is_the_mean_rounded_down(values: list[int], level: int) -> None:
    assert dimension_level(values) == level


def test_the_overall_level_is_the_lowest_dimension() -> None:
    levels = {"governance": 4, "methodology": 4, "performance": 2, "resources": 5, "knowledge": 4}
    scores = score_answers(answers(levels))

    assert scores.levels == levels
    assert scores.overall == 2
    one_low = score_answers(answers(4, perf_1=3))
    assert (one_low.levels["performance"], one_low.overall) == (3, 3)  # 3.8 rounds down


@pytest.mark.parametrize(
    ("gov", "res", "model"),
    [
        (1, 5, "supportive"),
        (2, 5, "supportive"),
        (3, 5, "controlling"),
        (4, 3, "controlling"),
        (4, 4, "directive"),
        (5, 4, "directive"),
        (5, 3, "controlling"),
    ],
)
def test_the_governance_model_follows_governance_and_resources(
    gov: int, res: int, model: str
) -> None:
    levels = dict.fromkeys(DIMENSIONS, 3) | {"governance": gov, "resources": res}
    plan = plan_for(score_answers(answers(levels)), answers(levels))

    assert plan.governance_model is not None
    assert plan.governance_model[0] == model
    assert f"governance level {gov}" in plan.governance_model[1]
    assert "governance" in plan.plugins


@pytest.mark.parametrize(
    ("delivery", "plugin"),
    [
        ("predictive", "stage-gate"),
        ("prince2", "prince2"),
        ("scrum", "scrum"),
        ("kanban", "kanban"),
        ("mixed", "hybrid"),
    ],
)
def test_methodology_level_two_picks_the_plugin_of_the_delivery_answer(
    delivery: str, plugin: str
) -> None:
    levels = dict.fromkeys(DIMENSIONS, 3) | {"methodology": 2}
    a = answers(levels, delivery)
    plan = plan_for(score_answers(a), a)

    assert plan.methodology is not None
    assert plan.methodology[0] == plugin
    assert f"delivery answered {delivery!r}" in plan.methodology[1]
    assert plugin in plan.plugins


def test_methodology_level_one_recommends_no_methodology() -> None:
    levels = dict.fromkeys(DIMENSIONS, 3) | {"methodology": 1}
    a = answers(levels, "scrum")
    plan = plan_for(score_answers(a), a)

    assert plan.methodology is None
    assert "scrum" not in plan.plugins


def test_reports_always_with_the_reason_of_the_performance_level() -> None:
    low = answers(dict.fromkeys(DIMENSIONS, 3) | {"performance": 2})
    high = answers(dict.fromkeys(DIMENSIONS, 3))

    assert "project-status" in plan_for(score_answers(low), low).plugins["reports"]
    assert "pmo-review" in plan_for(score_answers(high), high).plugins["reports"]


@pytest.mark.parametrize(
    ("res_answers", "level", "csv"),
    [
        ((3, 3, 3, 3, 3), 3, True),  # level 3: still in files
        ((4, 4, 4, 4, 4), 4, False),  # level 4, data answer 4
        ((5, 5, 3, 4, 3), 4, False),  # level 4 (mean 4), data answer 3
        ((5, 5, 2, 4, 3), 3, True),  # level 3 (mean 3.8 rounds down)
        ((5, 5, 2, 5, 5), 4, True),  # level 4, but the data answer is 2
        ((5, 5, 1, 5, 5), 4, True),
        ((5, 5, 5, 5, 5), 5, False),
    ],
)
def test_csv_while_data_lives_in_files(res_answers: tuple[int, ...], level: int, csv: bool) -> None:
    a = answers(3, **{f"res_{n}": v for n, v in enumerate(res_answers, 1)})
    scores = score_answers(a)

    assert scores.levels["resources"] == level
    assert ("csv" in plan_for(scores, a).plugins) is csv


def test_the_profile_matches_model_and_methodology_then_model_by_rank() -> None:
    offered = [
        PmoProfile(name="starter", summary="s", governance_model="supportive", rank=10),
        PmoProfile(
            name="controlling",
            summary="c",
            governance_model="controlling",
            methodology="stage-gate",
            rank=20,
        ),
        PmoProfile(name="light", summary="l", governance_model="controlling", rank=15),
    ]

    exact = choose_profile(offered, "controlling", "stage-gate")
    assert exact is not None
    assert exact[0].name == "controlling"
    by_model = choose_profile(offered, "controlling", "scrum")
    assert by_model is not None
    assert by_model[0].name == "light"  # the lowest rank of the model
    assert choose_profile(offered, "directive", None) is None


# ------------------------------------------------------------------------ bad answers


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        ({"gov-9": 3}, "gov-9", "unknown question id"),
        ({"gov-3": 0}, "gov-3", "out of range"),
        ({"gov-3": 6}, "gov-3", "out of range"),
        ({"gov-3": "3"}, "gov-3", "whole number"),
        ({"gov-3": 3.0}, "gov-3", "whole number"),
        ({"gov-3": True}, "gov-3", "whole number"),
        ({"delivery": "waterfall"}, "delivery", "not one of"),
        ({"delivery": 2}, "delivery", "not one of"),
    ],
)
def test_a_bad_answer_names_the_question(change: dict, where: str, words: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        check_answers(answers() | change, where="answers.toml")

    assert caught.value.where == f"answers.toml: {where}"
    assert words in caught.value.message


def test_a_missing_answer_names_the_question() -> None:
    given = answers()
    del given["kno-4"]

    with pytest.raises(InvalidInputError, match="kno-4 is not answered"):
        check_answers(given)


def test_edge_levels_are_accepted() -> None:
    assert check_answers(answers(1, gov_1=5))["gov-1"] == 5


def test_answers_files_toml_and_json(tmp_path: Path) -> None:
    given = answers(2, "kanban")
    toml = tmp_path / "a.toml"
    toml.write_text(
        "\n".join(f'"{k}" = {json.dumps(v)}' for k, v in given.items()) + "\n", encoding="utf-8"
    )
    js = tmp_path / "a.json"
    js.write_text(json.dumps(given), encoding="utf-8")

    assert read_answers(toml) == given == read_answers(js)


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("a.toml", "gov-1 = [", "a.toml"),
        ("a.json", "{", "a.json:1:2"),
        ("a.json", "[1, 2]", "a.json"),
        ("a.yaml", "gov-1: 2", "a.yaml"),
    ],
)
def test_unreadable_answers_files(tmp_path: Path, name: str, text: str, where: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")

    with pytest.raises(InvalidInputError) as caught:
        read_answers(path)

    assert caught.value.where == where
