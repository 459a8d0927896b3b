"""``pmo store``: the store as a whole (copying it to another URL)."""

from __future__ import annotations

import click

from .._services.copying import copy_store
from ._output import echo_json, echo_line
from ._tables import echo_table
from .progress import ProgressBar


@click.group()
def store() -> None:
    """The workspace's store as a whole: copy it to another store URL.

    \b
    Examples:
      pmo store copy sqlite:///.pmo/pmo.db sqlite:////backups/acme.db
      pmo store copy sqlite:///.pmo/pmo.db postgresql://pmo@db.example/acme --json
    """


@store.command("copy")
@click.argument("src", metavar="SRC")
@click.argument("dest", metavar="DEST")
@click.option("--json", "as_json", is_flag=True, help="Print both sides' figures as JSON.")
def copy(src: str, dest: str, as_json: bool) -> None:
    """Copy the whole store at SRC into the new or empty store at DEST.

    SRC and DEST are store URLs: sqlite:///relative/pmo.db, sqlite:////absolute/pmo.db, or a
    backend a plugin installs (postgresql://user:password@host/db with pmo-postgres). The
    journal is copied verbatim (every entry with its time, author, command and hash), so the
    hash chain and --as-of reads carry over; the documents are rebuilt from it. DEST must
    hold nothing; its backend must be able to load a journal.

    Afterwards DEST is verified, and both sides must agree on the documents per kind, the
    journal size, the chain head and a checksum of every document; the figures are printed.
    If anything fails, nothing is left half-copied (a SQLite file the copy created is
    removed). SRC is only read: stop writers to it first, or the copy is refused as
    differing. Passwords in URLs are never printed.

    \b
    Examples:
      pmo store copy sqlite:///.pmo/pmo.db sqlite:///backup/pmo.db
      pmo store copy sqlite:////srv/pmo/acme.db postgresql://pmo@db.example/acme
      pmo store copy sqlite:///.pmo/pmo.db sqlite:///copy.db --json
    """
    with ProgressBar("Copying the store") as progress:
        result = copy_store(src, dest, progress)
    if as_json:
        echo_json(result.as_dict())
        return
    source, copied = result.source, result.destination
    echo_line(
        f"Copied {result.entries:,} journal entries in {source.transactions:,} transactions "
        f"from {source.url} to {copied.url} in {result.seconds:.1f} s; both sides agree:"
    )
    rows: list[list[object]] = [
        [kind, count, copied.documents.get(kind, 0)] for kind, count in source.documents.items()
    ]
    rows += [
        ["(journal entries)", source.entries, copied.entries],
        ["(transactions)", source.transactions, copied.transactions],
    ]
    echo_table(["kind", "source", "destination"], rows)
    echo_line(f"chain head: {source.head}")
    echo_line(f"checksum:   {source.checksum}")
