"""The conformance suites of the testing kit catch what they promise to: each broken plugin
here fails the test of the suite that names its fault, and a sound one passes them all."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pmo_core import (
    PmoArtifact,
    PmoGate,
    PmoGateCriterion,
    PmoGovernanceModel,
    PmoGovernanceRule,
    PmoMethodology,
    PmoPhase,
    PmoReport,
    ReportOutput,
    hookimpl,
)
from pmo_core.testing import (
    GovernanceModelConformance,
    GovernanceRuleConformance,
    MethodologyConformance,
    ReportConformance,
)

pytest_plugins = ["pytester"]


def _run(suite: type, test: str) -> None:
    """Run one test of a suite as pytest would, with its ``workspace`` fixture if it asks."""
    instance = suite()
    method = getattr(instance, test)
    if "workspace" in method.__code__.co_varnames[: method.__code__.co_argcount]:
        with instance._workspace() as ws:
            method(ws)
    else:
        method()


class Rules:
    def __init__(self, *rules: PmoGovernanceRule, models: tuple[PmoGovernanceModel, ...] = ()):
        self.rules, self.models = rules, models

    @hookimpl
    def pmo_governance_rules(self) -> Iterator[PmoGovernanceRule]:
        yield from self.rules

    @hookimpl
    def pmo_governance_models(self) -> Iterator[PmoGovernanceModel]:
        yield from self.models


def _rule(check: Callable[[Any], Any], **fields: Any) -> PmoGovernanceRule:
    return PmoGovernanceRule(name="acme-sponsor-named", check=check, **fields)


SOUND = _rule(lambda ctx: None if ctx.entity.sponsor else "no sponsor named")


def _rule_suite(plugin: object, rules: tuple[str, ...] = ("acme-sponsor-named",)) -> type:
    return type("TestRules", (GovernanceRuleConformance,), {"plugin": plugin, "rules": rules})


RULE_TESTS = [t for t in dir(GovernanceRuleConformance) if t.startswith("test_")]


@pytest.mark.parametrize("test", RULE_TESTS)
def test_a_sound_rule_passes_every_rule_test(test: str) -> None:
    strict = PmoGovernanceModel(name="acme-strict", rule_levels={"acme-sponsor-named": "block"})
    lax = PmoGovernanceModel(name="acme-lax", default_level="off")
    _run(_rule_suite(Rules(SOUND, models=(strict, lax))), test)


def test_an_unregistered_rule_fails() -> None:
    with pytest.raises(AssertionError, match="not registered"):
        _run(
            _rule_suite(Rules(SOUND), ("acme-other",)),
            "test_the_rules_are_registered_by_the_plugin",
        )


def test_a_rule_that_raises_is_not_well_formed() -> None:
    def broken(ctx: Any) -> None:
        raise KeyError("sponsor")

    with pytest.raises(AssertionError, match="raised"):
        _run(_rule_suite(Rules(_rule(broken))), "test_findings_are_well_formed")


def test_a_failure_without_a_message_is_not_well_formed() -> None:
    with pytest.raises(AssertionError):
        _run(_rule_suite(Rules(_rule(lambda ctx: "  "))), "test_findings_are_well_formed")


def test_settings_without_defaults_fail() -> None:
    from pydantic import BaseModel

    class Needs(BaseModel):
        days: int  # no default

    rule = _rule(lambda ctx: None, settings=Needs)
    with pytest.raises(Exception, match="days"):
        _run(
            _rule_suite(Rules(rule)), "test_settings_models_validate_their_defaults_and_every_model"
        )


def test_a_model_setting_a_rule_nobody_registers_fails() -> None:
    model = PmoGovernanceModel(name="acme-model", rule_levels={"no-such-rule": "block"})
    suite = type(
        "TestModels",
        (GovernanceModelConformance,),
        {"plugin": Rules(SOUND, models=(model,)), "models": ("acme-model",)},
    )
    _run(suite, "test_the_models_are_registered_by_the_plugin")
    _run(suite, "test_every_rule_runs_under_the_model")
    with pytest.raises(AssertionError, match="no-such-rule"):
        _run(suite, "test_levels_and_settings_name_registered_rules")
    suite.foreign_rules = ("no-such-rule",)
    _run(suite, "test_levels_and_settings_name_registered_rules")


class Methodology:
    def __init__(self, methodology: PmoMethodology) -> None:
        self.methodology = methodology

    @hookimpl
    def pmo_methodologies(self) -> Iterator[PmoMethodology]:
        yield self.methodology


def _methodology(*gates: PmoGate, template: str = "# Plan\n") -> Methodology:
    return Methodology(
        PmoMethodology(
            name="acme-method",
            phases=(PmoPhase(name="plan"), PmoPhase(name="do"), PmoPhase(name="close")),
            gates=gates,
            artifacts=(PmoArtifact(name="plan", template=template),),
        )
    )


def _gate(leaving: str, entering: str) -> PmoGate:
    return PmoGate(
        name=f"{leaving}-{entering}",
        leaving=leaving,
        entering=entering,
        criteria=(PmoGateCriterion(name="plan", artifact="plan"),),
    )


def _method_suite(plugin: object) -> type:
    return type(
        "TestMethod",
        (MethodologyConformance,),
        {"plugin": plugin, "methodologies": ("acme-method",)},
    )


@pytest.mark.parametrize("test", [t for t in dir(MethodologyConformance) if t.startswith("test_")])
def test_a_sound_methodology_passes(test: str) -> None:
    _run(_method_suite(_methodology(_gate("plan", "do"), _gate("do", "close"))), test)


def test_a_gate_going_back_fails() -> None:
    with pytest.raises(AssertionError, match="goes back"):
        _run(_method_suite(_methodology(_gate("do", "plan"))), "test_the_lifecycle_is_consistent")


def test_two_gates_leaving_one_phase_fail() -> None:
    plugin = _methodology(_gate("plan", "do"), _gate("plan", "close"))
    with pytest.raises(AssertionError, match="two gates"):
        _run(_method_suite(plugin), "test_the_lifecycle_is_consistent")


def test_an_empty_template_fails_unless_allowed() -> None:
    suite = _method_suite(_methodology(_gate("plan", "do"), template=""))
    with pytest.raises(AssertionError, match="no template"):
        _run(suite, "test_every_template_renders")
    suite.templates_required = False
    _run(suite, "test_every_template_renders")


class Report:
    def __init__(
        self,
        render: Callable[[Any], ReportOutput],
        formats: tuple[str, ...],
        options: dict[str, str] | None = None,
    ) -> None:
        self.render, self.formats = render, formats
        self.options = (
            {"upper": "Names in capitals (true or false)."} if options is None else options
        )

    @hookimpl
    def pmo_reports(self) -> Iterator[PmoReport]:
        yield PmoReport(
            name="acme-names",
            scopes=("project", "program", "portfolio", "pmo"),
            formats=self.formats,
            render=self.render,
            options=self.options or None,
        )


def _names(request: Any) -> str:
    return " ".join(e.name for e in request.view.entities())


def _escaped(request: Any) -> ReportOutput:
    import html

    if request.format == "html":
        return ReportOutput(f"<p>{html.escape(_names(request))}</p>", "text/html")
    return ReportOutput(_names(request) or "none", "text/plain")


def _report_suite(plugin: object) -> type:
    return type("TestReport", (ReportConformance,), {"plugin": plugin, "reports": ("acme-names",)})


@pytest.mark.parametrize("test", [t for t in dir(ReportConformance) if t.startswith("test_")])
def test_a_sound_report_passes(test: str) -> None:
    _run(_report_suite(Report(_escaped, ("html", "txt"))), test)


def test_a_report_that_does_not_declare_its_options_fails() -> None:
    plugin = Report(_escaped, ("txt",), options={})  # {} here registers options=None
    with pytest.raises(AssertionError, match="does not declare its options"):
        _run(_report_suite(plugin), "test_options_are_declared_and_no_other_is_taken")


def test_an_option_must_say_in_one_line_what_it_does() -> None:
    for said, complaint in (("  ", "says nothing"), ("Upper.\nOr lower.", "one line")):
        plugin = Report(_escaped, ("txt",), options={"upper": said})
        with pytest.raises(AssertionError, match=complaint):
            _run(_report_suite(plugin), "test_options_are_declared_and_no_other_is_taken")


def test_html_that_does_not_escape_fails() -> None:
    plugin = Report(lambda r: ReportOutput(f"<p>{_names(r)}</p>", "text/html"), ("html",))
    with pytest.raises(AssertionError, match="raw"):
        _run(_report_suite(plugin), "test_html_keeps_hostile_input_inert")


def test_a_wrong_media_type_fails() -> None:
    plugin = Report(lambda r: ReportOutput("{}", "text/plain"), ("json",))
    with pytest.raises(AssertionError, match="text/plain"):
        _run(_report_suite(plugin), "test_every_format_renders_for_every_scope_kind")


def test_empty_output_fails() -> None:
    plugin = Report(lambda r: ReportOutput("", "text/plain"), ("txt",))
    with pytest.raises(AssertionError, match="empty"):
        _run(_report_suite(plugin), "test_every_format_renders_for_every_scope_kind")


def test_a_failing_report_is_named_with_its_format_and_scope_kind() -> None:
    # The whole PMO has no scope: a report that forgets it fails there, and the suite says so.
    plugin = Report(lambda r: ReportOutput(r.scope.id, "text/plain"), ("txt",))
    with pytest.raises(AssertionError, match="acme-names txt over a pmo failed: plugin") as e:
        _run(_report_suite(plugin), "test_every_format_renders_for_every_scope_kind")
    assert "AttributeError: 'NoneType' object has no attribute 'id'" in str(e.value)
    with pytest.raises(AssertionError, match="acme-names html over a pmo failed"):
        _run(_report_suite(Report(plugin.render, ("html",))), "test_html_keeps_hostile_input_inert")


def _projects_connector(data: dict[str, Any], kind: str = "project") -> object:
    from pmo_core import PmoConnector, SourceItem

    def read(request: Any) -> Iterator[SourceItem]:
        for key, fields in data.items():
            yield SourceItem(kind=kind, remote_id=key, data=fields, where=f"source:{key}")

    class Connector:
        @hookimpl
        def pmo_connectors(self) -> Iterator[PmoConnector]:
            yield PmoConnector(name="acme-src", capabilities=frozenset({"read"}), read=read)

    return Connector()


class _Sample:
    connector = "acme-src"
    location = "nowhere"

    def __init__(self, plugin: object) -> None:
        self.plugins = {"acme-src": plugin}


def _well_formed(plugin: object) -> None:
    from pmo_core import Workspace
    from pmo_core.testing import ConnectorConformance

    sample = _Sample(plugin)
    with Workspace.in_memory(plugins=sample.plugins) as ws:
        ConnectorConformance().test_the_items_read_are_well_formed(ws, sample)  # type: ignore[arg-type]


def test_connector_items_with_domain_fields_are_well_formed() -> None:
    _well_formed(_projects_connector({"P-1": {"name": "Alpha", "planned_start": "2025-01-06"}}))


@pytest.mark.parametrize(
    ("plugin", "message"),
    [
        (_projects_connector({"P-1": {"name": "Alpha", "start": "2025-01-06"}}), "start"),
        (_projects_connector({"P-1": {"name": "Alpha"}}, kind="task"), "kind 'task'"),
        (_projects_connector({"": {"name": "Alpha"}}), "no remote id"),
        (_projects_connector({}), "reads as nothing"),
    ],
)
def test_connector_items_that_import_would_not_take_fail(plugin: object, message: str) -> None:
    with pytest.raises(AssertionError, match=message):
        _well_formed(plugin)


def test_a_connector_suite_with_no_sample_says_how_to_give_one(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_nosample="""
        from pmo_core.testing import ConnectorConformance

        class TestNoSample(ConnectorConformance):
            pass
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-x", "-q")
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        ["*TestNoSample: set sample_type = YourSample (a ConnectorSample class*"]
    )
