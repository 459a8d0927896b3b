"""``pmo demo``: create a workspace, grow it to stage-gate, build the sample and tour it."""

from __future__ import annotations

import json
import os
import shlex
import shutil
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from pmo_core import (
    Approval,
    ConflictError,
    CriterionResult,
    Entity,
    GateCheck,
    HostPolicy,
    InvalidInputError,
    Money,
    NotFoundError,
    PluginHost,
    PmoReport,
    Workspace,
    WorkspaceView,
)
from pmo_core.cli import ProgressBar, paint

from ._build import build_demo, check_actor
from ._strategy import BASE, GROWTH, strategy_toml

#: Where the demo builds when neither DIRECTORY nor ``pmo -w`` names a directory.
DEFAULT_DIRECTORY = "pmo-demo"

# The plugins the sample is made of: (plugin id, distribution). The starter profile enables
# governance, reports and csv; the demo then enables stage-gate, scrum and kanban (the
# methodologies), resources, benefits and knowledge (the registers) and strategy.
_METHODOLOGIES = ("stage-gate", "scrum", "kanban")
_REGISTERS = ("resources", "benefits", "knowledge", "strategy")
_REQUIRED = (
    ("governance", "pmo-governance"),
    ("stage-gate", "pmo-stage-gate"),
    ("scrum", "pmo-scrum"),
    ("kanban", "pmo-kanban"),
    ("resources", "pmo-resources"),
    ("benefits", "pmo-benefits"),
    ("knowledge", "pmo-knowledge"),
    ("strategy", "pmo-strategy"),
    ("reports", "pmo-reports"),
    ("csv", "pmo-csv"),
)

# What a workspace is made of on disk, as pmo-core documents it: its pmo.toml and the default
# SQLite store under .pmo/. --force replaces these and the demo's reports/, nothing else.
_WORKSPACE_FILE = "pmo.toml"
_STORE_DIR = ".pmo"
_REPORTS_DIR = "reports"


# Colours of the gate check, as `pmo gate check` shows it.
def _listed(names: Sequence[str]) -> str:
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)


def render_gate_check(check: GateCheck) -> str:
    """A gate check as text: the verdict, each criterion, each failing rule, and why it blocks.

    Example::

        click.echo(render_gate_check(ws.gate_check("AI-ASSIST")))
        # AI-ASSIST: gate gate-3 (business-case -> development) under model 'directive', ...
    """
    if check.gate:
        where = f"gate {check.gate} ({check.leaving} -> {check.entering})"
    else:
        where = "governance rules (no gate)"
    methodology = f", methodology {check.methodology!r}" if check.methodology else ""
    verdict = paint("BLOCKED" if check.blocked else "passable")
    lines = [f"{check.entity}: {where} under model {check.model!r}{methodology}: {verdict}"]
    lines += [_criterion_line(c) for c in check.criteria]
    lines += [
        f"  rule {f.rule} [{paint(f.level)}]{f' (waived: {f.waiver})' if f.waiver else ''}: "
        f"{f.message}"
        for f in check.findings
        if not f.passed
    ]
    passed_rules = sum(1 for f in check.findings if f.passed)
    if passed_rules:
        lines.append(f"  {passed_rules} rule(s) passed")
    lines += [f"  note: {note}" for note in check.notes]
    if check.blocked:
        lines.append("  blocked because:")
        lines += [f"    - {reason}" for reason in check.reasons()]
    return "\n".join(lines)


def _criterion_line(c: CriterionResult) -> str:
    """One criterion of a gate check: met, waived (a failure a waiver lets pass), or not."""
    if c.passed:
        mark, state = "[x]", "pass"
    elif c.waiver:
        mark, state = "[~]", "waived"
    else:
        mark, state = "[ ]", "fail" if c.level == "must" else "warn"
    shown = f"{paint(state)} ({c.waiver})" if state == "waived" else paint(state)
    note = f" - {c.note}" if c.note else ""
    return f"  {mark} {c.name} ({c.level}): {shown}{note}"


def _amount(money: Money | None, sign: bool = False) -> str:
    if money is None:
        return "-"
    return f"{money.amount:{'+' if sign else ''},.2f} {money.currency}"


def _approved_by(approvals: Sequence[Approval]) -> str:
    return ", ".join(f"{a.approver} ({a.role})" if a.role else a.approver for a in approvals)


