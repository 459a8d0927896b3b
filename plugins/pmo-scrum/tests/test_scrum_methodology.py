"""The ``scrum`` methodology record (Scrum Guide 2020), its custom fields and its gates, whose
criteria check the project's own data."""

from __future__ import annotations

from datetime import date

import pmo_scrum
import pytest
from pmo_scrum import SCRUM, ScrumFields, Sprint
from scrum_support import Clock, d

from pmo_core import InvalidInputError, PmoMethodology, Workspace
from pmo_core.testing import assert_valid_plugin


def test_the_plugin_is_valid() -> None:
    assert_valid_plugin(pmo_scrum)


def test_the_record_follows_the_scrum_guide() -> None:
    assert (SCRUM.iterations, SCRUM.progress_measure) == (True, "points")
    assert [r.name for r in SCRUM.roles] == ["product-owner", "scrum-master", "developers"]
    timeboxes = {e.name: e.timebox_hours for e in SCRUM.events}
    assert timeboxes == {
        "sprint": 720,
        "sprint-planning": 8,
        "daily-scrum": 0.25,
        "sprint-review": 4,
        "sprint-retrospective": 3,
    }
    assert [p.name for p in SCRUM.phases] == ["inception", "delivery", "closure"]
    assert [(g.name, g.leaving, g.entering) for g in SCRUM.gates] == [
        ("ready-to-sprint", "inception", "delivery"),
        ("release", "delivery", "closure"),
    ]
    templates = {a.name: a.template for a in SCRUM.artifacts}
    assert "## Product goal" in templates["product-backlog"]
    assert "## Sprint goal" in templates["sprint-backlog"]
    assert "## Definition of done" in templates["increment"]
    assert all(t.startswith("# ") for t in templates.values())


def test_registered_through_the_host(ws: Workspace) -> None:
    assert ws.host.record(PmoMethodology, "scrum") is SCRUM or (
        ws.host.record(PmoMethodology, "scrum").name == "scrum"
    )


def _gate(ws: Workspace) -> dict[str, bool]:
    return {c.name: c.passed for c in ws.gate_check("APP").criteria}


def test_ready_to_sprint_checks_the_data(ws: Workspace, clock: Clock) -> None:
    clock.day = d(3, 1)
    ws.create("project", id="APP", name="App", phase="inception")
    assert _gate(ws) == {
        "product-goal": False,
        "definition-of-done": False,
        "backlog-sized": False,
        "sprint-planned": False,
        "sprints-timeboxed": True,
        "release-plan": False,
    }
    reasons = " ".join(ws.gate_check("APP").reasons())
    assert "project APP states no product goal" in reasons
    assert "project APP has no sprint planned after 2025-03-01" in reasons
    ws.update(
        "APP",
        custom_fields={
            "scrum": {
                "product_goal": "Sign-up",
                "definition_of_done": "Tested",
                "sprints": [{"name": "S1", "start": "2025-03-03", "finish": "2025-03-14"}],
            }
        },
    )
    ws.add_work_item("APP", "Unsized", type="story")
    gate = _gate(ws)
    assert gate["product-goal"]
    assert gate["definition-of-done"]
    assert not gate["backlog-sized"]
    assert not gate["sprint-planned"]  # no sprint goal yet
    assert "project APP has 1 story without points: 'Unsized'" in " ".join(
        ws.gate_check("APP").reasons()
    )


def test_sprint_planned_needs_a_goal_and_stories(ws: Workspace, clock: Clock) -> None:
    clock.day = d(3, 1)
    sprint = {"name": "S1", "goal": "Sign-up", "start": "2025-03-03", "finish": "2025-03-14"}
    ws.create(
        "project", id="APP", name="App", phase="inception",
        custom_fields={"scrum": {"sprints": [sprint]}},
    )  # fmt: skip
    assert "sprint 'S1' of project APP has no stories" in ws.gate_check("APP").reasons()[3]
    ws.add_work_item("APP", "Sign up", type="story", points=3, iteration="S1")
    assert _gate(ws)["sprint-planned"]
    # A sprint that ended the day before the status date is not the next one.
    clock.day = d(3, 15)
    assert not _gate(ws)["sprint-planned"]
    clock.day = d(3, 14)
    assert _gate(ws)["sprint-planned"]


def test_release_gate(ws: Workspace, release: dict[str, str], clock: Clock) -> None:
    ws.update("APP", phase="delivery")
    gate = _gate(ws)
    assert gate["increment-done"]
    assert gate["definition-of-done"]
    assert gate["sprint-boundary"]
    assert not gate["sprint-review"]
    clock.day = d(3, 20)  # inside S2
    assert not _gate(ws)["sprint-boundary"]
    clock.day = d(3, 28)  # S2's last day: a boundary
    assert _gate(ws)["sprint-boundary"]
    clock.day = d(3, 13)  # S1 not ended yet: nothing released
    assert not _gate(ws)["increment-done"]


@pytest.mark.parametrize(
    ("sprints", "message"),
    [
        (
            [("S1", date(2025, 3, 3), date(2025, 4, 1))],
            "sprint 'S1' lasts 30 days",  # the longest accepted
        ),
        (
            [("S1", date(2025, 3, 3), date(2025, 4, 2))],
            "sprint 'S1' lasts 31 days: a sprint is at most 30 days",
        ),
        (
            [("S1", date(2025, 3, 3), date(2025, 3, 2))],
            "sprint 'S1' finishes on 2025-03-02, before its start 2025-03-03",
        ),
        (
            [("S1", date(2025, 3, 3), date(2025, 3, 14)), ("S2", date(2025, 3, 14), d(3, 20))],
            "sprint 'S2' (2025-03-14 to 2025-03-20) overlaps sprint 'S1'",
        ),
        (
            [("S1", date(2025, 3, 3), date(2025, 3, 14)), ("S1", date(2025, 3, 17), d(3, 20))],
            "two sprints are named 'S1'",
        ),
    ],
)
def test_sprints_are_checked(sprints: list[tuple[str, date, date]], message: str) -> None:
    data = {"sprints": [{"name": n, "start": s, "finish": f} for n, s, f in sprints]}
    if message.endswith("lasts 30 days"):
        assert ScrumFields.model_validate(data).sprints[0].days == 30
        return
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ScrumFields.model_validate(data)


def test_sprints_are_kept_by_start_and_adjacent_ones_are_fine() -> None:
    fields = ScrumFields(
        sprints=(
            Sprint(name="S2", start=d(3, 15), finish=d(3, 28)),
            Sprint(name="S1", start=d(3, 3), finish=d(3, 14)),
        )
    )
    assert [s.name for s in fields.sprints] == ["S1", "S2"]
    assert fields.dod(fields.sprints[0]) == ""
    with pytest.raises(InvalidInputError, match="no sprint 'S3'"):
        fields.sprint("S3")


def test_a_bad_sprint_is_refused_on_write_and_nothing_is_written(
    ws: Workspace, clock: Clock
) -> None:
    ws.create("project", id="APP", name="App")
    before = ws.get("APP").version
    too_long = {"name": "S1", "start": "2025-03-01", "finish": "2025-04-30"}
    with pytest.raises(InvalidInputError, match=r"APP\.custom_fields.*scrum\.sprints.*61 days"):
        ws.update("APP", custom_fields={"scrum": {"sprints": [too_long]}})
    assert ws.get("APP").version == before


def test_the_scrum_profile() -> None:
    (profile,) = pmo_scrum.pmo_profiles()
    assert (profile.name, profile.methodology, profile.governance_model) == (
        "scrum",
        "scrum",
        "supportive",
    )
    assert "scrum" in profile.plugins
