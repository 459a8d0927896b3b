"""The conformance suites of the testing kit on the cases the sound and broken plugins of
test_conformance_suites.py do not reach: a suite set up without its plugin or its names,
gates-only rules, rules the suite does not name, settings, criteria without an artifact,
formats of no known media type, metrics and reports without html."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from pmo_core import (
    Metric,
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

SPONSOR = "acme-sponsor-named"


def _run(suite: type, test: str) -> None:
    """Run one test of a suite as pytest would, with its ``workspace`` fixture if it asks."""
    instance = suite()
    method = getattr(instance, test)
    if "workspace" in method.__code__.co_varnames[: method.__code__.co_argcount]:
        with instance._workspace() as ws:
            method(ws)
    else:
        method()


def _suite(base: type, name: str = "TestAcme", **attributes: Any) -> type:
    return type(name, (base,), attributes)


def _said(exc: pytest.ExceptionInfo[AssertionError]) -> str:
    """What a failed assertion of a suite says first (pytest adds its explanation below)."""
    return str(exc.value).split("\n")[0]


def _tests(base: type) -> list[str]:
    return [t for t in dir(base) if t.startswith("test_")]


class Governance:
    """A plugin registering the rules and models it is given."""

    def __init__(self, *rules: PmoGovernanceRule, models: tuple[PmoGovernanceModel, ...] = ()):
        self.rules, self.models = rules, models

    @hookimpl
    def pmo_governance_rules(self) -> Iterator[PmoGovernanceRule]:
        yield from self.rules

    @hookimpl
    def pmo_governance_models(self) -> Iterator[PmoGovernanceModel]:
        yield from self.models


def _sponsor(**fields: Any) -> PmoGovernanceRule:
    return PmoGovernanceRule(
        name=SPONSOR, check=lambda ctx: None if ctx.entity.sponsor else "no sponsor", **fields
    )


# -- set-up mistakes ------------------------------------------------------------------------


def test_a_suite_without_a_plugin_says_to_set_one() -> None:
    suite = _suite(GovernanceRuleConformance, "TestNoPlugin", rules=(SPONSOR,))
    with pytest.raises(AssertionError) as info:
        _run(suite, "test_the_rules_are_registered_by_the_plugin")
    assert str(info.value) == "TestNoPlugin sets no `plugin`: the module or object with your hooks"


@pytest.mark.parametrize(
    ("base", "names", "test"),
    [
        (GovernanceRuleConformance, "rules", "test_findings_are_well_formed"),
        (GovernanceModelConformance, "models", "test_the_models_are_registered_by_the_plugin"),
        (MethodologyConformance, "methodologies", "test_the_lifecycle_is_consistent"),
        (ReportConformance, "reports", "test_every_format_renders_for_every_scope_kind"),
    ],
)
def test_a_suite_naming_nothing_says_what_to_name(base: type, names: str, test: str) -> None:
    suite = _suite(base, "TestNothing", plugin=Governance(_sponsor()))
    with pytest.raises(AssertionError) as info:
        _run(suite, test)
    assert str(info.value) == f"TestNothing names no `{names}`"


# -- GovernanceRuleConformance --------------------------------------------------------------


@pytest.mark.parametrize("test", _tests(GovernanceRuleConformance))
def test_a_gates_only_rule_is_not_run_outside_a_gate_check(test: str) -> None:
    """Its check would give a malformed finding, or raise: the suite never runs it."""
    calls: list[object] = []

    def check(ctx: Any) -> str:
        calls.append(ctx)
        return "  "

    rule = PmoGovernanceRule(name=SPONSOR, check=check, gates_only=True, level="block")
    lax = PmoGovernanceModel(name="acme-lax", default_level="off")
    _run(
        _suite(GovernanceRuleConformance, plugin=Governance(rule, models=(lax,)), rules=(SPONSOR,)),
        test,
    )
    assert calls == []


def test_findings_of_rules_the_suite_does_not_name_are_not_judged() -> None:
    other = PmoGovernanceRule(name="acme-other", check=lambda ctx: "  ")
    plugin = Governance(_sponsor(), other)
    _run(
        _suite(GovernanceRuleConformance, plugin=plugin, rules=(SPONSOR,)),
        "test_findings_are_well_formed",
    )
    with pytest.raises(AssertionError, match="rule='acme-other'"):
        _run(
            _suite(GovernanceRuleConformance, plugin=plugin, rules=("acme-other",)),
            "test_findings_are_well_formed",
        )


class Days(BaseModel):
    days: int = 30


SETTINGS_TEST = "test_settings_models_validate_their_defaults_and_every_model"


def test_settings_of_every_model_that_names_the_rule_are_validated() -> None:
    silent = PmoGovernanceModel(name="acme-silent")
    sound = PmoGovernanceModel(name="acme-sound", rule_settings={SPONSOR: {"days": 14}})
    bad = PmoGovernanceModel(name="acme-bad", rule_settings={SPONSOR: {"days": "a fortnight"}})
    rule = _sponsor(settings=Days)
    _run(
        _suite(
            GovernanceRuleConformance,
            plugin=Governance(rule, models=(silent, sound)),
            rules=(SPONSOR,),
        ),
        SETTINGS_TEST,
    )
    suite = _suite(
        GovernanceRuleConformance, plugin=Governance(rule, models=(sound, bad)), rules=(SPONSOR,)
    )
    with pytest.raises(ValidationError) as info:
        _run(suite, SETTINGS_TEST)
    assert info.value.errors()[0]["loc"] == ("days",)


@pytest.mark.parametrize("field", ["level", "scopes"])
def test_a_settings_model_with_a_field_of_the_tables_own_keys_fails(field: str) -> None:
    settings = type("Clashing", (BaseModel,), {"__annotations__": {field: str}, field: "x"})
    suite = _suite(
        GovernanceRuleConformance, plugin=Governance(_sponsor(settings=settings)), rules=(SPONSOR,)
    )
    with pytest.raises(AssertionError) as info:
        _run(suite, SETTINGS_TEST)
    assert _said(info) == repr((SPONSOR, field))


# -- GovernanceModelConformance -------------------------------------------------------------

NAMES_TEST = "test_levels_and_settings_name_registered_rules"


def _model_suite(*rules: PmoGovernanceRule, settings: dict[str, Any]) -> type:
    model = PmoGovernanceModel(name="acme-model", rule_settings=settings)
    return _suite(
        GovernanceModelConformance,
        plugin=Governance(*rules, models=(model,)),
        models=("acme-model",),
        foreign_rules=("acme-elsewhere",),
    )


def test_model_settings_for_a_rule_that_takes_none_fail() -> None:
    suite = _model_suite(_sponsor(), settings={SPONSOR: {"days": 14}})
    with pytest.raises(AssertionError) as info:
        _run(suite, NAMES_TEST)
    assert str(info.value).startswith(f"{SPONSOR} takes no settings")


def test_model_settings_are_validated_against_the_rule_and_a_foreign_rule_is_left_alone() -> None:
    foreign = {"acme-elsewhere": {"anything": True}}
    _run(
        _model_suite(_sponsor(settings=Days), settings={SPONSOR: {"days": 14}, **foreign}),
        NAMES_TEST,
    )
    suite = _model_suite(_sponsor(settings=Days), settings={SPONSOR: {"days": "soon"}, **foreign})
    with pytest.raises(ValidationError) as info:
        _run(suite, NAMES_TEST)
    assert info.value.errors()[0]["loc"] == ("days",)


# -- MethodologyConformance -----------------------------------------------------------------


class Methodology:
    def __init__(self, methodology: PmoMethodology) -> None:
        self.methodology = methodology

    @hookimpl
    def pmo_methodologies(self) -> Iterator[PmoMethodology]:
        yield self.methodology


def _method(*criteria: PmoGateCriterion) -> type:
    methodology = PmoMethodology(
        name="acme-method",
        phases=(PmoPhase(name="plan"), PmoPhase(name="do")),
        gates=(PmoGate(name="go", leaving="plan", entering="do", criteria=criteria),),
        artifacts=(PmoArtifact(name="plan", template="# Plan\n"),),
    )
    return _suite(
        MethodologyConformance, plugin=Methodology(methodology), methodologies=("acme-method",)
    )


def test_a_criterion_with_only_a_check_is_consistent() -> None:
    checked = PmoGateCriterion(name="sponsor", check=lambda ctx: None)
    _run(_method(checked), "test_the_lifecycle_is_consistent")


# -- ReportConformance ----------------------------------------------------------------------


class Report:
    """A report over every scope in ``formats``, rendered by ``render`` (calls counted)."""

    def __init__(self, render: Callable[[Any], ReportOutput], formats: tuple[str, ...]) -> None:
        self._render, self.formats, self.calls = render, formats, 0

    def render(self, request: Any) -> ReportOutput:
        self.calls += 1
        return self._render(request)

    @hookimpl
    def pmo_reports(self) -> Iterator[PmoReport]:
        yield PmoReport(
            name="acme-report",
            scopes=("project", "program", "portfolio", "pmo"),
            formats=self.formats,
            render=self.render,
            options={"upper": "Names in capitals (true or false)."},
        )


RENDERS_TEST = "test_every_format_renders_for_every_scope_kind"


def _report_suite(plugin: Report, **attributes: Any) -> type:
    return _suite(ReportConformance, plugin=plugin, reports=("acme-report",), **attributes)


def test_a_format_of_no_known_media_type_takes_any_unless_the_suite_names_one() -> None:
    plugin = Report(lambda r: ReportOutput("a: 1\n", "text/x-anything"), ("yaml",))
    _run(_report_suite(plugin), RENDERS_TEST)
    assert plugin.calls == 4  # one per scope kind
    suite = _report_suite(plugin, media_types={"yaml": "application/yaml"})
    with pytest.raises(AssertionError) as info:
        _run(suite, RENDERS_TEST)
    assert _said(info) == repr(("acme-report yaml over a project", "text/x-anything"))


def _with_metric(metric: Metric) -> Callable[[Any], ReportOutput]:
    return lambda r: ReportOutput("spi 0.9", "text/plain", metrics=(metric,))


def test_metrics_with_their_lineage_pass() -> None:
    for metric in (
        Metric(name="spi", value=Decimal("0.9"), formula="EV / PV", inputs={"EV": Decimal(9)}),
        Metric(name="spi", value=None, formula="EV / PV", source="the PMO dashboard"),
    ):
        _run(_report_suite(Report(_with_metric(metric), ("txt",))), RENDERS_TEST)


@pytest.mark.parametrize(
    "metric",
    [
        Metric(name="spi", value=Decimal("0.9"), formula="EV / PV"),
        Metric(name="spi", value=Decimal("0.9"), formula="", source="the PMO dashboard"),
        Metric(name="", value=Decimal("0.9"), formula="EV / PV", source="the PMO dashboard"),
    ],
    ids=["no-inputs-or-source", "no-formula", "no-name"],
)
def test_a_metric_without_its_lineage_fails_naming_the_report(metric: Metric) -> None:
    with pytest.raises(AssertionError) as info:
        _run(_report_suite(Report(_with_metric(metric), ("txt",))), RENDERS_TEST)
    assert _said(info) == repr(("acme-report txt over a project", metric))


def test_a_report_without_html_is_not_rendered_for_hostile_input() -> None:
    plugin = Report(lambda r: ReportOutput("<script>alert(1)</script>", "text/plain"), ("txt",))
    _run(_report_suite(plugin), "test_html_keeps_hostile_input_inert")
    assert plugin.calls == 0
