"""The stage-gate methodology (Cooper): stages, gates with must / should criteria, artifacts."""

from __future__ import annotations

from collections.abc import Callable

from pmo_core import (
    PmoArtifact,
    PmoEvent,
    PmoGate,
    PmoGateCriterion,
    PmoMethodology,
    PmoPhase,
    PmoRole,
    Rag,
    RuleContext,
)
from pmo_core.checks import (
    check_baseline_exists,
    check_budget_set,
    check_high_risks_owned,
    check_sponsor_named,
    entity_label,
)

from . import _templates as t

# ------------------------------------------------------------------------------------ checks


def check_leader_named(ctx: RuleContext) -> str | None:
    """The entity names a project leader (its ``manager``).

    Example::

        check_leader_named(ctx)  # 'project ALPHA names no project leader (manager)'
    """
    if (ctx.entity.manager or "").strip():
        return None
    return f"{entity_label(ctx)} names no project leader (manager)"


def check_in_portfolio(ctx: RuleContext) -> str | None:
    """The entity sits in a portfolio or program, so its strategic fit can be judged.

    Example::

        check_in_portfolio(ctx)  # 'project ALPHA belongs to no portfolio or program; ...'
    """
    if ctx.entity.parent:
        return None
    label = entity_label(ctx)
    return f"{label} belongs to no portfolio or program; place it to judge strategic fit"


def check_milestones_defined(ctx: RuleContext) -> str | None:
    """The project has at least one dated milestone.

    Example::

        check_milestones_defined(ctx)  # 'project ALPHA has no dated milestone'
    """
    if any(m.due is not None for m in ctx.view.milestones(ctx.entity.id)):
        return None
    return f"{entity_label(ctx)} has no dated milestone"


def check_no_overdue_milestones(ctx: RuleContext) -> str | None:
    """No milestone due before today is still open.

    Example::

        check_no_overdue_milestones(ctx)
        # "project ALPHA has 1 overdue milestone: 'Prototype' (due 2025-03-01)"
    """
    late = [
        m
        for m in ctx.view.milestones(ctx.entity.id)
        if m.due is not None and m.due < ctx.today and m.status != "closed"
    ]
    if not late:
        return None
    listed = ", ".join(f"{m.name!r} (due {m.due.isoformat()})" for m in late if m.due)
    noun = "milestone" if len(late) == 1 else "milestones"
    return f"{entity_label(ctx)} has {len(late)} overdue {noun}: {listed}"


def check_status_not_red(ctx: RuleContext) -> str | None:
    """The latest status report is not red (a red project needs a recovery plan first).

    Example::

        check_status_not_red(ctx)  # 'the latest status report of project ALPHA ... is red'
    """
    latest = ctx.view.latest_status(ctx.entity.id)
    if latest is None or latest.overall != Rag.RED:
        return None
    return (
        f"the latest status report of {entity_label(ctx)} ({latest.as_of.isoformat()}) is red; "
        "agree a recovery plan before passing the gate"
    )


# ----------------------------------------------------------------------------- the record


def _artifact(name: str, summary: str, template: str) -> PmoArtifact:
    return PmoArtifact(name=name, summary=summary, template=template)


_Check = Callable[[RuleContext], "str | None"]


def _must(
    name: str, summary: str, *, artifact: str | None = None, check: _Check | None = None
) -> PmoGateCriterion:
    return PmoGateCriterion(
        name=name, summary=summary, level="must", artifact=artifact, check=check
    )


def _should(
    name: str, summary: str, *, artifact: str | None = None, check: _Check | None = None
) -> PmoGateCriterion:
    return PmoGateCriterion(
        name=name, summary=summary, level="should", artifact=artifact, check=check
    )


_HIGH_RISKS = _should(
    "high-risks-owned", "Every open high risk has an owner.", check=check_high_risks_owned
)

