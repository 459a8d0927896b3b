"""``pmo artifact``: list, submit, approve and reject management products; print templates.

Every command is a :class:`~pmo_core.Workspace` method underneath (``artifacts``,
``submit_artifact``, ``approve_artifact``, ``reject_artifact``, ``artifact_template``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click

from .._text import escape_controls
from ._dates import dated, dated_view
from ._output import echo_json, echo_line, limited, options_named, workspace
from ._params import DATE, IntType
from ._record_json import record_json
from ._tables import echo_table, kv_lines

if TYPE_CHECKING:
    from .._domain import Artifact

_OPTION_OF = {
    "title": "--title",
    "location": "--location",
    "comment": "--comment",
    "on": "--on",
    "entity": "PROJECT",
    "name": "NAME",
}

_APPROVER = click.option(
    "--approver",
    "approvers",
    multiple=True,
    metavar="NAME",
    help="An approver, 'Name' or 'Name (role)'. Repeatable; none: you approve.",
)


def artifact_json(artifact: Artifact) -> dict[str, Any]:
    """An artifact as every ``--json`` of ``pmo artifact`` prints it: its fields and version.

    Example::

        echo_json(artifact_json(ws.approve_artifact("ALPHA", "business-case")))
    """
    return record_json(artifact)


def _decided(a: Artifact) -> str | None:
    if a.status == "approved":
        return f"{a.approved_on} {a.approved_by or ''}".strip()
    if a.status == "rejected":
        return f"{a.rejected_on} {a.rejected_by or ''}".strip()
    return None


@click.group()
def artifact() -> None:
    """Management products (business case, plans, reports): submit, approve, reject.

    A gate criterion that names an artifact is met when the artifact is approved. Who may
    approve is the governance model's approval matrix ('artifact'); its author may be barred
    from approving it. Submitting an approved or rejected artifact again makes a new
    revision, which needs a decision of its own.

    \b
    Examples:
      pmo artifact template ALPHA idea-submission > idea.md
      pmo artifact submit ALPHA idea-submission --location https://wiki.example.com/alpha/idea
      pmo artifact approve ALPHA idea-submission --approver "Dana Ruiz (sponsor)"
      pmo artifact list ALPHA
    """


@artifact.command("list", short_help="List an entity's artifacts and where each stands.")
@click.argument("entity", metavar="PROJECT")
@dated(status_date=False)
@click.option("--limit", type=IntType(0), help="Show at most N (0: all; default 50 on a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_artifacts(ctx: click.Context, entity: str, limit: int | None, as_json: bool) -> None:
    """List the artifacts of PROJECT (or of a program or portfolio), in the order its
    methodology declares them, and name those it declares that were never submitted.

    --as-of lists them as known then. There is no --status-date: an artifact is one record
    revised in place, so where it stood on a past day is what was known then (--as-of).

    \b
    Examples:
      pmo artifact list ALPHA
      pmo artifact list ALPHA --json
      pmo artifact list ALPHA --as-of 2025-03-31
    """
    from .._errors import NotFoundError

    ws = workspace(ctx)
    view = dated_view(ctx)
    everything = ws.artifacts(entity, view=view)
    found = limited(everything, limit, as_json=as_json)
    if as_json:
        echo_json([artifact_json(a) for a in found])
        return
    echo_table(
        ["name", "status", "rev", "submitted by", "submitted on", "decided", "location"],
        [
            [a.name, a.status, a.revision, a.submitted_by, a.submitted_on, _decided(a), a.location]
            for a in found
        ],
        empty=f"No artifacts for {entity} yet.",
    )
    try:
        declared = ws.artifact_templates(entity)
    except NotFoundError:  # the methodology's plugin is not available: nothing to name
        declared = []
    stored = {a.name for a in everything}
    missing = [a.name for a in declared if a.name not in stored]
    if missing:
        echo_line(f"Not submitted yet: {', '.join(missing)}")


@artifact.command("show", short_help="Show an artifact with every decision taken on it.")
@click.argument("entity", metavar="PROJECT")
@click.argument("name")
@dated(status_date=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def show(ctx: click.Context, entity: str, name: str, as_json: bool) -> None:
    """Show the artifact NAME of PROJECT: its revision, author, decision and the reviews of
    every revision. --as-of shows it as known then (no --status-date: see 'pmo artifact
    list --help').

    \b
    Examples:
      pmo artifact show ALPHA business-case
      pmo artifact show ALPHA business-case --json
      pmo artifact show ALPHA business-case --as-of 2025-03-31
    """
    from .._errors import NotFoundError

    ws = workspace(ctx)
    view = dated_view(ctx)
    found = next((a for a in ws.artifacts(entity, view=view) if a.name == name), None)
    if found is None:
        raise NotFoundError(
            f"{entity} has no artifact {name!r}{view.known_text()} (see 'pmo artifact list')"
        )
    if as_json:
        echo_json(artifact_json(found))
        return
    pairs: list[tuple[str, Any]] = [
        ("entity", found.entity),
        ("name", found.name),
        ("title", found.title or None),
        ("status", found.status),
        ("revision", found.revision),
        ("location", found.location),
        ("submitted by", found.submitted_by),
        ("submitted on", found.submitted_on),
    ]
    if found.status == "approved":
        pairs += [("approved on", found.approved_on), ("approved by", found.approved_by)]
    if found.status == "rejected":
        pairs += [
            ("rejected on", found.rejected_on),
            ("rejected by", found.rejected_by),
            ("why", found.rejection_comment),
        ]
    pairs.append(("version", found.version))
    click.echo(kv_lines(pairs))
    if found.reviews:
        click.echo("\nReviews:")
        echo_table(
            ["revision", "outcome", "on", "recorded by", "approvals", "comment"],
            [
                [
                    r.revision,
                    r.outcome,
                    r.on,
                    r.by,
                    ", ".join(
                        f"{a.approver} ({a.role})" if a.role else a.approver for a in r.approvals
                    )
                    or None,
                    r.comment or None,
                ]
                for r in found.reviews
            ],
        )


@artifact.command("submit", short_help="Submit an artifact (or a new revision) for approval.")
@click.argument("entity", metavar="PROJECT")
@click.argument("name")
@click.option("--title", help="The document's title.")
@click.option("--location", metavar="URL", help="Where the document lives: a link or a path.")
@click.option("--on", type=DATE, help="When it was submitted (default: the status date).")
@click.option("--json", "as_json", is_flag=True, help="Print the artifact as JSON.")
@click.pass_context
def submit(
    ctx: click.Context,
    entity: str,
    name: str,
    title: str | None,
    location: str | None,
    on: date | None,
    as_json: bool,
) -> None:
    """Submit the artifact NAME of PROJECT for approval; you are its author.

    NAME is one of the artifacts of the project's methodology ('pmo artifact list' names
    those not submitted yet). Submitting an approved or rejected artifact again makes a new
    revision; one waiting for a decision cannot be submitted again.

    \b
    Examples:
      pmo artifact submit ALPHA business-case --title "Alpha business case" \\
          --location https://wiki.example.com/alpha/business-case
      pmo --as "Kim Park" artifact submit ALPHA project-plan --location docs/alpha-plan.md
    """
    ws = workspace(ctx)
    with options_named(_OPTION_OF):
        stored = ws.submit_artifact(entity, name, title=title, location=location, on=on)
    if as_json:
        echo_json(artifact_json(stored))
        return
    echo_line(
        f"Submitted {stored.name} of {stored.entity} (revision {stored.revision}) by "
        f"{stored.submitted_by}"
    )


@artifact.command("approve", short_help="Approve a submitted artifact.")
@click.argument("entity", metavar="PROJECT")
@click.argument("name")
@_APPROVER
@click.option("--on", type=DATE, help="When it was approved (default: the status date).")
@click.option("--comment", default="", help="A note kept with the approval.")
@click.option("--json", "as_json", is_flag=True, help="Print the artifact as JSON.")
@click.pass_context
def approve(
    ctx: click.Context,
    entity: str,
    name: str,
    approvers: tuple[str, ...],
    on: date | None,
    comment: str,
    as_json: bool,
) -> None:
    """Approve the submitted artifact NAME of PROJECT.

    The approvers must satisfy the model's rule for artifacts (exit 5 otherwise, naming the
    rule and who could approve; nothing is written). Who approved, in which role, when and
    which revision are kept on the artifact.

    \b
    Examples:
      pmo artifact approve ALPHA business-case --approver "Dana Ruiz (sponsor)"
      pmo artifact approve ALPHA business-case --approver "Lee Chen" --on 2025-06-02 --json
    """
    ws = workspace(ctx)
    with options_named(_OPTION_OF):
        stored = ws.approve_artifact(entity, name, approvers=approvers, on=on, comment=comment)
    if as_json:
        echo_json(artifact_json(stored))
        return
    echo_line(
        f"Approved {stored.name} of {stored.entity} (revision {stored.revision}) on "
        f"{stored.approved_on} by {stored.approved_by}"
    )


@artifact.command("reject", short_help="Send a submitted artifact back to its author.")
@click.argument("entity", metavar="PROJECT")
@click.argument("name")
@click.option("--comment", required=True, help="Why it is rejected (what to change).")
@click.option("--on", type=DATE, help="When it was rejected (default: the status date).")
@click.option("--json", "as_json", is_flag=True, help="Print the artifact as JSON.")
@click.pass_context
def reject(
    ctx: click.Context, entity: str, name: str, comment: str, on: date | None, as_json: bool
) -> None:
    """Reject the submitted artifact NAME of PROJECT, saying why; submitting it again makes
    the next revision.

    \b
    Examples:
      pmo artifact reject ALPHA business-case --comment "The options are missing"
    """
    ws = workspace(ctx)
    with options_named(_OPTION_OF):
        stored = ws.reject_artifact(entity, name, comment=comment, on=on)
    if as_json:
        echo_json(artifact_json(stored))
        return
    echo_line(
        f"Rejected {stored.name} of {stored.entity} (revision {stored.revision}): "
        f"{stored.rejection_comment}"
    )


@artifact.command("template", short_help="Print the methodology's template of an artifact.")
@click.argument("entity", metavar="PROJECT")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def template(ctx: click.Context, entity: str, name: str, as_json: bool) -> None:
    """Print the template of the artifact NAME from the methodology PROJECT follows, to
    start the document from.

    \b
    Examples:
      pmo artifact template ALPHA business-case > alpha-business-case.md
      pmo artifact template ALPHA business-case --json
    """
    ws = workspace(ctx)
    found = ws.artifact_template(entity, name)
    if as_json:
        echo_json(
            {
                "name": found.name,
                "summary": found.summary,
                "template": found.template,
            }
        )
        return
    if not found.template:
        echo_line(f"The methodology gives no template for {found.name}: {found.summary}")
        return
    click.echo(escape_controls(found.template, multiline=True), nl=False)
