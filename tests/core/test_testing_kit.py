"""The testing kit itself: fixtures, factories, validators and the fake distribution."""

from __future__ import annotations

import importlib.metadata
import itertools
import os
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import pmo_core.testing
from pmo_core import (
    InvalidInputError,
    PluginError,
    PluginHost,
    PmoReport,
    ReportOutput,
    Workspace,
    hookimpl,
)
from pmo_core.testing import (
    CliResult,
    FakeDistribution,
    MemoryStore,
    StoreConformance,
    assert_valid_plugin,
    check_plugin,
    make_portfolio,
    make_program,
    make_project,
    make_risk,
    make_status_report,
    make_work_item,
)

pytest_plugins = ["pytester"]

Install = Callable[..., FakeDistribution]
MakeWorkspace = Callable[..., Workspace]
MakeHost = Callable[..., PluginHost]
RunCli = Callable[..., CliResult]


def _render(request: Any) -> ReportOutput:
    return ReportOutput(content="ok", media_type="text/plain")


class GoodPlugin:
    @hookimpl
    def pmo_reports(self) -> Any:
        yield PmoReport(name="good", scopes=("pmo",), formats=("md",), render=_render)


# ---------------------------------------------------------------------------- fixtures


@pytest.mark.plugins("pmo-governance", "pmo-reports", "pmo-csv")  # the starter profile
def test_pmo_workspace_is_an_initialised_starter_workspace(
    pmo_workspace: Workspace, tmp_path: Path
) -> None:
    assert pmo_workspace.root == (tmp_path / "workspace").resolve()
    assert pmo_workspace.config.enabled == ("governance", "reports", "csv")
    assert pmo_workspace.config.store.startswith("sqlite:")
    assert (pmo_workspace.root / ".pmo" / "pmo.db").is_file()
    assert os.environ["PMO_CACHE_DIR"].startswith(str(tmp_path))
    pmo_workspace.create("project", id="P1", name="Alpha")
    assert pmo_workspace.get("P1").name == "Alpha"


def test_pmo_memory_workspace(pmo_memory_workspace: Workspace) -> None:
    assert pmo_memory_workspace.config.store == "memory://"
    assert [s.id for s in pmo_memory_workspace.host.statuses() if s.enabled] == ["pmo-core"]
    make_project("P1", workspace=pmo_memory_workspace)
    assert [p.id for p in pmo_memory_workspace.view().projects()] == ["P1"]


@pytest.mark.parametrize("store", ["sqlite", "memory"])
def test_pmo_workspace_factory_options(pmo_workspace_factory: MakeWorkspace, store: str) -> None:
    ws = pmo_workspace_factory(
        plugins={"good": GoodPlugin()},
        store=store,
        today=date(2025, 6, 30),
        governance_model="directive",
        methodology="stage-gate",
        actor="ana",
    )

    assert ws.today() == date(2025, 6, 30)
    assert (ws.config.governance_model, ws.config.methodology) == ("directive", "stage-gate")
    assert ws.config.store.partition(":")[0] == store
    assert [r.name for r in ws.host.records(PmoReport)] == ["good"]
    created = make_project("P1", workspace=ws)
    assert created.methodology == "stage-gate"  # the workspace default applies
    assert ws.journal()[0].actor == "ana"
    assert ws.report("good").content == "ok"


