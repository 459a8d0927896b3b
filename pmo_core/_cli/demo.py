"""``pmo demo``: build a realistic sample PMO and take a short tour of it.

:func:`build_demo` fills any workspace (tests and benchmarks call it directly); the command
creates the workspace, grows it from the starter profile to a stage-gate methodology, builds the
sample, checks the gate of a project that governance blocks and writes a few reports.
"""

from __future__ import annotations

import random
import shlex
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from .._domain import GateDecision
    from .._records import PmoMethodology
    from .._workspace import Workspace

#: The stage-gate phases, used when the stage-gate plugin is not installed.
DEFAULT_PHASES: tuple[str, ...] = (
    "discovery",
    "scoping",
    "business-case",
    "development",
    "testing",
    "launch",
    "post-launch-review",
)
# Artifacts each gate asks for, keyed by the phase the gate leaves (stage-gate's own list).
DEFAULT_GATE_ARTIFACTS: dict[str, tuple[str, ...]] = {
    "discovery": ("idea-submission",),
    "scoping": ("project-brief",),
    "business-case": ("business-case", "project-plan"),
    "development": ("test-plan",),
    "testing": ("test-report", "launch-plan"),
    "launch": ("launch-report",),
}
_EXECUTION = ("development", "testing", "launch", "post-launch-review")

#: The project that governance blocks at its gate (no sponsor, no approved business case).
BLOCKED_PROJECT = "AI-ASSIST"
#: The project (under the controlling model) moved into development without its gate-3 decision.
SKIPPED_GATE_PROJECT = "LEAN-OPS"
#: The PMO (it runs the portfolios and records gate decisions) and its gatekeeper at gates.
_PMO_OFFICE = "PMO Office"
_PMO_GATEKEEPER = "Lee Chen"

_PEOPLE = (
    "Dana Lee", "Sam Roe", "Priya Nair", "Tomasz Kowalski", "Aiko Tanaka", "Lucas Martin",
    "Fatima Zahra", "Jonas Berg", "Chloe Dubois", "Mateo Rossi", "Grace Okafor", "Henrik Olsen",
)  # fmt: skip
_SPONSORS = ("Helena Brandt", "Marcus Webb", "Ingrid Solberg", "Oliver Grant", "Sofia Alvarez")

_PORTFOLIOS = (
    ("DIGITAL", "Digital Transformation", "directive", "Helena Brandt"),
    ("OPS", "Operational Excellence", "controlling", "Marcus Webb"),
)
# (key, name, portfolio, governance model or None to inherit)
_PROGRAMS = (
    ("CX", "Customer Experience", "DIGITAL", "supportive"),
    ("DATA", "Data Platform", "DIGITAL", None),
    ("SUPPLY", "Supply Chain Modernisation", "OPS", None),
    ("WORKPLACE", "Workplace and Facilities", "OPS", None),
)
# (key, name, parent)
_PROJECTS = (
    ("CRM-UPGRADE", "CRM upgrade", "CX"),
    ("WEB-REDESIGN", "Website redesign", "CX"),
    ("MOBILE-APP", "Customer mobile app", "CX"),
    ("CHATBOT", "Service chatbot", "CX"),
    ("LOYALTY", "Loyalty programme relaunch", "CX"),
    ("VOC", "Voice of the customer surveys", "CX"),
    ("DWH-MIGRATION", "Data warehouse migration", "DATA"),
    ("MDM", "Master data management", "DATA"),
    ("BI-SELF-SERVICE", "Self-service BI", "DATA"),
    ("DATA-CATALOG", "Data catalogue", "DATA"),
    ("STREAMING", "Event streaming platform", "DATA"),
    (BLOCKED_PROJECT, "AI assistant for agents", "DIGITAL"),
    ("WMS", "Warehouse management system", "SUPPLY"),
    ("TMS", "Transport management system", "SUPPLY"),
    ("SUPPLIER-PORTAL", "Supplier portal", "SUPPLY"),
    ("DEMAND-PLAN", "Demand planning", "SUPPLY"),
    ("RFID", "RFID tagging pilot", "SUPPLY"),
    ("ERP-FINANCE", "ERP finance module", "SUPPLY"),
    ("HQ-MOVE", "Headquarters move", "WORKPLACE"),
    ("HYBRID-WORK", "Hybrid work rollout", "WORKPLACE"),
    ("ENERGY", "Energy efficiency retrofit", "WORKPLACE"),
    ("BADGES", "Access badge replacement", "WORKPLACE"),
    ("INTRANET", "Intranet renewal", "WORKPLACE"),
    ("ESG-REPORT", "ESG reporting", "OPS"),
    ("LEAN-OPS", "Lean operations training", "OPS"),
)
_NO_SPONSOR = (BLOCKED_PROJECT, "RFID")

