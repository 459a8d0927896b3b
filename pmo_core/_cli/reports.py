"""``pmo report``: render a report to stdout or a file, or list the reports there are."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from .._text import escape_controls
from ._output import (
    echo_json,
    key_values,
    limit_option,
    limited,
    options_option,
    warn_renamed,
    workspace,
)
from ._params import DATE, KNOWN_AT
from ._tables import echo_table


@click.command()
@click.argument("name", required=False)
@click.argument("scope", required=False)
@click.option(
    "--format", "fmt", metavar="FORMAT", help="md, json, ... (default: the report's first)."
)
@click.option(
    "--status-date",
    type=DATE,
    help="The data date: what was planned, done and spent by then (default: today, or the "
    "--as-of day).",
)
@click.option(
    "--as-of",
    type=KNOWN_AT,
    help="Report the workspace as it was known then: a date (its end) or a date-time "
    "(default: now).",
)
@options_option("report's", "open=false")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False), help="Write to this file instead of stdout."
)
@click.option(
    "--list",
    "list_reports",
    is_flag=True,
    hidden=True,
    callback=lambda ctx, param, value: _former_list(ctx) if value else value,
)
@limit_option
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="With 'list': print JSON. Otherwise: same as --format json.",
)
@click.pass_context
def report(
    ctx: click.Context,
    name: str | None,
    scope: str | None,
    fmt: str | None,
    status_date: date | None,
    as_of: date | datetime | None,
    raw_options: tuple[str, ...],
    output: str | None,
    list_reports: bool,
    limit: int | None,
    as_json: bool,
) -> None:
    """Render report NAME over SCOPE (a portfolio, program or project key; none: the PMO).

    'pmo report list' lists the reports the enabled plugins provide ('list' is no report's
    name) with the options each takes; --option gives one (KEY=VALUE), and one the report
    does not declare is an error before anything renders.

    \b
    Examples:
      pmo report list
      pmo report project-status ALPHA
      pmo report portfolio-summary PF --format json --output pf.json
      pmo report portfolio-summary PF --status-date 2025-03-31
      pmo report portfolio-summary PF --status-date 2025-03-31 --as-of 2025-04-02T09:00
      pmo report raid-register PF --option open=false --format html -o raid.html
    """
    from .._errors import InvalidInputError
    from .._records import PmoReport

    if name == "list" and not list_reports:
        list_reports, name = True, None
        if scope:
            raise InvalidInputError(
                f"'pmo report list' takes no scope, got {scope!r}", where="SCOPE"
            )
    if list_reports and (name or scope or fmt or status_date or as_of or raw_options or output):
        raise InvalidInputError(
            "cannot be combined with a report name, scope, --format, --status-date, --as-of, "
            "--option or --output",
            where="pmo report list",
        )
    ws = workspace(ctx)
    if list_reports:
        reports = limited(ws.host.records(PmoReport), limit, as_json=as_json)
        if as_json:
            echo_json(
                [
                    {
                        "name": r.name,
                        "summary": r.summary,
                        "plugin": r.plugin,
                        "scopes": list(r.scopes),
                        "formats": list(r.formats),
                        # null: the report does not declare its options (it checks them).
                        "options": None if r.options is None else dict(r.options),
                    }
                    for r in reports
                ]
            )
        else:
            echo_table(
                ["name", "plugin", "scopes", "formats", "options", "summary"],
                [
                    [r.name, r.plugin, r.scopes, r.formats, _option_names(r), r.summary]
                    for r in reports
                ],
                empty="No reports: enable a reports plugin (pmo plugins enable reports).",
            )
        return
    if not name:
        raise InvalidInputError("name a report (see 'pmo report list')", where="NAME")
    if as_json:
        if fmt and fmt != "json":
            raise InvalidInputError(f"--json contradicts --format {fmt}", where="--json")
        fmt = "json"
    options = key_values(raw_options)
    out = ws.report(name, scope, format=fmt, status_date=status_date, as_of=as_of, options=options)
    content = out.content
    if output:
        path = Path(output)
        if not path.parent.is_dir():
            raise InvalidInputError(f"directory {path.parent} does not exist", where="--output")
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        click.echo(f"Wrote {path} ({out.media_type})", err=True)
        return
    if isinstance(content, bytes):
        if sys.stdout.isatty():
            raise InvalidInputError(
                f"report {name!r} is binary ({out.media_type}); use --output FILE", where="--output"
            )
        click.echo(content, nl=False)  # click writes bytes to the binary buffer
        return
    # A report quotes data; whatever the plugin escaped, nothing reaches the terminal (or a
    # file the output is redirected to) that could drive it. Line feeds and tabs are kept.
    content = escape_controls(content, multiline=True)
    click.echo(content, nl=not content.endswith("\n"))


def _former_list(ctx: click.Context) -> bool:
    warn_renamed(ctx, "pmo report --list", "pmo report list")
    return True


def _option_names(report: Any) -> str:
    """The report's options for the list: their names, ``-`` for none, ``?`` when it does
    not declare them (``pmo plugins info`` shows what each does)."""
    if report.options is None:
        return "?"
    return ", ".join(report.options) or "-"
