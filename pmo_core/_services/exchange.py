"""Imports and exports through connectors, streamed.

An import consumes the connector's items a batch at a time (see :mod:`.importing`): each
batch is checked, validated, diffed against what the store holds for it and written, all
inside one transaction that spans the import, so a bad row anywhere writes nothing. It
upserts by external reference (connector, kind, remote id), so running the same import twice
changes nothing. An export pages through the store and hands the connector an iterator.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from .._domain import (
    CONFLICT_POLICIES,
    ENTITY_KINDS,
    STORE_KINDS,
    ConflictPolicy,
    ExternalRef,
    SyncRun,
)
from .._domain._base import ordered_ids
from .._errors import PLUGIN_FAILURES, InvalidInputError, PluginError, describe
from .._gc import collector_paused
from .._records import ConnectorRequest, PmoConnector, PmoSettings, PmoStoreKind, SourceItem
from .._redact import MASK, redact
from .._store.protocol import Document
from .diff import ImportResult
from .entities import EntityService
from .import_refs import ITEM_TARGET_KINDS, item_references, with_source_keys
from .importing import ImportRun
from .options import refuse_undeclared
from .progress import EXPORT_PHASE, PhaseProgress, phased
from .scratch import ScratchMap
from .settings import SettingsService

if TYPE_CHECKING:
    from .._workspace import Workspace

#: What callers pass as ``progress``: ``progress(phase, done, total)`` (see
#: :mod:`.progress`), or the deprecated ``progress(done, total)``.
Progress = Callable[..., None]

_ENTITY_ORDER = {"portfolio": 0, "program": 1, "project": 2}
# Written first, in their own way; the import's own records are never exported.
_EXPORTED_FIRST = frozenset(
    {*ENTITY_KINDS, "work_item", ExternalRef.store_kind, "sync_run", "sync_conflict"}
)
#: Projects whose work items an export reads at once: one query per chunk, not one per
#: project (on PostgreSQL each query is a round trip: 10,000 projects took 63 times what
#: psql takes), while holding only the chunk's documents, some 5 KB each as dicts (200
#: projects of 100 work items held 100 MB; 50 of them hold 25 MB).
EXPORT_CHUNK_PROJECTS = 50
#: Records of one kind an export translates at once (one scratch-map look-up per batch).
EXPORT_BATCH = 2_000
#: The import option that accepts a source holding no records (``pmo import --allow-empty``).
ALLOW_EMPTY = "allow_empty"


@contextmanager
def bulk_memory() -> Iterator[None]:
    """Keep the cyclic garbage collector out of a bulk import or export
    (:func:`~pmo_core._gc.collector_paused`: a third of an import's time otherwise). The
    records made meanwhile get increasing ids (:func:`~pmo_core._domain._base.ordered_ids`),
    which the store writes in order.
    """
    with collector_paused(), ordered_ids():
        yield


class ExchangeService:
    """Runs imports and exports through the workspace's connectors."""

    def __init__(self, ws: Workspace, entities: EntityService, settings: SettingsService) -> None:
        self._ws = ws
        self._entities = entities
        self._settings = settings

    # ------------------------------------------------------------------ connectors

    def connector(self, name: str, capability: str) -> PmoConnector:
        """The connector ``name``, refused when it lacks ``capability``."""
        connector = self._ws.host.record(PmoConnector, name)
        if capability not in connector.capabilities:
            raise InvalidInputError(
                f"connector {connector.name!r} cannot {capability} "
                f"(it can: {', '.join(sorted(connector.capabilities))})"
            )
        return connector

    @staticmethod
    def checked_options(connector: PmoConnector, options: Mapping[str, Any]) -> Mapping[str, Any]:
        """``options``, refused when one is not the connector's (nor the core's
        ``allow_empty``): a misspelt option would otherwise go unread."""
        return refuse_undeclared(
            f"connector {connector.name!r}", connector.options, options, also=(ALLOW_EMPTY,)
        )

    def connector_settings(self, connector: PmoConnector) -> BaseModel | None:
        """The connector's settings (see :meth:`Workspace.settings`), or ``None``."""
        registered = {spec.name for spec in self._ws.host.records(PmoSettings)}
        if connector.settings is None and connector.name not in registered:
            return None
        return self._settings.get(connector.name)

    # ---------------------------------------------------------------------- import

    def import_from(
        self,
        name: str,
        location: str,
        *,
        dry_run: bool,
        progress: Progress | None,
        options: Mapping[str, Any],
        on_conflict: ConflictPolicy | None = None,
        full: bool = False,
    ) -> ImportResult:
        """See :meth:`Workspace.import_from <pmo_core.Workspace.import_from>`."""
        connector = self.connector(name, "read")
        options = self.checked_options(connector, options)
        if on_conflict is not None and on_conflict not in CONFLICT_POLICIES:
            raise InvalidInputError(
                f"on_conflict must be one of {', '.join(CONFLICT_POLICIES)}, got {on_conflict!r}"
            )
        policy = on_conflict or self._ws.config.sync.policy(connector.name)
        report = phased(progress, "Workspace.import_from", "read")
        announced: list[int | None] = [None]

        def connector_progress(done: int, total: int | None) -> None:
            # The connector reads as the import goes: its rows read are nearly the rows
            # done, which the import reports itself; only a total it knows is taken.
            if total is not None:
                announced[0] = total

        # The location may hold credentials (a URL with a token): they are not kept.
        public = redact(location)
        source = source_of(location)
        since = None
        if "sync" in connector.capabilities and not full:
            since = self._watermark(connector.name, source)
        watermark: list[str | None] = [None]

        def note_watermark(value: str) -> None:
            if not isinstance(value, str) or not value or "\n" in value:
                raise InvalidInputError(
                    f"connector {connector.name!r} gave the watermark {value!r}: "
                    "it must be one line of text"
                )
            watermark[0] = value

        runs: list[ImportRun] = []

        def problem(error: InvalidInputError) -> None:
            if not isinstance(error, InvalidInputError):
                raise TypeError(f"problem() takes an InvalidInputError, got {error!r}")
            runs[0].problem(error)

        request = ConnectorRequest(
            location=location,
            settings=self.connector_settings(connector),
            progress=connector_progress,
            options=options,
            since=since,
            watermark=note_watermark,
            problem=problem,
        )
        started = datetime.now(timezone.utc)
        sync_run: str | None = None
        with ScratchMap() as seen, bulk_memory():
            if dry_run:
                run = self._run(connector, None, report, announced, source, policy, since is None)
                runs.append(run)
                try:
                    run.run(_read(connector, request), seen)
                finally:
                    run.close()
                self._refuse_empty(run, options, public)
            else:
                with self._ws.transaction(f"import {connector.name} {public}") as tx:
                    run = self._run(connector, tx, report, announced, source, policy, since is None)
                    runs.append(run)
                    try:
                        run.run(_read(connector, request), seen)
                    finally:
                        run.close()
                    self._refuse_empty(run, options, public)
                    record = SyncRun(
                        id=run.run_id,
                        connector=connector.name,
                        source=source,
                        mode="full" if since is None else "incremental",
                        policy=policy,
                        actor=self._ws.actor,
                        started=started,
                        finished=datetime.now(timezone.utc),
                        counts=run.diff.result(connector.name, public, False).counts(),
                        conflicts=run.conflict_count,
                        since=since,
                        # A run that gave no new watermark leaves the last one in force.
                        watermark=watermark[0] or since,
                    )
                    tx.insert("sync_run", record.id, record.to_document(), owner=None)
                    sync_run = record.id
                    changes = changed_records(record.counts)
                    # Committing writes the journal and indexes: most of a second for
                    # 50,000 rows, said rather than left looking finished.
                    report("commit", 0, changes)
                report("commit", changes, changes)
        if not dry_run and run.touched:
            # Imported plans are plans too: a forecast beyond tolerance raises its exception.
            plans = len(run.touched)
            report("plans", 0, plans)
            self._entities.plan_changed(run.touched)
            report("plans", plans, plans)
        return run.diff.result(
            connector.name,
            public,
            dry_run,
            conflicts=tuple(run.conflicts),
            conflict_count=run.conflict_count,
            policy=policy,
            sync_run=sync_run,
        )

    def _watermark(self, connector: str, source: str) -> str | None:
        """The watermark of the source's last committed run, or ``None``."""
        latest: tuple[str, str] | None = None
        for run_connector, run_source, finished, mark in self._ws.store.values(
            "sync_run", ["connector", "source", "finished", "watermark"]
        ):
            mine = run_connector == connector and run_source == source
            if mine and isinstance(mark, str) and (latest is None or str(finished) > latest[0]):
                latest = (str(finished), mark)
        return None if latest is None else latest[1]

    def _run(
        self,
        connector: PmoConnector,
        tx: Any,
        report: PhaseProgress,
        announced: list[int | None],
        source: str,
        policy: ConflictPolicy,
        full: bool,
    ) -> ImportRun:
        return ImportRun(
            connector.name,
            tx=tx,
            reader=self._ws.store if tx is None else tx,
            view=self._ws.view(),
            entities=self._entities,
            currency=self._ws.config.currency,
            # While reading, the total is the one the connector announced, if any.
            progress=lambda phase, done, total: report(
                phase, done, announced[0] if total is None and phase == "read" else total
            ),
            today=self._ws.today,
            source=source,
            policy=policy,
            history=self._ws.store.journal,
            full=full,
            keeps_ids=connector.keeps_ids,
            plugin_kinds=self.plugin_kinds() if connector.plugin_kinds else None,
        )

    @staticmethod
    def _refuse_empty(run: ImportRun, options: Mapping[str, Any], public: str) -> None:
        if not run.rows and not options.get(ALLOW_EMPTY):
            # An empty file is far more often a failed export or the wrong file than a wish
            # to import nothing; an import that "succeeds" doing nothing hides that.
            raise InvalidInputError(
                "holds no records to import; to accept an empty source, pass "
                f"options={{{ALLOW_EMPTY!r}: True}} (pmo import --allow-empty)",
                where=public,
            )

    # ---------------------------------------------------------------------- export

    def plugin_kinds(self) -> dict[str, PmoStoreKind]:
        """The store kinds the loaded plugins keep themselves (:class:`PmoStoreKind`), by
        kind; a plugin claiming a kind of the domain is a :class:`PluginError`."""
        found = {}
        for record in self._ws.host.records(PmoStoreKind):
            if record.kind in STORE_KINDS:
                raise PluginError(
                    f"store kind {record.kind!r} ({record.name}) is a kind of the core's "
                    "domain, which a plugin cannot keep",
                    plugin=record.plugin,
                )
            found[record.kind] = record
        return found

    def export_to(
        self,
        name: str,
        location: str,
        *,
        scope: str | None,
        kinds: Iterable[str] | None,
        progress: Progress | None,
        options: Mapping[str, Any],
    ) -> int:
        """See :meth:`Workspace.export_to <pmo_core.Workspace.export_to>`."""
        connector = self.connector(name, "write")
        options = self.checked_options(connector, options)
        report = phased(progress, "Workspace.export_to", EXPORT_PHASE)
        count = [0]
        asked = kinds
        if asked is None and connector.plugin_kinds:
            # A whole workspace: the domain's kinds and those the plugins keep themselves.
            asked = (*(connector.kinds or ()), *self.plugin_kinds())

        def counted() -> Iterator[SourceItem]:
            for item in self._export_items(connector.name, scope, asked or connector.kinds):
                count[0] += 1
                yield item

        request = ConnectorRequest(
            location=location,
            settings=self.connector_settings(connector),
            progress=lambda done, total: report(EXPORT_PHASE, done, total),
            items=counted(),
            options=options,
        )
        assert connector.write is not None
        try:
            with bulk_memory():
                connector.write(request)
        except InvalidInputError:
            raise
        except OSError as exc:
            raise InvalidInputError(
                f"cannot write: {exc.strerror or exc}", where=redact(location)
            ) from None
        except PLUGIN_FAILURES as exc:
            raise PluginError(
                f"connector {connector.name!r} failed writing {redact(location)}: {describe(exc)}",
                plugin=connector.plugin,
            ) from exc
        return count[0]

    def _export_items(
        self, connector: str, scope: str | None, kinds: Iterable[str] | None
    ) -> Iterator[SourceItem]:
        """The entities, then the work items of their projects (each project's in id order),
        read :data:`EXPORT_CHUNK_PROJECTS` projects at a time, then the other kinds asked
        for, kind by kind in the domain's order.

        A record that came in through this connector goes back out under its source key, and
        the records referring to it (a cost entry's work item, a work item's parent) name it
        by that key too, as an import of the same connector resolves them: exporting and
        re-importing updates, not duplicates, and an export read into another workspace
        holds together."""
        store = self._ws.store
        view = self._ws.view()
        wanted = set(kinds) if kinds else {*ENTITY_KINDS, "work_item"}
        entities = view.entities(include_archived=True)
        if scope:
            entities = [view.entity(scope), *view.entities(under=scope, include_archived=True)]
        entities.sort(key=lambda e: (_ENTITY_ORDER[e.kind], e.id))
        for entity in entities:
            if entity.kind in wanted:
                yield SourceItem(
                    kind=entity.kind, remote_id=entity.id, data=entity.to_document(every_field=True)
                )
        in_scope = [e.id for e in entities]
        projects = [e.id for e in entities if e.kind == "project"]
        with ScratchMap() as source_keys:
            # The source keys are read once into a scratch map, not a dict.
            source_keys.put_many(_source_keys(store, connector))
            if "work_item" in wanted:
                for start in range(0, len(projects), EXPORT_CHUNK_PROJECTS):
                    # One chunk of projects' work items at a time: the chunk bounds the memory.
                    chunk = projects[start : start + EXPORT_CHUNK_PROJECTS]
                    owned: dict[str, list[Document]] = {key: [] for key in chunk}
                    for doc in store.query("work_item", owners=chunk):
                        owned[str(doc.owner)].append(doc)
                    docs = [doc for key in chunk for doc in owned.pop(key)]
                    yield from _outgoing("work_item", docs, source_keys)
            for kind in (*STORE_KINDS, *self.plugin_kinds()):
                if kind not in wanted or kind in _EXPORTED_FIRST:
                    continue
                if scope is None:
                    # The whole workspace: records of no entity (a resource pool) too.
                    for docs in _batches(store.query(kind), EXPORT_BATCH):
                        yield from _outgoing(kind, docs, source_keys)
                    continue
                # The scope's records, by owner, a chunk of owners at a time.
                for start in range(0, len(in_scope), EXPORT_CHUNK_PROJECTS):
                    chunk = in_scope[start : start + EXPORT_CHUNK_PROJECTS]
                    for docs in _batches(store.query(kind, owners=chunk), EXPORT_BATCH):
                        yield from _outgoing(kind, docs, source_keys)


def _source_keys(store: Any, connector: str) -> Iterator[tuple[str, str]]:
    """``("<kind>:<local key>", source key)`` for the records of the kinds others refer to
    that came in through ``connector``."""
    prefixes = tuple(f"{connector}:{kind}:" for kind in ITEM_TARGET_KINDS)
    for ref_id, target, remote_id in store.values(
        ExternalRef.store_kind, ["@id", "target", "remote_id"]
    ):
        if str(ref_id).startswith(prefixes):
            kind = str(ref_id)[len(connector) + 1 :].partition(":")[0]
            yield f"{kind}:{target}", str(remote_id)


def _batches(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _outgoing(kind: str, docs: list[Document], source_keys: ScratchMap) -> Iterator[SourceItem]:
    """``docs`` (of ``kind``) as items to write, under their source keys and naming the
    records they refer to by theirs."""
    refs = item_references(kind, (doc.data for doc in docs))
    own = [f"{kind}:{doc.id}" for doc in docs] if kind in ITEM_TARGET_KINDS else []
    keys = source_keys.get_many([*own, *refs]) if own or refs else {}
    for doc in docs:
        yield SourceItem(
            kind=kind,
            remote_id=keys.get(f"{kind}:{doc.id}", doc.id),
            data=with_source_keys(kind, doc.data, keys) if keys else doc.data,
        )


def changed_records(counts: Mapping[str, int]) -> int:
    """The records an import wrote, from its counts (created, updated and archived)."""
    return sum(counts.get(op, 0) for op in ("create", "update", "archive"))


def source_of(location: str) -> str:
    """The name a source is known by on its records' references: a URL without its
    credentials, or a file's absolute path (so ``./a.csv`` and ``a.csv`` are one source).

    Example::

        source_of("https://bot:s3cret@redmine.example/")  # 'https://redmine.example'
        source_of("exports/portfolio.csv")  # '/home/pmo/exports/portfolio.csv'
    """
    if "://" in location:
        masked = redact(location)
        # With or without credentials, with or without a final slash: one source.
        scheme, _, rest = masked.partition("://")
        return f"{scheme}://{rest.removeprefix(MASK + '@')}".rstrip("/")
    return os.path.abspath(location)


def _read(connector: PmoConnector, request: ConnectorRequest) -> Iterator[SourceItem]:
    """The connector's items as it reads them, its failures said in the import's words."""
    assert connector.read is not None
    try:
        yield from connector.read(request)
    except InvalidInputError:
        raise
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        raise InvalidInputError(
            f"cannot read: {exc.strerror or exc}", where=redact(request.location)
        ) from None
    except PLUGIN_FAILURES as exc:
        raise PluginError(
            f"connector {connector.name!r} failed reading {redact(request.location)}: "
            f"{describe(exc)}",
            plugin=connector.plugin,
        ) from exc
