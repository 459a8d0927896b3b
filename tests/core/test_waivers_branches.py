"""Waivers at their edges: what a grant must name (a rule or criterion that exists), when it
may be dated, revoking once and not before the grant, and finding a waiver by the start of
its id. Every refusal names where and writes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import TypeVar

import pytest
from plan_control_support import TODAY, MakeWorkspace, PlanControl, make

from pmo_core import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PmoGovernanceRule,
    Waiver,
    Workspace,
    hookimpl,
)

E = TypeVar("E", bound=Exception)
EXPIRES = date(2025, 9, 30)


class NamedRule:
    """One governance rule, so that a rule waiver has something to name."""

    @hookimpl
    def pmo_governance_rules(self) -> Iterator[PmoGovernanceRule]:
        yield PmoGovernanceRule(
            name="budget-named",
            level="warn",
            check=lambda ctx: None,
        )


@pytest.fixture
def ws(pmo_workspace_factory: MakeWorkspace) -> Workspace:
    return make(pmo_workspace_factory)


def _refused(ws: Workspace, error: type[E], match: str, call: Callable[[], object]) -> E:
    before = len(ws.journal())
    with pytest.raises(error, match=match) as caught:
        call()
    assert len(ws.journal()) == before
    return caught.value


def _grant(ws: Workspace, entity: str = "ALPHA", **fields: object) -> Waiver:
    values: dict[str, object] = {
        "kind": "criterion",
        "target": "charter-approved",
        "reason": "Pilot",
        "expires_on": EXPIRES,
        **fields,
    }
    kind, target = values.pop("kind"), values.pop("target")
    return ws.grant_waiver(entity, kind, target, **values)  # type: ignore[arg-type]


def test_a_criterion_of_the_methodology_is_waived_until_it_expires(ws: Workspace) -> None:
    waiver = _grant(ws, on=date(2025, 5, 2))
    assert (waiver.entity, waiver.kind, waiver.target) == ("ALPHA", "criterion", "charter-approved")
    assert (waiver.granted_on, waiver.expires_on) == (date(2025, 5, 2), EXPIRES)
    assert (waiver.requested_by, waiver.granted_by) == ("tester", "tester")
    assert ws.waivers("ALPHA") == [waiver]


def test_a_grant_dated_after_the_status_date_is_refused_at_on(ws: Workspace) -> None:
    exc = _refused(
        ws,
        InvalidInputError,
        "2025-06-03 is after the status date 2025-06-02",
        lambda: _grant(ws, on=date(2025, 6, 3)),
    )
    assert exc.where == "--on"


def test_a_waiver_of_anything_but_a_rule_or_criterion_is_refused(ws: Workspace) -> None:
    _refused(
        ws,
        InvalidInputError,
        "a waiver names a rule or a criterion, not 'gate'",
        lambda: _grant(ws, kind="gate", target="go"),
    )


def test_a_killed_project_takes_no_waiver(ws: Workspace) -> None:
    ws.change_lifecycle("ALPHA", "killed", comment="No market")
    _refused(ws, ConflictError, "cannot grant a waiver to ALPHA: it is killed", lambda: _grant(ws))


def test_a_rule_waiver_names_a_rule_some_plugin_registers(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    ws: Workspace = pmo_workspace_factory(
        plugins={"plan-control": PlanControl(), "named": NamedRule()},
        governance_model="strict",
        methodology="plan-do",
        today=TODAY,
    )
    ws.create("project", id="ALPHA", name="Alpha")
    _refused(
        ws,
        NotFoundError,
        r"no governance rule 'budget-name' \(rules: .*budget-named",
        lambda: _grant(ws, kind="rule", target="budget-name"),
    )

    waiver = _grant(ws, kind="rule", target="budget-named")

    assert (waiver.kind, waiver.target) == ("rule", "budget-named")


def test_an_unknown_criterion_is_refused_listing_the_methodologys_criteria(
    ws: Workspace,
) -> None:
    _refused(
        ws,
        NotFoundError,
        r"methodology 'plan-do' has no criterion 'charter' \(criteria: charter-approved\)",
        lambda: _grant(ws, target="charter"),
    )


def test_without_a_methodology_no_criterion_can_be_waived(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    ws: Workspace = pmo_workspace_factory(plugins={"plan-control": PlanControl()}, today=TODAY)
    ws.create("project", id="LONE", name="Lone")
    _refused(
        ws,
        NotFoundError,
        r"LONE's gates has no criterion 'charter-approved' \(criteria: none\)",
        lambda: _grant(ws, "LONE"),
    )


def test_revoking_without_a_reason_is_refused_at_comment(ws: Workspace) -> None:
    waiver = _grant(ws)
    exc = _refused(
        ws,
        InvalidInputError,
        "say why the waiver is revoked",
        lambda: ws.revoke_waiver(waiver.id, reason="  "),
    )
    assert exc.where == "--comment"


def test_a_waiver_is_revoked_once(ws: Workspace) -> None:
    waiver = _grant(ws, on=date(2025, 5, 2))
    revoked = ws.revoke_waiver(waiver.id[:6], reason="Charter approved", on=date(2025, 5, 20))
    assert (revoked.revoked_on, revoked.revoked_by) == (date(2025, 5, 20), "tester")
    assert ws.waivers("ALPHA") == []
    assert ws.waivers("ALPHA", include_ended=True) == [revoked]

    _refused(
        ws,
        ConflictError,
        f"waiver {waiver.id} was already revoked on 2025-05-20",
        lambda: ws.revoke_waiver(waiver.id, reason="Again"),
    )


def test_a_revocation_dated_before_the_grant_is_refused_at_on(ws: Workspace) -> None:
    waiver = _grant(ws, on=date(2025, 5, 2))
    exc = _refused(
        ws,
        InvalidInputError,
        r"2025-05-01 is before the waiver was granted \(2025-05-02\)",
        lambda: ws.revoke_waiver(waiver.id, reason="Too early", on=date(2025, 5, 1)),
    )
    assert exc.where == "--on"


def test_a_revocation_reason_with_a_control_character_is_refused_at_comment(
    ws: Workspace,
) -> None:
    waiver = _grant(ws)
    exc = _refused(
        ws,
        InvalidInputError,
        "revoked_reason",
        lambda: ws.revoke_waiver(waiver.id, reason="Approved \u202eafter all"),
    )
    assert exc.where == "--comment"
    assert ws.waivers("ALPHA")[0].revoked_on is None


@pytest.mark.parametrize(
    ("ref", "error", "message", "where"),
    [
        ("abc", InvalidInputError, "give at least 4 characters of the waiver id", "ID"),
        ("  abc  ", InvalidInputError, "give at least 4 characters of the waiver id", "ID"),
        ("ffff0000", NotFoundError, "no waiver 'ffff0000'", None),
        ("beef", InvalidInputError, "'beef' matches 2 waivers; give more of the id", "ID"),
    ],
    ids=["short", "short-once-stripped", "unknown", "ambiguous"],
)
def test_a_waiver_is_named_by_a_unique_start_of_its_id(
    ws: Workspace, ref: str, error: type[Exception], message: str, where: str | None
) -> None:
    for id in ("beef0001", "beef0002"):
        ws.add(
            Waiver(
                id=id,
                entity="ALPHA",
                kind="criterion",
                target="charter-approved",
                reason="Pilot",
                granted_on=TODAY,
                expires_on=EXPIRES,
            )
        )
    exc = _refused(ws, error, message, lambda: ws.revoke_waiver(ref, reason="Done"))
    assert getattr(exc, "where", None) == where
    # Given in full (padded or not), the id names one.
    assert ws.revoke_waiver(" beef0002 ", reason="Done").id == "beef0002"
