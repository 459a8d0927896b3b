"""The PRINCE2 methodology: starting up, initiation, delivery stages, closing at the end of
the final stage; every stage boundary is a gate the project board authorises."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from pmo_core import (
    PmoArtifact,
    PmoEvent,
    PmoGate,
    PmoGateCriterion,
    PmoMethodology,
    PmoPhase,
    PmoRole,
    RoleAssignment,
    RuleContext,
)
from pmo_core.checks import (
    check_baseline_exists,
    check_budget_set,
    check_high_risks_owned,
    entity_label,
)

from . import _templates as t

if TYPE_CHECKING:
    from pmo_core import Entity, WorkspaceView

#: How many delivery stages the lifecycle offers (``delivery-1`` .. ``delivery-9``); a project
#: plans how many of them it uses in its ``prince2.delivery_stages`` custom field.
MAX_DELIVERY_STAGES = 9

#: The custom-field namespace of the plugin (``entity.custom_fields["prince2"]``).
FIELDS = "prince2"

#: The project board: the executive chairs it and owns the business case.
BOARD_ROLES = ("executive", "senior-user", "senior-supplier")

#: The title every exception issue the core raises starts with.
EXCEPTION_PREFIX = "Exception:"


class Prince2Fields(BaseModel):
    """The PRINCE2 custom fields of a project (namespace ``prince2``): ``delivery_stages`` is
    the number of delivery stages its plan has (the last of them is the final stage, which
    ends with closing the project); unset, the project plans stage by stage.

    Example::

        $ pmo project update ALPHA --field prince2.delivery_stages=3
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    delivery_stages: int | None = Field(default=None, ge=1, le=MAX_DELIVERY_STAGES)


def delivery_phase(number: int) -> str:
    """The phase name of delivery stage ``number`` (1-based).

    Example::

        delivery_phase(2)  # 'delivery-2'
    """
    return f"delivery-{number}"


def stage_number(phase: str | None) -> int | None:
    """The number of a delivery stage phase (``None`` for any other phase).

    Example::

        stage_number("delivery-3")  # 3
    """
    if phase and phase.startswith("delivery-") and phase[9:].isdigit():
        return int(phase[9:])
    return None


def planned_stages(entity: Entity) -> int | None:
    """How many delivery stages ``entity``'s plan has (``prince2.delivery_stages``), if set.

    Example::

        planned_stages(view.entity("ALPHA"))  # 3
    """
    value = (entity.custom_fields.get(FIELDS) or {}).get("delivery_stages")
    return int(str(value)) if value is not None else None


def stage_started(view: WorkspaceView, entity: str) -> date | None:
    """The day the current stage began: the latest ``go`` at a gate of ``entity``.

    Example::

        stage_started(view, "ALPHA")  # datetime.date(2025, 3, 3)
    """
    days = [d.decided_on for d in view.gate_decisions(entity) if d.decision == "go"]
    return max(days, default=None)


def board_members(view: WorkspaceView, entity: Entity) -> dict[str, list[str]]:
    """Who holds each project board role for ``entity`` (assigned on it or above it).

    Example::

        board_members(view, view.entity("ALPHA"))
        # {'executive': ['Dana Reyes'], 'senior-user': ['Uma Lee'], 'senior-supplier': []}
    """
    found: dict[str, list[str]] = {role: [] for role in BOARD_ROLES}
    for scope in (entity.id, *view.ancestor_ids(entity.id)):
        for assignment in view.records(RoleAssignment, scope):
            if assignment.role in found and not view.after(assignment.assigned_on):
                found[assignment.role].append(assignment.person)
    return found


# ------------------------------------------------------------------------------------ checks


def check_executive_appointed(ctx: RuleContext) -> str | None:
    """Someone holds the ``executive`` role for the project (appointed while starting up).

    Example::

        check_executive_appointed(ctx)  # "project ALPHA has no executive; 'pmo role assign ...'"
    """
    if board_members(ctx.view, ctx.entity)["executive"]:
        return None
    return (
        f"{entity_label(ctx)} has no executive; appoint one with "
        f"'pmo role assign {ctx.entity.id} executive NAME'"
    )


def check_manager_appointed(ctx: RuleContext) -> str | None:
    """The project names its project manager (its ``manager``).

    Example::

        check_manager_appointed(ctx)  # 'project ALPHA names no project manager'
    """
    if (ctx.entity.manager or "").strip():
        return None
    return f"{entity_label(ctx)} names no project manager"


def check_board_named(ctx: RuleContext) -> str | None:
    """The project board is complete: an executive, a senior user and a senior supplier.

    Example::

        check_board_named(ctx)  # 'project ALPHA has no senior-supplier on its project board'
    """
    members = board_members(ctx.view, ctx.entity)
    missing = [role for role in BOARD_ROLES if not members[role]]
    if not missing:
        return None
    return f"{entity_label(ctx)} has no {' and no '.join(missing)} on its project board"


