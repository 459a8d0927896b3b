"""Typed reads over a store: what rules, criteria, reports and the CLI look at.

A view turns stored documents into domain records on demand; bulk paths (roll-ups over every
work item) use :meth:`WorkspaceView.values`, which streams plain tuples from the store.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, TypeVar

from ._domain import (
    ENTITY_KINDS,
    Artifact,
    Baseline,
    BudgetLine,
    CostEntry,
    DomainModel,
    Entity,
    Forecast,
    GateDecision,
    LessonLearned,
    Milestone,
    RaidItem,
    Stakeholder,
    StatusReport,
    Waiver,
    WorkItem,
    ancestors_of,
    entity_class,
)
from ._errors import InvalidInputError, NotFoundError
from ._store.protocol import ANY, Document, OwnerFilter, ReadView, Store

if TYPE_CHECKING:
    from ._config import MetricsTable

M = TypeVar("M", bound=DomainModel)


# A kind asked for owner by owner more often than this in one view is read whole, once...
_BULK_AFTER = 32
# ...when it holds at most this many records (work items and cost entries of a large PMO
# are read per project, or through the bulk ``values`` path, instead).
_BULK_MAX = 100_000


class WorkspaceView:
    """Read-only, typed access to a workspace's records, now or as known at a moment.

    Two dates govern what it shows. ``status_date`` is the data date: what was planned, done,
    spent and reported *by* that day (cost entries, forecasts, status reports, baselines and
    decisions dated after it are left out; earned value is measured on it). ``known_at`` is
    the knowledge moment: the view reads the store as it was known then (the journal), or as
    it is now when ``None``. A month-end report made later uses the month end as its status
    date and today's knowledge; the same report reproduced exactly as issued also gives the
    moment it was issued.

    Example::

        view = ws.view()
        for project in view.projects(under="PF"):
            latest = view.latest_status(project.id)
            print(project.id, latest.overall if latest else "no report")
    """

    def __init__(
        self,
        source: Store | ReadView,
        *,
        status_date: date,
        known_at: datetime | None = None,
        metrics_config: MetricsTable | None = None,
        current: Store | None = None,
    ) -> None:
        self._source = source
        # The store as it is now, for a view of the past: a key that exists now but was not
        # known then is said to be too recent, not missing.
        self._current = current
        self.status_date = status_date
        self.known_at = known_at
        # The workspace's [metrics] table, so every reader of this view (a report, a rule,
        # the CLI) measures with the same settings; None: the defaults.
        self.metrics_config = metrics_config
        self._entities: dict[str, Entity] | None = None
        # Each entity's ancestors, and the keys below each entity: walked once per view, not
        # once per roll-up node per entity (a PMO of 10,000 projects has 100 nodes).
        self._ancestry: dict[str, tuple[str, ...]] = {}
        self._below: dict[str, set[str]] | None = None
        # Records of one kind asked for owner by owner (a rule run for every project): past
        # _BULK_AFTER asks the whole kind is read once and grouped by owner, when it holds at
        # most _BULK_MAX records (None: too many, keep asking owner by owner).
        self._asked: dict[str, int] = {}
        self._bulk: dict[str, dict[str, list[tuple[Any, Any]]] | None] = {}

    # -------------------------------------------------------------- entities

    def _all_entities(self) -> dict[str, Entity]:
        # Entities are few (thousands at most) and read by nearly every rule; load them once.
        if self._entities is None:
            found: dict[str, Entity] = {}
            for kind in ENTITY_KINDS:
                cls = entity_class(kind)
                for doc in self._source.query(kind):
                    found[doc.id] = cls.from_document(doc.data, doc.version)
            self._entities = found
        return self._entities

    def entity(self, id: str) -> Entity:
        """A portfolio, program or project by key; :class:`NotFoundError` if there is none.

        Example::

            view.entity("ALPHA").name  # 'Alpha'
        """
        found = self._all_entities().get(id)
        if found is None:
            raise self.not_found(id)
        return found

    def not_found(self, id: str, what: str = "portfolio, program or project") -> NotFoundError:
        """The error for a key this view does not have: in a view of the past, a key that
        exists now "did not exist yet" (not "no project"), and the message says how to read
        the past with what is known now.

        Example::

            raise view.not_found("BETA", "project")
            # NotFoundError: 'BETA' did not exist yet as known at the end of 2025-03-31: ...
        """
        if self.known_at is not None and self._exists_now(id):
            return NotFoundError(
                f"{id!r} did not exist yet{self.known_text()}: it was recorded later "
                "(--as-of reads the workspace as it was known then; for what is known now "
                "about an earlier day, use --status-date)"
            )
        return NotFoundError(f"no {what} {id!r}{self.known_text()}")

    def _exists_now(self, id: str) -> bool:
        current = self._current
        return current is not None and any(
            current.get(kind, id) is not None for kind in ENTITY_KINDS
        )

    def known_text(self) -> str:
        """How a message names the view's knowledge moment: ``""`` for a view of now, else
        `` as known at the end of 2025-03-31`` (or `` as known at 2025-04-02T09:00+00:00``).

        Example::

            ref = "3f2a"
            raise NotFoundError(f"no waiver {ref!r}{view.known_text()}")
        """
        return "" if self.known_at is None else f" as known {moment_text(self.known_at)}"

    def find(self, id: str) -> Entity | None:
        """A portfolio, program or project by key, or ``None``.

        Example::

            view.find("ALPHA") is None  # False once ALPHA exists
        """
        return self._all_entities().get(id)

    def entities(
        self,
        kind: str | None = None,
        *,
        under: str | None = None,
        include_archived: bool = False,
    ) -> list[Entity]:
        """Entities (optionally of one kind, optionally below ``under``), sorted by key.

        Example::

            [e.id for e in view.entities("program", under="PF")]
        """
        entities = self._all_entities()
        if under is None:
            items: Iterable[Entity] = entities.values()
        else:
            items = (entities[key] for key in self._keys_below().get(under, ()))
        out = [
            e
            for e in items
            if (kind is None or e.kind == kind) and (include_archived or not e.archived)
        ]
        return sorted(out, key=lambda e: e.id)

    def _keys_below(self) -> dict[str, set[str]]:
        if self._below is None:
            below: dict[str, set[str]] = {}
            for key in self._all_entities():
                for ancestor in self._ancestors_of(key):
                    below.setdefault(ancestor, set()).add(key)
            self._below = below
        return self._below

    def portfolios(self, *, include_archived: bool = False) -> list[Entity]:
        """Every portfolio, sorted by key.

        Example::

            [p.id for p in view.portfolios()]  # ['PF']
        """
        return self.entities("portfolio", include_archived=include_archived)

    def programs(self, *, under: str | None = None, include_archived: bool = False) -> list[Entity]:
        """Programs, optionally those below ``under``.

        Example::

            [p.id for p in view.programs(under="PF")]
        """
        return self.entities("program", under=under, include_archived=include_archived)

    def projects(self, *, under: str | None = None, include_archived: bool = False) -> list[Entity]:
        """Projects (sub-projects included), optionally those below ``under``.

        Example::

            len(view.projects(under="PF"))  # 4: ALPHA, BETA and the proposals CRM and DWH
        """
        return self.entities("project", under=under, include_archived=include_archived)

    def children(self, id: str) -> list[Entity]:
        """The direct children of an entity.

        Example::

            [c.id for c in view.children("PF")]  # ['BETA', 'CRM', 'DWH', 'ERP']
        """
        return sorted(
            (e for e in self._all_entities().values() if e.parent == id), key=lambda e: e.id
        )

    def ancestor_ids(self, id: str) -> list[str]:
        """The keys above an entity, nearest first (cycles are cut).

        Example::

            view.ancestor_ids("ALPHA")  # ['ERP', 'PF']
        """
        return list(self._ancestors_of(id))

    def _ancestors_of(self, id: str) -> tuple[str, ...]:
        found = self._ancestry.get(id)
        if found is None:
            entities = self._all_entities()
            found = self._ancestry[id] = tuple(
                ancestors_of(id, lambda key: entities[key].parent if key in entities else None)
            )
        return found

    def scope_keys(self, entity: str) -> frozenset[str]:
        """``entity`` and the keys below it (archived ones left out, as in every list).

        Example::

            view.scope_keys("ERP")  # frozenset({'ERP', 'ALPHA'})
        """
        return frozenset({self.entity(entity).id, *(e.id for e in self.entities(under=entity))})

    def ancestors(self, id: str) -> list[Entity]:
        """The entities above an entity, nearest first.

        Example::

            [a.kind for a in view.ancestors("ALPHA")]  # ['program', 'portfolio']
        """
        entities = self._all_entities()
        return [entities[a] for a in self._ancestors_of(id) if a in entities]

    # --------------------------------------------------------- child records

    def records(self, model: type[M], owner: str | None = None) -> list[M]:
        """Every record of one type, optionally of one owner, sorted by id.

        Example::

            view.records(Milestone, "ALPHA")
        """
        if owner is not None:
            bulk = self._owned_in_bulk(model, owner)
            if bulk is not None:
                return [record for record, _ in bulk]
        owner_filter: OwnerFilter = ANY if owner is None else owner
        return [
            model.from_document(doc.data, doc.version)
            for doc in self._source.query(model.store_kind, owner=owner_filter)
        ]

    def _owned_in_bulk(self, model: type[M], owner: str) -> list[tuple[M, Any]] | None:
        # The records of ``owner`` (with when each was written, in id order) from the kind
        # read whole, once it has been asked for owner by owner often enough; else None.
        kind = model.store_kind
        if kind not in self._bulk:
            asked = self._asked[kind] = self._asked.get(kind, 0) + 1
            if asked <= _BULK_AFTER:
                return None
            self._bulk[kind] = None
            if self._source.count(kind) <= _BULK_MAX:
                grouped: dict[str, list[tuple[Any, Any]]] = {}
                for doc in self._source.query(kind):
                    if doc.owner is not None:
                        record = model.from_document(doc.data, doc.version)
                        grouped.setdefault(doc.owner, []).append((record, doc.updated_at))
                self._bulk[kind] = grouped
        found = self._bulk[kind]
        return None if found is None else list(found.get(owner, ()))

    def get(self, model: type[M], id: str, *, owner: str | None = None) -> M | None:
        """The record of one type with exactly this id (and, when given, this owner), or
        ``None``; dates play no part (a caller asking for one record checks them).

        Example::

            item = view.get(RaidItem, "3f2a9c1b7d4e")
        """
        doc = self._source.get(model.store_kind, id)
        if doc is None or (owner is not None and doc.owner != owner):
            return None
        return model.from_document(doc.data, doc.version)

    def _in_write_order(self, model: type[M], owner: str) -> list[tuple[M, Any]]:
        # Records of one day are ordered by when they were written, not by their random ids.
        return self._by_owner(model, [owner])[owner]

    def _by_owner(
        self, model: type[M], owners: Collection[str], ids: Collection[str] | None = None
    ) -> dict[str, list[tuple[M, Any]]]:
        # The records of several owners (each with when it was written) from one query: of
        # one owner by its key, of many by the set of them (a chunk of a scope's projects
        # reads its own, not the whole kind), or among ``ids`` by those. Each owner's come
        # in id order, as a query of that owner alone gives them.
        found: dict[str, list[tuple[M, Any]]] = {owner: [] for owner in owners}
        if len(found) == 1:
            owner = next(iter(found))
            bulk = self._owned_in_bulk(model, owner) if ids is None else None
            if bulk is not None:
                return {owner: bulk}
            docs = self._source.query(model.store_kind, owner=owner, ids=ids)
        elif ids is None:
            docs = self._source.query(model.store_kind, owners=found)
        else:
            docs = self._source.query(model.store_kind, ids=ids)
        for doc in docs:
            mine = found.get(doc.owner) if doc.owner is not None else None
            if mine is not None:
                mine.append((model.from_document(doc.data, doc.version), doc.updated_at))
        return found

    def status_reports(self, entity: str, *, kind: str | None = "status") -> list[StatusReport]:
        """An entity's reports of one ``kind`` (``None``: every kind), oldest first.

        Example::

            [r.as_of for r in view.status_reports("ALPHA")]
            exceptions = view.status_reports("ALPHA", kind="exception")
        """
        return self._reports(self._in_write_order(StatusReport, entity), kind)

    def _reports(
        self, timed: Iterable[tuple[StatusReport, Any]], kind: str | None
    ) -> list[StatusReport]:
        kept = [
            (r, t)
            for r, t in timed
            if r.as_of <= self.status_date and (kind is None or r.kind == kind)
        ]
        return [r for r, _ in sorted(kept, key=lambda rt: (rt[0].as_of, rt[1], rt[0].id))]

    def latest_status(self, entity: str) -> StatusReport | None:
        """The newest status report of an entity on or before the view's date.

        Example::

            latest = view.latest_status("ALPHA")
            latest.overall if latest else "no report"
        """
        reports = self.status_reports(entity)
        return reports[-1] if reports else None

    def latest_statuses(self, entities: Collection[str]) -> dict[str, StatusReport | None]:
        """The newest status report of each of ``entities`` on or before the view's date
        (``None``: none), as :meth:`latest_status` finds it, from two bulk reads: the
        candidates' keys and days, then only the reports of each entity's latest day.

        Example::

            latest = view.latest_statuses([p.id for p in view.projects()])
            latest["ALPHA"].overall if latest["ALPHA"] else "no report"
        """
        wanted = set(entities)
        newest: dict[str, tuple[date, list[str]]] = {}
        fields = ["@owner", "@id", "as_of", "kind"]
        for owner, id, as_of, kind in self.values("status_report", fields):
            if owner not in wanted or as_of is None or (kind or "status") != "status":
                continue
            day = as_of if isinstance(as_of, date) else date.fromisoformat(str(as_of))
            if day > self.status_date:
                continue
            seen = newest.get(owner)
            if seen is None or day > seen[0]:
                newest[owner] = (day, [str(id)])
            elif day == seen[0]:
                seen[1].append(str(id))
        ids = [id for _, day_ids in newest.values() for id in day_ids]
        timed = self._by_owner(StatusReport, newest, ids=ids) if ids else {}
        out: dict[str, StatusReport | None] = dict.fromkeys(wanted)
        for owner, found in timed.items():
            reports = self._reports(found, "status")
            out[owner] = reports[-1] if reports else None
        return out

    def raid(
        self, entity: str | None = None, *, type: str | None = None, open_only: bool = False
    ) -> list[RaidItem]:
        """RAID items (of one entity, of one type, open only), sorted by id; those raised
        (a decision: decided) after the view's date are left out.

        Example::

            high = [r for r in view.raid("ALPHA", type="risk", open_only=True) if r.is_high]
        """
        items = self.records(RaidItem, entity)
        return [
            r
            for r in items
            if (type is None or r.type == type)
            and (not open_only or r.status == "open")
            and not self.after(raid_day(r))
        ]

    def raid_log(
        self, entity: str | None = None, *, type: str | None = None, open_only: bool = False
    ) -> list[RaidItem]:
        """The RAID log of ``entity`` and everything below it (or of the whole workspace),
        as ``pmo raid list`` shows it: with the items escalated to the scope and the
        dependencies others have on it; high risks and issues first, then by score; with
        ``type="decision"`` the decisions log, oldest decision first.

        Example::

            [(d.decided_on, d.title) for d in view.raid_log("PF", type="decision")]
        """
        items = self.raid(type=type, open_only=open_only)
        if entity is not None:
            keys = self.scope_keys(entity)
            items = [
                i
                for i in items
                if i.entity in keys
                or i.escalated_to in keys
                or (i.type == "dependency" and i.depends_on in keys)
            ]
        if type == "decision":
            # The decisions log reads as a history: oldest decision first.
            return sorted(items, key=lambda i: (i.decided_on or i.raised_on or date.min, i.id))
        return sorted(
            items,
            key=lambda i: (i.status != "open", not i.is_high, -(i.score or 0), i.entity, i.id),
        )

    def change_requests(
        self, entity: str | None = None, *, open_only: bool = False
    ) -> list[RaidItem]:
        """The change requests of ``entity`` and below it (or of the workspace), oldest
        first; with ``open_only``, those still waiting for a decision.

        Example::

            [(c.id, c.title, c.approved) for c in view.change_requests("ALPHA")]
        """
        items = self.raid_log(entity, type="change", open_only=open_only)
        return sorted(items, key=lambda i: (i.raised_on or date.min, i.entity, i.id))

    def artifacts(self, entity: str) -> list[Artifact]:
        """An entity's artifacts (management products).

        Example::

            [(a.name, a.status) for a in view.artifacts("ALPHA")]
        """
        return self.records(Artifact, entity)

    def artifact_approved(self, entity: str, name: str) -> bool:
        """Whether the entity has an approved artifact called ``name``.

        Example::

            view.artifact_approved("ALPHA", "project-brief")  # True
        """
        return any(a.name == name and a.status == "approved" for a in self.artifacts(entity))

    def milestones(self, project: str) -> list[Milestone]:
        """A project's milestones.

        Example::

            [(m.name, m.due) for m in view.milestones("ALPHA")]
        """
        return sorted(
            (m for m in self.records(Milestone, project) if not self._archived(m.archived_on)),
            key=lambda m: (m.due or date.max, m.id),
        )

    def work_items(self, project: str) -> list[WorkItem]:
        """A project's work items by planned start, then due date (validated records; use
        :meth:`values` for bulk reads).

        Example::

            sum(w.percent_complete for w in view.work_items("ALPHA"))
        """
        return sorted(
            (w for w in self.records(WorkItem, project) if not self._archived(w.archived_on)),
            key=lambda w: (w.start or date.max, w.due or date.max, w.subject.casefold(), w.id),
        )

    def _archived(self, archived_on: date | None) -> bool:
        # Archived by a sync on or before the view's date: gone from lists and figures.
        return archived_on is not None and not self.after(archived_on)

    def baselines(self, project: str) -> list[Baseline]:
        """A project's baselines taken on or before the view's date, by number.

        Example::

            view.baselines("ALPHA")[-1].number  # the latest baseline
        """
        return self.baselines_of([project])[project]

    def baselines_of(self, projects: Collection[str]) -> dict[str, list[Baseline]]:
        """:meth:`baselines` of each of ``projects``, from one read however many they are.

        Example::

            taken = view.baselines_of(["ALPHA", "BETA"])
            taken["ALPHA"][-1].number
        """
        return {
            project: sorted(
                (b for b, _ in found if not self.after(b.taken_on)), key=lambda b: b.number
            )
            for project, found in self._by_owner(Baseline, projects).items()
        }

    def budget_lines(self, project: str) -> list[BudgetLine]:
        """A project's budget lines.

        Example::

            [str(b.amount) for b in view.budget_lines("ALPHA")]
        """
        return self.records(BudgetLine, project)

    def cost_entries(self, project: str) -> list[CostEntry]:
        """A project's actual cost entries incurred up to the view's date, oldest first.

        Example::

            [(c.incurred_on, str(c.amount)) for c in view.cost_entries("ALPHA")]
        """
        return self.cost_entries_of([project])[project]

    def cost_entries_of(self, projects: Collection[str]) -> dict[str, list[CostEntry]]:
        """:meth:`cost_entries` of each of ``projects``, from one read however many they are.

        Example::

            booked = view.cost_entries_of(["ALPHA", "BETA"])
            sum(c.amount.amount for c in booked["BETA"])
        """
        return {
            project: sorted(
                (
                    c
                    for c, _ in found
                    if not self.after(c.incurred_on) and not self._archived(c.archived_on)
                ),
                key=lambda c: (c.incurred_on, c.id),
            )
            for project, found in self._by_owner(CostEntry, projects).items()
        }

    def forecasts(self, project: str) -> list[Forecast]:
        """A project's forecasts made on or before the view's date, oldest first; those of
        one day in the order they were written, so the last is the latest. They include the
        forecasts of single work items (``work_item`` set).

        Example::

            latest = [f for f in view.forecasts("ALPHA") if f.work_item is None][-1]
            latest.eac, latest.finish
        """
        return self.forecasts_of([project])[project]

    def forecasts_of(self, projects: Collection[str]) -> dict[str, list[Forecast]]:
        """:meth:`forecasts` of each of ``projects``, from one read however many they are.

        Example::

            made = view.forecasts_of(["ALPHA", "BETA"])
            [f.eac for f in made["ALPHA"]]
        """
        out: dict[str, list[Forecast]] = {}
        for project, found in self._by_owner(Forecast, projects).items():
            timed = [(f, t) for f, t in found if f.as_of <= self.status_date]
            out[project] = [
                f for f, _ in sorted(timed, key=lambda ft: (ft[0].as_of, ft[1], ft[0].id))
            ]
        return out

    def gate_decisions(self, entity: str) -> list[GateDecision]:
        """An entity's gate decisions taken on or before the view's date, oldest first.

        Example::

            [(d.gate, d.decision) for d in view.gate_decisions("ALPHA")]
        """
        timed = [
            (d, t)
            for d, t in self._in_write_order(GateDecision, entity)
            if d.decided_on <= self.status_date
        ]
        return [d for d, _ in sorted(timed, key=lambda dt: (dt[0].decided_on, dt[1], dt[0].id))]

    def stakeholders(self, entity: str) -> list[Stakeholder]:
        """An entity's stakeholders.

        Example::

            [s.name for s in view.stakeholders("ALPHA")]
        """
        return self.records(Stakeholder, entity)

    def lessons(self, entity: str | None = None) -> list[LessonLearned]:
        """Lessons learned (of one entity, or all), but those recorded after the view's date.

        Example::

            [lesson.recommendation for lesson in view.lessons()]
        """
        return [x for x in self.records(LessonLearned, entity) if not self.after(x.recorded_on)]

    def waivers(self, entity: str | None = None, *, include_ended: bool = False) -> list[Waiver]:
        """The waivers in force on the view's date (of ``entity``, or everywhere), by entity
        and grant date; with ``include_ended``, the expired and revoked ones too. Waivers
        granted after the view's date are left out.

        Example::

            [(w.kind, w.target, w.expires_on) for w in view.waivers("ALPHA")]
        """
        if entity is not None:
            self.entity(entity)
        found = [w for w in self.records(Waiver, entity) if not self.after(w.granted_on)]
        if not include_ended:
            found = [w for w in found if w.active_on(self.status_date)]
        return sorted(found, key=lambda w: (w.entity, w.granted_on, w.id))

    def after(self, day: date | None) -> bool:
        """Whether ``day`` is after the view's date (a record dated then is left out);
        ``False`` for an undated record.

        Example::

            [m for m in view.milestones("ALPHA") if not view.after(m.completed_on)]
        """
        return day is not None and day > self.status_date

    def values(
        self,
        kind: str,
        fields: Sequence[str],
        *,
        owner: str | None = None,
        owners: Collection[str] | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Stream chosen fields of every record of ``kind`` as tuples, in id order (the bulk
        path): of one ``owner``, of any of ``owners`` (one read for a chunk of projects; give
        one or the other, not both), or of every owner.

        Example::

            for budget, pct in view.values("work_item", ["budget.amount", "percent_complete"],
                                           owner="ALPHA"):
                ...
            rows = view.values("work_item", ["@owner", "budget.amount"], owners=["ALPHA", "BETA"])
        """
        if owner is not None and owners is not None:
            # Said when asked, not when the rows are first read.
            raise InvalidInputError(f"give owner= or owners=, not both (owner={owner!r})")
        owner_filter: OwnerFilter = ANY if owner is None else owner
        # Only a read of a set passes owners=, so a backend written before it reads the rest.
        chosen: dict[str, Any] = {"owner": owner_filter} if owners is None else {"owners": owners}
        return self._values(kind, fields, chosen)

    def _values(
        self, kind: str, fields: Sequence[str], chosen: dict[str, Any]
    ) -> Iterator[tuple[Any, ...]]:
        values = getattr(self._source, "values", None)
        if values is not None:
            yield from values(kind, fields, **chosen)
            return
        # An as-of view has no bulk path: read documents and pick the fields.
        for doc in self._source.query(kind, **chosen):
            yield tuple(_pick(doc, f) for f in fields)


def moment_text(moment: datetime) -> str:
    """``at the end of 2025-03-31`` for the end of a day (what ``--as-of`` with a date
    means), else ``at 2025-04-02T09:00+00:00``."""
    if moment.timetz().replace(tzinfo=None) == time.max:
        return f"at the end of {moment.date().isoformat()}"
    return f"at {moment.isoformat(timespec='minutes')}"


def raid_day(item: RaidItem) -> date | None:
    """The day a RAID item dates from: a decision's ``decided_on``, else ``raised_on``."""
    if item.type == "decision" and item.decided_on is not None:
        return item.decided_on
    return item.raised_on


def _pick(doc: Document, field: str) -> Any:
    # Mirror Store.values exactly (ISO text for times, compact JSON text for objects and
    # lists), so a report sees the same types in a past view as in today's.
    if field.startswith("@"):
        value = getattr(doc, field[1:], None)
        return value.isoformat() if isinstance(value, datetime) else value
    value = doc.data
    for part in field.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return value