STAGE_GATE = PmoMethodology(
    name="stage-gate",
    summary="Predictive stage-gate (Cooper): five stages and gates, funding released per stage.",
    phases=(
        PmoPhase(
            name="discovery",
            summary="Stage 0: generate and capture ideas.",
            artifacts=("idea-submission",),
        ),
        PmoPhase(
            name="scoping",
            summary="Stage 1: a quick, inexpensive look at market and technical merit.",
            artifacts=("project-brief",),
        ),
        PmoPhase(
            name="business-case",
            summary="Stage 2: detailed investigation; product definition, justification, plan.",
            artifacts=("business-case", "project-plan"),
        ),
        PmoPhase(
            name="development",
            summary="Stage 3: design and development; test and launch plans prepared.",
            artifacts=("test-plan",),
        ),
        PmoPhase(
            name="testing",
            summary="Stage 4: testing and validation in the lab, the field and the market.",
            artifacts=("test-report", "launch-plan"),
        ),
        PmoPhase(
            name="launch",
            summary="Stage 5: full commercialisation, production and operations.",
            artifacts=("launch-report",),
        ),
        PmoPhase(
            name="post-launch-review",
            summary="Results compared with the business case; lessons; project closed.",
            artifacts=("post-launch-review",),
        ),
    ),
    gates=(
        PmoGate(
            name="gate-1",
            summary="Idea screen: is the idea worth a first look?",
            leaving="discovery",
            entering="scoping",
            criteria=(
                _must(
                    "idea-submitted",
                    "The idea submission is approved for screening.",
                    artifact="idea-submission",
                ),
                _should(
                    "strategic-fit",
                    "The project sits in a portfolio or program.",
                    check=check_in_portfolio,
                ),
                _should(
                    "project-leader-named", "A project leader is named.", check=check_leader_named
                ),
            ),
        ),
        PmoGate(
            name="gate-2",
            summary="Second screen: is the opportunity worth a business case?",
            leaving="scoping",
            entering="business-case",
            criteria=(
                _must("project-brief", "The project brief is approved.", artifact="project-brief"),
                _must("sponsor-named", "A sponsor is named.", check=check_sponsor_named),
                _should(
                    "project-leader-named", "A project leader is named.", check=check_leader_named
                ),
                _HIGH_RISKS,
            ),
        ),
        PmoGate(
            name="gate-3",
            summary="Go to development: the last gate before heavy spending.",
            leaving="business-case",
            entering="development",
            criteria=(
                _must("business-case", "The business case is approved.", artifact="business-case"),
                _must("project-plan", "The project plan is approved.", artifact="project-plan"),
                _must("sponsor-named", "A sponsor is named.", check=check_sponsor_named),
                _must(
                    "project-leader-named", "A project leader is named.", check=check_leader_named
                ),
                _must("budget-set", "The budget (BAC) is set.", check=check_budget_set),
                _must("baseline-exists", "Baseline 0 is taken.", check=check_baseline_exists),
                _should(
                    "milestones-defined",
                    "Dated milestones are defined.",
                    check=check_milestones_defined,
                ),
                _HIGH_RISKS,
            ),
        ),
        PmoGate(
            name="gate-4",
            summary="Go to testing: development is done and testing is planned.",
            leaving="development",
            entering="testing",
            criteria=(
                _must("test-plan", "The test plan is approved.", artifact="test-plan"),
                _should(
                    "milestones-met",
                    "No milestone is overdue.",
                    check=check_no_overdue_milestones,
                ),
                _should(
                    "status-not-red", "The latest status is not red.", check=check_status_not_red
                ),
                _HIGH_RISKS,
            ),
        ),
        PmoGate(
            name="gate-5",
            summary="Go to launch: validated product, launch and operations ready.",
            leaving="testing",
            entering="launch",
            criteria=(
                _must(
                    "test-report",
                    "The test and validation report is approved.",
                    artifact="test-report",
                ),
                _must("launch-plan", "The launch plan is approved.", artifact="launch-plan"),
                _should(
                    "milestones-met",
                    "No milestone is overdue.",
                    check=check_no_overdue_milestones,
                ),
                _should(
                    "status-not-red", "The latest status is not red.", check=check_status_not_red
                ),
                _HIGH_RISKS,
            ),
        ),
        PmoGate(
            name="post-launch-gate",
            summary="Post-launch review gate: the launch is complete; review the results.",
            leaving="launch",
            entering="post-launch-review",
            criteria=(
                _must("launch-report", "The launch report is approved.", artifact="launch-report"),
                _should(
                    "milestones-met",
                    "No milestone is overdue.",
                    check=check_no_overdue_milestones,
                ),
            ),
            options=("go", "hold", "recycle"),
        ),
    ),
    artifacts=(
        _artifact(
            "idea-submission", "The idea, the opportunity and its strategic fit.", t.IDEA_SUBMISSION
        ),
        _artifact(
            "project-brief",
            "Scoping results: preliminary market, technical and business assessment.",
            t.PROJECT_BRIEF,
        ),
        _artifact(
            "business-case",
            "Why the project is worth doing: options, benefits, costs, risks, appraisal.",
            t.BUSINESS_CASE,
        ),
        _artifact(
            "project-plan",
            "How development, testing and launch will run: schedule, budget by stage, team.",
            t.PROJECT_PLAN,
        ),
        _artifact("test-plan", "How the product will be tested and validated.", t.TEST_PLAN),
        _artifact(
            "test-report", "Test and validation results against acceptance criteria.", t.TEST_REPORT
        ),
        _artifact(
            "launch-plan", "How the product goes to market and into operations.", t.LAUNCH_PLAN
        ),
        _artifact(
            "launch-report", "Launch results against the launch plan; handover.", t.LAUNCH_REPORT
        ),
        _artifact(
            "post-launch-review",
            "Results against the business case, lessons and closure.",
            t.POST_LAUNCH_REVIEW,
        ),
    ),
    roles=(
        PmoRole(
            name="gatekeeper",
            summary="Senior managers who own the resources; decide go / kill / hold / recycle.",
        ),
        PmoRole(
            name="project-leader",
            summary="Leads the project team through a stage and presents at the gate.",
        ),
        PmoRole(
            name="project-team",
            summary="Cross-functional team (marketing, technical, operations) doing the stage.",
        ),
        PmoRole(
            name="process-manager",
            summary=(
                "Keeps the stage-gate process (usually the PMO): schedules gates and checks "
                "deliverables."
            ),
        ),
    ),
    events=(
        PmoEvent(
            name="gate-review",
            summary="Gatekeepers review deliverables against the criteria and decide.",
            timebox_hours=2,
        ),
        PmoEvent(
            name="stage-status-review",
            summary="The project leader reviews progress, risks and spend with the team.",
            cadence_days=14,
            timebox_hours=1,
        ),
        PmoEvent(
            name="post-launch-review",
            summary="Results compared with the business case, 6 to 18 months after launch.",
            timebox_hours=4,
        ),
    ),
    iterations=False,
    progress_measure="percent_complete",
    tailoring={
        "funding": (
            "Funding is released stage by stage: a go at a gate commits the money and people "
            "for the next stage only, never the whole project."
        ),
        "execution-phases": "development, testing, launch",
        "gates": (
            "Small, low-risk projects may combine gates 1 and 2 and stages 1 and 2 "
            "(Stage-Gate Lite); gate criteria and deliverables are set by the PMO."
        ),
        "criteria": (
            "Must criteria are knock-outs; should criteria are scored by the gatekeepers and "
            "may be waived with a condition on the decision."
        ),
    },
)
"""The ``stage-gate`` methodology record.

Example::

    STAGE_GATE.gate_leaving("business-case").name  # 'gate-3'
    STAGE_GATE.next_phase("testing")                # 'launch'
"""
