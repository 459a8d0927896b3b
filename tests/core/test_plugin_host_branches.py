"""The plugin host on the paths test_host.py leaves: a policy given twice, a distribution with
several plugins, an id two distributions claim where the workspace recorded its source, a
slow import, a plugin refused by its pre-flight import, footprints that share a name,
strict mode on records, and listeners that raise."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

import pytest

from pmo_core import (
    HostPolicy,
    NotFoundError,
    PluginError,
    PluginHost,
    PmoGovernanceRule,
    PmoReport,
    hookimpl,
)
from pmo_core.testing import FakeDistribution

Install = Callable[..., FakeDistribution]
MakeHost = Callable[..., PluginHost]

REPORTS = """
from pmo_core import PmoReport, ReportOutput, hookimpl

def _render(request):
    return ReportOutput(content="ok", media_type="text/plain")

def _report(name):
    return PmoReport(name=name, summary="A report.", scopes=("pmo",), formats=("md",),
                     render=_render)

@hookimpl
def pmo_reports():
    yield _report("{report}")
"""


def _reports(name: str) -> str:
    return REPORTS.replace("{report}", name)


def _names(host: PluginHost) -> list[tuple[str, str | None]]:
    return [(r.name, r.plugin) for r in host.records(PmoReport)]


@pytest.mark.parametrize(
    "fields",
    [
        {"enabled": ["csv"]},
        {"order": ["csv"]},
        {"strict": True},
        {"trace": True},
        {"allow": []},
        {"deny": ["csv"]},
    ],
)
def test_a_policy_and_any_of_its_fields_together_are_refused(fields: dict[str, Any]) -> None:
    with pytest.raises(TypeError) as info:
        PluginHost(policy=HostPolicy(), **fields)
    assert str(info.value) == "give either a policy or its fields (enabled, order, ...), not both"


PAIR = """
from pmo_core import PmoReport, ReportOutput, hookimpl

def _render(request):
    return ReportOutput(content="ok", media_type="text/plain")

class _One:
    @hookimpl
    def pmo_reports(self):
        yield PmoReport(name="one-report", scopes=("pmo",), formats=("md",), render=_render)

class _Two:
    @hookimpl
    def pmo_reports(self):
        yield PmoReport(name="two-report", scopes=("pmo",), formats=("md",), render=_render)

one, two = _One(), _Two()
"""
PAIR_ENTRY_POINTS = {"kit-one": "pmo_kit_pair:one", "kit-two": "pmo_kit_pair:two"}


def test_a_distribution_with_several_plugins_is_named_by_plugin_id(
    fake_distribution: Install, pmo_host: MakeHost
) -> None:
    fake_distribution("pmo-kit-pair", PAIR, entry_points=PAIR_ENTRY_POINTS)
    host = pmo_host(enabled=["kit-two"])

    with pytest.raises(NotFoundError) as info:
        host.resolve("pmo-kit-pair")
    assert str(info.value) == (
        "distribution 'pmo-kit-pair' provides several plugins (kit-one, kit-two); name one"
    )
    assert host.resolve("kit-one").distribution == "pmo-kit-pair"
    assert _names(host) == [("two-report", "kit-two")]
    assert host.status("kit-one").state == "disabled"


def test_an_id_two_distributions_claim_goes_to_the_recorded_source_with_a_note(
    fake_distribution: Install, pmo_host: MakeHost
) -> None:
    one = fake_distribution("pmo-kit-one", _reports("one-report"), plugin_id="kit-twin")
    fake_distribution("pmo-kit-two", _reports("two-report"), plugin_id="kit-twin")
    pmo_host()  # isolates the caches

    host = PluginHost(policy=HostPolicy(enabled=("kit-twin",), sources={"kit-twin": "pmo-kit-two"}))

    status = host.status("kit-twin")
    assert (status.state, status.distribution) == ("loaded", "pmo-kit-two")
    assert status.notes == (
        "plugin id 'kit-twin' is also claimed by pmo-kit-one, refused: this workspace "
        "enabled it from pmo-kit-two",
    )
    assert _names(host) == [("two-report", "kit-twin")]
    assert one.module not in sys.modules


def test_an_id_two_distributions_claim_stays_refused_when_the_source_is_neither(
    fake_distribution: Install, pmo_host: MakeHost
) -> None:
    one = fake_distribution("pmo-kit-one", _reports("one-report"), plugin_id="kit-twin")
    two = fake_distribution("pmo-kit-two", _reports("two-report"), plugin_id="kit-twin")
    pmo_host()

    host = PluginHost(
        policy=HostPolicy(enabled=("kit-twin",), sources={"kit-twin": "pmo-kit-three"})
    )

    status = host.status("kit-twin")
    assert status.state == "failed"
    assert status.error == (
        "plugin id 'kit-twin' is claimed by several distributions: pmo-kit-one, pmo-kit-two"
    )
    assert _names(host) == []
    assert one.module not in sys.modules
    assert two.module not in sys.modules


def test_an_import_slower_than_the_limit_is_noted(
    fake_distribution: Install, pmo_host: MakeHost
) -> None:
    fake_distribution("pmo-kit-alpha", _reports("alpha-report"))
    pmo_host()

    host = PluginHost(policy=HostPolicy(enabled=("kit-alpha",), slow_import_seconds=0.0))

    status = host.status("kit-alpha")
    assert status.state == "loaded"
    (note,) = status.notes
    assert re.fullmatch(r"its import took \d+\.\d\d s \(more than 0 s\)", note), note
    assert _names(host) == [("alpha-report", "kit-alpha")]
    quick = PluginHost(policy=HostPolicy(enabled=("kit-alpha",), slow_import_seconds=60.0))
    assert quick.status("kit-alpha").notes == ()


def test_a_plugin_whose_import_ends_the_process_is_refused_before_import(
    fake_distribution: Install, pmo_host: MakeHost
) -> None:
    exiting = fake_distribution("pmo-kit-exit", "import os\nos._exit(3)\n")
    fake_distribution("pmo-kit-alpha", _reports("alpha-report"))

    host = pmo_host(enabled=["kit-exit", "kit-alpha"])

    status = host.status("kit-exit")
    assert status.state == "failed"
    assert status.error == "refused: its import ends the process (exit status 3)"
    assert exiting.module not in sys.modules
    assert _names(host) == [("alpha-report", "kit-alpha")]


def _forget(*dists: FakeDistribution) -> None:
    """Drop the plugins' modules, as a fresh process would not have them."""
    for dist in dists:
        for name in list(sys.modules):
            if name == dist.module or name.startswith(f"{dist.module}."):
                del sys.modules[name]


