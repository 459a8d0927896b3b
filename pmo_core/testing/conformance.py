"""Conformance suites for the plugin families: governance models and rules, methodologies and
reports (connectors and store backends have theirs in ``connector_conformance`` and
``store_conformance``).

Each suite is a class of pytest tests configured by class attributes. Subclass it in a test
module (the class name must start with ``Test``), set ``plugin`` to the module or object with
your hook implementations and name what it registers; every ``test_*`` method the suite
defines then runs against your plugin. ``companions`` holds other plugins the tests need
(``{"governance": pmo_governance}`` for its models), ``today`` the status date of the
workspaces the suites build (in memory, with pmo-core's factories).

Example::

    from pmo_core import PmoGovernanceRule, hookimpl
    from pmo_core.testing import GovernanceRuleConformance

    class SponsorRule:  # your plugin, usually imported from your package
        @hookimpl
        def pmo_governance_rules(self):
            yield PmoGovernanceRule(
                name="acme-sponsor-named",
                check=lambda ctx: None if ctx.entity.sponsor else "no sponsor named",
            )

    class TestSponsorRule(GovernanceRuleConformance):
        plugin = SponsorRule()
        rules = ("acme-sponsor-named",)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

import pytest

if TYPE_CHECKING:
    from pmo_core._records.governance import PmoGovernanceModel, PmoGovernanceRule
    from pmo_core._records.methodology import PmoMethodology
    from pmo_core._records.reports import PmoReport, ReportOutput
    from pmo_core._workspace import Workspace

__all__ = [
    "GovernanceModelConformance",
    "GovernanceRuleConformance",
    "MethodologyConformance",
    "ReportConformance",
]

_PLUGIN_ID = "plugin-under-test"

#: The media type each common format renders to (a suite's ``media_types`` adds to it).
MEDIA_TYPES: Mapping[str, str] = {
    "md": "text/markdown",
    "json": "application/json",
    "html": "text/html",
    "csv": "text/csv",
    "txt": "text/plain",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class _PluginSuite:
    """What every suite shares: the plugin under test, its companions and the status date."""

    plugin: ClassVar[object] = None
    companions: ClassVar[Mapping[str, object]] = {}
    today: ClassVar[date] = date(2025, 3, 31)

    def _plugins(self) -> dict[str, object]:
        if self.plugin is None:
            raise AssertionError(
                f"{type(self).__name__} sets no `plugin`: the module or object with your hooks"
            )
        return {**self.companions, _PLUGIN_ID: self.plugin}

    def _workspace(self, plugins: Mapping[str, object] | None = None, **options: Any) -> Workspace:
        from pmo_core._workspace import Workspace  # the kit loads light; models when used

        today = self.today
        return Workspace.in_memory(
            plugins=self._plugins() if plugins is None else dict(plugins),
            today=lambda: today,
            **options,
        )

    @pytest.fixture
    def workspace(self) -> Iterator[Workspace]:
        """A fresh in-memory workspace with ``plugin`` and its ``companions``.

        Example::

            def test_mine(self, workspace):
                assert workspace.host.status("plugin-under-test").state == "loaded"
        """
        with self._workspace() as ws:
            yield ws


def _hierarchy(ws: Workspace) -> dict[str, str]:
    """One entity of each scope kind, made by the kit's factories: ``{kind: key}``."""
    from ._factories import (
        make_portfolio,
        make_program,
        make_project,
        make_risk,
        make_status_report,
        make_work_item,
    )

    make_portfolio("PF1", workspace=ws)
    make_program("PG1", parent="PF1", workspace=ws)
    make_project("P1", parent="PG1", workspace=ws)
    make_work_item("P1", workspace=ws)
    make_risk("P1", workspace=ws)
    make_status_report("P1", workspace=ws)
    return {"portfolio": "PF1", "program": "PG1", "project": "P1"}


