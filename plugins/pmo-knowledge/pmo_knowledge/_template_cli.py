"""``pmo template``: the organisation's template library (add, list, show)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pmo_core import InvalidInputError, current_workspace, escape_controls
from pmo_core.cli import echo_json, limit_option, limited

from ._templates import OrgTemplate, add_template, template, template_for, templates


@click.group("template")
def template_group() -> None:
    """The organisation's template library: artifact templates shared across projects.

    A template with --artifact overrides the methodology's template of that artifact (for
    the projects following --methodology, or every methodology); without, it adds one.

    \b
    Examples:
      pmo template add acme-business-case --file business-case.md \\
          --methodology stage-gate --artifact business-case
      pmo template list
      pmo template show acme-business-case
      pmo template show business-case --for ALPHA
    """


@template_group.command("add", short_help="Add a template to the library (or replace one).")
@click.argument("name")
@click.option("--file", "path", required=True, help="The Markdown file ('-': stdin).")
@click.option("--summary", default="", help="What the template is for.")
@click.option("--methodology", help="Override for the projects following this methodology.")
@click.option("--artifact", help="The methodology's artifact whose template it overrides.")
@click.option("--replace", is_flag=True, help="Replace a template of that name.")
@click.option("--json", "as_json", is_flag=True, help="Print the stored template as JSON.")
def add(
    name: str,
    path: str,
    summary: str,
    methodology: str | None,
    artifact: str | None,
    replace: bool,
    as_json: bool,
) -> None:
    """Add the template NAME, read from --file, to the library.

    \b
    Examples:
      pmo template add lessons-review --file lessons-review.md --summary "End-of-phase review"
      pmo template add acme-business-case --file bc.md --artifact business-case --replace
    """
    if methodology is not None and artifact is None:
        raise InvalidInputError(
            "--methodology needs --artifact (what it overrides)", where="--artifact"
        )
    try:
        body = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"cannot read {path}: {exc}", where="--file") from exc
    if not body.strip():
        raise InvalidInputError(f"{path} is empty", where="--file")
    ws = current_workspace()
    stored = add_template(
        ws,
        OrgTemplate.model_construct(
            name=name, summary=summary, body=body, methodology=methodology, artifact=artifact
        ),
        replace=replace,
    )
    if as_json:
        echo_json(stored.model_dump(mode="json"))
        return
    click.echo(f"Stored template {escape_controls(stored.name)}, version {stored.version}")


@template_group.command("list", short_help="List the library's templates.")
@limit_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_templates(limit: int | None, as_json: bool) -> None:
    """List the organisation's templates and what each overrides.

    \b
    Examples:
      pmo template list
      pmo template list --json
    """
    found = limited(templates(current_workspace()), limit, as_json=as_json)
    if as_json:
        echo_json(
            [{k: v for k, v in t.model_dump(mode="json").items() if k != "body"} for t in found]
        )
        return
    if not found:
        click.echo("No templates in the library.", err=True)
        return
    for t in found:
        target = (
            f" (overrides {t.artifact} for {t.methodology or 'every methodology'})"
            if t.artifact
            else ""
        )
        click.echo(escape_controls(f"{t.name}{target}: {t.summary}".rstrip(": ")))


@template_group.command("show", short_help="Print a template.")
@click.argument("name")
@click.option("--for", "entity", metavar="KEY", help="NAME is an artifact: its template for KEY.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show(name: str, entity: str | None, as_json: bool) -> None:
    """Print the library's template NAME; with --for KEY, NAME is an artifact and the
    template KEY uses for it (the library's override, else the methodology's).

    \b
    Examples:
      pmo template show lessons-review > review.md
      pmo template show business-case --for ALPHA --json
    """
    ws = current_workspace()
    if entity is None:
        found = template(ws, name)
        body, source = found.body, found.name
    else:
        body, source = template_for(ws, entity, name)
    if as_json:
        echo_json({"name": name, "source": source, "template": body})
        return
    click.echo(escape_controls(body, multiline=True), nl=False)
