"""``pmo journal``: the append-only record of every change."""

from __future__ import annotations

from collections import deque
from datetime import datetime, timezone
from typing import Any

import click

from ._dates import dated, known_at
from ._output import echo_json, echo_line, workspace
from ._params import IntType, MomentType
from ._tables import echo_table


def _changed(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    if before is None or after is None:
        return ""
    keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return ", ".join(keys)


def _label(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """What a person calls the record: a RAID id alone says nothing."""
    doc = after or before or {}
    for field in ("name", "title", "subject"):
        if doc.get(field):
            return str(doc[field])
    return ""


@click.command()
@click.option("--kind", help="Only this record kind (project, raid, status_report, ...).")
@click.option("--id", "record_id", metavar="ID", help="Only this record.")
@click.option(
    "--since", type=MomentType(), help="Only changes at or after this date (or date-time)."
)
@dated(status_date=False)
@click.option(
    "--limit", type=IntType(0), default=50, show_default=True, help="The newest N entries (0: all)."
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print JSON (with before, after and the chain hash)."
)
@click.pass_context
def journal(
    ctx: click.Context,
    kind: str | None,
    record_id: str | None,
    since: datetime | None,
    limit: int,
    as_json: bool,
) -> None:
    """Show the journal: who changed what, when, with which command (oldest first).

    --as-of shows the journal as it stood then: the changes made up to that moment (with
    --since, a window). There is no --status-date: the journal records when things were
    known, not the days they are about.

    \b
    Examples:
      pmo journal
      pmo journal --kind project --id ALPHA
      pmo journal --since 2025-06-01 --limit 0 --json
      pmo journal --since 2025-06-01 --as-of 2025-06-30
    """
    ws = workspace(ctx)
    entries_iter = ws.store.journal(kind=kind, id=record_id, since=since, until=known_at(ctx))
    entries = list(deque(entries_iter, maxlen=limit) if limit else entries_iter)
    if as_json:
        echo_json(
            [
                {
                    "seq": e.seq,
                    "txn_id": e.txn_id,
                    "at": e.at,
                    "actor": e.actor,
                    "command": e.command,
                    "op": e.op,
                    "kind": e.kind,
                    "id": e.id,
                    "owner": e.owner,
                    "version": e.version,
                    "before": e.before,
                    "after": e.after,
                    "hash": e.hash,
                }
                for e in entries
            ]
        )
        return
    if not entries and kind is not None:
        # An unknown kind is the likely mistake: say which kinds the journal holds.
        kinds = sorted({e.kind for e in ws.store.journal()})
        echo_line(f"No journal entries of kind {kind!r} (kinds: {', '.join(kinds) or 'none'}).")
        return
    rows = [
        [
            e.seq,
            e.at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor,
            e.command,
            e.op,
            e.kind,
            e.id,
            _label(e.before, e.after),
            e.version,
            _changed(e.before, e.after),
        ]
        for e in entries
    ]
    echo_table(
        ["seq", "at (utc)", "actor", "command", "op", "kind", "id", "name", "v", "changed"],
        rows,
        empty="No journal entries.",
    )
