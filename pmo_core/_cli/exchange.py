"""``pmo import`` and ``pmo export``: move data through connectors."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

import click

from ._output import echo_json, echo_line, workspace

# Beyond this many lines per operation the text diff is cut; --json always has everything.
_SHOWN = 50


class ProgressBar:
    """Feeds a connector's ``progress(done, total)`` callback into a click progress bar.

    The bar is drawn on stderr, and only when stderr is a terminal, so piped or --json
    output stays clean. It appears on the first call that knows the total.
    """

    def __init__(self, label: str, *, enabled: bool | None = None) -> None:
        self.label = label
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._bar: Any = None
        self._done = 0

    def __call__(self, done: int, total: int | None) -> None:
        if not self.enabled or not total:
            return
        if self._bar is None:
            self._bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self._bar.__enter__()
        if self._bar.length != total:
            self._bar.length = total
        step = done - self._done
        if step > 0:
            self._bar.update(step)
            self._done = done

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(exc_type, exc, tb)
            self._bar = None


def _short(value: Any) -> str:
    if isinstance(value, dict) and set(value) == {"amount", "currency"}:
        return f"{value['amount']} {value['currency']}"
    text = "-" if value is None else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _echo_diff(result: Any) -> None:
    by_op: dict[str, list[Any]] = {"create": [], "update": []}
    for item in result.items:
        if item.op in by_op:
            by_op[item.op].append(item)
    for op, mark in (("create", "+"), ("update", "~")):
        items = by_op[op]
        for item in items[:_SHOWN]:
            where = f"  ({item.where})" if item.where else ""
            echo_line(f"{mark} {item.kind} {item.id}{where}")
            for name, (before, after) in item.changes.items():
                echo_line(f"    {name}: {_short(before)} -> {_short(after)}")
        if len(items) > _SHOWN:
            click.echo(f"  ... and {len(items) - _SHOWN} more to {op} (--json lists all)")
    click.echo(result.summary())


@click.command("import")
@click.argument("connector")
@click.argument("location")
@click.option("--dry-run", is_flag=True, help="Validate and show the diff; write nothing.")
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Accept a source with no records (by default an error: often the wrong file).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the diff as JSON.")
@click.pass_context
def import_cmd(
    ctx: click.Context,
    connector: str,
    location: str,
    dry_run: bool,
    allow_empty: bool,
    as_json: bool,
) -> None:
    """Import LOCATION through CONNECTOR: all or nothing, upserting by the source's keys.

    Every item is validated before anything is written; an error names the file, line
    and column. Running the same import twice changes nothing. A source with no records
    (an empty file, a header only) is an error unless --allow-empty is given.

    \b
    Examples:
      pmo import csv portfolio.csv --dry-run
      pmo import csv portfolio.csv
      pmo import csv exports/ --json > diff.json
    """
    ws = workspace(ctx)
    with ProgressBar(f"Importing {location}") as bar:
        result = ws.import_from(
            connector,
            location,
            dry_run=dry_run,
            progress=bar,
            options={"allow_empty": True} if allow_empty else None,
        )
    if as_json:
        echo_json(result.as_dict())
    else:
        _echo_diff(result)


@click.command("export")
@click.argument("connector")
@click.argument("location")
@click.option("--scope", metavar="KEY", help="Only this entity and everything below it.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@click.pass_context
def export_cmd(
    ctx: click.Context, connector: str, location: str, scope: str | None, as_json: bool
) -> None:
    """Export entities (and their work items) to LOCATION through CONNECTOR.

    \b
    Examples:
      pmo export csv out/
      pmo export csv out/ --scope PF
    """
    ws = workspace(ctx)
    with ProgressBar(f"Exporting to {location}") as bar:
        count = ws.export_to(connector, location, scope=scope, progress=bar)
    if as_json:
        echo_json({"connector": connector, "location": location, "scope": scope, "count": count})
    else:
        echo_line(f"Exported {count} record(s) to {location} through {connector}")