def test_pmo_workspace_factory_makes_separate_workspaces(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    one, two = pmo_workspace_factory(), pmo_workspace_factory(today=lambda: date(2024, 1, 1))

    assert one.root != two.root
    assert two.today() == date(2024, 1, 1)
    with pytest.raises(ValueError, match="store must be"):
        pmo_workspace_factory(store="postgres")


def test_pmo_workspace_factory_enables_installed_plugins(
    pmo_workspace_factory: MakeWorkspace, fake_distribution: Install
) -> None:
    fake_distribution("pmo-kit-alpha", "from pmo_core import hookimpl\n")

    ws = pmo_workspace_factory(enabled=["pmo-kit-alpha"], strict=True)

    assert ws.config.enabled == ("pmo-kit-alpha",)
    assert ws.host.status("kit-alpha").state == "loaded"
    assert ws.config.strict


def test_pmo_host(pmo_host: MakeHost) -> None:
    host = pmo_host(plugins={"good": GoodPlugin()})

    assert host.loaded
    assert host.status("good").state == "loaded"
    assert host.status("good").hooks == ("pmo_reports",)


def test_pmo_host_strict_raises_on_a_bad_plugin(pmo_host: MakeHost) -> None:
    class Raising:
        @hookimpl
        def pmo_reports(self) -> Any:
            raise LookupError("no template")

    assert pmo_host(plugins={"bad": Raising()}).status("bad").state == "failed"
    with pytest.raises(PluginError, match="no template"):
        pmo_host(plugins={"bad": Raising()}, strict=True)


def test_pmo_cli_runs_commands_in_a_workspace(pmo_cli: RunCli, pmo_workspace: Workspace) -> None:
    make_project("P1", workspace=pmo_workspace)

    result = pmo_cli("project", "list", "--json", workspace=pmo_workspace)

    assert result.exit_code == 0, result.stderr
    assert [p["id"] for p in result.json()] == ["P1"]
    by_path = pmo_cli("project", "list", "--json", workspace=pmo_workspace.root)
    assert by_path.json() == result.json()


def test_pmo_cli_reports_errors_on_stderr(pmo_cli: RunCli, pmo_workspace: Workspace) -> None:
    result = pmo_cli("project", "show", "NOPE", workspace=pmo_workspace)

    assert result.exit_code == 3  # NotFoundError
    assert result.stderr.startswith("error: ")
    assert "NOPE" in result.stderr
    assert result.output == ""
    with pytest.raises(AssertionError, match="not JSON"):
        result.json()


def test_cli_result_assert_ok_and_assert_error() -> None:
    good = CliResult(exit_code=0, output="[]", stderr="")
    assert good.assert_ok() is good
    failed = CliResult(exit_code=3, output="", stderr="error: no project 'NOPE'\n")
    assert failed.assert_error("NOPE", code=3) is failed
    with pytest.raises(AssertionError, match="exited 3, expected 0"):
        failed.assert_ok()
    with pytest.raises(AssertionError, match="expected exit 2"):
        failed.assert_error("NOPE")  # the wrong exit code
    with pytest.raises(AssertionError):
        failed.assert_error("ALPHA", code=3)  # not in the message
    with pytest.raises(AssertionError):
        good.assert_error("", code=0)  # nothing on stderr
    two = CliResult(exit_code=2, output="", stderr="error: a\nerror: b\n")
    with pytest.raises(AssertionError):
        two.assert_error("a")  # an error is one line
    traceback = CliResult(exit_code=2, output="", stderr="Traceback: NOPE\n")
    with pytest.raises(AssertionError):
        traceback.assert_error("NOPE")  # not an error: line


def test_pmo_cli_version(pmo_cli: RunCli) -> None:
    result = pmo_cli("--version")

    assert (result.exit_code, result.output.strip()) == (0, f"pmo {pmo_core.__version__}")


def test_pmo_cli_refuses_an_in_memory_workspace(
    pmo_cli: RunCli, pmo_memory_workspace: Workspace
) -> None:
    with pytest.raises(ValueError, match="in-memory workspace"):
        pmo_cli("project", "list", workspace=pmo_memory_workspace)


def test_pmo_cli_runs_a_plugin_command(
    pmo_cli: RunCli, fake_distribution: Install, pmo_workspace: Workspace
) -> None:
    fake_distribution(
        "pmo-kit-hello",
        """
        import click
        from pmo_core import PmoCommand, hookimpl

        @click.command()
        @click.argument("who")
        def hello(who):
            click.echo(f"hello {who}")

        @hookimpl
        def pmo_cli_commands():
            yield PmoCommand(name="hello", summary="Say hello.", command=hello)
        """,
    )
    pmo_workspace.enable("pmo-kit-hello")

    result = pmo_cli("hello", "Ana", workspace=pmo_workspace)

    assert (result.exit_code, result.output) == (0, "hello Ana\n"), result.stderr


# ------------------------------------------------------------------- fake distribution


def test_fake_distribution_is_real_metadata(fake_distribution: Install) -> None:
    dist = fake_distribution(
        "pmo-kit-meta",
        "VALUE = 42\n",
        version="1.4.0",
        summary="Metadata test.",
        requires=["pmo-core>=0.1", "click>=8"],
    )

    meta = importlib.metadata.distribution("pmo-kit-meta")
    assert (meta.version, meta.metadata["Summary"]) == ("1.4.0", "Metadata test.")
    assert meta.requires == ["pmo-core>=0.1", "click>=8"]
    (ep,) = [e for e in meta.entry_points if e.group == "pmo_core.plugins"]
    assert (ep.name, ep.value) == ("kit-meta", "pmo_kit_meta")
    assert ep.load().VALUE == 42
    assert (dist.plugin_id, dist.module) == ("kit-meta", "pmo_kit_meta")
    assert str(dist.site) in sys.path
    assert dist.dist_info.name == "pmo_kit_meta-1.4.0.dist-info"


def test_fake_distribution_packages_and_uninstall(fake_distribution: Install) -> None:
    dist = fake_distribution(
        "pmo-kit-pkg",
        {"kit_pkg/__init__.py": "from .rules import X\n", "kit_pkg/rules.py": "X = 1\n"},
        entry_points={"kit-pkg": "kit_pkg:X"},
    )
    import kit_pkg  # type: ignore[import-not-found]

    assert kit_pkg.X == 1
    assert dist.modules == ("kit_pkg",)

    dist.uninstall()

    assert "kit_pkg" not in sys.modules
    assert "kit_pkg.rules" not in sys.modules
    assert not (dist.site / "kit_pkg").exists()
    with pytest.raises(importlib.metadata.PackageNotFoundError):
        importlib.metadata.distribution("pmo-kit-pkg")


def test_fake_distribution_cleans_up_after_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import sys

        def test_install(fake_distribution):
            dist = fake_distribution("pmo-kit-tidy", "X = 1\\n")
            __import__(dist.module)
            sys.modules["kit_tidy_site"] = dist.site

        def test_afterwards():
            site = sys.modules.pop("kit_tidy_site")
            assert "pmo_kit_tidy" not in sys.modules
            assert str(site) not in sys.path
        """
    )

    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_workspace_fixtures_close_their_workspaces(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from pmo_core import InvalidInputError

        KEPT = []

        def test_use(pmo_workspace, pmo_memory_workspace, pmo_workspace_factory):
            KEPT.extend([pmo_workspace, pmo_memory_workspace, pmo_workspace_factory(),
                         pmo_workspace_factory(store="memory")])
            for ws in KEPT:
                ws.create("portfolio", id="PF", name="PF")

        def test_closed():
            assert len(KEPT) == 4
            for ws in KEPT:
                with pytest.raises(InvalidInputError, match="closed"):
                    ws.store
        """
    )

    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=2)


