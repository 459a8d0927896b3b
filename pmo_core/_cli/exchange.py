"""``pmo import`` and ``pmo export``: move data through connectors."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Any

import click

from ._output import echo_json, echo_line, key_values, options_option, renamed_option, workspace

# Beyond this many lines per operation the text diff is cut; --json always has everything.
_SHOWN = 50


class ProgressBar:
    """Shows a connector's or an import's ``progress(done, total)`` on stderr: the rows
    done, the total when it is known, and the rate.

    Drawn only when stderr is a terminal, so piped or --json output stays clean; redrawn
    at most five times a second on one line, ended by a line break when the work ends.
    """

    def __init__(self, label: str, *, enabled: bool | None = None) -> None:
        self.label = label
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._started = time.monotonic()
        self._drawn = 0.0
        self._shown = False

    def __call__(self, done: int, total: int | None) -> None:
        if not self.enabled or done <= 0:
            return
        now = time.monotonic()
        if now - self._drawn < 0.2 and done != total:
            return
        self._drawn = now
        elapsed = now - self._started
        of = f" of {total:,}" if total else ""
        # A rate over less than half a second says little.
        rate = f", {done / elapsed:,.0f} rows/s" if elapsed >= 0.5 else ""
        line = f"{self.label}: {done:,}{of} rows{rate}"
        click.echo(f"\r{line}\x1b[K", file=sys.stderr, nl=False)
        self._shown = True

    def __enter__(self) -> ProgressBar:
        self._started = time.monotonic()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._shown:
            click.echo("", file=sys.stderr)
            self._shown = False


def _short(value: Any) -> str:
    if isinstance(value, dict) and set(value) == {"amount", "currency"}:
        return f"{value['amount']} {value['currency']}"
    text = "-" if value is None else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _echo_diff(result: Any) -> None:
    from .._services.diff import ITEM_LIMIT  # the services load with the workspace

    by_op: dict[str, list[Any]] = {"create": [], "update": [], "archive": []}
    for item in result.items:
        if item.op in by_op:
            by_op[item.op].append(item)
    for op, mark in (("create", "+"), ("update", "~"), ("archive", "-")):
        items = by_op[op]
        for item in items[:_SHOWN]:
            where = f"  ({item.where})" if item.where else ""
            key = item.id or f"(new: {item.remote_id})"
            echo_line(f"{mark} {item.kind} {key}{where}")
            if op == "create":
                continue  # what a new record is given is in --json; the line says enough
            for name, (before, after) in item.changes.items():
                echo_line(f"    {name}: {_short(before)} -> {_short(after)}")
        more = result.counts()[op] - min(len(items), _SHOWN)
        if more > 0:
            listed = "lists all" if result.counts()[op] <= ITEM_LIMIT else f"lists {ITEM_LIMIT:,}"
            click.echo(f"  ... and {more:,} more to {op} (--json {listed})")
    for conflict in result.conflicts[:_SHOWN]:
        echo_line(
            f"! {conflict['kind']} {conflict['target']} {conflict['field']}: "
            f"here {_short(conflict['local'])}, in the source {_short(conflict['remote'])} "
            f"(was {_short(conflict['base'])})"
        )
    if result.conflict_count > _SHOWN:
        click.echo(f"  ... and {result.conflict_count - _SHOWN:,} more conflicts")
    click.echo(result.summary())
    _echo_kinds(result)


def _echo_kinds(result: Any) -> None:
    """The counts of each kind, when the source held more than one."""
    kinds = {kind: ops for kind, ops in result.by_kind.items() if any(ops.values())}
    if len(kinds) < 2:
        return
    verbs = (
        ("create", "would create" if result.dry_run else "created"),
        ("update", "would update" if result.dry_run else "updated"),
        ("unchanged", "unchanged"),
        ("archive", "would archive" if result.dry_run else "archived"),
    )
    width = max(len(kind) for kind in kinds)
    for kind, ops in kinds.items():
        said = ", ".join(f"{verb} {ops[op]:,}" for op, verb in verbs if ops.get(op))
        echo_line(f"  {kind.ljust(width)}  {said}")


@click.command("import")
@click.argument("connector")
@click.argument("location")
@click.option("--dry-run", is_flag=True, help="Validate and show the diff; write nothing.")
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Accept a source with no records (by default an error: often the wrong file).",
)
@click.option(
    "--on-conflict",
    type=click.Choice(["source-wins", "local-wins", "manual"]),
    help="A field changed here and in the source since the last import: whose value "
    "wins, or keep ours and list it (manual). Default: [sync] in pmo.toml, else source-wins.",
)
@click.option(
    "--full",
    is_flag=True,
    help="Read the whole source, not only what changed since the last run (for connectors "
    "that sync); what it no longer holds is archived.",
)
@options_option("connector's", "parent=PF")
@click.option("--json", "as_json", is_flag=True, help="Print the diff as JSON.")
@click.pass_context
def import_cmd(
    ctx: click.Context,
    connector: str,
    location: str,
    dry_run: bool,
    allow_empty: bool,
    on_conflict: str | None,
    full: bool,
    raw_options: tuple[str, ...],
    as_json: bool,
) -> None:
    """Import LOCATION through CONNECTOR: all or nothing, upserting by the source's keys.

    Every item is validated before anything is written; an error names the file, line
    and column. Running the same import twice changes nothing. An import is a sync: a
    field changed only here keeps its value; one changed here and in the source is a
    conflict (--on-conflict; listed with "!", and by pmo sync conflicts). What a full
    read of the same source no longer holds is archived, never deleted ("-"). A source
    with no records (an empty file, a header only) is an error unless --allow-empty is
    given. The source is read as it is imported, so a million rows take little memory;
    the diff lists the first 1,000 changed records (--json too) and counts every one.
    --option hands the connector one of its own options (pmo plugins info PLUGIN lists
    them); one it does not take is an error.

    \b
    Examples:
      pmo import csv portfolio.csv --dry-run
      pmo import csv portfolio.csv --on-conflict manual
      pmo import csv exports/ --json > diff.json
      pmo import redmine https://redmine.example --full
      pmo import mspdi office-move.xml --option parent=PF
    """
    options: dict[str, object] = dict(key_values(raw_options))
    if "allow_empty" in options:
        raise click.UsageError("give --allow-empty, not --option allow_empty")
    if allow_empty:
        options["allow_empty"] = True
    ws = workspace(ctx)
    with ProgressBar(f"Importing {location}") as bar:
        result = ws.import_from(
            connector,
            location,
            dry_run=dry_run,
            progress=bar,
            options=options,
            on_conflict=on_conflict,  # type: ignore[arg-type]
            full=full,
        )
    if as_json:
        echo_json(result.as_dict())
    else:
        _echo_diff(result)


@click.command("export")
@click.argument("connector")
@click.argument("location")
@renamed_option(
    "--under",
    "scope",
    metavar="KEY",
    old="--scope",
    help="Only this entity and everything below it.",
)
@options_option("connector's")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@click.pass_context
def export_cmd(
    ctx: click.Context,
    connector: str,
    location: str,
    scope: str | None,
    raw_options: tuple[str, ...],
    as_json: bool,
) -> None:
    """Export entities (and their work items) to LOCATION through CONNECTOR.

    --option hands the connector one of its own options (pmo plugins info PLUGIN lists
    them); one it does not take is an error.

    \b
    Examples:
      pmo export csv out/
      pmo export csv out/ --under PF
    """
    options = key_values(raw_options)
    ws = workspace(ctx)
    with ProgressBar(f"Exporting to {location}") as bar:
        count = ws.export_to(connector, location, scope=scope, progress=bar, options=options)
    if as_json:
        echo_json({"connector": connector, "location": location, "scope": scope, "count": count})
    else:
        echo_line(f"Exported {count} record(s) to {location} through {connector}")