_RISKS = (
    ("Key vendor may deliver late", 4, 4),
    ("Scope creep from business requests", 3, 3),
    ("Key engineer may leave", 2, 5),
    ("Integration with legacy systems harder than planned", 3, 4),
    ("Regulatory change affects requirements", 2, 3),
    ("Budget cut in next fiscal year", 2, 4),
    ("Data quality too low for migration", 4, 4),
    ("User adoption lower than expected", 3, 3),
)
_ISSUES = (
    ("Test environment unavailable", 3),
    ("Licence costs above estimate", 3),
    ("Two developers reassigned", 4),
)
_WORK = (
    "Analysis",
    "Design",
    "Build",
    "Integration",
    "Data migration",
    "Testing",
    "Training",
    "Rollout",
)
_MILESTONES = ("Requirements signed off", "Design complete", "Go-live")
_SUMMARIES = {
    "green": (
        "On plan.",
        "Milestones met; no new issues.",
        "Progress as planned; team at full strength.",
    ),
    "amber": (
        "Behind plan by two weeks; recovery plan agreed.",
        "Cost pressure from contractor rates.",
        "Dependency on another team is late.",
    ),
    "red": (
        "Critical path slipped; re-plan needed.",
        "Forecast over budget; change request raised.",
        "Vendor failed acceptance tests.",
    ),
}

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class _Health:
    rag: str
    spi: float
    cpi: float


def _methodology(
    ws: Workspace,
) -> tuple[PmoMethodology | None, tuple[str, ...], dict[str, tuple[str, ...]]]:
    """Stage-gate and its phases and gate artifacts from the plugin, else the built-in copy."""
    from .._errors import NotFoundError

    try:
        record = ws.host.record(PmoMethodology, "stage-gate")
    except NotFoundError:
        return None, DEFAULT_PHASES, DEFAULT_GATE_ARTIFACTS
    phases = tuple(p.name for p in record.phases)
    artifacts = {
        g.leaving: tuple(c.artifact for c in g.criteria if c.artifact) for g in record.gates
    }
    return record, phases, artifacts


def _approver_roles(ws: Workspace, model: str) -> tuple[str, ...]:
    """The roles that approve a gate under ``model``; the sponsor when it is not installed."""
    from .._errors import NotFoundError

    try:
        return tuple(ws.host.record(PmoGovernanceModel, model).approvers)
    except NotFoundError:
        return ("sponsor",)