def approved_this_stage(name: str) -> Callable[[RuleContext], str | None]:
    """A check that artifact ``name`` was approved since the current stage began (the latest
    ``go``): an end stage report or a next stage plan approved for an earlier boundary does
    not count again.

    Example::

        approved_this_stage("end-stage-report")(ctx)
        # "artifact 'end-stage-report' was approved on 2025-03-01, before this stage began ..."
    """

    def check(ctx: RuleContext) -> str | None:
        began = stage_started(ctx.view, ctx.entity.id)
        if began is None:
            return None
        for artifact in ctx.view.artifacts(ctx.entity.id):
            if artifact.name != name or artifact.status != "approved":
                continue
            if artifact.approved_on is not None and artifact.approved_on < began:
                return (
                    f"artifact {name!r} was approved on {artifact.approved_on.isoformat()}, "
                    f"before this stage began on {began.isoformat()}; approve this stage's"
                )
        return None

    check.__name__ = f"approved_this_stage_{name.replace('-', '_')}"
    return check


def check_next_stage_planned(ctx: RuleContext) -> str | None:
    """The stage the gate enters is in the project's stage plan (``prince2.delivery_stages``);
    at the end of the final stage the project is closed instead.

    Example::

        check_next_stage_planned(ctx)
        # 'delivery-3 is the final stage of project ALPHA's plan (3 delivery stages): ...'
    """
    planned = planned_stages(ctx.entity)
    gate = ctx.gate
    if planned is None or gate is None:
        return None
    entering = stage_number(gate.entering)
    if entering is None or entering <= planned:
        return None
    return (
        f"{gate.leaving} is the final stage of {entity_label(ctx)}'s plan ({planned} delivery "
        f"stage{'s' if planned != 1 else ''}): approve the end-project-report and "
        f"lessons-report and close the project, or plan another stage "
        f"(--field prince2.delivery_stages={planned + 1})"
    )


def check_no_open_exception(ctx: RuleContext) -> str | None:
    """No tolerance exception is open, unless an exception plan was approved after it was
    raised (the board's answer replaces the stage plan).

    Example::

        check_no_open_exception(ctx)
        # "project ALPHA has an open exception ('Exception: project cost tolerance exceeded',
        #   raised 2025-06-02) and no exception plan approved since"
    """
    open_ones = [
        r
        for r in ctx.view.raid(ctx.entity.id, type="issue", open_only=True)
        if r.title.startswith(EXCEPTION_PREFIX)
    ]
    if not open_ones:
        return None
    plan = next(
        (
            a
            for a in ctx.view.artifacts(ctx.entity.id)
            if a.name == "exception-plan" and a.status == "approved"
        ),
        None,
    )
    latest = max(open_ones, key=lambda r: (r.raised_on or date.min, r.id))
    answered_on = plan.approved_on if plan is not None else None
    raised = latest.raised_on
    if answered_on is not None and raised is not None and answered_on >= raised:
        return None
    when = latest.raised_on.isoformat() if latest.raised_on else "undated"
    return (
        f"{entity_label(ctx)} has an open exception ({latest.title!r}, raised {when}) and no "
        "exception plan approved since"
    )


# ----------------------------------------------------------------------------- the record

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


#: name, summary, template, the phase that produces it
_PRODUCTS: tuple[tuple[str, str, str, str], ...] = (
    ("project-brief", "The project's definition, outline business case and approach.",
     t.PROJECT_BRIEF, "pre-project"),
    ("lessons-log", "Lessons from earlier projects and from this one, as they arise.",
     t.LESSONS_LOG, "pre-project"),
    ("daily-log", "The project manager's diary of problems, actions and events.",
     t.DAILY_LOG, "pre-project"),
    ("business-case", "Why the project is worth doing: options, benefits, costs, risks.",
     t.BUSINESS_CASE, "initiation"),
    ("project-initiation-documentation",
     "The PID: how the project is directed, managed and controlled.",
     t.PROJECT_INITIATION_DOCUMENTATION, "initiation"),
    ("project-plan", "Stages, products, timescale, costs and tolerances of the project.",
     t.PROJECT_PLAN, "initiation"),
    ("risk-register", "The project's risks, their responses and owners.",
     t.RISK_REGISTER, "initiation"),
    ("issue-register", "Requests for change, off-specifications, problems and concerns.",
     t.ISSUE_REGISTER, "initiation"),
    ("quality-register", "Planned and done quality activities and their results.",
     t.QUALITY_REGISTER, "initiation"),
    ("stage-plan", "The plan of the next management stage, with its tolerances.",
     t.STAGE_PLAN, "delivery"),
    ("highlight-report", "Progress of the stage for the project board, at a set cadence.",
     t.HIGHLIGHT_REPORT, "delivery"),
    ("checkpoint-report", "A team manager's progress of a work package.",
     t.CHECKPOINT_REPORT, "delivery"),
    ("end-stage-report", "The stage's performance and the project's forecast, at its end.",
     t.END_STAGE_REPORT, "delivery"),
    ("exception-report", "A tolerance forecast to be exceeded, its cause and the options.",
     t.EXCEPTION_REPORT, "delivery"),
    ("exception-plan", "The plan that replaces a stage plan after an exception.",
     t.EXCEPTION_PLAN, "delivery"),
    ("end-project-report", "The project's performance against its PID, at closing.",
     t.END_PROJECT_REPORT, "final"),
    ("lessons-report", "The lessons of the project for the organisation, at closing.",
     t.LESSONS_REPORT, "final"),
)  # fmt: skip