def _yields(rule: PmoGovernanceRule) -> object:
    """A plugin registering one governance rule (the suite's broken copy of a rule)."""
    from pmo_core.hookspecs import hookimpl  # here: the kit loads without pydantic

    class Yields:
        @hookimpl
        def pmo_governance_rules(self) -> Iterator[PmoGovernanceRule]:
            yield rule

    return Yields()


class GovernanceRuleConformance(_PluginSuite):
    """The tests every governance rule passes; set ``plugin`` and ``rules`` (the names).

    Each rule is registered; under every registered governance model (the companions' too)
    a check of an entity of each of its scopes gives exactly one finding for it, at the
    level the model gives it; a check that raises fails closed (an error finding that
    blocks, never a pass); a finding names the rule and the entity, with a message when it
    fails and none when it passes; a settings model validates its defaults and every
    model's ``rule_settings`` for the rule. Rules checked only at gates (``gates_only``)
    are checked for registration, levels of models and settings.

    Example::

        import pmo_governance
        from pmo_core.testing import GovernanceRuleConformance

        class TestBaselineRule(GovernanceRuleConformance):
            plugin = pmo_governance
            rules = ("baseline-before-execution",)
    """

    rules: ClassVar[tuple[str, ...]] = ()

    def _records(self) -> dict[str, PmoGovernanceRule]:
        from pmo_core._records.governance import PmoGovernanceRule

        with self._workspace() as ws:
            return {r.name: r for r in ws.host.records(PmoGovernanceRule)}

    def _models(self) -> list[PmoGovernanceModel]:
        from pmo_core._records.governance import PmoGovernanceModel

        with self._workspace() as ws:
            return list(ws.host.records(PmoGovernanceModel))

    def _mine(self) -> list[PmoGovernanceRule]:
        if not self.rules:
            raise AssertionError(f"{type(self).__name__} names no `rules`")
        records = self._records()
        return [records[name] for name in self.rules if name in records]

    def test_the_rules_are_registered_by_the_plugin(self) -> None:
        records = self._records()
        missing = [name for name in self.rules if name not in records]
        assert not missing, f"not registered: {missing} (registered: {sorted(records)})"
        for name in self.rules:
            assert records[name].plugin == _PLUGIN_ID, (name, records[name].plugin)

    def test_each_model_gives_each_rule_its_level(self) -> None:
        for model in [None, *self._models()]:
            with self._workspace(governance_model=model.name if model else None) as ws:
                keys = _hierarchy(ws)
                for rule in self._mine():
                    if rule.gates_only:
                        continue
                    expected = rule.level
                    if model is not None:
                        expected = model.rule_levels.get(
                            rule.name, model.default_level or rule.level
                        )
                    for scope in rule.scopes:
                        found = [f for f in ws.check(keys[scope]) if f.rule == rule.name]
                        if expected == "off":
                            assert found == [], (rule.name, scope, found)
                            continue
                        where = (
                            f"{rule.name} on a {scope} under {model.name if model else 'neutral'}"
                        )
                        assert len(found) == 1, f"{where}: {found}"
                        assert found[0].level == expected or found[0].error, (where, found[0])

    def test_a_check_that_raises_fails_closed(self) -> None:
        def boom(ctx: Any) -> None:
            raise RuntimeError("rule broke")

        for rule in self._mine():
            if rule.gates_only:
                continue
            broken = _yields(rule.model_copy(update={"check": boom, "plugin": ""}))
            with self._workspace(plugins={**self.companions, "broken": broken}) as ws:
                keys = _hierarchy(ws)
                for scope in rule.scopes:
                    found = [f for f in ws.check(keys[scope]) if f.rule == rule.name]
                    assert len(found) == 1, (rule.name, scope, found)
                    (finding,) = found
                    assert finding.error, finding
                    assert not finding.passed, finding
                    assert finding.level == "block", finding
                    assert finding.blocking, finding
                    assert "rule broke" in finding.message, finding

    def test_findings_are_well_formed(self) -> None:
        with self._workspace() as ws:
            keys = _hierarchy(ws)
            for rule in self._mine():
                if rule.gates_only:
                    continue
                for scope in rule.scopes:
                    for finding in ws.check(keys[scope]):
                        if finding.rule != rule.name:
                            continue
                        assert finding.entity == keys[scope], finding
                        assert not finding.error, f"{rule.name} raised: {finding.message}"
                        if finding.passed:
                            assert finding.message == "", finding
                        else:
                            assert finding.message.strip(), finding

    def test_settings_models_validate_their_defaults_and_every_model(self) -> None:
        models = self._models()
        for rule in self._mine():
            if rule.settings is None:
                continue
            rule.settings.model_validate({})  # every field has a default
            for field in ("level", "scopes"):
                assert field not in rule.settings.model_fields, (rule.name, field)
            for model in models:
                values = model.rule_settings.get(rule.name)
                if values is not None:
                    rule.settings.model_validate(dict(values))


