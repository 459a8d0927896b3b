"""The records around entities: RAID, status reports, gates, plans, money records, refs."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from pydantic import ValidationError

from pmo_core._domain import (
    Alignment,
    Allocation,
    Approval,
    Artifact,
    Availability,
    Baseline,
    BaselineItem,
    CostEntry,
    CriterionResult,
    ExternalRef,
    Forecast,
    GateDecision,
    LessonLearned,
    Milestone,
    Money,
    Objective,
    Rag,
    RagOverride,
    RaidItem,
    Rate,
    Resource,
    Stakeholder,
    StatusReport,
    WorkItem,
    WorkItemLink,
)

# --- RAID --------------------------------------------------------------------------------------


def test_risk_score_and_high() -> None:
    risk = RaidItem(type="risk", entity="A", title="Vendor late", probability=4, impact=4)
    assert risk.score == 16
    assert risk.is_high
    assert RaidItem(type="risk", entity="A", title="t", probability=3, impact=4).score == 12
    assert not RaidItem(type="risk", entity="A", title="t", probability=3, impact=4).is_high
    assert RaidItem(type="risk", entity="A", title="t", probability=1, impact=5).is_high
    assert RaidItem(type="risk", entity="A", title="t", probability=5, impact=3).is_high
    unscored = RaidItem(type="risk", entity="A", title="t")
    assert unscored.score is None
    assert not unscored.is_high
    assert RaidItem(type="issue", entity="A", title="t", impact=5).is_high


@pytest.mark.parametrize("field", ["probability", "impact"])
@pytest.mark.parametrize("value", [0, 6])
def test_risk_scales_are_1_to_5(field: str, value: int) -> None:
    with pytest.raises(ValidationError, match=field):
        RaidItem.model_validate({"type": "risk", "entity": "A", "title": "t", field: value})


@pytest.mark.parametrize(
    ("raid_type", "field", "value", "message"),
    [
        ("issue", "probability", 2, "probability applies only to a risk, not to an issue"),
        ("decision", "impact", 2, "impact applies only to a risk or an issue, not to a decision"),
        ("risk", "needed_by", "2025-05-01", "needed_by applies only to a dependency"),
        ("action", "cost_impact", "10 EUR", "cost_impact applies only to a change"),
        ("risk", "schedule_impact_days", 5, "schedule_impact_days applies only to a change"),
        ("assumption", "decided_on", "2025-05-01", "decided_on applies only to a decision"),
        ("change", "delivered_on", "2025-05-01", "delivered_on applies only to a dependency"),
    ],
)
def test_fields_not_applicable_to_the_type_are_rejected(
    raid_type: str, field: str, value: object, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        RaidItem.model_validate({"type": raid_type, "entity": "A", "title": "t", field: value})


def test_type_specific_fields_accepted_on_their_type() -> None:
    dependency = RaidItem(
        type="dependency",
        entity="A",
        title="API from team B",
        depends_on="B",
        needed_by=date(2025, 5, 1),
        committed_on=date(2025, 4, 20),
    )
    assert dependency.delivered_on is None
    change = RaidItem(
        type="change",
        entity="A",
        title="Add SSO",
        cost_impact="12000 EUR",
        schedule_impact_days=10,
        approved=None,
    )
    assert change.cost_impact == Money.parse("12000 EUR")
    decision = RaidItem(type="decision", entity="A", title="Use vendor X", decided_by="board")
    assert decision.owned_by == ""


def test_raid_common_rules_and_round_trip() -> None:
    with pytest.raises(ValidationError, match="type"):
        RaidItem.model_validate({"type": "rumour", "entity": "A", "title": "t"})
    with pytest.raises(ValidationError, match="closed_on"):
        RaidItem(type="action", entity="A", title="t", closed_on=date(2025, 1, 1))
    with pytest.raises(ValidationError, match="entity"):
        RaidItem(type="action", entity="not a key", title="t")
    item = RaidItem(type="change", entity="A", title="t", cost_impact="0.30 EUR", owned_by="kim")
    again = RaidItem.from_document(json.loads(json.dumps(item.to_document())), version=2)
    assert again.cost_impact == item.cost_impact
    assert again.id == item.id
    assert again.owned_by == "kim"
    assert again.owner == "A"


# --- status reports ----------------------------------------------------------------------------


def report(**changes: object) -> StatusReport:
    data: dict[str, object] = {
        "entity": "ALPHA",
        "as_of": "2025-03-31",
        "overall": "amber",
        "dimensions": {"schedule": "green", "cost": "amber"},
        "metrics": {"spi": 1.01, "cpi": 0.93, "ev": "120000.00"},
        "author": "pat",
    }
    data.update(changes)
    return StatusReport.model_validate(data)


def test_status_report_basics() -> None:
    snapshot = report()
    assert snapshot.overall is Rag.AMBER
    assert snapshot.dimensions == {"schedule": Rag.GREEN, "cost": Rag.AMBER}
    assert snapshot.owner == "ALPHA"
    assert StatusReport.from_document(snapshot.to_document(), version=1).metrics == (
        snapshot.metrics
    )
    with pytest.raises(ValidationError, match="dimensions"):
        report(dimensions={"morale": "green"})
    with pytest.raises(ValidationError, match="overall"):
        report(overall="blue")


def test_rag_override_needs_a_reason() -> None:
    with pytest.raises(ValidationError, match="needs a reason"):
        RagOverride(dimension="cost", computed="red", manual="amber")
    with pytest.raises(ValidationError, match="needs a reason"):
        RagOverride(dimension="cost", computed="red", manual="amber", reason="   ")
    with pytest.raises(ValidationError, match="drop the override"):
        RagOverride(dimension="cost", computed="red", manual="red", reason="why not")
    override = RagOverride(dimension="cost", computed="red", manual="amber", reason="refund due")
    assert report(overrides=[override]).overridden == {"cost"}
    with pytest.raises(ValidationError, match="needs a reason"):
        report(overrides=[{"dimension": "cost", "computed": "red", "manual": "amber"}])


def test_override_must_match_the_colour_shown() -> None:
    override = {"dimension": "cost", "computed": "red", "manual": "green", "reason": "r"}
    with pytest.raises(ValidationError, match="cost colour is amber but its override says green"):
        report(overrides=[override])
    overall = {"dimension": "overall", "computed": "red", "manual": "amber", "reason": "r"}
    assert report(overrides=[overall]).overridden == {"overall"}
    with pytest.raises(ValidationError, match="more than one override"):
        report(overrides=[overall, overall])


def test_rag_worst() -> None:
    assert Rag.worst([Rag.GREEN, Rag.RED, Rag.AMBER]) is Rag.RED
    assert Rag.worst([Rag.GREEN, Rag.AMBER]) is Rag.AMBER
    assert Rag.worst([]) is None
    assert Rag.RED.severity > Rag.AMBER.severity > Rag.GREEN.severity


# --- gates and artifacts -----------------------------------------------------------------------


def test_gate_decision() -> None:
    decision = GateDecision(
        entity="ALPHA",
        gate="gate-3",
        decision="go",
        decided_on=date(2025, 3, 14),
        decided_by="board",
        criteria=[
            CriterionResult(name="business case approved", level="must", passed=False),
            CriterionResult(name="team staffed", level="should", passed=False),
        ],
        approvals=[
            Approval(approver="dana", role="sponsor", approve=True),
            Approval(approver="lee", approve=False),
        ],
        conditions=["re-baseline by April"],
    )
    assert [c.name for c in decision.failed_musts] == ["business case approved"]
    assert decision.approvals_in_favour == 1
    again = GateDecision.from_document(json.loads(json.dumps(decision.to_document())), 1)
    assert again.criteria == decision.criteria
    with pytest.raises(ValidationError, match="decision"):
        GateDecision(
            entity="A", gate="g", decision="maybe", decided_on=date(2025, 1, 1), decided_by="b"
        )
    with pytest.raises(ValidationError, match="listed more than once"):
        GateDecision(
            entity="A",
            gate="g",
            decision="hold",
            decided_on=date(2025, 1, 1),
            decided_by="b",
            criteria=[CriterionResult(name="x", passed=True)] * 2,
        )
    with pytest.raises(ValidationError, match="voted more than once"):
        GateDecision(
            entity="A",
            gate="g",
            decision="hold",
            decided_on=date(2025, 1, 1),
            decided_by="b",
            approvals=[Approval(approver="x", approve=True)] * 2,
        )


def test_artifact_approval_fields() -> None:
    approved = Artifact(
        entity="A", name="business-case", status="approved", approved_on=date(2025, 2, 3)
    )
    assert approved.owner == "A"
    with pytest.raises(ValidationError, match="draft artifact"):
        Artifact(entity="A", name="business-case", approved_on=date(2025, 2, 3))


# --- planning ----------------------------------------------------------------------------------


def test_work_item() -> None:
    item = WorkItem(
        project="ALPHA",
        subject="Migration",
        start=date(2025, 3, 3),
        due=date(2025, 4, 30),
        work=320,
        remaining=120,
        percent_complete=60,
        ev_method="50/50",
        budget="48000 EUR",
        actual_cost="30500.25 EUR",
        links=[WorkItemLink(predecessor="abc", lag_days=-1)],
    )
    assert item.type == "task"
    assert item.budget is not None
    assert item.budget * (item.percent_complete / 100) == Money.parse("28800 EUR")
    with pytest.raises(ValidationError, match="percent_complete"):
        WorkItem(project="A", subject="s", percent_complete=101)
    with pytest.raises(ValidationError, match="ev_method"):
        WorkItem(project="A", subject="s", ev_method="gut_feel")
    with pytest.raises(ValidationError, match="due"):
        WorkItem(project="A", subject="s", start=date(2025, 3, 3), due=date(2025, 3, 2))
    with pytest.raises(ValidationError, match="actual_cost is in USD"):
        WorkItem(project="A", subject="s", budget="1 EUR", actual_cost="1 USD")
    with pytest.raises(ValidationError, match="links"):
        WorkItem.model_validate(
            {"project": "A", "subject": "s", "links": [{"predecessor": "x", "type": "XX"}]}
        )


def test_milestone() -> None:
    milestone = Milestone(project="A", name="Go live", due=date(2025, 11, 3))
    assert milestone.status == "open"
    with pytest.raises(ValidationError, match="status"):
        Milestone(project="A", name="x", status="done")


def test_baseline() -> None:
    baseline = Baseline(
        project="A",
        number=1,
        taken_on=date(2025, 1, 6),
        cost="250000 EUR",
        items=[BaselineItem(work_item="w1", cost="48000 EUR", work=300)],
    )
    assert baseline.items[0].cost == Money.parse("48000 EUR")
    with pytest.raises(ValidationError):
        baseline.items[0].work = 1  # type: ignore[misc]
    with pytest.raises(ValidationError, match="number"):
        Baseline(project="A", number=11, taken_on=date(2025, 1, 6), cost="1 EUR")
    with pytest.raises(ValidationError, match="costs USD but the baseline is in EUR"):
        Baseline(
            project="A",
            taken_on=date(2025, 1, 6),
            cost="1 EUR",
            items=[BaselineItem(work_item="w1", cost="1 USD")],
        )
    with pytest.raises(ValidationError, match="more than once"):
        Baseline(
            project="A",
            taken_on=date(2025, 1, 6),
            cost="1 EUR",
            items=[BaselineItem(work_item="w1")] * 2,
        )


# --- finance and resources ---------------------------------------------------------------------


def test_cost_entry_and_forecast() -> None:
    entry = CostEntry(project="A", incurred_on=date(2025, 4, 17), amount="1200.50 EUR")
    assert entry.amount.amount == Decimal("1200.50")
    with pytest.raises(ValidationError, match="category"):
        CostEntry(project="A", incurred_on=date(2025, 4, 17), amount="1 EUR", category="misc")
    forecast = Forecast(project="A", as_of=date(2025, 4, 30), eac="265000 EUR", etc="1 EUR")
    assert forecast.owner == "A"
    with pytest.raises(ValidationError, match="etc is in USD"):
        Forecast(project="A", as_of=date(2025, 4, 30), eac="1 EUR", etc="1 USD")


def test_resource_rates_and_allocation() -> None:
    resource = Resource(
        name="Kim",
        rates=[
            Rate(effective_from=date(2025, 1, 1), per_hour="95 EUR"),
            Rate(effective_from=date(2025, 7, 1), per_hour="99 EUR"),
        ],
    )
    assert resource.rate_on(date(2024, 12, 31)) is None
    assert resource.rate_on(date(2025, 6, 30)) == Money.parse("95 EUR")
    assert resource.rate_on(date(2025, 7, 1)) == Money.parse("99 EUR")
    with pytest.raises(ValidationError, match="rates must be in order"):
        Resource(name="Kim", rates=list(reversed(resource.rates)))
    span = {"resource": resource.id, "project": "A", "start": "2025-03-01", "finish": "2025-06-30"}
    assert Allocation.model_validate({**span, "percent": 50}).percent == 50
    assert Allocation.model_validate({**span, "hours": 120}).hours == 120
    with pytest.raises(ValidationError, match="exactly one of percent and hours"):
        Allocation.model_validate(span)
    with pytest.raises(ValidationError, match="exactly one of percent and hours"):
        Allocation.model_validate({**span, "percent": 50, "hours": 1})
    with pytest.raises(ValidationError, match="percent"):
        Allocation.model_validate({**span, "percent": 150})


def test_resource_skills_availability_and_holidays() -> None:
    kim = Resource(
        name="Kim",
        skills=["Python", "SQL"],
        holidays=[date(2025, 5, 1)],
        availability=[
            Availability(effective_from=date(2025, 4, 1), fte=0.5),
            Availability(effective_from=date(2025, 7, 1), fte=0.8),
        ],
    )
    assert kim.skills == ("Python", "SQL")
    assert kim.fte_on(date(2025, 3, 31)) == 1.0  # full time before the first entry
    assert kim.fte_on(date(2025, 4, 1)) == 0.5  # from its day on
    assert kim.fte_on(date(2025, 5, 1)) == 0.0  # a holiday
    assert kim.fte_on(date(2025, 5, 2)) == 0.5
    assert kim.fte_on(date(2025, 7, 1)) == 0.8
    with pytest.raises(ValidationError, match="availability must be in order"):
        Resource(name="Kim", availability=list(reversed(kim.availability)))
    with pytest.raises(ValidationError, match="fte"):
        Availability(effective_from=date(2025, 1, 1), fte=1.5)
    assert Resource.from_document({"name": "Old", "id": "r1"}, version=1).availability == ()


def test_stakeholder_objective_lesson() -> None:
    with pytest.raises(ValidationError, match="influence"):
        Stakeholder(entity="A", name="Dana", influence=6)
    with pytest.raises(ValidationError, match="email"):
        Stakeholder(entity="A", name="Dana", email="not an email")
    assert Objective(portfolio="P", name="Faster").owner == "P"
    with pytest.raises(ValidationError, match="weight"):
        Alignment(project="A", objective="o", weight=1.5)
    assert LessonLearned(entity="A", what_happened="x", tags=("a",)).owner == "A"


# --- derived ids -------------------------------------------------------------------------------


def test_external_ref_id_is_derived() -> None:
    ref = ExternalRef(
        connector="redmine",
        kind="work_item",
        remote_id=4711,
        target="abc",
        last_synced=datetime(2025, 4, 1, 10, tzinfo=timezone.utc),
    )
    assert ref.id == "redmine:work_item:4711"
    assert ref.remote_id == "4711"
    assert ref.replace(remote_id="12").id == "redmine:work_item:12"
    assert ExternalRef.from_document(ref.to_document(), version=1).id == ref.id
    with pytest.raises(ValidationError, match="id must be 'redmine:work_item:4711'"):
        ExternalRef(id="x", connector="redmine", kind="work_item", remote_id="4711", target="a")
    with pytest.raises(ValidationError, match="connector"):
        ExternalRef(connector="a:b", kind="work_item", remote_id="1", target="a")
    with pytest.raises(ValidationError, match="last_synced"):
        ExternalRef(
            connector="r", kind="k", remote_id="1", target="a", last_synced=datetime(2025, 4, 1, 10)
        )


def test_alignment_id_is_derived() -> None:
    alignment = Alignment(project="ALPHA", objective="o1", weight=0.8)
    assert alignment.id == "ALPHA:o1"
    assert alignment.replace(objective="o2").id == "ALPHA:o2"
