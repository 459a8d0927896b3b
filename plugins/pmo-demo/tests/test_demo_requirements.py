"""What pmo-demo needs: the plugins the sample is made of, and a methodology it reads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pmo_demo
import pmo_stage_gate
import pytest
from demo_support import assert_user_error
from pmo_demo import BLOCKED_PROJECT, SKIPPED_GATE_PROJECT, build_demo

from pmo_core import (
    NotFoundError,
    PluginEntry,
    PluginHost,
    PmoArtifact,
    PmoCommand,
    PmoGateCriterion,
    PmoMethodology,
    Workspace,
    hookimpl,
)
from pmo_core.testing import CliResult

TODAY = date(2025, 6, 30)
RunPmo = Callable[..., CliResult]


def test_the_plugin_registers_a_command_that_needs_no_workspace() -> None:
    record = PluginHost(plugins={"demo": pmo_demo}).record(PmoCommand, "demo")

    assert record.workspace is False
    assert record.plugin == "demo"
    assert record.command.name == "demo"


def _hide(monkeypatch: pytest.MonkeyPatch, *ids: str) -> None:
    """Make the installed plugins ``ids`` look uninstalled, to every host."""
    installed = PluginHost.installed

    def without(self: PluginHost) -> list[PluginEntry]:
        return [e for e in installed(self) if e.id not in ids]

    monkeypatch.setattr(PluginHost, "installed", without)


@pytest.mark.parametrize(
    ("hidden", "named"),
    [
        (("stage-gate",), "pmo-stage-gate, which is not installed (pip install pmo-stage-gate)"),
        (("governance",), "pmo-governance, which is not installed (pip install pmo-governance)"),
        (
            ("reports", "csv"),
            "pmo-reports, pmo-csv, which are not installed (pip install pmo-reports pmo-csv)",
        ),
    ],
)
def test_a_missing_distribution_is_named_and_nothing_is_written(
    pmo_cli: RunPmo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    hidden: tuple[str, ...],
    named: str,
) -> None:
    _hide(monkeypatch, *hidden)

    result = pmo_cli("demo", "sample")

    assert_user_error(result, 3, f"pmo demo needs {named}")
    assert not (tmp_path / "sample").exists()


def test_a_plugin_the_environment_denies_is_named(pmo_cli: RunPmo, tmp_path: Path) -> None:
    result = pmo_cli("demo", "sample", env={"PMO_PLUGINS_DENY": "governance"})

    assert_user_error(
        result, 3, "pmo demo needs pmo-governance (plugin 'governance'), which cannot load"
    )
    assert "PMO_PLUGINS_DENY" in result.stderr
    assert not (tmp_path / "sample").exists()


def test_build_demo_without_the_methodology_names_it_and_writes_nothing() -> None:
    with Workspace.in_memory(enabled=["governance"], today=lambda: TODAY) as ws:
        with pytest.raises(NotFoundError, match="pmo-stage-gate"):
            build_demo(ws)
        assert ws.view().entities() == []


def _tailored() -> PmoMethodology:
    """Stage-gate tailored: development is called ``build`` (an execution phase only by the
    tailoring), and gate-2 also asks for an approved market study."""
    sg = pmo_stage_gate.STAGE_GATE

    def renamed(name: str) -> str:
        return "build" if name == "development" else name

    gates = []
    for gate in sg.gates:
        criteria = gate.criteria
        if gate.name == "gate-2":
            criteria = (*criteria, PmoGateCriterion(name="market-study", artifact="market-study"))
        gates.append(
            gate.model_copy(
                update={
                    "leaving": renamed(gate.leaving),
                    "entering": renamed(gate.entering),
                    "criteria": criteria,
                }
            )
        )
    return PmoMethodology(
        name="stage-gate",
        summary="Stage-gate, tailored.",
        phases=tuple(p.model_copy(update={"name": renamed(p.name)}) for p in sg.phases),
        gates=tuple(gates),
        artifacts=(*sg.artifacts, PmoArtifact(name="market-study")),
        tailoring={"execution-phases": "build"},
    )


class TailoredStageGate:
    @hookimpl
    def pmo_methodologies(self) -> Iterator[PmoMethodology]:
        yield _tailored()


def test_build_demo_follows_the_methodology_it_finds() -> None:
    with Workspace.in_memory(
        plugins={"stage-gate": TailoredStageGate()}, enabled=["governance"], today=lambda: TODAY
    ) as ws:
        build_demo(ws)
        view = ws.view()
        phases = {p.id: p.phase for p in view.projects()}
        assert "development" not in phases.values()
        assert phases[SKIPPED_GATE_PROJECT] == "build"
        assert phases[BLOCKED_PROJECT] == "business-case"
        order = [p.name for p in _tailored().phases]
        past_gate_2 = [k for k, ph in phases.items() if order.index(ph) >= 2]
        assert past_gate_2
        for key in past_gate_2:  # gate-2's own artifact, approved for every project past it
            assert view.artifact_approved(key, "market-study"), key
        # "build" is an execution phase by the tailoring: projects in it have their baseline.
        building = [k for k, ph in phases.items() if ph == "build" and k != "HQ-MOVE"]
        assert building
        assert all(view.baselines(k) for k in building)
        skipped = [d.gate for d in view.gate_decisions(SKIPPED_GATE_PROJECT)]
        assert skipped == ["gate-1", "gate-2"]  # no gate-3, the gate into "build"