_HIGH_RISKS = _should(
    "high-risks-owned", "Every open high risk has an owner.", check=check_high_risks_owned
)


def _delivery_gate(number: int) -> PmoGate:
    leaving, entering = delivery_phase(number), delivery_phase(number + 1)
    return PmoGate(
        name=f"end-stage-{number}",
        summary=(
            f"Stage boundary: the board reviews {leaving} and authorises {entering} "
            "(or closes the project at the end of the final stage)."
        ),
        leaving=leaving,
        entering=entering,
        criteria=(
            _must(
                "stage-in-plan",
                "The next stage is in the project's stage plan.",
                check=check_next_stage_planned,
            ),
            _must(
                "end-stage-report",
                "This stage's end stage report is approved.",
                artifact="end-stage-report",
                check=approved_this_stage("end-stage-report"),
            ),
            _must(
                "next-stage-plan",
                "The next stage's plan is approved.",
                artifact="stage-plan",
                check=approved_this_stage("stage-plan"),
            ),
            _must(
                "business-case-viable",
                "The business case (updated) is approved: the project is still justified.",
                artifact="business-case",
            ),
            _must(
                "no-open-exception",
                "No tolerance exception is open without an approved exception plan.",
                check=check_no_open_exception,
            ),
            _must("project-board", "The project board is named.", check=check_board_named),
            _HIGH_RISKS,
        ),
        options=("go", "kill", "hold", "recycle"),
    )


def _phases(stages: int) -> Iterator[PmoPhase]:
    yield PmoPhase(
        name="pre-project",
        summary="Starting up a project: is the project viable and worthwhile?",
        artifacts=("project-brief", "lessons-log", "daily-log"),
    )
    yield PmoPhase(
        name="initiation",
        summary="Initiating a project: the PID, business case, project plan and registers.",
        artifacts=(
            "business-case",
            "project-initiation-documentation",
            "project-plan",
            "risk-register",
            "issue-register",
            "quality-register",
            "stage-plan",
        ),
    )
    for n in range(1, stages + 1):
        yield PmoPhase(
            name=delivery_phase(n),
            summary=(
                f"Delivery stage {n}: controlling a stage and managing product delivery; "
                "the final planned stage ends with closing a project."
            ),
            artifacts=(
                "highlight-report",
                "checkpoint-report",
                "end-stage-report",
                "stage-plan",
                "exception-report",
                "exception-plan",
                "end-project-report",
                "lessons-report",
            ),
        )