def render_week(ws: Workspace, week: Mapping[str, Any], w: str) -> list[str]:
    """The tour's "This week" section: what ``build_demo``'s week decided, read back from the
    workspace, and the commands that show it.

    Example::

        click.echo("\\n".join(render_week(ws, built["week"], "pmo-demo")))
    """
    view = ws.view()
    idea = view.entity(week["idea"])
    check = ws.gate_check(idea.id, week["waived_gate"])
    lines = [
        f"This week ({week['from']} to {week['to']}), decided live under the approval matrix:",
        f"  Idea to execution: {idea.id} ({idea.name}), proposed under {idea.parent}, then",
    ]
    for d in view.gate_decisions(idea.id):
        lines.append(
            f"    {d.gate} {d.decision} on {d.decided_on}, approved by {_approved_by(d.approvals)}"
        )
    waiver = next(x for x in ws.waivers(idea.id) if x.id == week["waiver"])
    lines += [
        f"    now {idea.lifecycle} in {idea.phase} with baseline "
        f"{ws.baseline(idea.id).number}; at {check.gate} a must criterion passed by a waiver:",
        *(f"  {_criterion_line(c)}" for c in check.criteria if c.waiver),
        f"      waiver {waiver.id} by {_approved_by(waiver.approvals)}, until "
        f"{waiver.expires_on}: {waiver.reason}",
    ]
    change = ws.change_request(week["change"])
    days = change.schedule_impact_days or 0
    lines += [
        f"  Change request {change.id} on {change.entity} ({change.title}): "
        f"{_amount(change.cost_impact, sign=True)}, {days:+d} days,",
        f"    raised by {change.requested_by}, approved by {_approved_by(change.approvals)}: "
        f"baseline {change.baseline_number} taken",
    ]
    issue = ws.raid_item(week["exception"])
    breach = issue.title.removeprefix("Exception: ")
    lines += [
        f"  Exception on {issue.entity} (issue {issue.id}, {breach}), escalated to "
        f"{week['escalated_to']}:",
        f"    {issue.description}",
    ]
    killed = view.entity(week["killed"])
    kill = next(d for d in view.gate_decisions(killed.id) if d.decision == "kill")
    lines += [
        f"  Killed: {killed.id} ({killed.name}) at {kill.gate} on {kill.decided_on}, approved by "
        f"{_approved_by(kill.approvals)}: {killed.lifecycle_reason}",
        f"    {_left_totals(ws, killed)}",
        "  See for yourself:",
        f"    pmo -w {w} role show {idea.id}",
        f"    pmo -w {w} gate check {idea.id} --gate {check.gate}",
        f"    pmo -w {w} baseline compare {change.entity} 0 {change.baseline_number}",
        f"    pmo -w {w} exception list",
        f"    pmo -w {w} report portfolio-summary {_portfolio_of(view, killed)}",
    ]
    return lines


def _grown(names: Sequence[str]) -> str:
    """What enabling ``names`` grew: the methodologies, then the other plugins."""
    methods = [n for n in names if n in _METHODOLOGIES]
    others = [n for n in names if n not in _METHODOLOGIES]
    parts = []
    if methods:
        parts.append(f"the {_listed(methods)} methodolog{'y' if len(methods) == 1 else 'ies'}")
    if others:
        parts.append(f"the {_listed(others)} plugin{'s' if len(others) > 1 else ''}")
    return " and ".join(parts)