class GovernanceModelConformance(_PluginSuite):
    """The tests every governance model passes; set ``plugin`` and ``models`` (the names).

    Each model is registered; the levels it sets name rules that are registered (with the
    plugin and its companions) and its ``rule_settings`` validate against the rule's settings
    model; a workspace under it checks an entity of every scope kind without a rule failing
    to run (every registered rule gets a level that is valid under it).

    Example::

        import pmo_governance
        from pmo_core.testing import GovernanceModelConformance

        class TestGovernanceModels(GovernanceModelConformance):
            plugin = pmo_governance
            models = ("supportive", "controlling", "directive")
    """

    models: ClassVar[tuple[str, ...]] = ()
    #: Rules a model may name though no plugin loaded here registers them.
    foreign_rules: ClassVar[tuple[str, ...]] = ()

    def _mine(self) -> list[PmoGovernanceModel]:
        from pmo_core._records.governance import PmoGovernanceModel

        if not self.models:
            raise AssertionError(f"{type(self).__name__} names no `models`")
        with self._workspace() as ws:
            records = {m.name: m for m in ws.host.records(PmoGovernanceModel)}
        missing = [name for name in self.models if name not in records]
        assert not missing, f"not registered: {missing} (registered: {sorted(records)})"
        return [records[name] for name in self.models]

    def test_the_models_are_registered_by_the_plugin(self) -> None:
        for model in self._mine():
            assert model.plugin == _PLUGIN_ID, (model.name, model.plugin)

    def test_levels_and_settings_name_registered_rules(self) -> None:
        from pmo_core._records.governance import PmoGovernanceRule

        with self._workspace() as ws:
            rules = {r.name: r for r in ws.host.records(PmoGovernanceRule)}
        for model in self._mine():
            for name in [*model.rule_levels, *model.rule_settings]:
                assert name in rules or name in self.foreign_rules, (
                    f"model {model.name!r} names rule {name!r}, which no plugin registers"
                )
            for name, values in model.rule_settings.items():
                rule = rules.get(name)
                if rule is not None:
                    assert rule.settings is not None, f"{name} takes no settings"
                    rule.settings.model_validate(dict(values))

    def test_every_rule_runs_under_the_model(self) -> None:
        for model in self._mine():
            with self._workspace(governance_model=model.name) as ws:
                keys = _hierarchy(ws)
                for key in keys.values():
                    errors = [f for f in ws.check(key) if f.error]
                    assert errors == [], f"under {model.name!r}: {errors}"