# ---------------------------------------------------------------------------- factories


def test_factories_make_valid_records_with_defaults() -> None:
    project = make_project()
    assert (project.id, project.kind, project.parent) == ("P1", "project", None)
    assert project.sponsor
    assert project.manager
    assert project.budget is not None
    assert project.budget.amount == Decimal("100000.00")
    assert project.planned_start is not None
    assert project.planned_finish is not None
    assert project.planned_start < project.planned_finish

    assert make_portfolio().kind == "portfolio"
    assert make_program("PG", parent="PF1").parent == "PF1"
    assert make_work_item().project == "P1"
    risk = make_risk()
    assert (risk.type, risk.entity, risk.score) == ("risk", "P1", 12)
    report = make_status_report()
    assert (report.entity, report.overall.value, report.as_of) == ("P1", "green", date(2025, 3, 31))


def test_factories_take_overrides() -> None:
    project = make_project("ALPHA", parent="PF", tier=1, sponsor=None, currency="USD")
    assert (project.id, project.parent, project.tier, project.sponsor) == ("ALPHA", "PF", 1, None)
    assert project.budget is not None
    assert project.budget.currency == "USD"
    assert make_project(budget=None).budget is None
    assert make_work_item("P9", percent_complete=40).percent_complete == 40
    assert make_risk("P2", probability=5, impact=5).is_high
    with pytest.raises(ValueError, match="probability"):
        make_risk(probability=9)


def test_factories_store_into_a_workspace(pmo_memory_workspace: Workspace) -> None:
    ws = pmo_memory_workspace
    make_portfolio("PF", workspace=ws)
    make_program("PG", parent="PF", workspace=ws)
    project = make_project("P1", parent="PG", workspace=ws)
    item = make_work_item("P1", workspace=ws)
    risk = make_risk("P1", workspace=ws)
    report = make_status_report("P1", workspace=ws)

    assert project.version == item.version == risk.version == report.version == 1
    view = ws.view()
    assert [a.id for a in view.ancestors("P1")] == ["PG", "PF"]
    assert [w.id for w in view.work_items("P1")] == [item.id]
    assert [r.id for r in view.raid("P1")] == [risk.id]
    assert view.latest_status("P1") == report
    with pytest.raises(InvalidInputError, match="does not exist"):
        make_project("P2", parent="GHOST", workspace=ws)


# --------------------------------------------------------------------------- validators


def test_a_valid_plugin_passes() -> None:
    assert check_plugin(GoodPlugin()) == []
    assert_valid_plugin(GoodPlugin())


def test_check_plugin_reports_the_host_reason() -> None:
    class Raising:
        @hookimpl
        def pmo_reports(self) -> Any:
            raise KeyError("TEMPLATE_DIR")

    (problem,) = check_plugin(Raising())

    assert problem == "pmo_reports raised KeyError: 'TEMPLATE_DIR'"
    with pytest.raises(AssertionError, match=r"plugin 'raising' is not valid:\n  - pmo_reports"):
        assert_valid_plugin(Raising())


