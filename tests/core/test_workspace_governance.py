"""Workspace-level plugin behaviour: events after commit, quarantine of a raising event hook,
governance failing closed, and the environment switches (allow, deny, strict, trace)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pmo_core import (
    PluginError,
    PmoGate,
    PmoGateCriterion,
    PmoGovernanceModel,
    PmoGovernanceRule,
    PmoMethodology,
    PmoPhase,
    RuleContext,
    Workspace,
    hookimpl,
)
from pmo_core.testing import FakeDistribution, make_project, make_status_report

MakeWorkspace = Callable[..., Workspace]
Install = Callable[..., FakeDistribution]


class Models:
    @hookimpl
    def pmo_governance_models(self) -> Any:
        yield PmoGovernanceModel(name="supportive", default_level=None)
        yield PmoGovernanceModel(name="strictest", default_level="block")


def _broken(ctx: RuleContext) -> str | None:
    raise ZeroDivisionError("budget is zero")


class BrokenRule:
    @hookimpl
    def pmo_governance_rules(self) -> Any:
        yield PmoGovernanceRule(name="ratio", level="advise", check=_broken)
        yield PmoGovernanceRule(name="fine", level="warn", check=lambda ctx: None)


class Exploding:
    """An event hook that raises, after which the plugin must be quarantined."""

    def __init__(self) -> None:
        self.calls = 0

    @hookimpl
    def pmo_entities_changed(self, workspace: Workspace, changes: Any) -> None:
        self.calls += 1
        raise RuntimeError("webhook unreachable")

    @hookimpl
    def pmo_governance_rules(self) -> Any:
        yield PmoGovernanceRule(name="exploding-rule", level="warn", check=lambda ctx: None)


class StatusWatcher:
    def __init__(self) -> None:
        self.batches: list[list[Any]] = []
        self.seen_committed: list[bool] = []

    @hookimpl
    def pmo_status_reported(self, workspace: Workspace, reports: Any) -> None:
        self.batches.append(list(reports))
        # After commit: the reports are readable through a fresh view of the store.
        self.seen_committed.append(
            all(workspace.view().latest_status(r.entity) is not None for r in reports)
        )


# ------------------------------------------------------------------------------ events


def test_status_events_come_after_commit(pmo_workspace_factory: MakeWorkspace) -> None:
    watcher = StatusWatcher()
    ws = pmo_workspace_factory(plugins={"watch": watcher}, today=date(2025, 3, 31))
    make_project("P1", workspace=ws)

    ws.report_status("P1", overall="amber", summary="Vendor slipped.")
    ws.add_many([make_status_report("P1", as_of=date(2025, 1, 31)), make_status_report("P1")])

    assert [len(b) for b in watcher.batches] == [1, 2]
    assert watcher.seen_committed == [True, True]
    assert watcher.batches[0][0].author == "tester"


def test_a_raising_event_hook_quarantines_its_plugin_but_the_write_stays(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    exploding = Exploding()
    ws = pmo_workspace_factory(plugins={"exploding": exploding, "models": Models()})

    created = make_project("P1", workspace=ws)
    make_project("P2", workspace=ws)

    assert ws.get("P1") == created
    assert [e.id for e in ws.journal(kind="project")] == ["P1", "P2"]
    assert exploding.calls == 1  # quarantined after the first failure
    status = ws.host.status("exploding")
    assert status.state == "failed"
    assert "pmo_entities_changed raised RuntimeError: webhook unreachable" in (status.error or "")
    assert "exploding-rule" not in [r.name for r in ws.host.records(PmoGovernanceRule)]
    assert ws.host.status("models").state == "loaded"


def test_a_raising_event_hook_in_strict_mode_raises_after_commit(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    ws = pmo_workspace_factory(plugins={"exploding": Exploding()}, strict=True)

    with pytest.raises(PluginError, match="webhook unreachable"):
        make_project("P1", workspace=ws)

    assert ws.get("P1").id == "P1"  # committed before the event


# -------------------------------------------------------------------------- governance


def test_a_raising_rule_is_a_blocking_finding(pmo_workspace_factory: MakeWorkspace) -> None:
    ws = pmo_workspace_factory(plugins={"rules": BrokenRule(), "models": Models()})
    make_project("P1", workspace=ws)

    findings = {f.rule: f for f in ws.check("P1")}

    broken = findings["ratio"]
    assert (broken.level, broken.passed, broken.blocking, broken.error) == (
        "block",
        False,
        True,
        True,
    )
    assert "ZeroDivisionError: budget is zero" in broken.message
    assert broken.plugin == "rules"
    assert findings["fine"].passed


def test_a_missing_governance_model_blocks_rather_than_passing(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    ws = pmo_workspace_factory(plugins={"rules": BrokenRule()}, governance_model="nowhere")
    make_project("P1", workspace=ws)

    findings = {f.rule: f for f in ws.check("P1")}

    assert findings["governance-model-available"].blocking
    assert "nowhere" in findings["governance-model-available"].message
    assert findings["fine"].level == "block"  # every rule blocks under the stand-in model


def test_model_levels_apply(pmo_workspace_factory: MakeWorkspace) -> None:
    failing = type(
        "Failing",
        (),
        {
            "pmo_governance_rules": hookimpl(
                lambda: iter([PmoGovernanceRule(name="x", level="advise", check=lambda c: "no")])
            )
        },
    )
    ws = pmo_workspace_factory(plugins={"f": failing, "m": Models()}, governance_model="strictest")
    make_project("P1", workspace=ws)

    (finding,) = ws.check("P1")

    assert (finding.level, finding.blocking, finding.model) == ("block", True, "strictest")


class OddResults:
    """Rules whose checks return what a check must not: a bool, a list of non-strings."""

    @hookimpl
    def pmo_governance_rules(self) -> Any:
        yield PmoGovernanceRule(name="returns-true", level="advise", check=lambda ctx: True)
        yield PmoGovernanceRule(name="yields-a-number", level="advise", check=lambda ctx: [42])


def test_a_check_returning_the_wrong_type_blocks_rather_than_passing_or_crashing(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    ws = pmo_workspace_factory(plugins={"odd": OddResults(), "models": Models()})
    make_project("P1", workspace=ws)

    findings = {f.rule: f for f in ws.check("P1")}

    assert findings["returns-true"].blocking
    assert findings["returns-true"].error
    assert "check returned bool" in findings["returns-true"].message
    assert findings["yields-a-number"].blocking
    assert "check yielded int" in findings["yields-a-number"].message


class ShouldRaises:
    """A methodology whose only gate criterion is a `should` whose check raises."""

    @hookimpl
    def pmo_methodologies(self) -> Any:
        yield PmoMethodology(
            name="two-step",
            phases=(PmoPhase(name="plan"), PmoPhase(name="do")),
            gates=(
                PmoGate(
                    name="go-live",
                    leaving="plan",
                    entering="do",
                    criteria=(PmoGateCriterion(name="nice", level="should", check=_broken),),
                ),
            ),
        )


def test_a_should_criterion_that_raises_blocks_the_gate(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    ws = pmo_workspace_factory(
        plugins={"method": ShouldRaises(), "models": Models()}, methodology="two-step"
    )
    make_project("P1", workspace=ws)

    check = ws.gate_check("P1")

    assert check.blocked
    assert [r for r in check.reasons() if r.startswith("criterion nice")] == [
        "criterion nice (must): check raised ZeroDivisionError: budget is zero (fails closed)"
    ]


# ------------------------------------------------------------------- environment switches

PLUGIN = """
from pmo_core import PmoGovernanceRule, hookimpl

