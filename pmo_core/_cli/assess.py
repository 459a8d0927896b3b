"""``pmo assess``: the PMO's maturity self-assessment, its history and what it recommends."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click

from .._errors import InvalidInputError
from ._output import echo_json, echo_line, limit_option, limited, workspace
from ._params import DATE
from ._record_json import record_json
from ._tables import echo_table

if TYPE_CHECKING:
    from .._maturity import AssessmentResult


@click.group(invoke_without_command=True)
@click.option(
    "--answers",
    "answers_file",
    type=click.Path(dir_okay=False),
    help="Take the answers from this file (.toml or .json: one key per question id) "
    "instead of asking.",
)
@click.option("--on", type=DATE, help="The day of the assessment (default today).")
@click.option("--comment", default="", help="A note stored with the assessment.")
@click.option("--dry-run", is_flag=True, help="Score and recommend; store nothing.")
@click.option(
    "--apply",
    is_flag=True,
    help="Then enable the recommended installed plugins and set the recommended governance "
    "model and methodology, after a confirmation.",
)
@click.option("--yes", "-y", is_flag=True, help="With --apply: do not ask for confirmation.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def assess(
    ctx: click.Context,
    answers_file: str | None,
    on: date | None,
    comment: str,
    dry_run: bool,
    apply: bool,
    yes: bool,
    as_json: bool,
) -> None:
    """Assess the PMO's maturity: 25 questions over five dimensions (governance,
    methodology and standards, performance tracking, resources and portfolio, knowledge and
    review), each answered with a level 1 (initial) to 5 (optimising), and one on how teams
    deliver.

    Asks the questions one at a time, or reads them from --answers. Stores the assessment
    with its date, shows the level per dimension (the mean of its answers rounded down;
    overall: the lowest dimension) and the change since the last one, and recommends the
    next plugins, governance model, methodology and profile with the reason for each.
    A bad answers file is one error line naming the question; nothing is stored.

    \b
    Examples:
      pmo assess
      pmo assess --answers answers.toml
      pmo assess --answers answers.toml --apply --yes
      pmo assess --answers answers.json --dry-run --json
      pmo assess list
      pmo assess show latest
    """
    if ctx.invoked_subcommand is not None:
        return
    ws = workspace(ctx)
    answers: Any = answers_file if answers_file is not None else _ask(err=as_json)
    result = ws.assess(answers, on=on, note=comment, dry_run=dry_run)
    applied: list[str] | None = None
    if apply:
        applied = _apply(ws, result, yes=yes, err=as_json)
    if as_json:
        out = result.as_dict()
        if applied is not None:
            out["applied"] = applied
        echo_json(out)
        return
    _show(result)
    if applied is not None:
        for line in applied:
            echo_line(f"  {line}")


def _ask(*, err: bool) -> dict[str, int | str]:
    """Ask every question in turn; the answers, checked as a file's are."""
    from .._maturity import DIMENSIONS, QUESTIONS

    answers: dict[str, int | str] = {}
    total = len(QUESTIONS)
    for n, q in enumerate(QUESTIONS, 1):
        title = DIMENSIONS[q.dimension] if q.dimension else "Delivery"
        click.echo(f"\nQuestion {n} of {total} ({title}, {q.id})", err=err)
        click.echo(q.text, err=err)
        for i, option in enumerate(q.options, 1):
            click.echo(f"  {i}. {option}", err=err)
        try:
            choice = click.prompt("Your answer", type=click.IntRange(1, len(q.options)), err=err)
        except click.Abort:
            # Input ended (or Ctrl-C): say where, and that nothing was stored.
            raise InvalidInputError(
                f"stopped at question {n} of {total} ({q.id}): nothing stored; "
                "answer every question, or give --answers FILE",
                where="--answers",
            ) from None
        answers[q.id] = q.choices[choice - 1] if q.choices else choice
    return answers


def _apply(ws: Any, result: AssessmentResult, *, yes: bool, err: bool) -> list[str]:
    steps = [
        r
        for r in result.recommendations
        if r.kind in ("plugin", "governance_model", "methodology") and r.installed and not r.enabled
    ]
    if not steps:
        echo_line("Nothing to apply: the installed recommendations are in place already.", err=err)
        return []
    listed = ", ".join(f"{r.kind.replace('_', ' ')} {r.name}" for r in steps)
    try:
        agreed = yes or click.confirm(f"Apply {listed}?", default=False, err=err)
    except click.Abort:
        raise InvalidInputError(
            f"no answer to 'Apply {listed}?': nothing changed (--yes applies without asking)",
            where="--apply",
        ) from None
    if not agreed:
        click.echo("Nothing changed.", err=err)
        return []
    applied: list[str] = ws.apply_recommendations(steps, comment="pmo assess --apply")
    return applied


def _change(value: int | None) -> str:
    if value is None:
        return "-"
    return f"{value:+d}" if value else "0"


def _show(result: AssessmentResult) -> None:
    from .._maturity import DIMENSIONS, LEVEL_NAMES

    a = result.assessment
    stored = f"assessment {a.id}" if a.version else "not stored (--dry-run)"
    since = f"; change since {result.previous.taken_on}" if result.previous is not None else ""
    echo_line(
        f"Maturity on {a.taken_on}: level {a.overall} ({LEVEL_NAMES[a.overall]}), {stored}{since}"
    )
    echo_table(
        ["dimension", "level", "", "change"],
        [
            [
                title,
                a.levels[dim],
                LEVEL_NAMES[a.levels[dim]],
                _change(result.changes.get(dim)),
            ]
            for dim, title in DIMENSIONS.items()
        ],
    )
    echo_line("")
    # One line each, not a table: the reason is the point, and a table would cut it.
    echo_line("Recommended next steps:")
    for r in result.recommendations:
        state = (
            "available"
            if r.kind == "profile"
            else "in place"
            if r.enabled
            else ("installed" if r.installed else f"not installed: {r.install}")
        )
        echo_line(f"  {r.kind.replace('_', ' ')} {r.name} ({state}): {r.reason}")
    if not result.recommendations:
        echo_line("  (none)")


@assess.command("list", short_help="List the assessments, newest first.")
@limit_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_assessments(ctx: click.Context, limit: int | None, as_json: bool) -> None:
    """List the stored maturity assessments, newest first, with the level per dimension.

    \b
    Examples:
      pmo assess list
      pmo assess list --json
    """
    from .._maturity import DIMENSIONS

    found = limited(workspace(ctx).assessments(), limit, as_json=as_json)
    if as_json:
        echo_json([record_json(a) for a in found])
        return
    echo_table(
        ["id", "taken on", "overall", *DIMENSIONS, "by"],
        [
            [a.id, a.taken_on, a.overall, *(a.levels.get(d, "-") for d in DIMENSIONS), a.actor]
            for a in found
        ],
        empty="No assessments yet: run pmo assess.",
    )


@assess.command("show", short_help="Show one assessment and what it recommends now.")
@click.argument("ref", metavar="ID", default="latest")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def show(ctx: click.Context, ref: str, as_json: bool) -> None:
    """Show the assessment ID (4+ leading characters, or 'latest', the default): levels,
    the change since the one before, and its recommendations as the workspace stands.

    \b
    Examples:
      pmo assess show
      pmo assess show 3f2a --json
    """
    result = workspace(ctx).assessment(ref)
    if as_json:
        echo_json(result.as_dict())
        return
    _show(result)