def test_plugins_that_loaded_apart_but_share_a_name_load_together(
    fake_distribution: Install,
) -> None:
    """Each was loaded in another workspace, so both footprints hold the name: a request for
    rules alone imports every plugin, so who keeps the name is settled among all of them."""
    rules = fake_distribution("pmo-kit-rules", RULES)
    first = fake_distribution("pmo-kit-first", _reports("same"))
    second = fake_distribution("pmo-kit-second", _reports("same"))
    PluginHost(enabled=["kit-first", "kit-rules"]).statuses()
    PluginHost(enabled=["kit-second"]).statuses()
    _forget(rules, first, second)

    host = PluginHost(enabled=["kit-first", "kit-second", "kit-rules"])
    assert [r.name for r in host.records(PmoGovernanceRule) if r.plugin] == ["kit-rule"]

    assert {d.module for d in (rules, first, second) if d.module in sys.modules} == {
        rules.module,
        first.module,
        second.module,
    }
    assert host.status("kit-second").state == "failed"
    assert _names(host) == [("same", "kit-first")]


RULES = """
from pmo_core import PmoGovernanceRule, hookimpl

@hookimpl
def pmo_governance_rules():
    yield PmoGovernanceRule(name="kit-rule", check=lambda ctx: None)
"""

RAISING_REPORTS = """
from pmo_core import hookimpl

@hookimpl
def pmo_reports():
    raise RuntimeError("reports are broken")
"""


def test_strict_mode_raises_for_a_registration_hook_that_raises(
    fake_distribution: Install, pmo_host: MakeHost
) -> None:
    fake_distribution("pmo-kit-broken", RAISING_REPORTS)

    with pytest.raises(PluginError) as info:
        pmo_host(enabled=["kit-broken"], strict=True)

    assert info.value.plugin == "kit-broken"
    assert "pmo_reports raised RuntimeError: reports are broken" in str(info.value)
    lenient = pmo_host(enabled=["kit-broken"])
    assert lenient.status("kit-broken").state == "failed"


def test_strict_mode_raises_for_a_record_name_clash_naming_both_distributions(
    fake_distribution: Install, pmo_host: MakeHost
) -> None:
    fake_distribution("pmo-kit-alpha", _reports("weekly"))
    fake_distribution("pmo-kit-beta", _reports("weekly"))

    with pytest.raises(PluginError) as info:
        pmo_host(enabled=["kit-alpha", "kit-beta"], strict=True)

    assert info.value.plugin == "kit-beta"
    assert str(info.value).endswith(
        "pmo_reports name 'weekly' clashes with plugin 'kit-alpha' (distribution "
        "pmo-kit-alpha); this plugin's distribution is pmo-kit-beta"
    )


class _Listener:
    def __init__(self, heard: list[str], name: str, fails: bool = False) -> None:
        self.heard, self.name, self.fails = heard, name, fails

    @hookimpl
    def pmo_entities_changed(self, workspace: Any, changes: Any) -> None:
        self.heard.append(self.name)
        if self.fails:
            raise RuntimeError(f"{self.name} cannot listen")


def test_a_listener_that_raises_is_quarantined_and_the_others_still_hear(
    pmo_host: MakeHost,
) -> None:
    heard: list[str] = []
    host = pmo_host(
        plugins={"loud": _Listener(heard, "loud", fails=True), "calm": _Listener(heard, "calm")}
    )

    host.notify("pmo_entities_changed", workspace=None, changes=[])
    host.notify("pmo_entities_changed", workspace=None, changes=[])

    # Plugins hear events in plugin order (these, by id); loud is gone after its failure.
    assert heard == ["calm", "loud", "calm"]
    status = host.status("loud")
    assert status.state == "failed"
    assert status.error == "pmo_entities_changed raised RuntimeError: loud cannot listen"
    assert "loud" not in dict(host.pluggy.list_name_plugin())
    assert "calm" in dict(host.pluggy.list_name_plugin())


def test_in_strict_mode_a_listener_that_raises_stops_the_event(pmo_host: MakeHost) -> None:
    heard: list[str] = []
    host = pmo_host(
        plugins={"loud": _Listener(heard, "loud", fails=True), "calm": _Listener(heard, "calm")},
        strict=True,
    )

    with pytest.raises(PluginError) as info:
        host.notify("pmo_entities_changed", workspace=None, changes=[])

    assert info.value.plugin == "loud"
    assert "pmo_entities_changed raised RuntimeError: loud cannot listen" in str(info.value)
    assert heard == ["calm", "loud"]
