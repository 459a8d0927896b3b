"""``pmo search``: find the records whose text mentions some words, best match first."""

from __future__ import annotations

import click

from .._domain.schema import STORE_KINDS
from .._errors import InvalidInputError
from ._output import echo_json, echo_line, limit_option, limited, workspace
from ._tables import echo_table


@click.command()
@click.argument("text")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    metavar="KIND",
    help="Only records of this store kind (raid, status_report, lesson, project...). Repeatable.",
)
@click.option("--under", metavar="KEY", help="Only KEY, the entities below it and their records.")
@limit_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON: a list of hits.")
@click.pass_context
def search(
    ctx: click.Context,
    text: str,
    kinds: tuple[str, ...],
    under: str | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """Find the records whose text matches TEXT: projects, RAID items, status reports,
    lessons learned, work items... best match first, each with a snippet where the matched
    words are in [brackets].

    Every word must match (case-insensitive); "quoted words" match as a phrase; the last
    word also matches longer words (deliv finds delivery). Names, titles, descriptions and
    notes are searched, not keys, dates or amounts. Exit 0 with "no matches" on stderr when
    nothing matches.

    \b
    Examples:
      pmo search "vendor delay"
      pmo search '"second drop" vendor' --kind raid --kind lesson
      pmo search budget --under PF --limit 10
      pmo search vendor --json
    """
    ws = workspace(ctx)
    known = set(STORE_KINDS) | set(ws.store.kinds())
    for kind in kinds:
        if kind not in known:
            raise InvalidInputError(
                f"{kind!r} is not a kind of record; one of {', '.join(sorted(known))}",
                where="--kind",
            )
    hits = ws.search(text, kinds=kinds or None, under=under, limit=None)
    if not hits:
        echo_line("no matches", err=True)
        if as_json:
            echo_json([])
        return
    shown = limited(hits, limit, as_json=as_json)
    if as_json:
        echo_json(
            [
                {
                    "kind": h.kind,
                    "id": h.id,
                    "owner": h.owner,
                    "score": h.score,
                    "snippet": h.snippet,
                }
                for h in shown
            ]
        )
        return
    echo_table(
        ["kind", "id", "owner", "snippet"], [[h.kind, h.id, h.owner, h.snippet] for h in shown]
    )