class MethodologyConformance(_PluginSuite):
    """The tests every methodology passes; set ``plugin`` and ``methodologies`` (the names).

    Each methodology is registered; its lifecycle is consistent (phase names unique, every
    gate between two existing phases, leaving one before entering the next, at most one gate
    leaving a phase, every criterion named and levelled ``must`` or ``should``, with an
    artifact it declares or a check); a project following it starts in its first phase and
    every artifact's template is what the workspace gives to start from, and not empty
    (set ``templates_required = False`` for a methodology whose artifacts have none).

    Example::

        import pmo_stage_gate
        from pmo_core.testing import MethodologyConformance

        class TestStageGate(MethodologyConformance):
            plugin = pmo_stage_gate
            methodologies = ("stage-gate",)
    """

    methodologies: ClassVar[tuple[str, ...]] = ()
    #: Whether every artifact must come with a template (text or a link).
    templates_required: ClassVar[bool] = True

    def _mine(self) -> list[PmoMethodology]:
        from pmo_core._records.methodology import PmoMethodology

        if not self.methodologies:
            raise AssertionError(f"{type(self).__name__} names no `methodologies`")
        with self._workspace() as ws:
            records = {m.name: m for m in ws.host.records(PmoMethodology)}
        missing = [name for name in self.methodologies if name not in records]
        assert not missing, f"not registered: {missing} (registered: {sorted(records)})"
        return [records[name] for name in self.methodologies]

    def test_the_lifecycle_is_consistent(self) -> None:
        for m in self._mine():
            phases = [p.name for p in m.phases]
            assert phases, m.name
            assert len(set(phases)) == len(phases), (m.name, phases)
            artifacts = {a.name for a in m.artifacts}
            leaving = [g.leaving for g in m.gates]
            assert len(set(leaving)) == len(leaving), f"{m.name}: two gates leave one phase"
            for gate in m.gates:
                assert gate.leaving in phases, (m.name, gate.name)
                assert gate.entering in phases, (m.name, gate.name)
                assert phases.index(gate.leaving) < phases.index(gate.entering), (
                    f"{m.name}: gate {gate.name!r} goes back from {gate.leaving!r} "
                    f"to {gate.entering!r}"
                )
                names = [c.name for c in gate.criteria]
                assert len(set(names)) == len(names), (m.name, gate.name, names)
                for criterion in gate.criteria:
                    assert criterion.name, (m.name, gate.name)
                    assert criterion.level in ("must", "should"), (m.name, criterion.name)
                    assert criterion.artifact is not None or criterion.check is not None
                    if criterion.artifact is not None:
                        assert criterion.artifact in artifacts, (m.name, criterion.name)

    def test_a_project_starts_in_the_first_phase(self) -> None:
        from ._factories import make_project

        for m in self._mine():
            with self._workspace() as ws:
                project = make_project("P1", methodology=m.name, phase=None, workspace=ws)
                assert project.methodology == m.name
                assert project.phase in (None, m.phases[0].name), (m.name, project.phase)

    def test_every_template_renders(self) -> None:
        from ._factories import make_project

        for m in self._mine():
            with self._workspace() as ws:
                make_project("P1", methodology=m.name, phase=None, workspace=ws)
                declared = {a.name for a in ws.artifact_templates("P1")}
                assert declared == {a.name for a in m.artifacts}, m.name
                for artifact in m.artifacts:
                    template = ws.artifact_template("P1", artifact.name).template
                    assert template == artifact.template, (m.name, artifact.name)
                    if self.templates_required:
                        assert template.strip(), f"{m.name}: {artifact.name} has no template"


def _render(ws: Workspace, name: str, key: str | None, fmt: str, where: str) -> ReportOutput:
    """Render one report, a failure named by what was rendered: the scope kind and format,
    which the host's error (under the suite's plugin id) does not say."""
    from pmo_core._errors import PmoError

    try:
        return ws.report(name, key, format=fmt)
    except PmoError as exc:
        raise AssertionError(f"{where} failed: {exc}") from exc


