"""``pmo gate``: check, request and decide gates."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import click

from .._text import escape_controls
from ._dates import dated, dated_view
from ._output import echo_json, echo_line, paint, renamed_option, workspace
from ._params import ChoiceType, DateType
from ._record_json import record_json

if TYPE_CHECKING:
    from .._services.governance import GateCheck

#: Exit code of 'pmo gate check' when the gate is blocked (as GovernanceBlockedError).
BLOCKED_EXIT = 5


@click.group()
def gate() -> None:
    """Check, request and decide gates (go / kill / hold / recycle).

    \b
    Examples:
      pmo gate check ALPHA
      pmo gate request ALPHA
      pmo gate decide ALPHA go --approver "Dana (sponsor)" --approver "Lee (pmo)"
    """


def render_check(result: GateCheck) -> str:
    """A gate check as text: the verdict, each criterion and each rule that failed."""
    lines = []
    if result.gate:
        where = f"gate {result.gate} ({result.leaving} -> {result.entering})"
    else:
        where = "governance rules (no gate)"
    verdict = paint("BLOCKED", "blocked") if result.blocked else paint("passable", "passable")
    # Criteria, notes and rule messages quote data: escaped before the colour is added.
    text = escape_controls
    lines.append(
        text(
            f"{result.entity}: {where} under model {result.model!r}"
            + (f", methodology {result.methodology!r}" if result.methodology else "")
        )
        + f": {verdict}"
    )
    advise = result.deviations == "advise"
    for c in result.criteria:
        mark = "[x]" if c.passed else ("[~]" if c.waiver else "[ ]")
        if c.passed:
            state = "pass"
        elif c.waiver:
            state = f"waived ({c.waiver})"
        elif c.level == "must" and not advise:
            state = "fail"
        else:
            state = "advise" if advise else "warn"
        lines.append(
            f"  {mark} {text(c.name)} ({c.level}): {paint(state, state.split()[0])}"
            + (f" - {text(c.note)}" if c.note else "")
        )
    for f in result.findings:
        if f.passed:
            continue
        waived = f" (waived: {f.waiver})" if f.waiver else ""
        # Only a level the operator set in pmo.toml is worth a note: the model is named above.
        source = f", {text(f.level_note)}" if f.level_note else ""
        lines.append(
            f"  rule {text(f.rule)} [{paint(f.level, f.level)}{source}]{waived}: {text(f.message)}"
        )
    passed_rules = sum(1 for f in result.findings if f.passed)
    if passed_rules:
        lines.append(f"  {passed_rules} rule(s) passed")
    for note in result.notes:
        lines.append(f"  note: {text(note)}")
    if result.blocked:
        lines.append("  blocked because:")
        lines += [f"    - {text(r)}" for r in result.reasons()]
    elif advise and result.advice():
        lines.append(f"  advice (model {result.model!r} advises, it does not block):")
        lines += [f"    - {text(a)}" for a in result.advice()]
    return "\n".join(lines)


@gate.command("check", short_help="Check an entity against its next gate (dry run).")
@click.argument("entity")
@click.option(
    "--gate", "gate_name", metavar="NAME", help="Check this gate instead of the next one."
)
@dated()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def check(ctx: click.Context, entity: str, gate_name: str | None, as_json: bool) -> None:
    """Check ENTITY against its next gate (a dry run: nothing is written).

    Exit code 0 when the gate is passable, 5 when it is blocked (a must criterion
    failed or a rule at level 'block' failed), so scripts can test it. A rule whose level
    was set in pmo.toml ([governance.rules]) says so next to its level ('set in pmo.toml
    for KEY'); --json gives every finding's level_from.

    --status-date checks the gate on that day (the records dated by then, the waivers in
    force then); --as-of checks it on what was known then, as a board saw it.

    \b
    Examples:
      pmo gate check ALPHA
      pmo gate check ALPHA --gate gate-3 --json
      pmo gate check ALPHA || echo "ALPHA is blocked"
      pmo gate check ALPHA --as-of 2025-03-31
    """
    ws = workspace(ctx)
    result = ws.gate_check(entity, gate_name, view=dated_view(ctx))
    if as_json:
        echo_json(result.as_dict())
    else:
        click.echo(render_check(result))
    if result.blocked:
        ctx.exit(BLOCKED_EXIT)


@gate.command("request", short_help="Ask the approvers for a gate review.")
@click.argument("entity")
@click.option(
    "--gate", "gate_name", metavar="NAME", help="Request this gate instead of the next one."
)
@renamed_option("--comment", "note", default="", old="--note", help="A note for the approvers.")
@click.option("--json", "as_json", is_flag=True, help="Print the recorded action as JSON.")
@click.pass_context
def request(
    ctx: click.Context, entity: str, gate_name: str | None, note: str, as_json: bool
) -> None:
    """Ask for a gate review: records an action for the approvers, with the check result.

    \b
    Examples:
      pmo gate request ALPHA --comment "Business case attached"
      pmo raid list ALPHA --type action
    """
    ws = workspace(ctx)
    action = ws.request_gate(entity, gate_name, note=note)
    if as_json:
        echo_json(record_json(action))
        return
    result = ws.gate_check(entity, gate_name)
    echo_line(
        f"Requested a review of gate {result.gate} of {entity}: "
        f"action {action.id} for {action.owned_by or '-'}"
    )
    if result.blocked:
        click.echo(
            f"  the gate is {paint('blocked', 'blocked')} by {len(result.reasons())} reason(s); "
            f"see 'pmo gate check {entity}'"
        )
    else:
        click.echo(f"  the gate is {paint('passable', 'passable')}")


@gate.command("decide", short_help="Record a go, kill, hold or recycle decision.")
@click.argument("entity")
@click.argument(
    "decision", type=ChoiceType(("go", "kill", "hold", "recycle")), metavar="go|kill|hold|recycle"
)
@click.option(
    "--approver",
    "approvers",
    metavar="NAME",
    multiple=True,
    help="An approver, 'Name' or 'Name (role)', e.g. 'Dana (sponsor)'. Repeatable.",
)
@click.option(
    "--condition",
    "conditions",
    multiple=True,
    help="A condition attached to the decision. Repeatable.",
)
@click.option("--comment", default="", help="Free text.")
@click.option(
    "--lesson",
    "lessons",
    metavar="TEXT",
    multiple=True,
    help="A lesson learned in the phase the gate closes, recorded with the decision. Repeatable.",
)
@click.option(
    "--gate", "gate_name", metavar="NAME", help="Decide this gate instead of the next one."
)
@click.option(
    "--on",
    "decided_on",
    type=DateType(),
    default=None,
    help="When it was decided (YYYY-MM-DD), to record an earlier decision; default today.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the recorded decision as JSON.")
@click.pass_context
def decide(
    ctx: click.Context,
    entity: str,
    decision: str,
    approvers: tuple[str, ...],
    conditions: tuple[str, ...],
    comment: str,
    lessons: tuple[str, ...],
    gate_name: str | None,
    decided_on: date | None,
    as_json: bool,
) -> None:
    """Record a gate decision: go moves ENTITY to the next phase, kill discontinues it,
    hold puts it on hold, recycle keeps it where it is.

    A go is refused (exit 5) while the gate check blocks. Every decision needs what the
    governance model's approval matrix asks for it: --approver 'Name' or 'Name (role)',
    each holding the role for ENTITY or a scope above it ('pmo role list ENTITY'); none
    given, you ('pmo --as NAME') approve. A refusal (exit 5) names the rule and who could
    approve; a person named twice is an error (exit 2). Nothing is written when refused.
    --lesson records what the phase taught, with the decision ('pmo lesson list ENTITY').

    \b
    Examples:
      pmo gate decide ALPHA go --approver "Dana (sponsor)" --approver "Lee (pmo)"
      pmo gate decide ALPHA go --approver Dana --approver Lee --condition "Re-baseline by May"
      pmo gate decide BETA kill --approver Dana --comment "Business case no longer holds"
      pmo gate decide GAMMA go --gate gate-3 --on 2026-05-04 --approver "Dana (sponsor)"
      pmo gate decide ALPHA go --approver Dana --lesson "Book the test lab a quarter ahead"
    """
    from .._errors import GovernanceBlockedError

    ws = workspace(ctx)
    was = ws.view().entity(entity).lifecycle
    try:
        record = ws.decide_gate(
            entity,
            decision,
            approvers=list(approvers),
            gate=gate_name,
            conditions=conditions,
            comment=comment,
            decided_on=decided_on,
            lessons=lessons,
        )
    except GovernanceBlockedError as exc:
        # Every reason on one line is a wall of text: name the first, point to the check.
        check = ws.gate_check(entity, gate_name)
        if decision != "go" or not check.blocked:
            raise  # refused by the approval matrix: its message names the rule and who may
        reasons = check.reasons()
        more = f" (and {len(reasons) - 1} more)" if len(reasons) > 1 else ""
        raise GovernanceBlockedError(
            f"gate {check.gate} of {entity} is blocked, so a go is refused: "
            f"{reasons[0] if reasons else exc}{more}; "
            f"see 'pmo gate check {entity}' (kill, hold or recycle stay possible)",
            findings=exc.findings,
        ) from None
    if as_json:
        echo_json(record_json(record))
        return
    moved = f"; now in phase {record.next_phase}" if record.next_phase else ""
    now = ws.view().entity(entity).lifecycle
    if now != was:
        moved += f"; {now.replace('_', ' ')} (was {was.replace('_', ' ')})"
    echo_line(
        f"Decided {record.decision} at {record.gate} of {entity}{moved} (decision {record.id})"
    )
    if any(text.strip() for text in lessons):
        count = sum(1 for text in lessons if text.strip())
        echo_line(f"Recorded {count} lesson(s) learned ('pmo lesson list {entity}')")
