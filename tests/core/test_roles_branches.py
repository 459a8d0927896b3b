"""Roles at their edges: the sponsor and manager are fields, not assignments; a person holds
a role once however the name is spelt; removing what is not held is refused; and who holds
what depends on the day the view reads."""

from __future__ import annotations

from datetime import date

import pytest
from plan_control_support import TODAY, MakeWorkspace, PlanControl, make

from pmo_core import InvalidInputError, NotFoundError, Workspace


@pytest.fixture
def ws(pmo_workspace_factory: MakeWorkspace) -> Workspace:
    return make(pmo_workspace_factory)


@pytest.mark.parametrize(("role", "field"), [("sponsor", "sponsor"), ("Manager", "manager")])
def test_the_roles_an_entity_field_gives_cannot_be_assigned(
    ws: Workspace, role: str, field: str
) -> None:
    before = len(ws.journal())
    with pytest.raises(InvalidInputError) as caught:
        ws.assign_role("ALPHA", role, "Ann Other")
    assert caught.value.where == "role"
    assert caught.value.message == (
        f"the {field} of ALPHA is its {field!r} field: set it with "
        f"'pmo project update ALPHA --{field} NAME'"
    )
    assert len(ws.journal()) == before


def test_a_person_holds_a_role_once_however_the_name_is_spelt(ws: Workspace) -> None:
    before = len(ws.journal())
    with pytest.raises(InvalidInputError) as caught:
        ws.assign_role("PF", "PMO", "  lee   CHEN ")
    assert caught.value.where == "person"
    assert caught.value.message == "lee   CHEN already holds pmo for PF"
    assert len(ws.journal()) == before
    # Someone else may hold the same role, and the same person another role.
    ws.assign_role("PF", "pmo", "Sam Roe")
    ws.assign_role("PF", "Steering Committee", "Lee Chen")
    assert sorted((h.role, h.person) for h in ws.roles("PF")) == [
        ("pmo", "Lee Chen"),
        ("pmo", "Sam Roe"),
        ("steering-committee", "Lee Chen"),
    ]


def test_removing_a_role_not_held_is_refused_and_removes_nothing(ws: Workspace) -> None:
    before = len(ws.journal())
    with pytest.raises(NotFoundError, match="Sam Roe holds no assigned role 'pmo' for PF"):
        ws.remove_role("PF", "pmo", "Sam Roe")
    # Held on the portfolio, not on the project: removing it there is refused too.
    with pytest.raises(NotFoundError, match="Lee Chen holds no assigned role 'pmo' for ALPHA"):
        ws.remove_role("ALPHA", "pmo", "Lee Chen")
    assert len(ws.journal()) == before
    assert [(h.role, h.person) for h in ws.roles("PF")] == [("pmo", "Lee Chen")]


def test_a_role_is_removed_by_any_spelling_of_the_role_and_the_person(ws: Workspace) -> None:
    ws.assign_role("PF", "steering-committee", "Lee Chen")

    removed = ws.remove_role("PF", "Steering Committee", "LEE chen")

    assert (removed.role, removed.person, removed.entity) == (
        "steering-committee",
        "Lee Chen",
        "PF",
    )
    assert [(h.role, h.person) for h in ws.roles("PF")] == [("pmo", "Lee Chen")]


def test_roles_assigned_after_the_views_date_are_left_out(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    today = [date(2025, 3, 1)]
    ws: Workspace = pmo_workspace_factory(
        plugins={"plan-control": PlanControl()}, today=lambda: today[0]
    )
    ws.create("portfolio", id="PF", name="Portfolio")
    ws.create("project", id="ALPHA", name="Alpha", parent="PF", manager="Kim Park")
    ws.assign_role("PF", "pmo", "Lee Chen")
    today[0] = TODAY
    ws.assign_role("ALPHA", "project-board", "Sam Roe")

    now = [(h.role, h.person, h.scope, h.source) for h in ws.roles("ALPHA")]
    then = ws.roles("ALPHA", view=ws.view(status_date=date(2025, 4, 1)))

    # No sponsor named: the field gives no role.
    assert now == [
        ("manager", "Kim Park", "ALPHA", "manager"),
        ("project-board", "Sam Roe", "ALPHA", "assignment"),
        ("pmo", "Lee Chen", "PF", "assignment"),
    ]
    assert [(h.role, h.person) for h in then] == [("manager", "Kim Park"), ("pmo", "Lee Chen")]


def test_the_workspace_role_list_gives_each_holder_once_at_its_own_scope(ws: Workspace) -> None:
    ws.assign_role("ALPHA", "project-board", "Sam Roe")

    listed = [(h.scope, h.role, h.person, h.source) for h in ws.roles()]

    # Lee holds pmo for ALPHA too, through PF: listed once, where it was given.
    assert sorted(listed) == [
        ("ALPHA", "manager", "Kim Park", "manager"),
        ("ALPHA", "project-board", "Sam Roe", "assignment"),
        ("ALPHA", "sponsor", "Dana Ruiz", "sponsor"),
        ("PF", "pmo", "Lee Chen", "assignment"),
    ]
    assert ws.roles()[0].as_dict().keys() == {"role", "person", "scope", "source"}
