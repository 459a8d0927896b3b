"""``pmo tailoring``: record, list and remove how an entity tailors its methodology."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from ._dates import dated, dated_view
from ._output import echo_json, echo_line, limit_option, limited, workspace
from ._record_json import record_json
from ._tables import echo_table

F = TypeVar("F", bound=Callable[..., Any])

_ACTIONS = (
    ("skip_artifact", "skip-artifact"),
    ("skip_criterion", "skip-criterion"),
    ("merge_phase", "merge-phase"),
)


def _what(
    skip_artifact: str | None, skip_criterion: str | None, merge_phase: str | None
) -> tuple[str, str]:
    from .._errors import InvalidInputError

    given = {
        action: value
        for (_, action), value in zip(
            _ACTIONS, (skip_artifact, skip_criterion, merge_phase), strict=True
        )
        if value is not None
    }
    if len(given) != 1:
        raise InvalidInputError(
            "give exactly one of --skip-artifact, --skip-criterion and --merge-phase",
            where="--skip-artifact",
        )
    [(action, target)] = given.items()
    return action, target


def _tailoring_options(command: F) -> F:
    for option in reversed(
        (
            click.option(
                "--skip-artifact", metavar="NAME", help="Leave out an artifact no must needs."
            ),
            click.option(
                "--skip-criterion",
                metavar="GATE/NAME",
                help="Leave out a should criterion of a gate.",
            ),
            click.option(
                "--merge-phase",
                metavar="PHASE",
                help="Merge a phase not yet reached into the phase before it.",
            ),
        )
    ):
        command = option(command)
    return command


def _document(entity: object) -> dict[str, object]:
    from .._domain import Entity

    assert isinstance(entity, Entity)
    return record_json(entity)


@click.group()
def tailoring() -> None:
    """Tailor an entity's methodology: skip an artifact or a should criterion, merge phases.

    Every tailoring is checked against the methodology (a must is never tailored away: grant
    a waiver for that), recorded with who, when and why, shown on every gate check, and judged
    by governance: the rule methodology-tailored advises under the supportive model, warns
    under controlling and blocks under directive.

    \b
    Examples:
      pmo tailoring add ALPHA --merge-phase scoping --comment "Stage-Gate Lite: small job"
      pmo tailoring add ALPHA --skip-criterion gate-4/milestones-met --comment "No milestones"
      pmo tailoring list ALPHA
      pmo tailoring remove ALPHA --merge-phase scoping
    """


@tailoring.command("add", short_help="Record one tailoring of an entity's methodology.")
@click.argument("entity")
@_tailoring_options
@click.option("--comment", required=True, help="Why the methodology is tailored.")
@click.option("--json", "as_json", is_flag=True, help="Print the entity as JSON.")
@click.pass_context
def add(
    ctx: click.Context,
    entity: str,
    skip_artifact: str | None,
    skip_criterion: str | None,
    merge_phase: str | None,
    comment: str,
    as_json: bool,
) -> None:
    """Record that ENTITY tailors its methodology in one way, and why.

    \b
    Examples:
      pmo tailoring add ALPHA --skip-artifact launch-plan --comment "Internal tool, no launch"
      pmo tailoring add ALPHA --merge-phase scoping --comment "Small job" --json
    """
    from .._errors import InvalidInputError

    action, target = _what(skip_artifact, skip_criterion, merge_phase)
    try:
        updated = workspace(ctx).tailor(entity, action, target, comment=comment)
    except InvalidInputError as exc:
        if exc.where != "target":
            raise
        # The API names its argument; the command line names the option that gave it.
        raise InvalidInputError(exc.message, where=f"--{action}") from None
    if as_json:
        echo_json(_document(updated))
        return
    echo_line(f"{updated.id} {updated.tailoring[-1].describe()}")


@tailoring.command("remove", short_help="Remove one tailoring of an entity.")
@click.argument("entity")
@_tailoring_options
@click.option("--json", "as_json", is_flag=True, help="Print the entity as JSON.")
@click.pass_context
def remove(
    ctx: click.Context,
    entity: str,
    skip_artifact: str | None,
    skip_criterion: str | None,
    merge_phase: str | None,
    as_json: bool,
) -> None:
    """Remove one tailoring of ENTITY: the methodology applies in full again there (the
    journal keeps the tailoring's history).

    \b
    Examples:
      pmo tailoring remove ALPHA --merge-phase scoping
    """
    action, target = _what(skip_artifact, skip_criterion, merge_phase)
    updated = workspace(ctx).untailor(entity, action, target)
    if as_json:
        echo_json(_document(updated))
        return
    echo_line(f"Removed tailoring {action} {target} of {updated.id}")


@tailoring.command("list", short_help="List the tailorings of an entity, or of every entity.")
@click.argument("entity", required=False)
@dated()
@limit_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_tailoring(
    ctx: click.Context, entity: str | None, limit: int | None, as_json: bool
) -> None:
    """List the tailorings of ENTITY, or of every entity that has one.

    \b
    Examples:
      pmo tailoring list
      pmo tailoring list ALPHA --json
    """
    view = dated_view(ctx)
    entities = [view.entity(entity)] if entity else list(view.entities())
    rows = [(e, t) for e in entities for t in e.tailoring]
    found = limited(rows, limit, as_json=as_json)
    if as_json:
        echo_json([{"entity": e.id, **t.model_dump(mode="json")} for e, t in found])
        return
    echo_table(
        ["entity", "action", "target", "on", "by", "comment"],
        [[e.id, t.action, t.target, t.on, t.actor, t.comment] for e, t in found],
        empty="No tailoring recorded.",
    )