def _gate_dates(start: date, today: date, count: int) -> list[date]:
    """``count`` increasing dates before ``today``: evenly from the start, at least a week apart.

    A project not started yet (or only just) passed its early gates before its start.
    """
    first = min(start, today - timedelta(days=7 * (count + 1)))
    span = (today - first).days
    return [first + timedelta(days=span * (k + 1) // (count + 1)) for k in range(count)]


def _gate_history(
    ws: Workspace,
    methodology: PmoMethodology,
    plans: dict[str, tuple[date, date, Decimal, str, str | None]],
    sponsors: dict[str, str],
    parents: dict[str, str],
) -> list[GateDecision]:
    """One ``go`` per gate each project passed, approved as its governance model asks.

    :data:`SKIPPED_GATE_PROJECT` lacks its gate-3 decision: it was moved into development
    directly, which the governance rule ``phase-reached-by-gate`` reports.
    """
    from .._domain import Approval, CriterionResult, GateDecision

    today = ws.today()
    models = {key: model for key, _, model, _ in _PORTFOLIOS}
    models.update({key: model or models[pf] for key, _, pf, model in _PROGRAMS})
    phases = [p.name for p in methodology.phases]
    decisions: list[GateDecision] = []
    for key, (start, _finish, _budget, phase, sponsor) in plans.items():
        passed = [g for g in methodology.gates if phases.index(g.entering) <= phases.index(phase)]
        # A project without a sponsor had its early gates approved by its parent's sponsor.
        people = {"sponsor": sponsor or sponsors[parents[key]], "pmo": _PMO_GATEKEEPER}
        roles = _approver_roles(ws, models[parents[key]])
        for gate, decided_on in zip(passed, _gate_dates(start, today, len(passed)), strict=True):
            if key == SKIPPED_GATE_PROJECT and gate.entering == "development":
                continue
            decisions.append(
                GateDecision(
                    entity=key,
                    gate=gate.name,
                    decision="go",
                    criteria=tuple(
                        CriterionResult(name=c.name, level=c.level, passed=True, note=c.summary)
                        for c in gate.criteria
                    ),
                    approvals=tuple(
                        Approval(
                            approver=people.get(role, f"{role.capitalize()} board"),
                            role=role,
                            approve=True,
                            decided_on=decided_on,
                        )
                        for role in roles
                    ),
                    decided_on=decided_on,
                    decided_by=_PMO_OFFICE,
                    next_phase=gate.entering,
                )
            )
    return decisions


def _money(amount: Decimal | float | int) -> str:
    return f"{Decimal(str(amount)).quantize(Decimal('0.01'))} EUR"


def _rag_of(index: float) -> str:
    return "green" if index >= 0.95 else ("amber" if index >= 0.85 else "red")


def build_demo(ws: Workspace, progress: Progress | None = None) -> dict[str, Any]:
    """Fill ``ws`` with a deterministic sample PMO; returns what it built.

    Two portfolios (directive and controlling governance), four programs (one overriding its
    portfolio's model with supportive), 25 projects across the stage-gate phases with budgets,
    milestones, work items whose earned value makes some projects green, some amber and some
    red, baselines, approved artifacts, a ``go`` gate decision for every gate passed (with the
    stage-gate methodology), RAID logs (some high risks without an owner) and several weeks of
    status history (some stale). :data:`BLOCKED_PROJECT` is blocked at its gate: no sponsor
    and no approved business case. :data:`SKIPPED_GATE_PROJECT` was moved into development
    without its gate-3 decision. Child records go in one transaction per record kind.

    Example::

        with Workspace.init(tmp_path / "demo", profile="controlling") as ws:
            built = build_demo(ws)
            built["counts"]["project"]  # 25
    """
    from .._domain import (
        Artifact,
        Baseline,
        Milestone,
        RaidItem,
        StatusReport,
        WorkItem,
    )

    rng = random.Random(2026)
    today = ws.today()
    stage_gate, phases, gate_artifacts = _methodology(ws)
    methodology = stage_gate.name if stage_gate else None
    n_steps = len(_PORTFOLIOS) + len(_PROGRAMS) + len(_PROJECTS) + 7
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, n_steps)

    sponsors: dict[str, str] = {}
    for key, name, model, pf_sponsor in _PORTFOLIOS:
        sponsors[key] = pf_sponsor
        ws.create(
            "portfolio",
            id=key,
            name=name,
            governance_model=model,
            sponsor=pf_sponsor,
            manager=_PMO_OFFICE,
            status="on_track",
            description=f"{name} portfolio ({model} governance).",
        )
        step()
    for key, name, parent, program_model in _PROGRAMS:
        fields: dict[str, Any] = {"governance_model": program_model} if program_model else {}
        sponsors[key] = rng.choice(_SPONSORS)
        ws.create(
            "program",
            id=key,
            name=name,
            parent=parent,
            sponsor=sponsors[key],
            manager=rng.choice(_PEOPLE),
            planned_start=today - timedelta(days=rng.randint(200, 400)),
            status="on_track",
            planned_finish=today + timedelta(days=rng.randint(200, 500)),
            **fields,
        )
        step()

    health: dict[str, _Health] = {}
    managers: dict[str, str] = {}
    plans: dict[str, tuple[date, date, Decimal, str, str | None]] = {}
    for i, (key, name, parent) in enumerate(_PROJECTS):
        blocked = key == BLOCKED_PROJECT
        start = today + timedelta(days=rng.randint(-330, 45))
        finish = start + timedelta(days=rng.randint(150, 480))
        budget = Decimal(rng.randrange(80_000, 2_400_000, 5_000))
        elapsed = (today - start).days / max((finish - start).days, 1)
        if blocked:
            phase = "business-case"
        elif elapsed < 0:
            phase = phases[rng.randint(0, 1)]
        elif elapsed > 1:
            phase = phases[-1]
        else:
            phase = phases[min(2 + int(elapsed * (len(phases) - 3)), len(phases) - 2)]
        h = rng.choices(
            [_Health("green", 1.0, 1.0), _Health("amber", 0.9, 0.88), _Health("red", 0.75, 0.78)],
            weights=[55, 30, 15],
        )[0]
        health[key] = h
        started = elapsed > 0
        status = (
            {"green": "on_track", "amber": "at_risk", "red": "off_track"}[h.rag]
            if started
            else "not_started"
        )
        manager = _PEOPLE[i % len(_PEOPLE)]
        sponsor: str | None = None if key in _NO_SPONSOR else rng.choice(_SPONSORS)
        ws.create(
            "project",
            id=key,
            name=name,
            parent=parent,
            sponsor=sponsor,
            manager=manager,
            budget=_money(budget),
            planned_start=start,
            planned_finish=finish,
            actual_start=start if started else None,
            phase=phase if phase in phases else phases[0],
            status=status,
            tier=rng.choice((1, 2, 2, 3, 3)),
            methodology=methodology,
            description=f"{name}.",
            tags=("demo",),
        )
        plans[key] = (start, finish, budget, phase, sponsor)
        managers[key] = manager
        step()

    # Milestones, work items, baselines: the plan and its progress.
    milestones: list[Milestone] = []
    items: list[WorkItem] = []
    baselines: list[Baseline] = []
    for key, (start, finish, budget, phase, _) in plans.items():
        span = (finish - start).days
        for j, title in enumerate(_MILESTONES):
            due = start + timedelta(days=span * (j + 1) // 4 if j < 2 else span)
            reached = due <= today and health[key].rag != "red"
            milestones.append(
                Milestone(
                    project=key,
                    name=title,
                    due=due,
                    status="closed" if reached else "open",
                    completed_on=due if reached else None,
                )
            )
        n = rng.randint(4, 7)
        weights = [rng.randint(1, 4) for _ in range(n)]
        total = sum(weights)
        allotted = Decimal(0)
        h = health[key]
        for j in range(n):
            a = start + timedelta(days=span * j // n)
            b = start + timedelta(days=span * (j + 1) // n)
            # Whole euros, with the last item taking the remainder, so items sum to the BAC.
            if j < n - 1:
                item_budget = (budget * weights[j] / total).quantize(Decimal("1"))
            else:
                item_budget = budget - allotted
            allotted += item_budget
            planned = min(max((today - a).days / max((b - a).days, 1), 0.0), 1.0)
            pct = round(min(planned * h.spi * 100 * rng.uniform(0.97, 1.03), 100.0), 1)
            if planned <= 0:
                pct = 0.0
            actual = (
                item_budget
                * Decimal(str(pct))
                / 100
                / Decimal(str(h.cpi * rng.uniform(0.98, 1.02)))
            )
            items.append(
                WorkItem(
                    project=key,
                    subject=f"{_WORK[j % len(_WORK)]}",
                    start=a,
                    due=b,
                    work=float(weights[j] * 80),
                    remaining=float(weights[j] * 80) * (1 - pct / 100),
                    percent_complete=pct,
                    status="closed" if pct >= 100 else ("in_progress" if pct > 0 else "open"),
                    assignee=rng.choice(_PEOPLE),
                    budget=_money(item_budget),
                    actual_cost=_money(actual) if pct > 0 else None,
                )
            )
        # Execution needs a baseline (gate-3 checks it); HQ-MOVE lacks one, so a rule warns.
        wants = phase in _EXECUTION or (phase == "business-case" and key != BLOCKED_PROJECT)
        if wants and key != "HQ-MOVE":
            baselines.append(
                Baseline(
                    project=key,
                    number=0,
                    name="Approved plan",
                    taken_on=min(start, today),
                    planned_start=start,
                    planned_finish=finish,
                    cost=_money(budget),
                )
            )
    ws.add_many(milestones, command="demo milestones")
    step()
    ws.add_many(items, command="demo work items")
    step()
    if baselines:
        ws.add_many(baselines, command="demo baselines")
    step()

    # Artifacts: approved for every gate passed (on the day of its decision), and (for most)
    # for the next one too, since then.
    artifacts: list[Artifact] = []
    for key, (start, _finish, _budget, phase, _) in plans.items():
        index = phases.index(phase) if phase in phases else 0
        dates = _gate_dates(start, today, index)
        since = dates[-1] if dates else min(start, today)
        for k, leaving in enumerate(phases[:-1]):
            names = gate_artifacts.get(leaving, ())
            passed = k < index
            next_gate = k == index
            for art in names:
                if key == BLOCKED_PROJECT and next_gate:
                    artifacts.append(
                        Artifact(entity=key, name=art, title=f"{art} (draft)", status="draft")
                    )
                elif passed or (next_gate and rng.random() < 0.7):
                    halfway = timedelta(days=(today - since).days // 2)
                    approved_on = dates[k] if passed else since + halfway
                    artifacts.append(
                        Artifact(
                            entity=key,
                            name=art,
                            title=art.replace("-", " ").capitalize(),
                            status="approved",
                            approved_on=approved_on,
                            approved_by=plans[key][4] or _PMO_OFFICE,
                            location=f"https://wiki.example.com/{key.lower()}/{art}",
                        )
                    )
    if artifacts:
        ws.add_many(artifacts, command="demo artifacts")
    step()

    # Gate history: how each project reached its phase (one transaction).
    decisions: list[GateDecision] = []
    if stage_gate is not None:
        parents = {key: parent for key, _name, parent in _PROJECTS}
        decisions = _gate_history(ws, stage_gate, plans, sponsors, parents)
        ws.add_many(decisions, command="demo gate decisions")
    step()

    # RAID: risks (some high and unowned), issues, actions, decisions.
    raid: list[RaidItem] = []
    unowned_high = 0
    for key, (start, _finish, _budget, _phase, _) in plans.items():
        for title, p, imp in rng.sample(_RISKS, rng.randint(1, 3)):
            high = p * imp >= 15 or imp == 5
            owner = rng.choice(_PEOPLE)
            if high and unowned_high < 3 and key != "CRM-UPGRADE":
                owner = ""
                unowned_high += 1
            closed = rng.random() < 0.15
            raid.append(
                RaidItem(
                    type="risk",
                    entity=key,
                    title=title,
                    probability=p,
                    impact=imp,
                    owned_by=owner,
                    raised_on=min(today, start + timedelta(days=rng.randint(0, 60))),
                    response="Mitigation plan in the risk register." if owner else None,
                    status="closed" if closed else "open",
                    closed_on=today - timedelta(days=rng.randint(1, 20)) if closed else None,
                )
            )
        if health[key].rag != "green":
            title, imp = rng.choice(_ISSUES)
            raid.append(
                RaidItem(
                    type="issue",
                    entity=key,
                    title=title,
                    impact=imp,
                    owned_by=rng.choice(_PEOPLE),
                    raised_on=today - timedelta(days=rng.randint(5, 40)),
                    due=today + timedelta(days=rng.randint(3, 30)),
                )
            )
        if rng.random() < 0.4:
            raid.append(
                RaidItem(
                    type="action",
                    entity=key,
                    title="Update the benefits forecast",
                    owned_by=rng.choice(_PEOPLE),
                    due=today + timedelta(days=rng.randint(-5, 21)),
                )
            )
    raid.append(
        RaidItem(
            type="decision",
            entity="DIGITAL",
            title="Every AI initiative needs a PMO-approved business case",
            decided_by="Portfolio board",
            decided_on=today - timedelta(days=30),
            status="closed",
            closed_on=today - timedelta(days=30),
        )
    )
    raid.append(
        RaidItem(
            type="dependency",
            entity="SUPPLY",
            title="WMS go-live depends on the ERP finance module",
            depends_on="ERP-FINANCE",
            needed_by=today + timedelta(days=60),
            owned_by="Sam Roe",
        )
    )
    ws.add_many(raid, command="demo raid")
    step()

    # Status history: a report every two weeks or so; some projects have gone quiet.
    reports: list[StatusReport] = []
    stale = set(rng.sample([k for k, p in plans.items() if p[0] < today - timedelta(days=90)], 4))
    for key, (start, _finish, _budget, _phase, _) in plans.items():
        if start > today:
            continue
        h = health[key]
        last = today - timedelta(days=rng.randint(45, 80) if key in stale else rng.randint(0, 6))
        count = rng.randint(2, 6)
        for r in range(count):
            as_of = last - timedelta(days=14 * (count - 1 - r))
            if as_of < start:
                continue
            drift = (count - 1 - r) * 0.03  # things were a little better earlier on
            schedule = _rag_of(min(h.spi + drift, 1.0))
            cost = _rag_of(min(h.cpi + drift, 1.0))
            overall = max((schedule, cost), key=("green", "amber", "red").index)
            reports.append(
                StatusReport(
                    entity=key,
                    as_of=as_of,
                    overall=overall,
                    dimensions={
                        "schedule": schedule,
                        "cost": cost,
                        "scope": "green",
                        "resources": rng.choice(("green", "green", "amber")),
                        "risk": "amber" if overall != "green" else "green",
                    },
                    summary=rng.choice(_SUMMARIES[overall]),
                    author=managers[key],
                )
            )
    for key, _name, _parent, _model in _PROGRAMS:
        reports.append(
            StatusReport(
                entity=key,
                as_of=today - timedelta(days=rng.randint(1, 10)),
                overall=rng.choice(("green", "amber")),
                summary="Program status from the monthly review.",
                author=_PMO_OFFICE,
            )
        )
    ws.add_many(reports, command="demo status reports")
    step()

    view = ws.view()
    counts = {
        "portfolio": len(_PORTFOLIOS),
        "program": len(_PROGRAMS),
        "project": len(_PROJECTS),
        "milestone": len(milestones),
        "work_item": len(items),
        "baseline": len(baselines),
        "artifact": len(artifacts),
        "gate_decision": len(decisions),
        "raid": len(raid),
        "status_report": len(reports),
    }
    return {
        "portfolios": [p[0] for p in _PORTFOLIOS],
        "programs": [p[0] for p in _PROGRAMS],
        "projects": [p[0] for p in _PROJECTS],
        "blocked": BLOCKED_PROJECT,
        "skipped_gate": SKIPPED_GATE_PROJECT,
        "methodology": methodology,
        "health": {k: h.rag for k, h in health.items()},
        "stale": sorted(stale),
        "counts": counts,
        "as_of": view.as_of.isoformat(),
    }


def _prepare(target: Path, force: bool) -> None:
    from .._config import CONFIG_FILE, DATA_DIR
    from .._errors import ConflictError, InvalidInputError

    if target.exists() and not target.is_dir():
        raise InvalidInputError(f"{target} exists and is not a directory", where="DIRECTORY")
    if target.is_dir() and any(target.iterdir()):
        if not force:
            raise ConflictError(
                f"{target} exists and is not empty; choose another directory or pass --force"
            )
        # --force replaces only what the demo itself creates; other files stay.
        (target / CONFIG_FILE).unlink(missing_ok=True)
        shutil.rmtree(target / DATA_DIR, ignore_errors=True)
        shutil.rmtree(target / "reports", ignore_errors=True)


def _write_reports(
    ws: Workspace, out: Path, projects: Sequence[str], portfolios: Sequence[str]
) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    jobs = [("project-status", key) for key in projects] + [
        ("portfolio-summary", key) for key in portfolios
    ]
    for name, key in jobs:
        for fmt, ext in (("md", "md"), ("json", "json")):
            result = ws.report(name, key, format=fmt)
            path = out / f"{key}-{name}.{ext}"
            if isinstance(result.content, bytes):
                path.write_bytes(result.content)
            else:
                path.write_text(result.content, encoding="utf-8")
            written.append(path)
    return written


@click.command()
@click.argument("directory", required=False)
@click.option(
    "--force",
    is_flag=True,
    help="Reuse a non-empty directory (replaces its pmo.toml, store and reports/).",
)
@click.pass_context
def demo(ctx: click.Context, directory: str | None, force: bool) -> None:
    """Build a realistic sample PMO in DIRECTORY (default: -w, else ./pmo-demo) and tour it.

    Starts from the starter profile, enables the stage-gate methodology (when
    installed), builds 2 portfolios, 4 programs and 25 projects with budgets, earned
    value, RAID, status history, artifacts and gate decisions, checks the gate of a
    project that governance blocks, and writes reports into DIRECTORY/reports/.

    \b
    Examples:
      pmo demo
      pmo demo /tmp/acme --force
      pmo -w pmo-demo project list
    """
    from .._errors import NotFoundError
    from .._workspace import Workspace
    from . import CliState
    from .exchange import ProgressBar
    from .gates import render_check

    state = ctx.find_object(CliState)
    target = Path(directory or (state and state.workspace_path) or "pmo-demo")
    _prepare(target, force)
    with Workspace.init(target, profile="starter", name="Demo PMO") as ws:
        installed = {e.id for e in ws.host.installed()}
        grown = ws.enable("stage-gate") if "stage-gate" in installed else []
    w = shlex.quote(str(target))
    click.echo(f"Created workspace 'Demo PMO' in {target.resolve()} (profile starter)")
    if grown:
        click.echo("Grew the PMO: enabled the stage-gate methodology")
    else:
        click.echo(
            "note: stage-gate is not installed (pip install pmo-stage-gate); "
            "projects get no methodology"
        )
    # enable() wrote pmo.toml; a fresh workspace loads the plugins it now names.
    with Workspace.open(target) as ws:
        with ProgressBar("Building the sample") as bar:
            built = build_demo(ws, progress=bar)
        c = built["counts"]
        click.echo(
            f"Built {c['portfolio']} portfolios, {c['program']} programs, {c['project']} projects, "
            f"{c['work_item']} work items, {c['raid']} RAID items, "
            f"{c['status_report']} status reports, {c['gate_decision']} gate decisions"
        )
        blocked = built["blocked"]
        click.echo(f"\n$ pmo -w {w} gate check {blocked}")
        click.echo(render_check(ws.gate_check(blocked)))
        try:
            ws.host.record(PmoReport, "project-status")
            ws.host.record(PmoReport, "portfolio-summary")
            have_reports = True
        except NotFoundError:
            have_reports = False
        if have_reports:
            health = built["health"]
            picks = [
                next((k for k, r in health.items() if r == rag), None)
                for rag in ("green", "amber", "red")
            ]
            projects = [k for k in picks if k] + [blocked]
            written = _write_reports(ws, target / "reports", projects, built["portfolios"])
            click.echo(f"\nWrote {len(written)} reports into {target / 'reports'}:")
            for path in written:
                click.echo(f"  {path.name}")
        else:
            click.echo(
                "\nnote: skipped reports: project-status and portfolio-summary come from the "
                "'reports' plugin (pip install pmo-reports), which is not loaded or lacks them"
            )
    # The governance plugin's command lists every finding, e.g. the gate SKIPPED_GATE_PROJECT
    # skipped; without the plugin there is no such command to suggest.
    findings = (
        [f"pmo -w {w} governance check --min-level warn"] if "governance" in installed else []
    )
    click.echo("\nWhat to try next:")
    for line in (
        f"pmo -w {w} plugins list",
        f"pmo -w {w} project list --under DIGITAL",
        f"pmo -w {w} project show {blocked}",
        f"pmo -w {w} gate check {blocked}",
        *findings,
        f"pmo -w {w} raid list --type risk --open",
        f"pmo -w {w} report portfolio-summary OPS",
        f"pmo -w {w} status report CRM-UPGRADE --overall green --summary 'Back on plan'",
        f"pmo -w {w} journal --limit 10",
    ):
        click.echo(f"  {line}")
