"""``pmo sync``: the runs of imports and syncs, and the conflicts they found."""

from __future__ import annotations

from typing import Any

import click

from ._output import echo_json, echo_line, limit_option, limited, workspace
from ._record_json import record_json
from ._tables import echo_table


def _short(value: Any) -> str:
    if isinstance(value, dict) and set(value) == {"amount", "currency"}:
        return f"{value['amount']} {value['currency']}"
    return "-" if value is None else str(value)


@click.group()
def sync() -> None:
    """The runs of imports and syncs, and the conflicts they found.

    Every committed import records a sync run: who, when, which source, what it did. A
    field changed both here and in the source since the last sync is a conflict; under
    the manual policy the local value stays until the conflict is resolved here.

    \b
    Examples:
      pmo sync list
      pmo sync conflicts
      pmo sync resolve 9f3e --keep remote
    """


@sync.command("list", short_help="List the sync runs, newest first.")
@click.option("--connector", metavar="NAME", help="Only this connector's runs.")
@limit_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_runs(ctx: click.Context, connector: str | None, limit: int | None, as_json: bool) -> None:
    """List the committed imports and syncs, newest first: when, who, the source, the
    mode (full or incremental), the counts, the conflicts and the watermark.

    \b
    Examples:
      pmo sync list
      pmo sync list --connector redmine --json
    """
    runs = limited(workspace(ctx).sync_runs(connector=connector), limit, as_json=as_json)
    if as_json:
        echo_json([record_json(r) for r in runs])
        return
    echo_table(
        ["finished", "connector", "source", "mode", "by", "created", "updated", "archived",
         "conflicts"],
        [
            [
                r.finished.strftime("%Y-%m-%d %H:%M:%S"),
                r.connector,
                r.source,
                r.mode,
                r.actor,
                r.counts.get("create", 0),
                r.counts.get("update", 0),
                r.counts.get("archive", 0),
                r.conflicts,
            ]
            for r in runs
        ],
        empty="No sync runs yet: pmo import CONNECTOR LOCATION records one.",
    )  # fmt: skip


@sync.command("conflicts", short_help="List the conflicts waiting to be resolved.")
@click.argument("target", required=False)
@click.option("--closed", is_flag=True, help="Include resolved and policy-decided ones.")
@limit_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def conflicts(
    ctx: click.Context, target: str | None, closed: bool, limit: int | None, as_json: bool
) -> None:
    """List the open conflicts (of the record TARGET, or all), oldest first: the field,
    the value here, the source's, and the value both started from.

    \b
    Examples:
      pmo sync conflicts
      pmo sync conflicts ALPHA --closed --json
    """
    found = limited(
        workspace(ctx).sync_conflicts(target, include_closed=closed), limit, as_json=as_json
    )
    if as_json:
        echo_json([record_json(c) for c in found])
        return
    echo_table(
        ["id", "record", "field", "here", "source", "was", "status"],
        [
            [
                c.id,
                f"{c.kind} {c.target}",
                c.field,
                _short(c.local),
                _short(c.remote),
                _short(c.base),
                c.status if c.kept is None else f"{c.status} ({c.kept})",
            ]
            for c in found
        ],
        empty="No conflicts waiting.",
    )


@sync.command("resolve", short_help="Resolve a conflict by keeping one side.")
@click.argument("conflict_id", metavar="ID")
@click.option(
    "--keep",
    type=click.Choice(["local", "remote"]),
    required=True,
    help="local: keep the value here; remote: take the source's.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the resolved conflict as JSON.")
@click.pass_context
def resolve(ctx: click.Context, conflict_id: str, keep: str, as_json: bool) -> None:
    """Resolve the conflict ID (or its first 4+ characters). Either way the next sync
    leaves the field alone until the source changes it again.

    \b
    Examples:
      pmo sync resolve 9f3e --keep remote
      pmo sync resolve 9f3e2a --keep local --json
    """
    resolved = workspace(ctx).resolve_conflict(conflict_id, keep=keep)  # type: ignore[arg-type]
    if as_json:
        echo_json(record_json(resolved))
        return
    value, how = (
        (resolved.local, "kept here") if keep == "local" else (resolved.remote, "from the source")
    )
    echo_line(
        f"Resolved conflict {resolved.id}: {resolved.kind} {resolved.target} "
        f"{resolved.field} is {_short(value)} ({how})"
    )