def render_registers(ws: Workspace, built: Mapping[str, Any], w: str) -> list[str]:
    """The tour's "Resources, benefits and lessons" section: what the demo's registers hold,
    read back from the workspace (the over-allocated role-month, the benefit at risk, the
    closed project's benefit, the lesson left in the idea's gate check), and the commands
    that show it.

    Example::

        click.echo("\\n".join(render_registers(ws, built, "pmo-demo")))
    """
    held = built["registers"]
    idea = built["week"]["idea"]
    lines = ["Resources, benefits and lessons:"]
    look: list[str] = []
    resources = held.get("resources")
    if resources:
        over = resources["over_allocated"]
        finding = next(
            (
                f
                for f in ws.check(over["project"])
                if f.rule == "resource-over-allocated" and not f.passed
            ),
            None,
        )
        lines += [
            f"  Resource pool: {resources['people']} people in {resources['roles']} roles, "
            f"{resources['allocations']} allocations from {resources['from']} to "
            f"{resources['to']}",
        ]
        if finding is not None:
            lines.append(f"    {over['project']} [{finding.level}]: {finding.message}")
        look += [
            f"pmo -w {w} resource capacity --from {resources['from']} --to {resources['to']}",
            f"pmo -w {w} governance check {over['project']}",
        ]
    benefits = held.get("benefits")
    if benefits:
        lines.append(
            f"  Benefits register: {benefits['benefits']} benefits, "
            f"{len(benefits['measured'])} measured; at risk: {benefits['at_risk']}; "
            f"still measured after {benefits['closed_project']} closed"
        )
        look += [f"pmo -w {w} benefit list", f"pmo -w {w} report benefits-realisation OPS"]
    knowledge = held.get("knowledge")
    if knowledge:
        lessons = {x.id: x for x in ws.view().lessons()}
        applied, advised = lessons[knowledge["applied"]], lessons[knowledge["advised"]]
        lines += [
            f"  Lessons library: {knowledge['lessons']} lessons; {idea} applied "
            f"{applied.entity}'s ({applied.id}), its gate check advises {advised.entity}'s "
            f"({advised.id}): {advised.recommendation}",
            f"  Template {knowledge['template']} is the organisation's business case",
        ]
        look += [
            f"pmo -w {w} gate check {idea}",
            f"pmo -w {w} knowledge suggest {idea}",
            f"pmo -w {w} knowledge list {idea}",
            f"pmo -w {w} template show {knowledge['template']}",
        ]
    lines.append("  See for yourself:")
    lines += [f"    {line}" for line in look]
    return lines


def render_strategy(ws: Workspace, built: Mapping[str, Any], w: str) -> list[str]:
    """The tour's "Strategy and selection" section: the objectives, the pipeline's top 3
    under the default scoring model, what the Base scenario chose (value, spend, binding
    limits, why the others are out) against Growth, and the commands that show it.

    Example::

        click.echo("\n".join(render_strategy(ws, built, "pmo-demo")))
    """
    from pmo_strategy import DEFAULT_MODEL, proposal_values, scenario, strategy_fields

    held = built["strategy"]
    under, year = held["under"], held["year"]
    view = ws.view()
    values = proposal_values(ws, held["proposals"], DEFAULT_MODEL, view=view)
    top = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    base, growth = scenario(ws, BASE).result, scenario(ws, GROWTH).result
    # Saved with their results by the demo.
    assert base is not None
    assert growth is not None
    needs = {
        d: key
        for key in base.chosen
        for d in strategy_fields(view.entity(key)).depends_on
        if d in base.chosen
    }
    mandatory = [k for k in held["proposals"] if strategy_fields(view.entity(k)).mandatory]
    spend = ", ".join(f"{y}: {_amount(Money(amount=a, currency=base.currency))}"
                      for y, a in sorted(base.spend.items()))  # fmt: skip
    lines = [
        "Strategy and selection:",
        f"  Objectives: {held['objectives']} in {_listed(list(held['portfolios']))} "
        f"(owners, measures, targets, child objectives), projects aligned with weights",
        f"  Pipeline: {len(held['proposals'])} proposals under {under}, top 3 by "
        f"{DEFAULT_MODEL}: " + ", ".join(f"{k} ({v})" for k, v in top),
        f"  Base ({year} budget {_amount(held['budget'])}): {len(base.chosen)} chosen, value "
        f"{base.value} points, spend {spend}",
        f"    chosen: {', '.join(base.chosen)}",
        f"    binding: {', '.join(base.binding)}",
    ]
    lines += [f"    {m} is in: mandatory (regulatory)" for m in mandatory]
    lines += [f"    {d} is in because {k} depends on it" for d, k in sorted(needs.items())]
    lines += [f"    {k} left out: {why}" for k, why in base.left_out.items()]
    added = [k for k in growth.chosen if k not in base.chosen]
    lines.append(
        f"  Growth (+20 %): value {growth.value} points, adds {', '.join(added) or 'nothing'}"
    )
    lines += [
        "  See for yourself:",
        f"    pmo -w {w} objective list --under {under}",
        f"    pmo -w {w} proposal list --under {under}",
        f"    pmo -w {w} selection run --under {under}",
        f"    pmo -w {w} scenario compare {BASE} {GROWTH}",
        f"    pmo -w {w} report portfolio-selection {under} --format html",
    ]
    return lines


def _portfolio_of(view: WorkspaceView, entity: Entity) -> str:
    return ([*view.ancestor_ids(entity.id)] or [entity.id])[-1]