class ReportConformance(_PluginSuite):
    """The tests every report passes; set ``plugin`` and ``reports`` (the names).

    On a workspace the suite builds with the factories (a portfolio, a program, a project
    with a work item, a risk and a status report), every declared format renders for every
    declared scope kind (``pmo`` without a scope) to non-empty content of the format's
    media type (``MEDIA_TYPES`` plus the class's ``media_types``); every metric a report
    returns carries its lineage (a formula, and inputs or a source); an ``html`` format
    keeps hostile names inert (:data:`~pmo_core.testing.HOSTILE_STRINGS` ``script`` and
    ``img-onerror``, written to the store behind the domain's checks); every report
    declares its options (:attr:`PmoReport.options <pmo_core.PmoReport.options>`, ``{}``
    for none), each with one line saying what it does, and an option it does not declare
    is refused naming it. A report that fails
    fails the test with what it was rendering (``overdue-actions md over a pmo failed:
    ...``) and the host's message.

    Example::

        import pmo_reports
        from pmo_core.testing import ReportConformance

        class TestReports(ReportConformance):
            plugin = pmo_reports
            reports = ("portfolio-summary",)
    """

    reports: ClassVar[tuple[str, ...]] = ()
    media_types: ClassVar[Mapping[str, str]] = {}

    def _mine(self, ws: Workspace) -> list[PmoReport]:
        from pmo_core._records.reports import PmoReport

        if not self.reports:
            raise AssertionError(f"{type(self).__name__} names no `reports`")
        records = {r.name: r for r in ws.host.records(PmoReport)}
        missing = [name for name in self.reports if name not in records]
        assert not missing, f"not registered: {missing} (registered: {sorted(records)})"
        return [records[name] for name in self.reports]

    def test_every_format_renders_for_every_scope_kind(self, workspace: Workspace) -> None:
        keys: dict[str, str | None] = {**_hierarchy(workspace), "pmo": None}
        types = {**MEDIA_TYPES, **self.media_types}
        for report in self._mine(workspace):
            for scope in report.scopes:
                for fmt in report.formats:
                    where = f"{report.name} {fmt} over a {scope}"
                    out = _render(workspace, report.name, keys[scope], fmt, where)
                    assert out.content, f"{where}: empty"
                    expected = types.get(fmt)
                    if expected is not None:
                        assert out.media_type.split(";")[0].strip() == expected, (
                            where,
                            out.media_type,
                        )
                    for metric in out.metrics:
                        assert metric.name, (where, metric)
                        assert metric.formula, (where, metric)
                        assert metric.inputs or metric.source, (where, metric)

    def test_options_are_declared_and_no_other_is_taken(self, workspace: Workspace) -> None:
        from pmo_core._errors import InvalidInputError

        keys: dict[str, str | None] = {**_hierarchy(workspace), "pmo": None}
        for report in self._mine(workspace):
            assert report.options is not None, (
                f"{report.name} does not declare its options: set options={{}} (it takes "
                "none) or name each with one line saying what it does"
            )
            for name, said in report.options.items():
                assert said.strip(), f"{report.name}: option {name} says nothing of what it does"
                assert "\n" not in said, f"{report.name}: option {name}: one line, not several"
            stray = "no-such-option"
            refused: InvalidInputError | None = None
            try:
                workspace.report(report.name, keys[report.scopes[0]], options={stray: "1"})
            except InvalidInputError as exc:
                refused = exc
            assert refused is not None, f"{report.name} took the undeclared option {stray}"
            assert refused.where == f"--option {stray}", (report.name, refused.where, refused)

    def test_html_keeps_hostile_input_inert(self, workspace: Workspace) -> None:
        from ._hostile import HOSTILE_STRINGS

        keys = _hierarchy(workspace)
        text = HOSTILE_STRINGS["script"] + HOSTILE_STRINGS["img-onerror"]
        with workspace.transaction("hostile names") as tx:
            for kind, key in keys.items():
                doc = workspace.store.get(kind, key)
                assert doc is not None
                data = {**doc.data, "name": text}
                if kind != "portfolio":
                    data["sponsor"] = text
                data["manager"] = text
                tx.update(kind, key, data, expected_version=doc.version)
        scoped: dict[str, str | None] = {**keys, "pmo": None}
        for report in self._mine(workspace):
            if "html" not in report.formats:
                continue
            for scope in report.scopes:
                where = f"{report.name} html over a {scope}"
                content = _render(workspace, report.name, scoped[scope], "html", where).content
                html = content.decode() if isinstance(content, bytes) else content
                for raw in ("<script>alert", "<img src=x"):
                    assert raw not in html, f"{report.name} over a {scope} shows {raw!r} raw"