def prince2_methodology(delivery_stages: int = MAX_DELIVERY_STAGES) -> PmoMethodology:
    """The PRINCE2 record with ``delivery_stages`` delivery stages (``delivery-1`` ..
    ``delivery-N``); the registered ``prince2`` record has :data:`MAX_DELIVERY_STAGES`, and
    each project says how many it plans in ``prince2.delivery_stages``.

    Example::

        [p.name for p in prince2_methodology(2).phases]
        # ['pre-project', 'initiation', 'delivery-1', 'delivery-2']
    """
    if not 1 <= delivery_stages <= 99:
        raise ValueError(f"delivery_stages must be 1 to 99, not {delivery_stages}")
    gates = [
        PmoGate(
            name="authorise-initiation",
            summary="The project board authorises initiation on the project brief.",
            leaving="pre-project",
            entering="initiation",
            criteria=(
                _must("project-brief", "The project brief is approved.", artifact="project-brief"),
                _must(
                    "executive-appointed",
                    "The executive is appointed.",
                    check=check_executive_appointed,
                ),
                _must(
                    "project-manager-appointed",
                    "The project manager is appointed.",
                    check=check_manager_appointed,
                ),
                _should(
                    "lessons-captured",
                    "Lessons from earlier projects are captured in the lessons log.",
                    artifact="lessons-log",
                ),
                _should("project-board", "The project board is named.", check=check_board_named),
            ),
            options=("go", "kill", "hold", "recycle"),
        ),
        PmoGate(
            name="authorise-project",
            summary="The project board authorises the project on the PID, and stage 1.",
            leaving="initiation",
            entering=delivery_phase(1),
            criteria=(
                _must("business-case", "The business case is approved.", artifact="business-case"),
                _must(
                    "pid",
                    "The project initiation documentation is approved.",
                    artifact="project-initiation-documentation",
                ),
                _must("project-plan", "The project plan is approved.", artifact="project-plan"),
                _must(
                    "first-stage-plan",
                    "The plan of the first delivery stage is approved.",
                    artifact="stage-plan",
                ),
                _must("project-board", "The project board is named.", check=check_board_named),
                _must("budget-set", "The budget is set.", check=check_budget_set),
                _must(
                    "baseline-exists",
                    "The project plan is baselined (baseline 0).",
                    check=check_baseline_exists,
                ),
                _should("risk-register", "The risk register is set up.", artifact="risk-register"),
                _should(
                    "issue-register", "The issue register is set up.", artifact="issue-register"
                ),
                _should(
                    "quality-register",
                    "The quality register is set up.",
                    artifact="quality-register",
                ),
                _HIGH_RISKS,
            ),
            options=("go", "kill", "hold", "recycle"),
        ),
        *(_delivery_gate(n) for n in range(1, delivery_stages)),
    ]
    return PmoMethodology(
        name="prince2",
        summary=(
            "PRINCE2: starting up, initiation, delivery stages (the final one ends with "
            "closing); the project board authorises every stage boundary."
        ),
        phases=tuple(_phases(delivery_stages)),
        gates=tuple(gates),
        artifacts=tuple(
            PmoArtifact(name=name, summary=summary, template=template)
            for name, summary, template, _ in _PRODUCTS
        ),
        roles=(
            PmoRole(
                name="executive",
                summary="Chairs the project board and owns the business case; decides.",
            ),
            PmoRole(
                name="senior-user",
                summary="Represents those who will use the products and realise the benefits.",
            ),
            PmoRole(
                name="senior-supplier",
                summary="Represents those who design, build and supply the products.",
            ),
            PmoRole(
                name="project-manager",
                summary="Runs the project day to day within the tolerances the board sets.",
            ),
            PmoRole(
                name="team-manager",
                summary="Delivers work packages within their tolerances; checkpoint reports.",
            ),
            PmoRole(
                name="project-assurance",
                summary="Checks for the board, independently of the project manager.",
            ),
            PmoRole(
                name="project-support",
                summary="Administers the project: registers, logs, configuration management.",
            ),
        ),
        events=(
            PmoEvent(
                name="highlight-report",
                summary="The project manager reports the stage's progress to the board.",
                cadence_days=14,
            ),
            PmoEvent(
                name="checkpoint",
                summary="Team managers report work package progress to the project manager.",
                cadence_days=7,
                timebox_hours=0.5,
            ),
            PmoEvent(
                name="stage-boundary",
                summary="The board reviews the end stage report and authorises the next stage.",
                timebox_hours=2,
            ),
            PmoEvent(
                name="exception-assessment",
                summary="The board decides on an exception report: an exception plan or stop.",
                timebox_hours=2,
            ),
        ),
        iterations=False,
        progress_measure="percent_complete",
        tailoring={
            "delivery-stages": (
                f"The lifecycle offers up to {delivery_stages} delivery stages; a project plans "
                "how many it uses in prince2.delivery_stages, and the gate at the end of its "
                "final stage stays blocked: the project is closed instead."
            ),
            "execution-phases": ", ".join(delivery_phase(n) for n in range(1, delivery_stages + 1)),
            "tolerances": (
                "The board delegates project tolerances (time, cost, scope, risk) per project in "
                "[governance.rules.tolerance-forecast.scopes.KEY] ('pmo prince2 tolerances "
                "set'); a forecast beyond them is an exception to the board."
            ),
            "closing": (
                "Closing a project is the end of the final stage: approve the end project "
                "report and the lessons report, then close it with the board's approval."
            ),
            "products": (
                "Products may be combined on small projects (e.g. the PID and the project "
                "plan); should criteria may be waived with a condition."
            ),
        },
    )


PRINCE2 = prince2_methodology()
"""The ``prince2`` methodology record (with :data:`MAX_DELIVERY_STAGES` delivery stages).

Example::

    PRINCE2.gate_leaving("initiation").name  # 'authorise-project'
    PRINCE2.next_phase("delivery-1")         # 'delivery-2'
"""