def test_check_plugin_reports_wrong_types_and_invalid_records() -> None:
    class Wrong:
        @hookimpl
        def pmo_reports(self) -> Any:
            yield "weekly"

    class Invalid:
        @hookimpl
        def pmo_reports(self) -> Any:
            yield PmoReport.model_construct(name="weekly", scopes=("galaxy",))

    assert check_plugin(Wrong()) == ["pmo_reports yielded str, expected PmoReport"]
    (problem,) = check_plugin(Invalid())
    assert "invalid PmoReport 'weekly'" in problem
    assert "scopes.0" in problem
    assert "render: Field required" in problem


def test_check_plugin_reports_name_clashes() -> None:
    class Twice:
        @hookimpl
        def pmo_reports(self) -> Any:
            yield PmoReport(name="a", scopes=("pmo",), formats=("md",), render=_render)
            yield PmoReport(name="a", scopes=("pmo",), formats=("md",), render=_render)

    assert check_plugin(Twice()) == ["pmo_reports yielded 'a' twice"]
    (clash,) = check_plugin(GoodPlugin(), plugin_id="mine", others={"first": GoodPlugin()})
    assert "'good' clashes with plugin 'first'" in clash


def test_check_plugin_reports_invalid_hook_implementations() -> None:
    class BadSignature:
        @hookimpl
        def pmo_entities_changed(self, workspace: Any, records: Any) -> None:
            pass

    (problem,) = check_plugin(BadSignature())

    assert problem.startswith("invalid hook implementation")
    assert "records" in problem


def test_check_plugin_reports_what_the_host_ignores() -> None:
    class Unmarked:
        def pmo_reports(self) -> Any:
            return []

    class Typo:
        @hookimpl
        def pmo_report(self) -> Any:
            return []

    class Nothing:
        pass

    assert check_plugin(Unmarked()) == [
        "pmo_reports is named like a pmo-core hook but is not marked with @hookimpl, "
        "so the host ignores it"
    ]
    (typo,) = check_plugin(Typo())
    assert typo.startswith("pmo_report is marked with @hookimpl but is not a pmo-core hook")
    assert check_plugin(Nothing()) == [
        "implements no pmo-core hook (mark functions with @hookimpl)"
    ]


def test_check_plugin_on_a_module(fake_distribution: Install) -> None:
    dist = fake_distribution(
        "pmo-kit-mod",
        """
        from pmo_core import PmoReport, ReportOutput, hookimpl

        @hookimpl
        def pmo_reports():
            yield PmoReport(name="mod", scopes=("pmo",), formats=("md",),
                            render=lambda r: ReportOutput(content="", media_type="text/plain"))
        """,
    )
    module = importlib.import_module(dist.module)

    assert check_plugin(module) == []


# ----------------------------------------------------------------------------- exports


def test_reexports_are_the_real_objects() -> None:
    from pmo_core._store import MemoryStore as Real
    from pmo_core.testing.store_conformance import StoreConformance as RealSuite

    assert MemoryStore is Real
    assert StoreConformance is RealSuite


def _attribute_docstring(module: Any, name: str) -> str:
    """The docstring written under a module attribute (what the reference shows)."""
    import ast
    import inspect

    body = ast.parse(inspect.getsource(module)).body
    for node, after in itertools.pairwise(body):
        target = getattr(node, "target", None) or next(iter(getattr(node, "targets", [])), None)
        if isinstance(target, ast.Name) and target.id == name:
            assert isinstance(after, ast.Expr)
            assert isinstance(after.value, ast.Constant)
            return inspect.cleandoc(str(after.value.value))
    raise AssertionError(f"no docstring under {name}")


def test_hostile_strings_example_runs(pytester: pytest.Pytester) -> None:
    import textwrap

    from pmo_core.testing import _hostile

    doc = _attribute_docstring(_hostile, "HOSTILE_STRINGS")
    example = doc.split("Example::", 1)[1]
    pytester.makepyfile(test_hostile_example=textwrap.dedent(example))
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == 0, result.stdout.str()
    assert result.parseoutcomes()["passed"] == 4


def test_hostile_strings_hold_what_the_issue_names() -> None:
    corpus = pmo_core.testing.HOSTILE_STRINGS
    joined = "".join(corpus.values())
    for needle in ("\x1b[", "\x1b]", "\x07", "\r", "\u202e", "\x00", "<script>", "onerror=",
                   "](javascript:", "|", "`", "\n"):  # fmt: skip
        assert needle in joined, needle
    assert {text[0] for text in corpus.values()} >= {"=", "+", "-", "@", "\t", "\r"}
    assert max(len(text) for text in corpus.values()) >= 100_000
    with pytest.raises(TypeError):
        corpus["new"] = "x"  # type: ignore[index]
