"""The Workspace API: isolation, transactions, concurrency, as-of views, custom fields,
hierarchy rules, plugin enabling and gate decisions."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from pmo_core import (
    ApprovalRule,
    Artifact,
    ConflictError,
    GovernanceBlockedError,
    InvalidInputError,
    NotFoundError,
    PmoArtifact,
    PmoCustomFields,
    PmoGate,
    PmoGateCriterion,
    PmoGovernanceModel,
    PmoGovernanceRule,
    PmoMethodology,
    PmoPhase,
    RuleContext,
    Status,
    Workspace,
    hookimpl,
)
from pmo_core._store import SQLiteStore
from pmo_core.testing import FakeClock, FakeDistribution, make_project, make_risk, make_work_item

MakeWorkspace = Callable[..., Workspace]
Install = Callable[..., FakeDistribution]


class Rules:
    """A plugin with one governance rule that always reports ``message``."""

    def __init__(self, name: str, message: str | None) -> None:
        self.name = name
        self.message = message

    @hookimpl
    def pmo_governance_rules(self) -> Any:
        message = self.message
        yield PmoGovernanceRule(name=self.name, level="warn", check=lambda ctx: message)


class Recorder:
    """A plugin that records every entities-changed batch it receives."""

    def __init__(self) -> None:
        self.batches: list[tuple[Workspace, list[Any]]] = []

    @hookimpl
    def pmo_entities_changed(self, workspace: Workspace, changes: Any) -> None:
        self.batches.append((workspace, list(changes)))


# ---------------------------------------------------------------------------- isolation


@pytest.mark.parametrize("store", ["sqlite", "memory"])
def test_two_workspaces_in_one_process_stay_independent(
    pmo_workspace_factory: MakeWorkspace, store: str
) -> None:
    events_a, events_b = Recorder(), Recorder()
    ws_a = pmo_workspace_factory(
        store=store, plugins={"rules-a": Rules("rule-a", "from a"), "events": events_a}
    )
    ws_b = pmo_workspace_factory(
        store=store, plugins={"rules-b": Rules("rule-b", "from b"), "events": events_b}
    )

    make_project("P1", workspace=ws_a)
    make_project("P1", workspace=ws_b, name="Other P1")
    make_project("ONLY-A", workspace=ws_a)

    # (No governance model is registered, so a blocking 'governance-model-available' finding
    # comes too; that fail-closed behaviour is tested in test_workspace_governance.py.)
    assert [f.rule for f in ws_a.check("P1") if f.rule.startswith("rule-")] == ["rule-a"]
    assert [f.rule for f in ws_b.check("P1") if f.rule.startswith("rule-")] == ["rule-b"]
    assert ws_b.get("P1").name == "Other P1"
    with pytest.raises(NotFoundError):
        ws_b.get("ONLY-A")
    assert ws_a.store is not ws_b.store
    assert [ws for ws, _ in events_a.batches] == [ws_a, ws_a]
    assert [ws for ws, _ in events_b.batches] == [ws_b]
    assert [c.id for _, batch in events_a.batches for c in batch] == ["P1", "ONLY-A"]


# ------------------------------------------------------------------------ transactions


def test_events_come_in_one_batch_per_transaction(pmo_workspace_factory: MakeWorkspace) -> None:
    recorder = Recorder()
    ws = pmo_workspace_factory(plugins={"events": recorder})
    make_project("P1", workspace=ws)
    recorder.batches.clear()

    ws.add_many([make_work_item("P1", subject=f"Item {i}") for i in range(3)])

    assert len(recorder.batches) == 1
    _, changes = recorder.batches[0]
    assert [(c.kind, c.op) for c in changes] == [("work_item", "insert")] * 3
    assert len({c.txn_id for c in changes}) == 1
    assert {c.actor for c in changes} == {"tester"}


def test_a_failed_add_many_writes_nothing(pmo_workspace_factory: MakeWorkspace) -> None:
    recorder = Recorder()
    ws = pmo_workspace_factory(plugins={"events": recorder})
    make_project("P1", workspace=ws)
    journal = ws.journal()
    recorder.batches.clear()

    with pytest.raises(InvalidInputError, match="NOPE"):
        ws.add_many([make_risk("P1"), make_risk("P1", title="Second"), make_risk("NOPE")])

    assert ws.view().raid("P1") == []
    assert ws.journal() == journal
    assert recorder.batches == []


def test_a_failed_create_writes_nothing(pmo_workspace_factory: MakeWorkspace) -> None:
    ws = pmo_workspace_factory()
    make_project("P1", workspace=ws)
    journal = ws.journal()

    with pytest.raises(ConflictError, match="P1"):
        make_project("P1", workspace=ws)
    with pytest.raises(InvalidInputError):
        ws.create("project", id="P2", name="")

    assert ws.journal() == journal
    assert [p.id for p in ws.view().projects()] == ["P1"]


def test_archive_and_unarchive_refuse_what_changes_nothing_and_write_nothing(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    ws = pmo_workspace_factory()
    make_project("P1", workspace=ws)
    with pytest.raises(ConflictError, match="project 'P1' is not archived"):
        ws.unarchive("P1")
    assert ws.archive("P1").archived
    journal = ws.journal()

    with pytest.raises(ConflictError, match="project 'P1' is already archived"):
        ws.archive("P1")

    assert ws.journal() == journal
    assert not ws.unarchive("P1").archived


def test_replace_checks_what_add_checks_and_writes_nothing_when_refused(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    recorder = Recorder()
    ws = pmo_workspace_factory(plugins={"events": recorder})
    make_project("P1", workspace=ws)
    risk = ws.add(make_risk("P1"))
    journal = ws.journal()
    recorder.batches.clear()

    with pytest.raises(InvalidInputError, match="'NOPE', which does not exist") as moved:
        ws.replace(risk.replace(entity="NOPE"))
    with pytest.raises(InvalidInputError, match=r"use update\(\)"):
        ws.replace(ws.get("P1").replace(parent="NOPE"))  # would skip hierarchy checks
    with pytest.raises(InvalidInputError, match=r"never stored .*use add\(\)"):
        ws.replace(make_risk("P1"))

    assert moved.value.where == "raid.entity"
    assert ws.journal() == journal
    assert recorder.batches == []
    assert ws.get("P1").parent is None


def test_an_allocation_to_a_missing_project_is_refused(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    from pmo_core import Allocation

    ws = pmo_workspace_factory()
    journal = ws.journal()
    allocation = Allocation(
        resource="r1", project="NOPE", start=date(2025, 1, 1), finish=date(2025, 2, 1), percent=50
    )

    with pytest.raises(InvalidInputError, match="'NOPE', which does not exist") as refused:
        ws.add(allocation)

    assert refused.value.where == "allocation.project"
    assert ws.journal() == journal


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda ws: ws.update("P1", bogus=1), "P1: bogus: unknown field"),
        (lambda ws: ws.create("project", id="P2", name="x", bogus=1), "bogus: unknown field"),
        (lambda ws: ws.add_raid("P1", "rumour", "x"), "type: Input should be 'risk'"),
        (
            lambda ws: ws.report_status("P1", overall="red", dimensions={"mood": "red"}),
            "dimensions.mood: Input should be 'schedule'",
        ),
        (
            lambda ws: ws.update("P1", budget="100 USD"),
            "P1: budget is in USD but the project's currency is EUR",
        ),
    ],
    ids=["update-unknown", "create-unknown", "raid-type", "status-dimension", "model-check"],
)
def test_bad_input_names_the_field_and_writes_nothing(
    pmo_workspace_factory: MakeWorkspace, call: Callable[[Workspace], Any], message: str
) -> None:
    ws = pmo_workspace_factory()
    make_project("P1", workspace=ws, currency="EUR")
    journal = ws.journal()

    with pytest.raises(InvalidInputError) as refused:
        call(ws)

    assert str(refused.value).startswith(message)
    assert ws.journal() == journal


def test_optimistic_concurrency_across_two_workspace_objects(
    pmo_workspace_factory: MakeWorkspace,
) -> None:
    first = pmo_workspace_factory()
    make_project("P1", workspace=first)
    with Workspace.open(first.root, actor="other") as second:
        read_here = first.get("P1")
        read_there = second.get("P1")

        second.update("P1", expected_version=read_there.version, status="at_risk")
        with pytest.raises(ConflictError, match="changed since it was read"):
            first.update("P1", expected_version=read_here.version, status="on_track")

        assert first.get("P1").status == Status.AT_RISK
        assert first.get("P1").version == read_here.version + 1


def test_as_of_view_shows_the_past_state(pmo_workspace_factory: MakeWorkspace) -> None:
    root = pmo_workspace_factory().root
    clock = FakeClock(datetime(2025, 3, 1, 10, 0, tzinfo=timezone.utc))
    store = SQLiteStore(root / ".pmo" / "pmo.db", clock=clock)
    with Workspace.open(root, store=store) as ws:
        make_project("P1", workspace=ws, status="on_track")
        clock.now = datetime(2025, 4, 15, 10, 0, tzinfo=timezone.utc)
        ws.update("P1", status="at_risk")
        make_risk("P1", workspace=ws)

        march = ws.view(as_of=date(2025, 3, 31))
        assert march.entity("P1").status == Status.ON_TRACK
        assert march.raid("P1") == []
        assert march.status_date == date(2025, 3, 31)
        assert march.known_at == datetime(2025, 3, 31, 23, 59, 59, 999999, tzinfo=timezone.utc)
        assert ws.view().entity("P1").status == Status.AT_RISK
        with pytest.raises(NotFoundError):
            ws.view(as_of=date(2025, 2, 28)).entity("P1")
        moment = datetime(2025, 3, 1, 10, 0, tzinfo=timezone.utc)
        assert ws.view(as_of=moment).entity("P1").status == Status.ON_TRACK


# ----------------------------------------------------------------------- custom fields


class AcmeFields(BaseModel):
    cost_centre: str
    headcount: int = 0


class CustomFields:
    @hookimpl
    def pmo_custom_fields(self) -> Any:
        yield PmoCustomFields(name="acme", kinds=("project",), model=AcmeFields)


@pytest.fixture
def acme_ws(pmo_workspace_factory: MakeWorkspace) -> Workspace:
    return pmo_workspace_factory(plugins={"acme": CustomFields()})


def test_valid_custom_fields_are_stored(acme_ws: Workspace) -> None:
    make_project("P1", workspace=acme_ws, custom_fields={"acme": {"cost_centre": "CC-1"}})

    assert acme_ws.get("P1").custom_fields == {"acme": {"cost_centre": "CC-1", "headcount": 0}}


def test_unknown_custom_field_namespace_is_refused(acme_ws: Workspace) -> None:
    with pytest.raises(InvalidInputError, match="unknown custom field namespace 'other'") as err:
        make_project("P1", workspace=acme_ws, custom_fields={"other": {"x": 1}})

    assert "acme" in str(err.value)  # names the registered ones
    with pytest.raises(NotFoundError):
        acme_ws.get("P1")


def test_custom_field_of_the_wrong_type_is_refused_naming_the_field(acme_ws: Workspace) -> None:
    with pytest.raises(InvalidInputError, match=r"acme\.headcount") as err:
        make_project(
            "P1", workspace=acme_ws, custom_fields={"acme": {"cost_centre": "C", "headcount": "x"}}
        )
    assert err.value.where == "P1.custom_fields"

    make_project("P1", workspace=acme_ws, custom_fields={"acme": {"cost_centre": "CC-1"}})
    with pytest.raises(InvalidInputError, match=r"acme\.cost_centre"):
        acme_ws.update("P1", custom_fields={"acme": {"headcount": 3}})
    assert acme_ws.get("P1").custom_fields["acme"]["cost_centre"] == "CC-1"


def test_custom_fields_only_on_the_kinds_they_declare(acme_ws: Workspace) -> None:
    with pytest.raises(InvalidInputError, match="apply to project, not portfolio"):
        acme_ws.create(
            "portfolio", id="PF", name="PF", custom_fields={"acme": {"cost_centre": "C"}}
        )


# --------------------------------------------------------------------------- hierarchy


def test_hierarchy_rules_on_create(pmo_workspace_factory: MakeWorkspace) -> None:
    ws = pmo_workspace_factory()
    ws.create("portfolio", id="PF", name="Portfolio")
    make_project("P1", parent="PF", workspace=ws)

    with pytest.raises(InvalidInputError, match="a program cannot have a project as its parent"):
        ws.create("program", id="PG", name="Program", parent="P1")
    with pytest.raises(InvalidInputError, match="does not exist"):
        make_project("P2", parent="GHOST", workspace=ws)
    with pytest.raises(InvalidInputError, match="portfolio has no parent"):
        ws.create("portfolio", id="PF2", name="Other", parent="PF")

    ws.create("program", id="PG", name="Program", parent="PF")
    make_project("P3", parent="PG", workspace=ws)
    make_project("P4", parent="P3", workspace=ws)
    assert [a.id for a in ws.view().ancestors("P4")] == ["P3", "PG", "PF"]


def test_hierarchy_rules_on_update_refuse_cycles(pmo_workspace_factory: MakeWorkspace) -> None:
    ws = pmo_workspace_factory()
    make_project("A", workspace=ws)
    make_project("B", parent="A", workspace=ws)
    make_project("C", parent="B", workspace=ws)
    ws.create("portfolio", id="PF", name="Portfolio")
    ws.create("program", id="PG", name="Program", parent="PF")
    journal = ws.journal()

    with pytest.raises(InvalidInputError, match="cycle"):
        ws.update("A", parent="C")
    with pytest.raises(InvalidInputError, match="own parent"):
        ws.update("A", parent="A")
    with pytest.raises(InvalidInputError, match="a program cannot have a project"):
        ws.update("PG", parent="A")
    with pytest.raises(InvalidInputError, match="does not exist"):
        ws.update("A", parent="GHOST")

    assert ws.journal() == journal
    ws.update("A", parent="PG")
    assert [a.id for a in ws.view().ancestors("C")] == ["B", "A", "PG", "PF"]


# ---------------------------------------------------------------------- enable, disable

PLUGIN = "from pmo_core import hookimpl\n"


@pytest.mark.plugins("pmo-governance", "pmo-reports", "pmo-csv")  # the starter profile
def test_enable_and_disable_rewrite_pmo_toml_keeping_comments(
    fake_distribution: Install, tmp_path: Path
) -> None:
    fake_distribution("pmo-kit-alpha", PLUGIN)
    with Workspace.init(tmp_path / "ws", profile="starter") as ws:
        text = ws.config.path.read_text(encoding="utf-8")
        text = text.replace("[plugins]", "# Plugins reviewed by the PMO board.\n[plugins]")
        text = text.replace("strict = false", "strict = false  # CI sets PMO_STRICT")
        ws.config.path.write_text(text, encoding="utf-8")
        ws.config = type(ws.config).load(ws.root)

        assert ws.enable("pmo-kit-alpha") == ["kit-alpha"]
        assert ws.enable("kit-alpha") == []  # already enabled: no change

        after = ws.config.path.read_text(encoding="utf-8")
        assert "# Plugins reviewed by the PMO board." in after
        assert "strict = false  # CI sets PMO_STRICT" in after
        assert ws.config.enabled == ("governance", "reports", "csv", "kit-alpha")

        assert ws.disable("pmo-kit-alpha") == ["kit-alpha"]
        assert ws.config.enabled == ("governance", "reports", "csv")
        assert "# Plugins reviewed by the PMO board." in ws.config.path.read_text("utf-8")
        with pytest.raises(NotFoundError, match="kit-nothing"):
            ws.enable("kit-nothing")


WATCHER = """
from pmo_core import hookimpl