def _left_totals(ws: Workspace, killed: Entity) -> str:
    """Where the killed project went in its portfolio's summary: out of the live totals,
    into the ended ones (from the report itself, when the reports plugin is loaded)."""
    portfolio = _portfolio_of(ws.view(), killed)
    budget = f" with its budget of {_amount(killed.budget)}" if killed.budget else ""
    if not _have_reports(ws):
        return f"it left the live totals of {portfolio}{budget}"
    content = ws.report("portfolio-summary", portfolio, format="json").content
    summary = json.loads(content)
    bac = next((m for m in summary["metrics"] if m["name"] == "bac"), None)
    live = summary["counts"]["live"]
    ended = ", ".join(e["key"] for e in summary["ended"])
    total = f", BAC {Decimal(bac['value']):,.2f} {bac['unit']}" if bac else ""
    return (
        f"it left the live totals of {portfolio}{budget} ({live} live projects{total}); "
        f"its portfolio summary lists it as ended: {ended}"
    )


def _require_plugins() -> None:
    """Fail, before anything is written, when a plugin the sample is made of is missing.

    A distribution that is not installed is named with the pip command; one that is installed
    but cannot load here (denied by ``PMO_PLUGINS_ALLOW`` / ``PMO_PLUGINS_DENY``, failing on
    import, made for another pmo-core) is named with the reason.
    """
    installed = {entry.id for entry in PluginHost(builtins=False).installed()}
    missing = [dist for pid, dist in _REQUIRED if pid not in installed]
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        raise NotFoundError(
            f"pmo demo needs {', '.join(missing)}, which {verb} not installed "
            f"(pip install {' '.join(missing)})"
        )
    host = PluginHost(HostPolicy.from_environment(enabled=[pid for pid, _ in _REQUIRED]))
    for pid, dist in _REQUIRED:
        status = host.status(pid)
        if status.state != "loaded":
            why = status.error or (
                "excluded by PMO_PLUGINS_ALLOW / PMO_PLUGINS_DENY"
                if status.state == "denied"
                else status.state
            )
            raise NotFoundError(f"pmo demo needs {dist} (plugin {pid!r}), which cannot load: {why}")


def _prepare(target: Path, force: bool) -> None:
    if target.exists() and not target.is_dir():
        raise InvalidInputError(f"{target} exists and is not a directory", where="DIRECTORY")
    if target.is_dir() and any(target.iterdir()):
        if not force:
            raise ConflictError(
                f"{target} exists and is not empty; choose another directory or pass --force"
            )
        # --force replaces only what the demo itself creates; other files stay.
        (target / _WORKSPACE_FILE).unlink(missing_ok=True)
        shutil.rmtree(target / _STORE_DIR, ignore_errors=True)
        shutil.rmtree(target / _REPORTS_DIR, ignore_errors=True)


def _write_reports(
    ws: Workspace,
    out: Path,
    projects: Sequence[str],
    portfolios: Sequence[str],
    pipeline: str | None = None,
) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    jobs = [("project-status", key) for key in projects] + [
        ("portfolio-summary", key) for key in portfolios
    ]
    if pipeline:
        # The portfolio whose proposals compete: its pipeline and the board's selection.
        jobs += [("strategy-pipeline", pipeline), ("portfolio-selection", pipeline)]
    for name, key in jobs:
        # The portfolio dashboards also as the HTML page a steering committee opens.
        formats = ("md", "json") if name == "project-status" else ("md", "json", "html")
        for fmt in formats:
            result = ws.report(name, key, format=fmt)
            path = out / f"{key}-{name}.{fmt}"
            if isinstance(result.content, bytes):
                path.write_bytes(result.content)
            else:
                path.write_text(result.content, encoding="utf-8")
            written.append(path)
    return written


def _have_reports(ws: Workspace) -> bool:
    try:
        ws.host.record(PmoReport, "project-status")
        ws.host.record(PmoReport, "portfolio-summary")
    except NotFoundError:
        return False
    return True


def _root_option(name: str) -> str | None:
    # `pmo -w DIR demo` builds in DIR: the root command's -w (or PMO_WORKSPACE), and
    # `pmo --as NAME demo` writes as NAME. Run on its own, outside `pmo`, the command has no
    # such options.
    value = click.get_current_context().find_root().params.get(name)
    return str(value) if value else None


