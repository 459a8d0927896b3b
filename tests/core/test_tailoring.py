"""Methodology tailoring: what each action changes, what it refuses (a must, a phase reached,
an unknown name), that it is recorded and journaled, and that the gate check applies it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from pmo_core import (
    ConflictError,
    InvalidInputError,
    PmoArtifact,
    PmoGate,
    PmoGateCriterion,
    PmoMethodology,
    PmoPhase,
    Tailoring,
    Workspace,
    hookimpl,
)
from pmo_core._tailoring import check_tailoring, tailor

TODAY = date(2026, 3, 2)

FOUR = PmoMethodology(
    name="four",
    phases=(
        PmoPhase(name="idea", artifacts=("pitch",)),
        PmoPhase(name="scope", artifacts=("brief", "sketch")),
        PmoPhase(name="build", artifacts=("plan",)),
        PmoPhase(name="run"),
    ),
    gates=(
        PmoGate(
            name="g1",
            leaving="idea",
            entering="scope",
            criteria=(
                PmoGateCriterion(name="pitch", level="must", artifact="pitch"),
                PmoGateCriterion(name="owner", level="should", check=lambda ctx: None),
            ),
        ),
        PmoGate(
            name="g2",
            leaving="scope",
            entering="build",
            criteria=(
                PmoGateCriterion(name="brief", level="must", artifact="brief"),
                PmoGateCriterion(name="sketch", level="should", artifact="sketch"),
                PmoGateCriterion(name="owner", level="must", check=lambda ctx: None),
            ),
        ),
        PmoGate(
            name="g3",
            leaving="build",
            entering="run",
            criteria=(PmoGateCriterion(name="plan", level="must", artifact="plan"),),
        ),
    ),
    artifacts=tuple(PmoArtifact(name=n) for n in ("pitch", "brief", "sketch", "plan")),
)


def _t(action: str, target: str) -> Tailoring:
    return Tailoring.model_validate(
        {"action": action, "target": target, "comment": "why", "actor": "kim", "on": TODAY}
    )


# ------------------------------------------------------------------------ pure functions


def test_merging_a_phase_moves_its_entry_gates_criteria_into_the_next_gate() -> None:
    tailored, notes = tailor(FOUR, [_t("merge-phase", "scope")])

    assert notes == []
    assert [p.name for p in tailored.phases] == ["idea", "build", "run"]
    assert [g.name for g in tailored.gates] == ["g2", "g3"]
    g2 = tailored.gates[0]
    assert (g2.leaving, g2.entering) == ("idea", "build")
    # g1's criteria first, then g2's; 'owner' asked by both is checked once, at must.
    assert [(c.name, c.level) for c in g2.criteria] == [
        ("pitch", "must"),
        ("owner", "must"),
        ("brief", "must"),
        ("sketch", "should"),
    ]
    assert tailored.phases[0].artifacts == ("pitch", "brief", "sketch")
    assert tailored.name == "four"


def test_merging_a_phase_into_one_without_an_exit_gate_keeps_the_other_gates() -> None:
    no_g1 = FOUR.model_copy(update={"gates": FOUR.gates[1:]})

    tailored, _ = tailor(no_g1, [_t("merge-phase", "scope")])

    assert [(g.name, g.leaving, g.entering) for g in tailored.gates] == [
        ("g2", "idea", "build"),
        ("g3", "build", "run"),
    ]
    assert [c.name for c in tailored.gates[0].criteria] == ["brief", "sketch", "owner"]


def test_the_first_phase_cannot_be_merged() -> None:
    # Only a stale tailoring can name it (an entity is always in or past the first phase,
    # which check_tailoring refuses first): it is left out with the reason.
    tailored, [note] = tailor(FOUR, [_t("merge-phase", "idea")])
    assert tailored == FOUR
    assert "'idea' is the first; there is no phase before it" in note
    with pytest.raises(InvalidInputError, match="A is in phase 'idea'"):
        check_tailoring(FOUR, [], _t("merge-phase", "idea"), entity="A", phase=None)


def test_a_last_phase_whose_entry_gate_has_criteria_cannot_be_merged() -> None:
    with pytest.raises(InvalidInputError, match="no gate after it to take gate 'g3'"):
        check_tailoring(FOUR, [], _t("merge-phase", "run"), entity="A", phase="idea")


def test_an_unknown_phase_is_named_with_the_known_ones() -> None:
    with pytest.raises(InvalidInputError, match=r"no phase 'scop' \(phases: idea, scope"):
        check_tailoring(FOUR, [], _t("merge-phase", "scop"), entity="A", phase="idea")


def test_the_phase_an_entity_is_in_or_has_passed_cannot_be_merged() -> None:
    with pytest.raises(InvalidInputError, match="A is in phase 'scope'"):
        check_tailoring(FOUR, [], _t("merge-phase", "scope"), entity="A", phase="scope")
    with pytest.raises(InvalidInputError, match="A has passed phase 'scope'"):
        check_tailoring(FOUR, [], _t("merge-phase", "scope"), entity="A", phase="build")
    # Not yet reached: fine, also from no phase at all (the first phase).
    check_tailoring(FOUR, [], _t("merge-phase", "build"), entity="A", phase="scope")
    check_tailoring(FOUR, [], _t("merge-phase", "scope"), entity="A", phase=None)


def test_a_should_artifact_is_skipped_with_the_criteria_that_name_it() -> None:
    tailored, _ = tailor(FOUR, [_t("skip-artifact", "sketch")])

    assert [c.name for c in tailored.gates[1].criteria] == ["brief", "owner"]
    assert tailored.phases[1].artifacts == ("brief",)
    # The template stays available: only the requirement goes.
    assert "sketch" in [a.name for a in tailored.artifacts]


def test_an_artifact_a_must_criterion_needs_cannot_be_skipped() -> None:
    with pytest.raises(InvalidInputError, match="needed by must criterion g2/brief"):
        check_tailoring(FOUR, [], _t("skip-artifact", "brief"), entity="A", phase="idea")


def test_an_unknown_artifact_is_named_with_the_known_ones() -> None:
    with pytest.raises(InvalidInputError, match=r"no artifact 'logo' .artifacts: pitch, brief"):
        check_tailoring(FOUR, [], _t("skip-artifact", "logo"), entity="A", phase="idea")


def test_a_should_criterion_is_skipped_in_its_gate_only() -> None:
    tailored, _ = tailor(FOUR, [_t("skip-criterion", "g1/owner")])

    assert [c.name for c in tailored.gates[0].criteria] == ["pitch"]
    assert [c.name for c in tailored.gates[1].criteria] == ["brief", "sketch", "owner"]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("g2/owner", "is a must"),
        ("g2/brief", "is a must"),
        ("g9/owner", "no gate 'g9'"),
        ("g1/nobody", "no criterion 'nobody' .criteria: pitch, owner"),
        ("owner", "must be named GATE/CRITERION"),
        ("g1/", "must be named GATE/CRITERION"),
        ("/owner", "must be named GATE/CRITERION"),
    ],
)
def test_criterion_skips_that_are_refused(target: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        check_tailoring(FOUR, [], _t("skip-criterion", target), entity="A", phase="idea")


def test_the_same_tailoring_twice_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="already has a tailoring that skips 'sketch'"):
        check_tailoring(
            FOUR, [_t("skip-artifact", "sketch")], _t("skip-artifact", "sketch"),
            entity="A", phase="idea",
        )  # fmt: skip


def test_tailorings_apply_in_order_and_check_against_the_tailored_methodology() -> None:
    merged = [_t("merge-phase", "scope")]
    # After the merge g1 is gone, so its should criterion is named under g2 now.
    with pytest.raises(InvalidInputError, match="no gate 'g1'"):
        check_tailoring(FOUR, merged, _t("skip-criterion", "g1/owner"), entity="A", phase="idea")
    check_tailoring(FOUR, merged, _t("skip-criterion", "g2/sketch"), entity="A", phase="idea")


def test_a_tailoring_that_no_longer_applies_is_left_out_with_a_note() -> None:
    # The methodology changed since: the skip is ignored, so the check is the stricter one.
    tailored, notes = tailor(FOUR, [_t("skip-artifact", "brief"), _t("skip-artifact", "sketch")])

    assert [c.name for c in tailored.gates[1].criteria] == ["brief", "owner"]
    assert len(notes) == 1
    assert "skips artifact 'brief'" in notes[0]
    assert "no longer applies" in notes[0]


def test_describe_names_the_action_the_actor_the_day_and_the_reason() -> None:
    assert _t("merge-phase", "scope").describe() == (
        "merges phase 'scope' into the phase before it (kim, 2026-03-02: why)"
    )
    bare = Tailoring(action="skip-artifact", target="sketch", comment="c", on=TODAY)
    assert bare.describe() == "skips artifact 'sketch' (2026-03-02: c)"


@pytest.mark.parametrize(
    "data",
    [
        {"action": "rename-phase", "target": "x", "comment": "c", "on": TODAY},
        {"action": "skip-artifact", "target": "", "comment": "c", "on": TODAY},
        {"action": "skip-artifact", "target": "x", "comment": "", "on": TODAY},
        {"action": "skip-artifact", "target": "a\nb", "comment": "c", "on": TODAY},
    ],
)
def test_bad_tailoring_values_are_refused(data: dict[str, object]) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="1 validation error for Tailoring"):
        Tailoring.model_validate(data)


# ------------------------------------------------------------------------------ workspace


class Four:
    @hookimpl
    def pmo_methodologies(self) -> Iterator[PmoMethodology]:
        yield FOUR


@pytest.fixture
def ws() -> Iterator[Workspace]:
    plugins = {"four": Four()}
    with Workspace.in_memory(plugins=plugins, methodology="four", today=lambda: TODAY) as ws:
        ws.create("project", id="ALPHA", name="Alpha", phase="idea")
        yield ws


def test_tailor_records_who_when_and_why_and_the_gate_check_applies_it(ws: Workspace) -> None:
    entity = ws.tailor("ALPHA", "merge-phase", "scope", comment="small job")

    [t] = entity.tailoring
    assert (t.action, t.target, t.comment, t.on) == ("merge-phase", "scope", "small job", TODAY)
    assert t.actor == ws.actor
    check = ws.gate_check("ALPHA")
    assert (check.gate, check.leaving, check.entering) == ("g2", "idea", "build")
    assert [c.name for c in check.criteria] == ["pitch", "owner", "brief", "sketch"]
    assert check.notes[0] == f"tailored: ALPHA {t.describe()}"
    assert check.as_dict()["notes"][0].startswith("tailored: ALPHA merges phase 'scope'")


def test_a_go_at_the_merged_gate_enters_the_phase_after_the_merged_one(ws: Workspace) -> None:
    from pmo_core import Artifact

    ws.tailor("ALPHA", "merge-phase", "scope", comment="small job")
    for name in ("pitch", "brief"):
        ws.add(Artifact(entity="ALPHA", name=name, status="approved", approved_on=TODAY))

    ws.decide_gate("ALPHA", "go")

    assert ws.get("ALPHA").phase == "build"


def test_untailor_restores_the_full_methodology_and_the_journal_keeps_both(
    ws: Workspace,
) -> None:
    ws.tailor("ALPHA", "skip-artifact", "sketch", comment="no sketches here")
    entity = ws.untailor("ALPHA", "skip-artifact", "sketch")

    assert entity.tailoring == ()
    assert "sketch" in [c.name for c in ws.gate_check("ALPHA", "g2").criteria]
    commands = [e.command for e in ws.journal(id="ALPHA")]
    assert "tailoring add" in commands
    assert "tailoring remove" in commands


def test_removing_a_tailoring_the_entity_does_not_have_names_those_it_has(ws: Workspace) -> None:
    ws.tailor("ALPHA", "skip-artifact", "sketch", comment="c")
    with pytest.raises(InvalidInputError, match="tailorings: skip-artifact sketch"):
        ws.untailor("ALPHA", "merge-phase", "scope")


def test_refused_tailoring_writes_nothing(ws: Workspace) -> None:
    before = ws.get("ALPHA").version
    with pytest.raises(InvalidInputError):
        ws.tailor("ALPHA", "skip-artifact", "brief", comment="c")
    with pytest.raises(InvalidInputError, match="unknown tailoring 'rename'"):
        ws.tailor("ALPHA", "rename", "scope", comment="c")
    with pytest.raises(InvalidInputError, match="comment"):
        ws.tailor("ALPHA", "skip-artifact", "sketch", comment="")
    assert ws.get("ALPHA").version == before
    assert ws.get("ALPHA").tailoring == ()


def test_tailoring_changes_only_through_tailor(ws: Workspace) -> None:
    with pytest.raises(InvalidInputError, match="use tailor"):
        ws.update("ALPHA", tailoring=[_t("skip-artifact", "sketch")])


def test_an_entity_without_a_methodology_has_nothing_to_tailor() -> None:
    with Workspace.in_memory(plugins={"four": Four()}, today=lambda: TODAY) as ws:
        ws.create("project", id="ALPHA", name="Alpha")
        with pytest.raises(InvalidInputError, match="follows no methodology"):
            ws.tailor("ALPHA", "skip-artifact", "sketch", comment="c")


def test_a_killed_entity_cannot_be_tailored(ws: Workspace) -> None:
    ws.change_lifecycle("ALPHA", "killed", comment="no market")
    with pytest.raises(ConflictError, match="killed"):
        ws.tailor("ALPHA", "skip-artifact", "sketch", comment="c")


def test_the_view_as_of_before_a_tailoring_checks_the_full_methodology(ws: Workspace) -> None:
    ws.tailor("ALPHA", "skip-criterion", "g1/owner", comment="one-person team")
    created = next(e for e in ws.journal(id="ALPHA") if e.command != "tailoring add")
    before = ws.view(as_of=created.at)

    assert [c.name for c in ws.gate_check("ALPHA").criteria] == ["pitch"]
    assert [c.name for c in ws.gate_check("ALPHA", view=before).criteria] == ["pitch", "owner"]
