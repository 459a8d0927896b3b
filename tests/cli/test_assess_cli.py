"""pmo assess: answers files for three maturity profiles, what they recommend, --apply and
declining it, bad answers files, the interactive questionnaire, list and show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import Pmo, assert_user_error, needs_scrum, needs_stage_gate

from pmo_core._maturity import QUESTIONS

pytestmark = needs_stage_gate


def write_answers(path: Path, levels: dict[str, int], delivery: str, **each: int) -> Path:
    """An answers file (TOML, or JSON by suffix): each dimension at a level, some overrides."""
    answers: dict[str, int | str] = {}
    for q in QUESTIONS:
        answers[q.id] = delivery if q.dimension is None else levels[q.dimension]
    answers |= {k.replace("_", "-"): v for k, v in each.items()}
    if path.suffix == ".json":
        path.write_text(json.dumps(answers), encoding="utf-8")
    else:
        path.write_text(
            "".join(f'"{k}" = {json.dumps(v)}\n' for k, v in answers.items()), encoding="utf-8"
        )
    return path


def dims(g: int, m: int, p: int, r: int, k: int) -> dict[str, int]:
    return {"governance": g, "methodology": m, "performance": p, "resources": r, "knowledge": k}


def recs(out: dict) -> dict[tuple[str, str], dict]:
    return {(r["kind"], r["name"]): r for r in out["recommendations"]}


# --------------------------------------------------------------------- three profiles


def test_a_starting_pmo_gets_supportive_governance_reports_and_csv(pmo: Pmo) -> None:
    path = write_answers(pmo.root / "start.toml", dims(1, 1, 2, 1, 1), "predictive", gov_1=2)

    out = json.loads(pmo.ok("assess", "--answers", str(path), "--json").output)

    assert out["overall"] == 1
    assert [d["level"] for d in out["levels"]] == [1, 1, 2, 1, 1]
    found = recs(out)
    assert {k for k in found if k[0] == "plugin"} == {
        ("plugin", "governance"),
        ("plugin", "reports"),
        ("plugin", "csv"),
    }
    assert ("methodology", "stage-gate") not in found  # methodology level 1: standardise first
    assert found[("governance_model", "supportive")]["reason"].startswith("governance level 1")
    assert "project-status" in found[("plugin", "reports")]["reason"]
    assert found[("profile", "starter")]["kind"] == "profile"
    # The starter workspace has all three plugins and the model already.
    assert all(found[("plugin", p)]["enabled"] for p in ("governance", "reports", "csv"))


def test_a_controlling_pmo_gets_stage_gate_and_the_controlling_model(pmo: Pmo) -> None:
    path = write_answers(pmo.root / "ctl.json", dims(3, 3, 3, 3, 2), "predictive")

    out = json.loads(pmo.ok("assess", "--answers", str(path), "--json").output)

    assert (out["overall"], out["overall_name"]) == (2, "repeatable")
    found = recs(out)
    assert found[("plugin", "stage-gate")]["installed"] is True
    assert found[("plugin", "stage-gate")]["enabled"] is False
    assert "delivery answered 'predictive'" in found[("methodology", "stage-gate")]["reason"]
    assert ("governance_model", "controlling") in found
    assert ("profile", "controlling") in found
    assert "pmo-review" in found[("plugin", "reports")]["reason"]
    assert ("plugin", "csv") in found  # resources level 3


@needs_scrum
def test_an_optimising_agile_pmo_gets_scrum_and_the_directive_model(pmo: Pmo) -> None:
    path = write_answers(pmo.root / "agile.toml", dims(5, 5, 5, 5, 5), "scrum")

    out = json.loads(pmo.ok("assess", "--answers", str(path), "--json").output)

    assert out["overall"] == 5
    found = recs(out)
    scrum = found[("plugin", "scrum")]
    assert (scrum["installed"], scrum["install"]) == (True, None)
    assert ("governance_model", "directive") in found
    assert ("plugin", "csv") not in found  # data is connected: level 5, answer 5
    # No installed profile runs scrum: the closest by model, saying so.
    assert "methodology" in found[("profile", "directive")]["reason"]


@needs_scrum
def test_the_table_shows_levels_changes_and_the_install_command(pmo: Pmo) -> None:
    first = write_answers(pmo.root / "a.toml", dims(2, 2, 2, 2, 2), "scrum")
    second = write_answers(pmo.root / "b.toml", dims(3, 2, 1, 2, 2), "scrum")
    pmo.ok("assess", "--answers", str(first), "--on", "2026-01-15")

    text = pmo.ok("assess", "--answers", str(second), "--on", "2026-06-15").output

    assert "level 1 (initial)" in text
    assert "change since 2026-01-15" in text
    rows = {line.split("  ")[0]: line.split()[-3:] for line in text.splitlines()}
    assert rows["Governance"] == ["3", "defined", "+1"]
    assert rows["Performance tracking"] == ["1", "initial", "-1"]
    assert rows["Methodology and standards"] == ["2", "repeatable", "0"]
    assert "pip install pmo-scrum" not in text  # installed: no install command to show


# ----------------------------------------------------------------------------- apply


def test_apply_enables_the_recommended_plugins_and_sets_the_defaults(pmo: Pmo) -> None:
    path = write_answers(pmo.root / "ctl.toml", dims(3, 3, 3, 3, 3), "predictive")

    out = json.loads(pmo.ok("assess", "--answers", str(path), "--apply", "--yes", "--json").output)

    assert out["applied"] == [
        "enabled plugin stage-gate",
        "set governance_model = controlling",
        "set methodology = stage-gate",
    ]
    config = (pmo.root / "pmo.toml").read_text(encoding="utf-8")
    assert '"stage-gate"' in config
    assert 'governance_model = "controlling"' in config
    assert 'methodology = "stage-gate"' in config
    listed = json.loads(pmo.ok("plugins", "list", "--json").output)
    assert next(p for p in listed if p["id"] == "stage-gate")["enabled"] is True
    again = json.loads(pmo.ok("assess", "show", "--json").output)
    assert all(r["enabled"] for r in again["recommendations"] if r["kind"] != "profile")


def test_apply_asks_and_declining_changes_nothing(pmo: Pmo) -> None:
    path = write_answers(pmo.root / "ctl.toml", dims(3, 3, 3, 3, 3), "predictive")
    config = (pmo.root / "pmo.toml").read_text(encoding="utf-8")

    result = pmo("assess", "--answers", str(path), "--apply", input="n\n")

    assert result.exit_code == 0, result.output
    assert "Apply plugin stage-gate, governance model controlling, methodology stage-gate?" in (
        result.output
    )
    assert "Nothing changed." in result.output
    assert (pmo.root / "pmo.toml").read_text(encoding="utf-8") == config
    accepted = pmo("assess", "--answers", str(path), "--apply", input="y\n")
    assert "enabled plugin stage-gate" in accepted.output


def test_apply_leaves_uninstalled_plugins_to_the_user(
    pmo: Pmo, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every first-party plugin is installed where the suite runs (tox), pmo-kanban too: the
    # host is shown an environment without it, rather than the test skipping.
    from pmo_core._plugins.host import PluginHost

    real = PluginHost.installed
    monkeypatch.setattr(
        PluginHost, "installed", lambda self: [e for e in real(self) if e.id != "kanban"]
    )
    path = write_answers(pmo.root / "k.toml", dims(3, 3, 3, 3, 3), "kanban")

    out = json.loads(pmo.ok("assess", "--answers", str(path), "--apply", "--yes", "--json").output)

    assert out["applied"] == ["set governance_model = controlling"]
    assert 'methodology = "kanban"' not in (pmo.root / "pmo.toml").read_text(encoding="utf-8")


def test_dry_run_stores_nothing(pmo: Pmo) -> None:
    path = write_answers(pmo.root / "a.toml", dims(2, 2, 2, 2, 2), "scrum")
    before = pmo.snapshot()

    out = json.loads(pmo.ok("assess", "--answers", str(path), "--dry-run", "--json").output)

    assert out["stored"] is False
    assert pmo.snapshot() == before
    assert json.loads(pmo.ok("assess", "list", "--json").output) == []


# ----------------------------------------------------------------------- bad answers


@pytest.mark.parametrize(
    ("each", "needle"),
    [
        ({"gov_9": 3}, "a.toml: gov-9: unknown question id 'gov-9'"),
        ({"gov_3": 7}, "a.toml: gov-3: 7 is out of range"),
        ({"gov_3": 0}, "a.toml: gov-3: 0 is out of range"),
    ],
)
def test_a_bad_answers_file_is_one_line_naming_the_question(
    pmo: Pmo, each: dict[str, int], needle: str
) -> None:
    path = write_answers(pmo.root / "a.toml", dims(2, 2, 2, 2, 2), "scrum", **each)
    before = pmo.snapshot()

    result = pmo("assess", "--answers", str(path))

    assert_user_error(result, 2, needle)
    assert pmo.snapshot() == before


def test_a_missing_or_mistyped_answer_is_named(pmo: Pmo) -> None:
    path = write_answers(pmo.root / "a.toml", dims(2, 2, 2, 2, 2), "scrum")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"met-4" = 2\n', ""), encoding="utf-8")
    assert_user_error(pmo("assess", "--answers", str(path)), 2, "met-4: question met-4 is not")
    path.write_text(text.replace('"met-4" = 2', '"met-4" = "two"'), encoding="utf-8")
    assert_user_error(pmo("assess", "--answers", str(path)), 2, "met-4: 'two' is a str")
    path.write_text(text.replace('"delivery" = "scrum"', '"delivery" = "agile"'), encoding="utf-8")
    assert_user_error(pmo("assess", "--answers", str(path)), 2, "delivery: 'agile' is not one")
    assert_user_error(pmo("assess", "--answers", "nope.toml"), 2, "nope.toml: cannot read")
    assert json.loads(pmo.ok("assess", "list", "--json").output) == []


# ------------------------------------------------------------------------ interactive


def test_the_questions_are_asked_one_at_a_time(pmo: Pmo) -> None:
    typed = "".join("3\n" for q in QUESTIONS if q.dimension) + "3\n"  # delivery: scrum

    result = pmo("assess", input=typed)

    assert result.exit_code == 0, result.output
    assert "Question 7 of 26 (Methodology and standards, met-2)" in result.output
    assert "  5. Templates are revised from reviews of their use." in result.output
    stored = json.loads(pmo.ok("assess", "list", "--json").output)
    assert stored[0]["answers"]["delivery"] == "scrum"
    assert stored[0]["overall"] == 3


def test_an_answer_out_of_range_is_asked_again(pmo: Pmo) -> None:
    typed = "9\n" + "".join("2\n" for q in QUESTIONS if q.dimension) + "1\n"

    result = pmo("assess", input=typed)

    assert result.exit_code == 0, result.output
    assert "9 is not in the range 1<=x<=5" in result.output


# --------------------------------------------------------------------------- history


def test_list_and_show(pmo: Pmo) -> None:
    a = write_answers(pmo.root / "a.toml", dims(2, 2, 2, 2, 2), "scrum")
    b = write_answers(pmo.root / "b.toml", dims(3, 3, 3, 3, 3), "scrum")
    first = json.loads(pmo.ok("assess", "--answers", str(a), "--on", "2026-01-10", "--json").output)
    pmo.ok("assess", "--answers", str(b), "--on", "2026-03-10", "--comment", "after Q1")

    listed = json.loads(pmo.ok("assess", "list", "--json").output)
    shown = json.loads(pmo.ok("assess", "show", first["id"][:6], "--json").output)
    latest = json.loads(pmo.ok("assess", "show", "--json").output)

    assert [x["taken_on"] for x in listed] == ["2026-03-10", "2026-01-10"]
    assert listed[0]["note"] == "after Q1"
    assert shown["previous"] is None
    assert shown["levels"][0]["change"] is None
    assert latest["previous"]["taken_on"] == "2026-01-10"
    assert [d["change"] for d in latest["levels"]] == [1, 1, 1, 1, 1]
    assert_user_error(pmo("assess", "show", "ffffff"), 3, "no assessment 'ffffff'")
    text = pmo.ok("assess", "list").output
    assert text.splitlines()[0].split()[:4] == ["ID", "TAKEN", "ON", "OVERALL"]


def test_apply_with_nothing_left_to_apply_keeps_json_clean(pmo: Pmo) -> None:
    path = write_answers(pmo.root / "start.toml", dims(1, 1, 2, 1, 1), "predictive")

    result = pmo("assess", "--answers", str(path), "--apply", "--json")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["applied"] == []
    assert "Nothing to apply" in result.stderr


def test_input_that_ends_early_stores_nothing_and_says_where(pmo: Pmo) -> None:
    result = pmo("assess", input="3\n3\n")

    assert result.exit_code == 2
    assert "error: --answers: stopped at question 3 of 26 (gov-3): nothing stored" in result.stderr
    assert json.loads(pmo.ok("assess", "list", "--json").output) == []


def test_apply_without_an_answer_to_the_confirmation_changes_nothing(pmo: Pmo) -> None:
    path = write_answers(pmo.root / "ctl.toml", dims(3, 3, 3, 3, 3), "predictive")
    config = (pmo.root / "pmo.toml").read_text(encoding="utf-8")

    result = pmo("assess", "--answers", str(path), "--apply", input="")

    assert result.exit_code == 2
    assert "nothing changed (--yes applies without asking)" in result.stderr
    assert (pmo.root / "pmo.toml").read_text(encoding="utf-8") == config
