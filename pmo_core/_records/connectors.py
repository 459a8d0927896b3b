"""Connector records: a PMIS or file format as a source and/or sink, and what it reads and
writes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, model_validator

from .._errors import InvalidInputError
from ._base import Capability, PmoRecord

#: What an option declared by a connector or a report is called.
OPTION_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")


@dataclass(frozen=True)
class SourceItem:
    """One item a connector reads (or is given to write): a portfolio, project, work item...

    ``kind`` is a store kind (``"project"``, ``"work_item"``...); ``remote_id`` is the id in
    the source system or file (the external key that makes imports idempotent); ``data`` holds
    the domain fields, references to other items given by their remote ids (``parent``,
    ``project``); ``where`` names the place in the source for error messages
    (``"projects.csv:4"``); ``columns`` maps field names to column numbers for
    ``file:line:column`` messages, and ``"id"`` to the column holding ``remote_id``, so an
    error about the key points at it too.

    ``data`` uses the domain's field names (``planned_start``, ``percent_complete``); a field
    it leaves out keeps its stored value (an import merges). Fields that refer to another
    record hold the source's own ids, which the import resolves through earlier imports of
    the same connector: an entity's ``parent`` and a record's ``project`` or ``entity`` name
    an entity; a work item's ``parent``, its ``links[].predecessor`` and its ``milestone``
    name a work item or a milestone of the same source, as do a cost entry's or a
    forecast's ``work_item`` and a baseline's ``items[].work_item``. An id the connector
    never gave is taken as a local key.

    ``remote_version`` is the remote record's version (an etag, an ``updated_on``) and
    ``remote_url`` its page in the PMIS (without credentials); both are kept on the external
    reference. ``deleted=True`` makes the item a tombstone: the source says the record was
    deleted, and the import archives the local record (see :doc:`the sync contract
    </concepts/sync>`).

    Example::

        SourceItem(kind="project", remote_id="P-1", data={"name": "Alpha"},
                   where="projects.csv:2")
        SourceItem(kind="work_item", remote_id="4711", data={}, deleted=True,
                   remote_url="https://redmine.example/issues/4711")
    """

    #: The store kind (``project``, ``work_item``...).
    kind: str
    #: The id in the source system or file: the key that makes imports idempotent.
    remote_id: str
    #: The domain fields, references to other items by their remote ids.
    data: Mapping[str, Any]
    #: The place in the source, for error messages (``projects.csv:4``).
    where: str = ""
    #: Column numbers by field name, for ``file:line:column`` messages.
    columns: Mapping[str, int] = field(default_factory=dict)
    #: The remote record's version (an etag, an ``updated_on``).
    remote_version: str | None = None
    #: Its page in the PMIS, without credentials.
    remote_url: str | None = None
    #: A tombstone: the source deleted it, and the import archives it.
    deleted: bool = False


def _raise(error: InvalidInputError) -> None:
    raise error


@dataclass(frozen=True)
class ConnectorRequest:
    """What a connector's ``read`` or ``write`` function receives.

    ``location`` is the file, directory or URL; ``settings`` is the connector's validated
    settings model (or ``None``); ``progress(done, total)`` reports progress for long work;
    ``items`` is what to write (export only); ``options`` are the caller's options
    (``ws.import_from(..., options=...)``, ``pmo import ... --option KEY=VALUE``; from the
    command line every value is a string), only those the connector declares in
    :attr:`PmoConnector.options` (the core refuses any other). One option is the core's:
    ``allow_empty`` (``pmo import --allow-empty``) accepts a source with no records, which is
    otherwise an error; a connector may refuse an empty source itself with a more precise
    message unless it is set.

    ``since`` is the watermark the last committed run of this source recorded (for a
    connector with the ``sync`` capability), or ``None`` for a full read: the first run,
    ``pmo import --full``, or a connector without ``sync``. A full read yields the whole
    source (what it no longer yields is archived); an incremental read yields what changed
    since, and tombstones (``deleted=True``) for what was deleted. ``watermark(value)``
    records where the next incremental read starts (the newest ``updated_on`` seen, or the
    server's time when the read began); it is kept with the sync run when the run commits.
    ``problem(error)`` reports a row the connector cannot read (a cell that is not a date)
    and lets it go on to the next one, so that an import says every problem of a source at
    once; outside an import it raises the error.

    Example::

        def read(request: ConnectorRequest) -> Iterator[SourceItem]:
            with open(request.location, newline="") as f:
                ...
            if nothing_read and not request.options.get("allow_empty"):
                raise InvalidInputError("the file holds no rows", where=request.location)

        def read_api(request: ConnectorRequest) -> Iterator[SourceItem]:
            for issue in fetch_issues(updated_since=request.since):
                request.watermark(issue["updated_on"])
                yield SourceItem(kind="work_item", remote_id=str(issue["id"]), data=...)
    """

    #: The file, directory or URL.
    location: str
    #: The connector's validated settings; ``None`` when it has none.
    settings: BaseModel | None = None
    #: Reports progress (done, total) for long work.
    progress: Callable[[int, int | None], None] = lambda done, total: None
    #: What to write (export only).
    items: Iterable[SourceItem] = ()
    #: The caller's options, only those the connector declares.
    options: Mapping[str, Any] = field(default_factory=dict)
    #: Where an incremental read starts; ``None`` for a full read.
    since: str | None = None
    #: Records where the next incremental read starts.
    watermark: Callable[[str], None] = lambda value: None
    #: Reports a row that cannot be read, and lets the read go on.
    problem: Callable[[InvalidInputError], None] = field(default=_raise)


class PmoConnector(PmoRecord):
    """A PMIS connector or file format, yielded by :func:`~pmo_core.hookspecs.pmo_connectors`.

    ``read`` yields :class:`SourceItem` objects (the core validates them, upserts them by
    external reference in one transaction, and computes the dry-run diff); ``write`` writes
    the items it is given (the kinds ``kinds`` names). ``settings`` is a pydantic model
    whose fields come from ``[settings.<connector>]`` in ``pmo.toml`` or
    ``PMO_<CONNECTOR>_<FIELD>`` environment variables (``..._FILE``: from a file); secrets
    are read from there and never stored.

    ``options`` names the options ``read`` and ``write`` take from the caller (``pmo import
    ... --option parent=PF``), each with one line saying what it does; the core refuses an
    option the connector does not declare, naming the ones it does, so a misspelt option
    never goes unread.

    Example::

        import csv

        def read_tsv(request):
            with open(request.location, newline="", encoding="utf-8") as f:
                for n, row in enumerate(csv.DictReader(f, delimiter="\\t"), start=2):
                    yield SourceItem(kind="project", remote_id=row["key"], data=row,
                                     where=f"{request.location}:{n}")

        PmoConnector(name="tsv", summary="Tab-separated files.",
                     capabilities=frozenset({"read"}), extensions=(".tsv",), read=read_tsv,
                     options={"parent": "The key of the portfolio the projects go under."})
    """

    #: What it can do (read, write, sync).
    capabilities: frozenset[Capability]
    #: The file name extensions it reads and writes (``.csv``).
    extensions: tuple[str, ...] = ()
    #: A pydantic model of its settings; ``None``: it has none.
    settings: type[BaseModel] | None = None
    #: Yields the items of a source.
    read: Callable[[ConnectorRequest], Iterable[SourceItem]] | None = None
    #: Writes the items it is given.
    write: Callable[[ConnectorRequest], None] | None = None
    #: The record kinds an export hands ``write`` (``None``: portfolios, programs, projects
    #: and work items); a connector that holds a whole workspace names every kind.
    kinds: tuple[str, ...] | None = None
    #: Whether a new record takes the source's id as its own key (a dump of a workspace,
    #: whose records refer to each other by those ids); otherwise it gets a new one.
    keeps_ids: bool = False
    #: Whether an export also hands ``write`` the records of the store kinds plugins
    #: register (:class:`PmoStoreKind`), and an import takes them: a connector that holds a
    #: whole workspace sets it.
    plugin_kinds: bool = False
    #: The options ``read`` and ``write`` take (``--option KEY=VALUE``): name -> what it does.
    options: Mapping[str, str] = {}

    @model_validator(mode="after")
    def _functions_match_capabilities(self) -> PmoConnector:
        if "read" in self.capabilities and self.read is None:
            raise ValueError(f"connector {self.name!r} declares 'read' but has no read function")
        if "write" in self.capabilities and self.write is None:
            raise ValueError(f"connector {self.name!r} declares 'write' but has no write function")
        for option in self.options:
            if not OPTION_NAME.match(option) or option == "allow_empty":
                raise ValueError(
                    f"connector {self.name!r} declares the option {option!r}: an option is "
                    "lower case letters, digits, '_' and '-', and allow_empty is the core's"
                )
        return self


__all__ = ["ConnectorRequest", "PmoConnector", "SourceItem"]
