"""The host imports only the plugins a request needs, once it knows what each registers.

Each plugin's footprint (its hooks and record names, and the files of its modules) is kept
when it loads; a later host asked for one family imports only the plugins whose footprint
implements it. Any doubt loads every enabled plugin, as before: no footprint yet, a changed
file, a shared record name, a plugin that failed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

import pytest

from pmo_core import PluginHost, PmoGovernanceRule, PmoReport
from pmo_core.testing import FakeDistribution

Install = Callable[..., FakeDistribution]

REPORT_PLUGIN = """
from pmo_core import PmoReport, ReportOutput, hookimpl

def _render(request):
    return ReportOutput(content="ok", media_type="text/plain")

@hookimpl
def pmo_reports():
    yield PmoReport(name="{name}", summary="A report.", scopes=("pmo",), formats=("md",),
                    render=_render)
"""

RULE_PLUGIN = """
from pmo_core import PmoGovernanceRule, hookimpl

@hookimpl
def pmo_governance_rules():
    yield PmoGovernanceRule(name="{name}", level="warn", check=lambda ctx: None)
"""

LISTENER = """
from pmo_core import hookimpl

@hookimpl
def pmo_status_reported(workspace, reports):
    pass
"""


def _forget(*dists: FakeDistribution) -> None:
    # A fresh process would not have them: the next host shows what it imports itself.
    for dist in dists:
        for name in list(sys.modules):
            if name == dist.module or name.startswith(f"{dist.module}."):
                del sys.modules[name]


def _imported(*dists: FakeDistribution) -> set[str]:
    return {d.plugin_id for d in dists if d.module in sys.modules}


def _three(install: Install) -> tuple[FakeDistribution, ...]:
    reports = install("pmo-kit-reports", REPORT_PLUGIN.replace("{name}", "kit-report"))
    rules = install("pmo-kit-rules", RULE_PLUGIN.replace("{name}", "kit-rule"))
    listener = install("pmo-kit-listener", LISTENER)
    return reports, rules, listener


ENABLED = ["kit-reports", "kit-rules", "kit-listener"]


def test_a_request_imports_only_the_plugins_that_implement_it(
    fake_distribution: Install,
) -> None:
    dists = _three(fake_distribution)
    # The first time nothing is known: every enabled plugin is imported.
    first = PluginHost(enabled=ENABLED)
    assert [r.name for r in first.records(PmoReport)] == ["kit-report"]
    assert _imported(*dists) == set(ENABLED)

    _forget(*dists)
    host = PluginHost(enabled=ENABLED)
    assert [r.name for r in host.records(PmoReport)] == ["kit-report"]
    assert _imported(*dists) == {"kit-reports"}
    assert host.listens("pmo_status_reported")
    assert _imported(*dists) == {"kit-reports", "kit-listener"}
    assert [r.name for r in host.records(PmoGovernanceRule) if r.plugin == "kit-rules"] == [
        "kit-rule"
    ]
    assert _imported(*dists) == set(ENABLED)


def test_plugins_list_still_loads_every_enabled_plugin(fake_distribution: Install) -> None:
    dists = _three(fake_distribution)
    PluginHost(enabled=ENABLED).statuses()
    _forget(*dists)

    statuses = {s.id: s for s in PluginHost(enabled=ENABLED).statuses()}

    assert {pid: statuses[pid].state for pid in ENABLED} == dict.fromkeys(ENABLED, "loaded")
    assert _imported(*dists) == set(ENABLED)


def test_a_changed_plugin_file_loads_every_plugin(fake_distribution: Install) -> None:
    dists = _three(fake_distribution)
    PluginHost(enabled=ENABLED).statuses()
    _forget(*dists)
    rules = dists[1]
    path = rules.site / f"{rules.module}.py"
    stamp = path.stat().st_mtime_ns + 2_000_000_000
    os.utime(path, ns=(stamp, stamp))  # edited in place, as in an editable install

    PluginHost(enabled=ENABLED).records(PmoReport)

    assert _imported(*dists) == set(ENABLED)


def test_plugins_sharing_a_record_name_load_together(fake_distribution: Install) -> None:
    first = fake_distribution("pmo-kit-first", REPORT_PLUGIN.replace("{name}", "same"))
    second = fake_distribution("pmo-kit-second", REPORT_PLUGIN.replace("{name}", "same"))
    rules = fake_distribution("pmo-kit-rules", RULE_PLUGIN.replace("{name}", "kit-rule"))
    enabled = ["kit-first", "kit-second", "kit-rules"]
    PluginHost(enabled=enabled).statuses()
    _forget(first, second, rules)

    host = PluginHost(enabled=enabled)
    host.records(PmoGovernanceRule)

    # Who keeps "same" is settled among all of them, whatever was asked for.
    assert _imported(first, second, rules) == set(enabled)
    assert host.status("kit-second").state == "failed"


def test_a_plugin_that_fails_to_import_is_reported_by_every_request(
    fake_distribution: Install,
) -> None:
    dists = _three(fake_distribution)
    broken = fake_distribution("pmo-kit-broken", "raise RuntimeError('broken at import')\n")
    enabled = [*ENABLED, "kit-broken"]
    PluginHost(enabled=enabled).statuses()
    _forget(*dists)

    host = PluginHost(enabled=enabled)
    host.records(PmoReport)

    # It never loaded, so nothing says what it provides: every plugin is imported again and
    # the failure is there for whoever asks.
    assert _imported(*dists) == set(ENABLED)
    (problem,) = host.problems(hooks=["pmo_reports"])
    assert problem.id == "kit-broken"
    assert "broken at import" in (problem.error or "")
    assert broken.module not in sys.modules


def test_problems_for_some_hooks_leave_other_plugins_unimported(
    fake_distribution: Install,
) -> None:
    dists = _three(fake_distribution)
    PluginHost(enabled=ENABLED).statuses()
    _forget(*dists)

    host = PluginHost(enabled=ENABLED)

    assert host.problems(hooks=["pmo_governance_rules"]) == []
    assert _imported(*dists) == {"kit-rules"}


def test_no_cache_trusts_no_footprint(
    fake_distribution: Install, monkeypatch: pytest.MonkeyPatch
) -> None:
    dists = _three(fake_distribution)
    PluginHost(enabled=ENABLED).statuses()
    _forget(*dists)
    monkeypatch.setenv("PMO_NO_CACHE", "1")

    PluginHost(enabled=ENABLED).records(PmoReport)

    assert _imported(*dists) == set(ENABLED)


def test_a_hosts_footprints_are_checked_once_however_many_requests(
    fake_distribution: Install, monkeypatch: pytest.MonkeyPatch
) -> None:
    dists = _three(fake_distribution)
    PluginHost(enabled=ENABLED).statuses()
    _forget(*dists)
    host = PluginHost(enabled=ENABLED)
    from pmo_core._plugins import footprint

    checked: list[object] = []
    real_unchanged = footprint._unchanged

    def counting(files: object) -> bool:
        checked.append(files)
        return real_unchanged(files)

    monkeypatch.setattr(footprint, "_unchanged", counting)
    for _ in range(5):
        host.records(PmoReport)
        host.records(PmoGovernanceRule)

    # Each plugin's files are looked at once, not once per request (a governance check over
    # 10,000 projects asks for rules 10,000 times).
    assert len(checked) == len(dists)
    assert _imported(*dists) == {"kit-reports", "kit-rules"}
