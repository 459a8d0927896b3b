"""The workspace, host and CLI fixtures of the testing kit.

pmo-core itself is imported inside the fixtures, not here: pytest loads the testing kit in
every run in the environment, and most of those runs never use it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pytest

from ._clock import PmoClock

if TYPE_CHECKING:
    from .._plugins.host import PluginHost
    from .._store.protocol import Store
    from .._workspace import Workspace


def _isolate_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The plugin index and the CLI's command cache are per environment; a test must neither
    # read a stale one nor leave one behind in the user's home.
    if not os.environ.get("PMO_CACHE_DIR", "").startswith(str(tmp_path)):
        monkeypatch.setenv("PMO_CACHE_DIR", str(tmp_path / "pmo-cache"))


@pytest.fixture
def pmo_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    """A SQLite workspace in ``tmp_path / "workspace"``, initialised as ``pmo init`` does:
    from the lightest profile the installed plugins offer (``starter`` with pmo-governance
    installed), else bare (pmo-core's built-ins only).

    ``PMO_CACHE_DIR`` points into ``tmp_path``. The workspace is open during the test and
    closed afterwards; :func:`pmo_workspace_factory` makes workspaces with chosen plugins.

    Example::

        def test_create(pmo_workspace):
            pmo_workspace.create("project", id="P1", name="Alpha")
            assert pmo_workspace.get("P1").name == "Alpha"
    """
    from .._services.plugins import profiles
    from .._workspace import Workspace

    _isolate_cache(tmp_path, monkeypatch)
    offered = profiles()
    ws = Workspace.init(tmp_path / "workspace", profile=offered[0].name if offered else None)
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def pmo_memory_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    """A workspace on the in-memory store with no plugin enabled (pmo-core's built-ins only).

    Example::

        def test_hierarchy(pmo_memory_workspace):
            ws = pmo_memory_workspace
            ws.create("portfolio", id="PF", name="Digital")
            ws.create("project", id="P1", name="Alpha", parent="PF")
    """
    from .._workspace import Workspace

    _isolate_cache(tmp_path, monkeypatch)
    ws = Workspace.in_memory(root=tmp_path)
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def pmo_clock() -> PmoClock:
    """A :class:`PmoClock` the test moves, starting on Monday 6 January 2025 at 09:00 UTC.

    Requesting it makes :func:`pmo_workspace_factory` use it: the status date of every
    workspace it makes is ``pmo_clock.today()`` (unless ``today=`` says otherwise) and the
    store stamps each change with the clock's time, so ``ws.view(as_of=...)`` reads the
    workspace as known at a moment the test chose.

    Example::

        from datetime import date

        def test_status_date_follows_the_clock(pmo_clock, pmo_workspace_factory):
            ws = pmo_workspace_factory()
            assert ws.today() == date(2025, 1, 6)
            pmo_clock.set(date(2025, 3, 31))
            assert ws.today() == date(2025, 3, 31)
    """
    return PmoClock()


@pytest.fixture
def pmo_workspace_factory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Workspace]]:
    """Make workspaces with chosen plugins; every one is closed after the test.

    Call it with ``plugins={id: module_or_object}`` (registered directly, as an embedder
    would), ``enabled=[...]`` (installed plugin ids or distribution names), ``store="sqlite"``
    (a fresh directory with a ``pmo.toml`` under ``tmp_path``), ``"memory"`` or a store
    object (``MemoryStore(clock=...)``, a backend under test), ``today=date(...)`` or a
    callable returning the date (the status date; a test that requests :func:`pmo_clock`
    gets the clock's date, and stores stamped with its time), ``governance_model=``
    (default: the neutral model, under which every rule keeps its own level),
    ``methodology=``, ``strict=``,
    ``order=``, ``name=``, ``actor=``, ``settings={table: {key: value}}`` (the
    ``[settings]`` tables of ``pmo.toml``) and ``rules={rule: {"level": ..., key: value,
    "scopes": {KEY: {...}}}}`` (its ``[governance.rules]`` tables). The plugin host is built
    the way :meth:`Workspace.open <pmo_core.Workspace.open>` builds it: ``pmo.toml`` plus
    the ``PMO_*`` environment.

    Example::

        from datetime import date

        from pmo_core import PmoGovernanceRule, hookimpl

        class BudgetRule:
            @hookimpl
            def pmo_governance_rules(self):
                yield PmoGovernanceRule(
                    name="budget-named",
                    level="block",
                    check=lambda ctx: None if ctx.entity.budget else "no budget",
                )

        def test_rule_blocks_without_a_budget_only(pmo_workspace_factory):
            ws = pmo_workspace_factory(plugins={"mine": BudgetRule()}, today=date(2025, 3, 31))
            ws.create("project", id="P1", name="Alpha")
            ws.create("project", id="P2", name="Beta", budget="100 EUR")
            blocking = [(f.entity, f.rule, f.message) for f in ws.check() if f.blocking]
            assert blocking == [("P1", "budget-named", "no budget")]
            assert not any(f.error for f in ws.check())  # the rule ran: nothing failed closed
    """
    from .._config import PluginsTable, WorkspaceConfig, WorkspaceTable, render_config
    from .._locate import CONFIG_FILE, DATA_DIR
    from .._plugins.host import PluginHost
    from .._plugins.policy import HostPolicy
    from .._workspace import Workspace

    _isolate_cache(tmp_path, monkeypatch)
    made: list[Workspace] = []

    def make(
        *,
        plugins: Mapping[str, object] | None = None,
        enabled: Iterable[str] = (),
        store: Literal["sqlite", "memory"] | Store = "sqlite",
        today: date | Callable[[], date] | None = None,
        governance_model: str | None = None,
        methodology: str | None = None,
        strict: bool = False,
        order: Sequence[str] = (),
        name: str | None = None,
        actor: str = "tester",
        settings: Mapping[str, Mapping[str, Any]] | None = None,
        rules: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> Workspace:
        clock: PmoClock | None = (
            request.getfixturevalue("pmo_clock") if "pmo_clock" in request.fixturenames else None
        )
        given: Store | None = None
        if not isinstance(store, str):
            given, store = store, "memory"
        elif clock is not None and store == "memory":
            from .._store.memory import MemoryStore

            given = MemoryStore(clock=clock)
        root = tmp_path / f"workspace-{len(made) + 1}"
        table = WorkspaceTable(name=name or root.name, methodology=methodology)
        if governance_model:
            table = table.model_copy(update={"governance_model": governance_model})
        plugins_table = PluginsTable(enabled=tuple(enabled), order=tuple(order), strict=strict)
        if store == "memory":
            config = WorkspaceConfig.from_dict(
                root,
                {
                    "workspace": table.model_copy(update={"store": "memory://"}),
                    "plugins": plugins_table,
                    "settings": {k: dict(v) for k, v in (settings or {}).items()},
                    "governance": {"rules": dict(rules or {})},
                },
            )
        elif store == "sqlite":
            root.mkdir(parents=True)
            (root / DATA_DIR).mkdir()
            (root / CONFIG_FILE).write_text(
                render_config(
                    name=table.name,
                    enabled=list(plugins_table.enabled),
                    governance_model=governance_model,
                    methodology=methodology,
                    settings=settings,
                    rules=rules,
                ),
                encoding="utf-8",
            )
            config = WorkspaceConfig.load(root)
            config = config.model_copy(update={"plugins": plugins_table})
        else:
            raise ValueError(f"store must be 'sqlite' or 'memory', not {store!r}")
        # The host Workspace.open builds from pmo.toml and the environment, plus the directly
        # registered plugin objects.
        host = PluginHost(HostPolicy.for_workspace(config), plugins=plugins)
        status_date = (lambda: today) if isinstance(today, date) else today
        if status_date is None and clock is not None:
            status_date = clock.today
        if store == "sqlite" and clock is not None:
            from .._store.sqlite import open_sqlite

            given = open_sqlite(config.store_url(os.environ), clock, create=True)
        ws = Workspace(config, host=host, store=given, today=status_date, actor=actor)
        made.append(ws)
        if store == "sqlite" and given is None:
            # The factory makes a new workspace, as Workspace.init does: it creates the store
            # (opening one later never does).
            ws._open_store(create=True)
        return ws

    try:
        yield make
    finally:
        for ws in made:
            ws.close()


@pytest.fixture
def pmo_host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., PluginHost]:
    """Build and load a :class:`~pmo_core.PluginHost` with chosen plugins.

    ``pmo_host(plugins={id: obj}, enabled=[...], strict=False, **options)``: ``plugins`` are
    registered directly, ``enabled`` are installed plugins (ids or distribution names) to
    load; other options (``order``, ``allow``, ``deny``, ``trace``, ``index``, ``builtins``)
    go to the host. With ``strict=True`` a failing plugin raises
    :class:`~pmo_core.PluginError` here.

    Example::

        from pmo_core import PmoReport, ReportOutput, hookimpl

        class MyReports:
            @hookimpl
            def pmo_reports(self):
                yield PmoReport(
                    name="my-report",
                    scopes=("project",),
                    formats=("txt",),
                    render=lambda request: ReportOutput(
                        content="hello\\n", media_type="text/plain"
                    ),
                )

        def test_report_registered(pmo_host):
            host = pmo_host(plugins={"mine": MyReports()})
            assert host.status("mine").state == "loaded"
            assert "my-report" in [r.name for r in host.records(PmoReport)]
    """
    from .._plugins.host import PluginHost

    _isolate_cache(tmp_path, monkeypatch)

    def make(
        *,
        plugins: Mapping[str, object] | None = None,
        enabled: Iterable[str] = (),
        strict: bool = False,
        **options: Any,
    ) -> PluginHost:
        host = PluginHost(plugins=plugins, enabled=enabled, strict=strict, **options)
        host.statuses()  # load and collect every hook now, so strict mode raises here
        return host

    return make


@dataclass(frozen=True)
class CliResult:
    """The outcome of a ``pmo`` command run by the :func:`pmo_cli` fixture.

    ``output`` is what the command wrote to stdout, ``stderr`` what it wrote to stderr,
    ``exception`` an exception that escaped the command (``SystemExit`` excluded).

    Example::

        def test_project_list(pmo_cli, pmo_workspace):
            pmo_workspace.create("project", id="P1", name="Alpha")
            result = pmo_cli("project", "list", "--json", workspace=pmo_workspace)
            assert result.exit_code == 0, result.stderr
            assert [p["id"] for p in result.json()] == ["P1"]
    """

    exit_code: int
    output: str
    stderr: str
    exception: BaseException | None = None

    def assert_ok(self) -> CliResult:
        """Fail, showing both streams, unless the command exited 0; return the result.

        Example::

            def test_listed(pmo_cli, pmo_workspace):
                result = pmo_cli("project", "list", "--json", workspace=pmo_workspace)
                assert result.assert_ok().json() == []
        """
        if self.exit_code != 0:
            raise AssertionError(
                f"exited {self.exit_code}, expected 0\nstdout:\n{self.output}\n"
                f"stderr:\n{self.stderr}"
            )
        return self

    def assert_error(self, needle: str, *, code: int = 2) -> CliResult:
        """Fail unless the command exited ``code`` with one line on stderr, ``error: ...``
        holding ``needle``, as every pmo error is reported; return the result.

        Example::

            def test_unknown_project(pmo_cli, pmo_workspace):
                result = pmo_cli("project", "show", "NOPE", workspace=pmo_workspace)
                result.assert_error("NOPE", code=3)
        """
        lines = self.stderr.strip().splitlines()
        if (
            self.exit_code != code
            or len(lines) != 1
            or not lines[0].startswith("error: ")
            or needle not in lines[0]
        ):
            raise AssertionError(
                f"expected exit {code} and one line 'error: ...{needle}...' on stderr; "
                f"exited {self.exit_code}\nstdout:\n{self.output}\nstderr:\n{self.stderr}"
            )
        return self

    def json(self) -> Any:
        """Parse ``output`` as JSON (fails with the output shown when it is not JSON).

        Example::

            def test_plugins_as_json(pmo_cli, pmo_workspace):
                plugins = pmo_cli("plugins", "list", "--json", workspace=pmo_workspace).json()
                assert all("id" in plugin for plugin in plugins)
        """
        try:
            return json.loads(self.output)
        except ValueError as exc:
            raise AssertionError(
                f"output is not JSON ({exc}):\n{self.output}\nstderr:\n{self.stderr}"
            ) from None


#: The environment under which :func:`pmo_cli` runs commands: tables as a terminal of 160
#: columns shows them (the output is not a terminal, so they would be tab-separated).
TERMINAL_TABLES = {"PMO_TABLES": "aligned", "COLUMNS": "160"}


@pytest.fixture
def pmo_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliResult]:
    """Run ``pmo`` commands in-process through click's ``CliRunner``.

    ``pmo_cli(*args, workspace=ws_or_path, input=None, env=None)``: ``workspace`` (an open
    :class:`~pmo_core.Workspace` or a directory) is passed as ``--workspace``; ``input`` is
    fed to stdin; ``env`` adds environment variables. ``PMO_CACHE_DIR`` points into
    ``tmp_path``. Tables print as on a terminal 160 columns wide (``PMO_TABLES=aligned``,
    ``COLUMNS=160``); ``env={"PMO_TABLES": "tsv"}`` shows them as a pipe gets them.

    Example::

        def test_list(pmo_cli, pmo_workspace):
            pmo_workspace.create("project", id="P1", name="Alpha")
            result = pmo_cli("project", "list", "--json", workspace=pmo_workspace)
            assert result.exit_code == 0, result.stderr
            assert [p["id"] for p in result.json()] == ["P1"]
    """
    from click.testing import CliRunner

    _isolate_cache(tmp_path, monkeypatch)
    try:
        # click < 8.2 mixes stderr into the output unless told not to.
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg,unused-ignore]
    except TypeError:
        runner = CliRunner()

    def run(
        *args: str | os.PathLike[str],
        workspace: Workspace | str | os.PathLike[str] | None = None,
        input: str | bytes | None = None,
        env: Mapping[str, str] | None = None,
        catch_exceptions: bool = True,
    ) -> CliResult:
        from .._cli import cli
        from .._locate import CONFIG_FILE

        argv = [os.fspath(a) for a in args]
        if workspace is not None:
            root = Path(workspace if isinstance(workspace, (str, os.PathLike)) else workspace.root)
            if not (root / CONFIG_FILE).is_file():
                raise ValueError(
                    f"pmo_cli needs a workspace directory with a {CONFIG_FILE}; {root} has "
                    "none (an in-memory workspace cannot be reached from the CLI)"
                )
            argv = ["--workspace", str(root), *argv]
        result = runner.invoke(
            cli,
            argv,
            input=input,
            env={**TERMINAL_TABLES, **(env or {})},
            catch_exceptions=catch_exceptions,
            prog_name="pmo",
        )
        exception = None if isinstance(result.exception, SystemExit) else result.exception
        return CliResult(
            exit_code=result.exit_code,
            output=result.stdout,
            stderr=_stderr(result),
            exception=exception,
        )

    return run


def _stderr(result: Any) -> str:
    try:
        return str(result.stderr)
    except ValueError:  # click < 8.2 without a separate stderr stream
        return ""