@hookimpl
def pmo_governance_rules():
    yield PmoGovernanceRule(name="{id}-rule", level="warn", check=lambda ctx: None)
"""


def _workspace(tmp_path: Path, enabled: list[str]) -> Path:
    root = tmp_path / "ws"
    with Workspace.init(root) as ws:
        ws.config.path.write_text(
            ws.config.path.read_text("utf-8")
            .replace("enabled = []", f"enabled = {enabled!r}")
            .replace("'", '"'),
            encoding="utf-8",
        )
    return root


def _install_two(fake_distribution: Install) -> tuple[FakeDistribution, FakeDistribution]:
    return (
        fake_distribution("pmo-kit-alpha", PLUGIN.replace("{id}", "alpha")),
        fake_distribution("pmo-kit-beta", PLUGIN.replace("{id}", "beta")),
    )


def test_pmo_plugins_deny(
    fake_distribution: Install, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alpha, _ = _install_two(fake_distribution)
    root = _workspace(tmp_path, ["kit-alpha", "kit-beta"])
    monkeypatch.setenv("PMO_PLUGINS_DENY", " pmo-kit-alpha ,other")

    with Workspace.open(root) as ws:
        assert ws.host.status("kit-alpha").state == "denied"
        assert [r.name for r in ws.host.records(PmoGovernanceRule)] == ["beta-rule"]
    assert alpha.module not in sys.modules


def test_pmo_plugins_allow(
    fake_distribution: Install, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, beta = _install_two(fake_distribution)
    root = _workspace(tmp_path, ["kit-alpha", "kit-beta"])
    monkeypatch.setenv("PMO_PLUGINS_ALLOW", "kit-alpha")

    with Workspace.open(root) as ws:
        assert ws.host.status("kit-beta").state == "denied"
        assert [r.name for r in ws.host.records(PmoGovernanceRule)] == ["alpha-rule"]
    assert beta.module not in sys.modules


def test_an_empty_allow_list_admits_nothing(
    fake_distribution: Install, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install_two(fake_distribution)
    root = _workspace(tmp_path, ["kit-alpha", "kit-beta"])
    monkeypatch.setenv("PMO_PLUGINS_ALLOW", "")

    with Workspace.open(root) as ws:
        assert {ws.host.status(p).state for p in ("kit-alpha", "kit-beta")} == {"denied"}
        assert ws.host.status("pmo-core").state == "loaded"  # built-ins are not plugins to deny


def test_pmo_strict_from_the_environment(
    fake_distribution: Install, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_distribution("pmo-kit-broken", "raise RuntimeError('broken at import')\n")
    root = _workspace(tmp_path, ["kit-broken"])

    with Workspace.open(root) as ws:
        assert ws.host.status("kit-broken").state == "failed"
    monkeypatch.setenv("PMO_STRICT", "1")
    with pytest.raises(PluginError, match="broken at import"):
        Workspace.open(root)  # a strict workspace loads its plugins as it opens


def test_pmo_trace_from_the_environment(
    fake_distribution: Install,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _install_two(fake_distribution)
    root = _workspace(tmp_path, ["kit-alpha"])
    monkeypatch.setenv("PMO_TRACE", "1")

    with caplog.at_level(logging.INFO, logger="pmo_core.trace"), Workspace.open(root) as ws:
        make_project("P1", workspace=ws)
        ws.check("P1")

    messages = [r.getMessage() for r in caplog.records if r.name == "pmo_core.trace"]
    assert any(m.startswith("pmo_governance_rules[kit-alpha] ") for m in messages)
    assert any(m.startswith("pmo_storage_backends[pmo-core] ") for m in messages)


class _CountingStore:
    """A memory store whose transactions count how often their changes are asked for."""

    def __init__(self) -> None:
        from pmo_core import MemoryStore

        self.inner = MemoryStore()
        self.asked = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def transaction(self, actor: str, *, command: str = "") -> Any:
        from contextlib import contextmanager

        outer = self

        class Counted:
            def __init__(self, tx: Any) -> None:
                self._tx = tx

            def __getattr__(self, name: str) -> Any:
                return getattr(self._tx, name)

            @property
            def changes(self) -> Any:
                outer.asked += 1
                return self._tx.changes

        @contextmanager
        def wrapped() -> Any:
            with self.inner.transaction(actor, command=command) as tx:
                yield Counted(tx)

        return wrapped()


def test_changes_are_decoded_only_when_a_plugin_listens() -> None:
    # Asking a transaction for its changes decodes every document written: an import of
    # 100,000 rows must not pay for events nobody receives.
    quiet_store = _CountingStore()
    quiet = Workspace.in_memory(store=quiet_store)
    quiet.create("project", id="P1", name="One")
    assert quiet_store.asked == 0

    heard = StatusWatcher()
    loud_store = _CountingStore()
    loud = Workspace.in_memory(plugins={"watch": heard}, store=loud_store)
    loud.create("project", id="P1", name="One")
    loud.report_status("P1", overall="green")
    assert loud_store.asked >= 1
    assert [r.entity for batch in heard.batches for r in batch] == ["P1"]
