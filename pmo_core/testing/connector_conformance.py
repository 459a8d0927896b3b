"""The connector conformance suite: every connector proves the sync contract with the same
tests (items well formed, idempotency, dry run, round trip, changes, conflicts, deletions,
errors with their place, progress, secrets).

Subclass :class:`ConnectorConformance` in a test module (the name must start with
``Test``) and name your :class:`ConnectorSample` class in ``sample_type``: a small source
the tests read, change and break through the connector's own format, built over a fresh
temporary directory for each test. (A sample that needs more, a server or a token, comes
from a ``sample`` fixture you define instead.) Each test gets a fresh sample and a fresh
in-memory workspace with the sample's plugins.

Example::

    from pmo_core.testing import ConnectorConformance

    class TestMyConnector(ConnectorConformance):
        sample_type = MySample  # a ConnectorSample over files in the directory it is given
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import pytest

from pmo_core._errors import InvalidInputError

if TYPE_CHECKING:
    from pmo_core._workspace import Workspace

__all__ = ["ConnectorConformance", "ConnectorSample"]


class ConnectorSample(Protocol):
    """A small source in a connector's own format, which the suite changes and breaks.

    ``connector`` is the connector's name, ``plugins`` what to load for it (``{"csv":
    CsvPlugin()}``), ``location`` where the source is (a path or URL). ``record`` names one
    record of the source the suite edits: ``(kind, remote_id, field)``, a one-line text
    field that both the source and the workspace can change (a project's ``name``).
    ``expected`` counts the records a first import creates, per kind. A connector that
    writes gives ``export_to``, a location the suite exports to and reads back; for one that
    only reads, the suite checks that an export is refused.

    Example::

        import pmo_csv

        class CsvSample:
            connector = "csv"
            plugins = {"csv": pmo_csv}
            record = ("project", "ALPHA", "name")
            expected = {"portfolio": 1, "project": 2}

            def __init__(self, folder):
                self.location = str(folder)
                ...
    """

    connector: str
    plugins: Mapping[str, object]
    location: str
    record: tuple[str, str, str]
    expected: Mapping[str, int]

    def change(self, kind: str, remote_id: str, field: str, value: str) -> None:
        """Change one field of one record in the source."""
        ...

    def delete(self, kind: str, remote_id: str) -> None:
        """Remove one record from the source (it has no records under it)."""
        ...

    def deletable(self) -> tuple[str, str]:
        """A record the suite may delete: ``(kind, remote_id)``, with nothing under it."""
        ...

    def corrupt(self) -> str:
        """Break the source (truncate a file, malformed text...); return what the error's
        place starts with (the file's name or the URL)."""
        ...


class ConnectorConformance:
    """The tests every connector passes; subclass to run them with your ``sample``.

    The example is a complete test module, for a connector reading projects from a JSON
    object (it only reads, so the suite checks that an export is refused).

    Example::

        import json

        import pytest

        from pmo_core import InvalidInputError, PmoConnector, SourceItem, hookimpl
        from pmo_core.testing import ConnectorConformance


        def read(request):  # the connector under test: {"P-1": {"name": "Alpha"}, ...}
            try:
                with open(request.location, encoding="utf-8") as f:
                    projects = json.load(f)
            except ValueError as exc:
                raise InvalidInputError(f"not JSON: {exc}", where=request.location) from None
            for done, (key, data) in enumerate(projects.items(), start=1):
                yield SourceItem(kind="project", remote_id=key, data=data, where=request.location)
                request.progress(done, len(projects))


        class ProjectsJson:
            @hookimpl
            def pmo_connectors(self):
                yield PmoConnector(
                    name="projects-json", capabilities=frozenset({"read"}), read=read
                )


        class Sample:  # a ConnectorSample: a small source the suite changes and breaks
            connector = "projects-json"
            plugins = {"projects-json": ProjectsJson()}
            record = ("project", "P-1", "name")
            expected = {"project": 2}

            def __init__(self, folder):
                self.path = folder / "projects.json"
                self.location = str(self.path)
                self._save({"P-1": {"name": "Alpha"}, "P-2": {"name": "Beta"}})

            def _save(self, projects):
                self.path.write_text(json.dumps(projects), encoding="utf-8")

            def change(self, kind, remote_id, field, value):
                projects = json.loads(self.path.read_text(encoding="utf-8"))
                projects[remote_id][field] = value
                self._save(projects)

            def delete(self, kind, remote_id):
                projects = json.loads(self.path.read_text(encoding="utf-8"))
                del projects[remote_id]
                self._save(projects)

            def deletable(self):
                return ("project", "P-2")

            def corrupt(self):
                self.path.write_text("{", encoding="utf-8")
                return self.location


        class TestProjectsJson(ConnectorConformance):
            sample_type = Sample
    """

    #: The :class:`ConnectorSample` class, called with a fresh temporary directory for each
    #: test; leave it ``None`` and define a ``sample`` fixture to build the sample otherwise.
    sample_type: ClassVar[Callable[[Path], ConnectorSample] | None] = None

    @pytest.fixture
    def sample(self, tmp_path: Path) -> ConnectorSample:
        """A fresh sample: ``sample_type(tmp_path)``; override it for a sample that needs
        more than a directory (a server, a token).

        Example::

            @pytest.fixture
            def sample(self, redmine_server):
                return RedmineSample(redmine_server.url)
        """
        # Read off the class: a function stored there would otherwise bind as a method.
        make = next(
            (vars(c)["sample_type"] for c in type(self).__mro__ if vars(c).get("sample_type")),
            None,
        )
        if make is None:
            raise TypeError(
                f"{type(self).__name__}: set sample_type = YourSample (a ConnectorSample "
                "class taking a directory) or define a sample fixture"
            )
        return make(tmp_path)  # type: ignore[no-any-return]

    @pytest.fixture
    def workspace(self, sample: ConnectorSample) -> Iterator[Workspace]:
        """A fresh in-memory workspace with the sample's plugins.

        Example::

            def test_mine(self, workspace, sample):
                workspace.import_from(sample.connector, sample.location)
        """
        from pmo_core._workspace import Workspace  # the kit loads light; models when used

        with Workspace.in_memory(plugins=dict(sample.plugins)) as ws:
            yield ws

    @staticmethod
    def _key(ws: Workspace, sample: ConnectorSample, kind: str, remote_id: str) -> str:
        ref = ws.store.get("external_ref", f"{sample.connector}:{kind}:{remote_id}")
        assert ref is not None, f"no external reference for {kind} {remote_id!r}"
        return str(ref.data["target"])

    @staticmethod
    def _value(ws: Workspace, kind: str, key: str, field: str) -> Any:
        doc = ws.store.get(kind, key)
        assert doc is not None, f"no {kind} {key!r}"
        return doc.data.get(field)

    @staticmethod
    def _edit_here(ws: Workspace, kind: str, key: str, field: str, value: Any) -> None:
        doc = ws.store.get(kind, key)
        assert doc is not None
        with ws.transaction("edit here") as tx:
            tx.update(kind, key, {**doc.data, field: value}, expected_version=doc.version)

    def test_a_dry_run_writes_nothing_and_plans_what_the_import_does(
        self, workspace: Workspace, sample: ConnectorSample
    ) -> None:
        plan = workspace.import_from(sample.connector, sample.location, dry_run=True)
        assert workspace.journal() == []
        done = workspace.import_from(sample.connector, sample.location)
        assert plan.counts() == done.counts()
        created = {k: ops["create"] for k, ops in done.by_kind.items() if ops["create"]}
        for kind, count in sample.expected.items():
            assert created.get(kind) == count, (kind, created)

    def test_the_items_read_are_well_formed(
        self, workspace: Workspace, sample: ConnectorSample
    ) -> None:
        from pmo_core._domain import STORE_KINDS, model_for_kind
        from pmo_core._records.connectors import ConnectorRequest, PmoConnector
        from pmo_core._records.extensions import PmoStoreKind

        (connector,) = [
            c for c in workspace.host.records(PmoConnector) if c.name == sample.connector
        ]
        assert connector.read is not None, f"{sample.connector} cannot read"
        settings = workspace.settings(connector.name) if connector.settings else None
        request = ConnectorRequest(location=sample.location, settings=settings)
        items = list(connector.read(request))
        assert items, "the sample reads as nothing"
        # Kinds an import accepts: the domain's, and the plugins' own for a whole-workspace
        # connector; data uses the domain's field names (``planned_start``, not ``start``).
        own = {k.kind for k in workspace.host.records(PmoStoreKind)}
        kinds = {*STORE_KINDS, *(own if connector.plugin_kinds else ())}
        seen: set[tuple[str, str]] = set()
        for item in items:
            assert item.kind in kinds, f"{item.where or item.remote_id}: kind {item.kind!r}"
            assert item.remote_id, f"{item.where}: no remote id"
            assert (item.kind, item.remote_id) not in seen, f"{item.remote_id} read twice"
            seen.add((item.kind, item.remote_id))
            if item.kind in STORE_KINDS and not item.deleted:
                fields = set(model_for_kind(item.kind).model_fields)
                stray = sorted(set(item.data) - fields - {"id", "kind"})
                assert not stray, f"{item.where or item.remote_id}: not domain fields {stray}"

    def test_importing_twice_changes_nothing(
        self, workspace: Workspace, sample: ConnectorSample
    ) -> None:
        workspace.import_from(sample.connector, sample.location)
        before = len(workspace.journal())
        again = workspace.import_from(sample.connector, sample.location)
        counts = again.counts()
        assert (counts["create"], counts["update"], counts["archive"]) == (0, 0, 0)
        # Only the run itself is recorded.
        assert [e.kind for e in workspace.journal()[before:]] == ["sync_run"]

    def test_a_change_in_the_source_updates_the_record(
        self, workspace: Workspace, sample: ConnectorSample
    ) -> None:
        kind, remote_id, field = sample.record
        workspace.import_from(sample.connector, sample.location)
        sample.change(kind, remote_id, field, "Changed at the source")
        result = workspace.import_from(sample.connector, sample.location)
        key = self._key(workspace, sample, kind, remote_id)
        assert self._value(workspace, kind, key, field) == "Changed at the source"
        assert result.counts()["update"] >= 1

    def test_a_local_edit_survives_an_unchanged_source(
        self, workspace: Workspace, sample: ConnectorSample
    ) -> None:
        kind, remote_id, field = sample.record
        workspace.import_from(sample.connector, sample.location)
        key = self._key(workspace, sample, kind, remote_id)
        self._edit_here(workspace, kind, key, field, "Edited here")
        workspace.import_from(sample.connector, sample.location)
        assert self._value(workspace, kind, key, field) == "Edited here"

    @pytest.mark.parametrize(
        ("policy", "kept"),
        [("manual", "Edited here"), ("local-wins", "Edited here"), ("source-wins", "There")],
    )
    def test_a_field_changed_on_both_sides_follows_the_policy(
        self, workspace: Workspace, sample: ConnectorSample, policy: Any, kept: str
    ) -> None:
        kind, remote_id, field = sample.record
        workspace.import_from(sample.connector, sample.location)
        key = self._key(workspace, sample, kind, remote_id)
        self._edit_here(workspace, kind, key, field, "Edited here")
        sample.change(kind, remote_id, field, "There")

        result = workspace.import_from(sample.connector, sample.location, on_conflict=policy)

        assert self._value(workspace, kind, key, field) == kept
        assert result.conflict_count == 1
        (conflict,) = workspace.sync_conflicts(key, include_closed=True)
        assert (conflict.field, conflict.local, conflict.remote) == (field, "Edited here", "There")
        assert (conflict.status == "open") == (policy == "manual")

    def test_a_record_deleted_at_the_source_is_archived(
        self, workspace: Workspace, sample: ConnectorSample
    ) -> None:
        workspace.import_from(sample.connector, sample.location)
        kind, remote_id = sample.deletable()
        key = self._key(workspace, sample, kind, remote_id)
        sample.delete(kind, remote_id)

        result = workspace.import_from(sample.connector, sample.location, full=True)

        archived = [(i.kind, i.id) for i in result.items if i.op == "archive"]
        assert archived == [(kind, key)]
        doc = workspace.store.get(kind, key)
        assert doc is not None, "archived, never deleted"
        assert doc.data.get("archived") or doc.data.get("archived_on")

    def test_a_broken_source_is_refused_with_its_place_and_nothing_written(
        self, workspace: Workspace, sample: ConnectorSample
    ) -> None:
        where = sample.corrupt()
        for dry_run in (True, False):
            with pytest.raises(InvalidInputError) as caught:
                workspace.import_from(sample.connector, sample.location, dry_run=dry_run)
            places = [p.where for p in caught.value.problems] or [caught.value.where]
            assert all(p and p.startswith(where) for p in places), places
        assert workspace.journal() == []

    def test_progress_is_reported(self, workspace: Workspace, sample: ConnectorSample) -> None:
        heard: list[tuple[str, int, int | None]] = []
        workspace.import_from(
            sample.connector, sample.location, progress=lambda *call: heard.append(call)
        )
        reads = [(done, total) for phase, done, total in heard if phase == "read"]
        assert reads, "no progress reported"
        done, total = reads[-1]
        assert done == total
        assert done >= sum(sample.expected.values())
        assert heard[-1][0] != "read", "no phase after reading (the commit) reported"

    def test_an_export_reads_back_as_the_same_records(
        self, workspace: Workspace, sample: ConnectorSample
    ) -> None:
        target = getattr(sample, "export_to", None)
        workspace.import_from(sample.connector, sample.location)
        if target is None:
            # A connector that only reads says so when asked to write, and writes nothing.
            journal = len(workspace.journal())
            with pytest.raises(InvalidInputError, match="cannot write"):
                workspace.export_to(sample.connector, sample.location)
            assert len(workspace.journal()) == journal
            return
        workspace.export_to(sample.connector, target)
        with type(workspace).in_memory(plugins=dict(sample.plugins)) as other:
            other.import_from(sample.connector, target)
            mine, theirs = workspace.view(), other.view()
            assert _entities(theirs) == _entities(mine)
            for project in mine.projects():
                subjects = sorted(w.subject for w in mine.work_items(project.id))
                assert sorted(w.subject for w in theirs.work_items(project.id)) == subjects


def _entities(view: Any) -> list[tuple[str, str, str, Any]]:
    return sorted((e.kind, e.id, e.name, e.parent) for e in view.entities(include_archived=True))