SEEN = []


@hookimpl
def pmo_plugins_changed(workspace, enabled, disabled):
    SEEN.append((list(enabled), list(disabled)))
"""


def test_enabling_reloads_plugins_and_notifies_them(
    fake_distribution: Install, tmp_path: Path
) -> None:
    fake_distribution("pmo-kit-alpha", WATCHER.replace("SEEN", "ALPHA_SEEN"))
    watcher = fake_distribution("pmo-kit-watcher", WATCHER)
    with Workspace.init(tmp_path / "ws") as ws:
        ws.enable("kit-watcher")
        assert ws.host.status("kit-watcher").state == "loaded"  # at once, not on reopen
        ws.enable("kit-alpha")
        ws.disable("kit-alpha")
        assert ws.host.status("kit-alpha").state == "disabled"

    seen = sys.modules[watcher.module].SEEN
    # The newly enabled plugin hears of its own enabling; a disabled one is not imported.
    assert seen == [(["kit-watcher"], []), (["kit-alpha"], []), ([], ["kit-alpha"])]
    assert sys.modules["pmo_kit_alpha"].ALPHA_SEEN == [(["kit-alpha"], [])]


def test_a_plugin_enabled_but_uninstalled_can_still_be_disabled(tmp_path: Path) -> None:
    with Workspace.init(tmp_path / "ws") as ws:
        ws.config.path.write_text(
            ws.config.path.read_text("utf-8").replace("enabled = []", 'enabled = ["kit-gone"]'),
            encoding="utf-8",
        )
        ws.config = type(ws.config).load(ws.root)

        assert ws.disable("kit-gone") == ["kit-gone"]
        assert "kit-gone" not in ws.config.enabled


# ------------------------------------------------------------------------------- gates


def _plan_approved(ctx: RuleContext) -> str | None:
    return None if ctx.entity.sponsor else "no sponsor"


class TwoStep:
    """A two-phase methodology whose gate needs an approved plan, under a quorum-2 model."""

    @hookimpl
    def pmo_methodologies(self) -> Any:
        yield _methodology()

    @hookimpl
    def pmo_governance_models(self) -> Any:
        board = ApprovalRule(roles=("sponsor", "pmo"), quorum=2, required=("sponsor", "pmo"))
        sponsor = ApprovalRule(roles=("sponsor",))
        yield PmoGovernanceModel(
            name="board",
            approvals={"go": board, "kill": sponsor, "hold": sponsor, "resume": sponsor},
        )


def _methodology() -> PmoMethodology:
    return PmoMethodology(
        name="two-step",
        phases=(PmoPhase(name="plan"), PmoPhase(name="do")),
        gates=(
            PmoGate(
                name="go-live",
                leaving="plan",
                entering="do",
                criteria=(
                    PmoGateCriterion(name="plan-approved", artifact="plan"),
                    PmoGateCriterion(name="sponsor", level="should", check=_plan_approved),
                ),
            ),
        ),
        artifacts=(PmoArtifact(name="plan"),),
    )


@pytest.fixture
def gated(pmo_workspace_factory: MakeWorkspace) -> Workspace:
    ws = pmo_workspace_factory(
        plugins={"two-step": TwoStep()},
        governance_model="board",
        methodology="two-step",
        today=date(2025, 3, 31),
    )
    make_project("P1", workspace=ws, phase="plan", sponsor="Dana")
    ws.assign_role("P1", "pmo", "Lee")
    return ws


def test_a_blocked_gate_refuses_go(gated: Workspace) -> None:
    check = gated.gate_check("P1")
    assert (check.gate, check.blocked) == ("go-live", True)
    assert check.reasons() == ["criterion plan-approved (must): artifact 'plan' is not approved"]

    with pytest.raises(GovernanceBlockedError, match="plan-approved"):
        gated.decide_gate("P1", "go", approvers=["Dana (sponsor)", "Lee (pmo)"])

    assert gated.get("P1").phase == "plan"
    assert gated.view().gate_decisions("P1") == []


def test_go_needs_the_quorum(gated: Workspace) -> None:
    gated.add(Artifact(entity="P1", name="plan", status="approved", approved_on=date(2025, 3, 1)))
    assert not gated.gate_check("P1").blocked

    with pytest.raises(GovernanceBlockedError, match="needs the sponsor and the pmo"):
        gated.decide_gate("P1", "go", approvers=["Dana (sponsor)"])
    assert gated.view().gate_decisions("P1") == []

    decision = gated.decide_gate("P1", "go", approvers=["Dana (sponsor)", "Lee (pmo)"])

    assert (decision.gate, decision.decision, decision.next_phase) == ("go-live", "go", "do")
    assert decision.decided_on == date(2025, 3, 31)
    assert [(a.approver, a.role) for a in decision.approvals] == [
        ("Dana", "sponsor"),
        ("Lee", "pmo"),
    ]
    assert gated.get("P1").phase == "do"
    assert [d.id for d in gated.view().gate_decisions("P1")] == [decision.id]


def test_kill_is_allowed_while_blocked(gated: Workspace) -> None:
    decision = gated.decide_gate("P1", "kill", approvers=["Dana"], comment="No longer needed")

    assert decision.decision == "kill"
    killed = gated.get("P1")
    assert (killed.lifecycle, killed.status, killed.phase) == (
        "killed",
        Status.DISCONTINUED,
        "plan",
    )
    assert (killed.lifecycle_on, killed.lifecycle_by) == (date(2025, 3, 31), gated.actor)
    assert killed.lifecycle_reason == "No longer needed"


def test_an_unknown_decision_is_refused(gated: Workspace) -> None:
    with pytest.raises(InvalidInputError, match="go, kill, hold or recycle"):
        gated.decide_gate("P1", "maybe")


def test_gate_decided_event_after_commit(gated: Workspace) -> None:
    seen: list[tuple[str, str, str | None]] = []

    class Watcher:
        @hookimpl
        def pmo_gate_decided(self, workspace: Workspace, decisions: Any) -> None:
            for d in decisions:
                # The entity has already moved on when the event arrives.
                seen.append((d.decision, d.entity, workspace.get(d.entity).status.value))

    gated.host.pluggy.register(Watcher(), name="watcher")
    gated.decide_gate("P1", "hold", approvers=["Dana"])

    assert seen == [("hold", "P1", "on_hold")]


def test_a_status_report_dated_after_the_status_date_is_refused(tmp_path: Path) -> None:
    from datetime import date

    with Workspace.init(tmp_path / "ws", today=lambda: date(2026, 3, 31)) as ws:
        ws.create("portfolio", id="PF", name="Portfolio")
        with pytest.raises(InvalidInputError, match="after the status date 2026-03-31") as exc:
            ws.report_status("PF", overall="green", as_of=date(2026, 4, 1))
        assert exc.value.where == "as_of"
        assert ws.view().status_reports("PF") == []
        ws.report_status("PF", overall="green", as_of=date(2026, 3, 31))
        assert [e.command for e in ws.journal(kind="status_report")] == ["status report"]


def test_values_in_a_past_view_have_the_types_of_todays(tmp_path: Path) -> None:
    from pmo_core import WorkItem

    with Workspace.init(tmp_path / "ws") as ws:
        ws.create("portfolio", id="PF", name="Portfolio")
        ws.create("project", id="P1", name="One", parent="PF")
        ws.add(WorkItem(project="P1", subject="Design", budget="100 EUR"))
        fields = ["budget", "budget.amount", "subject", "@updated_at", "@version"]
        now = list(ws.view().values("work_item", fields, owner="P1"))
        moment = ws.journal()[-1].at
        then = list(ws.view(as_of=moment).values("work_item", fields, owner="P1"))
    assert then == now
    assert isinstance(now[0][0], str)  # an object comes back as compact JSON text
    assert isinstance(now[0][3], str)


def test_check_refuses_an_unknown_level(tmp_path: Path) -> None:
    with (
        Workspace.init(tmp_path / "ws") as ws,
        pytest.raises(InvalidInputError, match="min_level must be one of off, advise"),
    ):
        ws.check(min_level="loud")


def test_a_workspace_with_no_plugin_has_nothing_to_say() -> None:
    # pmo-core names no first-party plugin: with none enabled, the neutral model governs
    # and reports nothing of its own, not a blocking "model not available" on every entity.
    with Workspace.in_memory() as ws:
        ws.create("portfolio", id="PF", name="Portfolio")
        ws.create("program", id="PG", name="Program", parent="PF")
        ws.create("project", id="P1", name="Project", parent="PG")

        assert ws.check() == []
        assert ws.check("P1") == []
        check = ws.gate_check("P1")
        assert (check.model, check.blocked, check.findings) == ("neutral", False, ())
        assert ws.config.governance_model == "neutral"