@click.command()
@click.argument("directory", required=False)
@click.option(
    "--force",
    is_flag=True,
    help="Reuse a non-empty directory (replaces its pmo.toml, store and reports/).",
)
def demo(directory: str | None, force: bool) -> None:
    """Build a realistic sample PMO in DIRECTORY (default: -w, else ./pmo-demo) and tour it.

    Starts from the starter profile, enables the stage-gate, Scrum and Kanban methodologies
    and the resources, benefits, knowledge and strategy plugins, builds 2 portfolios, 4
    programs and 28 projects (26 stage-gate projects, one of them closed, a Scrum team and a
    Kanban team) with budgets, earned value, RAID, status history, artifacts and gate
    decisions, a resource pool, a benefits register and a lessons library, checks the gate of
    a project that governance blocks, then takes a week of decisions through the approval
    matrix (an idea to execution with a waiver, a change request, an exception, a kill),
    tells it, shows where the registers speak up, then adds objectives and a pipeline of 10
    proposals and saves two selection scenarios (Base and Growth, next year's budget in
    pmo.toml), and writes reports into DIRECTORY/reports/.
    The week's writes are journaled as --as / PMO_USER.

    \b
    Examples:
      pmo demo
      pmo demo /tmp/acme --force
      pmo --as "Pat Doe" demo
      pmo -w pmo-demo project list
    """
    target = Path(directory or _root_option("workspace") or DEFAULT_DIRECTORY)
    actor = _root_option("user")
    _require_plugins()
    if actor or os.environ.get("PMO_USER"):
        check_actor(actor or os.environ["PMO_USER"])
    _prepare(target, force)
    with Workspace.init(target, profile="starter", name="Demo PMO", actor=actor) as ws:
        grown = ws.enable(*_METHODOLOGIES, *_REGISTERS)
        today = ws.today()
    # The criteria weights and next year's budget, so `pmo selection run` and the
    # portfolio-selection report solve what the Base scenario saved.
    with (target / _WORKSPACE_FILE).open("a", encoding="utf-8") as toml:
        toml.write("\n" + strategy_toml(today))
    w = shlex.quote(str(target))
    click.echo(f"Created workspace 'Demo PMO' in {target.resolve()} (profile starter)")
    if grown:
        click.echo(f"Grew the PMO: enabled {_grown(grown)}")
    # enable() wrote pmo.toml; a fresh workspace loads the plugins it now names.
    with Workspace.open(target, actor=actor) as ws:
        with ProgressBar("Building the sample") as bar:
            built = build_demo(ws, progress=lambda done, total: bar("building", done, total))
        c = built["counts"]
        click.echo(
            f"Built {c['portfolio']} portfolios, {c['program']} programs, {c['project']} projects, "
            f"{c['work_item']} work items, {c['raid']} RAID items, "
            f"{c['status_report']} status reports, {c['gate_decision']} gate decisions"
        )
        blocked = built["blocked"]
        click.echo(f"\n$ pmo -w {w} gate check {blocked}")
        click.echo(render_gate_check(ws.gate_check(blocked)))
        click.echo("")
        click.echo("\n".join(render_week(ws, built["week"], w)))
        if built["registers"]:
            click.echo("")
            click.echo("\n".join(render_registers(ws, built, w)))
        if built["strategy"]:
            click.echo("")
            click.echo("\n".join(render_strategy(ws, built, w)))
        if _have_reports(ws):
            health = built["health"]
            picks = [
                next((k for k, r in health.items() if r == rag), None)
                for rag in ("green", "amber", "red")
            ]
            projects = [k for k in picks if k] + [blocked]
            pipeline = built["strategy"].get("under")
            written = _write_reports(
                ws, target / _REPORTS_DIR, projects, built["portfolios"], pipeline
            )
            click.echo(f"\nWrote {len(written)} reports into {target / _REPORTS_DIR}:")
            for path in written:
                click.echo(f"  {path.name}")
        else:
            # Installed (checked above) but not loaded in this workspace, e.g. a failed import.
            click.echo(
                "\nnote: skipped reports: project-status and portfolio-summary come from the "
                "'reports' plugin (pip install pmo-reports), which is not loaded or lacks them"
            )
    click.echo("\nWhat to try next:")
    for line in (
        f"pmo -w {w} plugins list",
        f"pmo -w {w} project list --under DIGITAL",
        f"pmo -w {w} project show {blocked}",
        f"pmo -w {w} gate check {blocked}",
        # Lists every finding, e.g. the gate SKIPPED_GATE_PROJECT skipped.
        f"pmo -w {w} governance check --min-level warn",
        f"pmo -w {w} raid list --type risk --open",
        f"pmo -w {w} status report CRM-UPGRADE --overall green --summary 'Back on plan'",
        f"pmo -w {w} journal --limit 10",
    ):
        click.echo(f"  {line}")
