"""The plugin host against real installed distributions (``fake_distribution``).

Every plugin here is discovered through ``importlib.metadata`` and imported for real, so
these tests exercise discovery, compatibility checks and quarantine as operators meet them.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

import pytest

from pmo_core import (
    IncompatiblePluginError,
    PluginError,
    PluginHost,
    PmoCommand,
    PmoGovernanceRule,
    PmoReport,
    PmoSettings,
    __version__,
    hookimpl,
)
from pmo_core.testing import FakeDistribution

Install = Callable[..., FakeDistribution]
MakeHost = Callable[..., PluginHost]

REPORT_PLUGIN = """
from pmo_core import PmoReport, ReportOutput, hookimpl

def _render(request):
    return ReportOutput(content="ok", media_type="text/plain")

@hookimpl
def pmo_reports():
    yield PmoReport(name="{report}", summary="A report.", scopes=("pmo",), formats=("md",),
                    render=_render)
"""

RULE_PLUGIN = """
from pmo_core import PmoGovernanceRule, hookimpl

@hookimpl
def pmo_governance_rules():
    yield PmoGovernanceRule(name="{rule}", level="warn", check=lambda ctx: None)
"""


def report_plugin(report: str) -> str:
    return REPORT_PLUGIN.replace("{report}", report)


def rule_plugin(rule: str) -> str:
    return RULE_PLUGIN.replace("{rule}", rule)


def names(records: Any) -> list[str]:
    return [r.name for r in records]


# ----------------------------------------------------------------------------- discovery


def test_listing_reads_metadata_without_importing(fake_distribution: Install) -> None:
    dist = fake_distribution(
        "pmo-kit-alpha", report_plugin("alpha-report"), summary="Alpha reports.", version="1.2.3"
    )
    host = PluginHost()  # nothing enabled, as `pmo plugins list` in a fresh workspace

    statuses = {s.id: s for s in host.statuses()}

    status = statuses["kit-alpha"]
    assert (status.distribution, status.version, status.summary) == (
        "pmo-kit-alpha",
        "1.2.3",
        "Alpha reports.",
    )
    assert (status.enabled, status.state) == (False, "disabled")
    assert status.requires_core == ">=0.1"
    assert dist.module not in sys.modules


def test_pmo_plugins_list_shows_an_installed_plugin_without_importing_it(
    fake_distribution: Install, pmo_cli: Callable[..., Any], pmo_workspace: Any
) -> None:
    dist = fake_distribution("pmo-kit-alpha", report_plugin("alpha-report"), summary="Alpha.")

    result = pmo_cli("plugins", "list", "--json", workspace=pmo_workspace)

    assert result.exit_code == 0, result.stderr
    (listed,) = [p for p in result.json() if p["id"] == "kit-alpha"]
    assert (listed["distribution"], listed["summary"]) == ("pmo-kit-alpha", "Alpha.")
    assert (listed["enabled"], listed["status"]) == (False, "disabled")
    assert dist.module not in sys.modules


def test_a_plugin_not_enabled_is_never_imported(
    fake_distribution: Install, pmo_host: MakeHost
) -> None:
    fake_distribution("pmo-kit-alpha", report_plugin("alpha-report"))
    off = fake_distribution("pmo-kit-beta", "raise RuntimeError('imported!')\n")

    host = pmo_host(enabled=["kit-alpha"])

    assert host.status("kit-alpha").state == "loaded"
    assert host.status("kit-beta").state == "disabled"
    assert off.module not in sys.modules
    assert names(host.records(PmoReport)) == ["alpha-report"]


def test_enabling_by_distribution_name(fake_distribution: Install, pmo_host: MakeHost) -> None:
    fake_distribution("pmo-kit-alpha", report_plugin("alpha-report"))

    host = pmo_host(enabled=["PMO_Kit.Alpha"])  # any spelling pip accepts

    assert host.resolve("pmo-kit-alpha").id == "kit-alpha"
    assert host.status("pmo-kit-alpha").state == "loaded"
    assert [r.plugin for r in host.records(PmoReport)] == ["kit-alpha"]


def test_enabled_but_not_installed_is_reported(pmo_host: MakeHost) -> None:
    host = pmo_host(enabled=["kit-nowhere"])

    status = host.status("kit-nowhere")
    assert (status.state, status.enabled) == ("failed", True)
    assert "not installed" in (status.error or "")
    assert status in host.problems()


# ---------------------------------------------------------------------------- quarantine


def test_import_failure_is_quarantined_and_others_keep_working(
    fake_distribution: Install, pmo_host: MakeHost
) -> None:
    fake_distribution("pmo-kit-alpha", report_plugin("alpha-report"))
    fake_distribution("pmo-kit-broken", "import math\nraise ImportError('needs libfoo 2')\n")

    host = pmo_host(enabled=["kit-alpha", "kit-broken"])

    broken = host.status("kit-broken")
    assert broken.state == "failed"
    assert "ImportError: needs libfoo 2" in (broken.error or "")
    assert host.status("kit-alpha").state == "loaded"
    assert names(host.records(PmoReport)) == ["alpha-report"]
    assert [s.id for s in host.problems()] == ["kit-broken"]


def test_entry_point_naming_a_missing_module_is_quarantined(
    fake_distribution: Install, pmo_host: MakeHost
) -> None:
    fake_distribution("pmo-kit-ghost", None)

    status = pmo_host(enabled=["kit-ghost"]).status("kit-ghost")

    assert status.state == "failed"
    assert "ModuleNotFoundError" in (status.error or "")


def test_strict_mode_turns_a_quarantine_into_an_error(
    fake_distribution: Install, pmo_host: MakeHost
) -> None:
    fake_distribution("pmo-kit-broken", "raise ValueError('bad config')\n")

    with pytest.raises(PluginError, match="bad config") as caught:
        pmo_host(enabled=["kit-broken"], strict=True)

    assert caught.value.plugin == "kit-broken"


def test_incompatible_plugin_is_refused_before_import(
    fake_distribution: Install, pmo_host: MakeHost
) -> None:
    dist = fake_distribution(
        "pmo-kit-future", report_plugin("future-report"), requires=["pmo-core>=99"]
    )

    host = pmo_host(enabled=["kit-future"])

    status = host.status("kit-future")
    assert status.state == "incompatible"
    assert "pmo-core>=99" in (status.error or "")
    assert __version__ in (status.error or "")
    assert dist.module not in sys.modules
    assert host.records(PmoReport) == ()
    with pytest.raises(IncompatiblePluginError, match="pmo-core>=99"):
        pmo_host(enabled=["kit-future"], strict=True)
    assert dist.module not in sys.modules


def test_requirement_with_parentheses_and_markers_is_read(
    fake_distribution: Install, pmo_host: MakeHost
) -> None:
    fake_distribution(
        "pmo-kit-old",
        report_plugin("old-report"),
        requires=["click>=8", "pmo-core (<0.0.1) ; python_version >= '3'"],
    )

    status = pmo_host(enabled=["kit-old"]).status("kit-old")

    assert status.state == "incompatible"
    assert "pmo-core<0.0.1" in (status.error or "")


def test_a_requirement_on_another_pmo_core_package_is_not_read_as_core(
    fake_distribution: Install, pmo_host: MakeHost
) -> None:
    # 'pmo-core-extras' is a different distribution; its version says nothing about pmo-core.
    fake_distribution(
        "pmo-kit-extra", report_plugin("extra-report"), requires=["pmo-core-extras>=5"]
    )

    status = pmo_host(enabled=["kit-extra"]).status("kit-extra")

    assert (status.state, status.requires_core) == ("loaded", "")


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (
            """
            from pmo_core import PmoGovernanceRule, hookimpl

            @hookimpl
            def pmo_reports():
                yield PmoGovernanceRule(name="misplaced", check=lambda ctx: None)
            """,
            "pmo_reports yielded PmoGovernanceRule, expected PmoReport",
        ),
        (
            """
            from pmo_core import PmoReport, hookimpl

            @hookimpl
            def pmo_reports():
                # model_construct skips validation: no scopes, no formats, no render.
                yield PmoReport.model_construct(name="half-built")
            """,
            "invalid PmoReport",
        ),
        (
            """
            from pmo_core import hookimpl

            @hookimpl
            def pmo_reports():
                raise KeyError("REPORT_DIR")
            """,
            "pmo_reports raised KeyError",
        ),
        (
            """
            from pmo_core import PmoReport, hookimpl

            @hookimpl
            def pmo_reports():
                yield PmoReport(name="Bad Name!", scopes=("pmo",), formats=("md",),
                                render=print)
            """,
            "not a valid name",
        ),
        (
            """
            from pmo_core import hookimpl

            @hookimpl
            def pmo_entities_changed(workspace, items):
                pass
            """,
            "invalid hook implementation",
        ),
    ],
    ids=["wrong-type", "invalid-record", "raising", "bad-name", "bad-signature"],
)
def test_bad_records_quarantine_the_plugin_and_leave_none_behind(
    fake_distribution: Install, pmo_host: MakeHost, source: str, reason: str
) -> None:
    # The same plugin also yields a valid rule: after the quarantine it must be gone too.
    fake_distribution("pmo-kit-bad", rule_plugin("bad-plugin-rule") + "\n" + _dedent(source))
    fake_distribution("pmo-kit-good", rule_plugin("good-plugin-rule"))

    host = pmo_host(enabled=["kit-bad", "kit-good"])

    status = host.status("kit-bad")
    assert status.state == "failed"
    assert reason in (status.error or "")
    assert names(host.records(PmoGovernanceRule)) == ["good-plugin-rule"]
    assert host.records(PmoReport) == ()
    assert host.status("kit-good").state == "loaded"


def _dedent(text: str) -> str:
    import textwrap

    return textwrap.dedent(text)


def test_report_name_clash_refuses_the_second_naming_both_distributions(
    fake_distribution: Install, pmo_host: MakeHost
) -> None:
    fake_distribution("pmo-kit-alpha", report_plugin("weekly"))
    fake_distribution("pmo-kit-beta", report_plugin("weekly") + rule_plugin("beta-rule"))

    # alpha was enabled first: beta, the newcomer, is the one refused.
    host = pmo_host(enabled=["kit-alpha", "kit-beta"])

    assert host.status("kit-alpha").state == "loaded"
    beta = host.status("kit-beta")
    assert beta.state == "failed"
    assert "weekly" in (beta.error or "")
    assert "pmo-kit-alpha" in (beta.error or "")
    assert "pmo-kit-beta" in (beta.error or "")
    assert [(r.name, r.plugin) for r in host.records(PmoReport)] == [("weekly", "kit-alpha")]
    assert host.records(PmoGovernanceRule) == ()  # none of beta's records remain


def test_two_distributions_claiming_one_plugin_id(
    fake_distribution: Install, pmo_host: MakeHost
) -> None:
    one = fake_distribution("pmo-kit-one", report_plugin("one-report"), plugin_id="kit-twin")
    two = fake_distribution("pmo-kit-two", report_plugin("two-report"), plugin_id="kit-twin")

    host = pmo_host(enabled=["kit-twin"])

    status = host.status("kit-twin")
    assert status.state == "failed"
    assert "pmo-kit-one" in (status.error or "")
    assert "pmo-kit-two" in (status.error or "")
    assert one.module not in sys.modules
    assert two.module not in sys.modules
    assert host.records(PmoReport) == ()


def test_one_distribution_on_the_path_twice_counts_once(
    fake_distribution: Install, pmo_host: MakeHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    dist = fake_distribution("pmo-kit-alpha", report_plugin("alpha-report"))
    monkeypatch.syspath_prepend(str(dist.site))  # e.g. a .pth file repeating the directory

    host = pmo_host(enabled=["kit-alpha"])

    assert [e.id for e in host.installed() if e.id.startswith("kit-")] == ["kit-alpha"]
    assert host.status("kit-alpha").state == "loaded"


# -------------------------------------------------------------------------------- order

ORDER_PLUGIN = """
from pmo_core import hookimpl

CALLS = []

@hookimpl
def pmo_entities_changed(workspace, changes):
    import kit_order_log
    kit_order_log.CALLS.append("{id}")
"""


def test_plugins_load_and_are_notified_in_the_order_enabled_or_the_explicit_order(
    fake_distribution: Install, pmo_host: MakeHost
) -> None:
    fake_distribution("kit-order-log", {"kit_order_log.py": "CALLS = []\n"}, entry_points={})
    for pid in ("kit-c", "kit-a", "kit-b"):
        fake_distribution(f"pmo-{pid}", ORDER_PLUGIN.replace("{id}", pid))
    import kit_order_log

    as_enabled = pmo_host(enabled=["kit-c", "kit-a", "kit-b"])
    as_enabled.notify("pmo_entities_changed", workspace=None, changes=[])
    explicit = pmo_host(enabled=["kit-a", "kit-b", "kit-c"], order=["kit-c", "kit-b"])
    explicit.notify("pmo_entities_changed", workspace=None, changes=[])
    unknown_first = pmo_host(enabled=["kit-ghost", "kit-b", "kit-a"])
    unknown_first.notify("pmo_entities_changed", workspace=None, changes=[])

    assert [
        *("kit-c", "kit-a", "kit-b"),  # the order they were enabled in
        *("kit-c", "kit-b", "kit-a"),  # [plugins] order first, the rest as enabled
        *("kit-b", "kit-a"),
    ] == kit_order_log.CALLS
    loaded = [s.id for s in as_enabled.statuses() if s.id.startswith("kit-")]
    assert loaded == ["kit-a", "kit-b", "kit-c"]  # statuses stay sorted by id


def test_the_first_plugin_in_order_keeps_a_clashing_name(
    fake_distribution: Install, pmo_host: MakeHost
) -> None:
    fake_distribution("pmo-kit-alpha", report_plugin("weekly"))
    fake_distribution("pmo-kit-beta", report_plugin("weekly"))

    host = pmo_host(enabled=["kit-alpha", "kit-beta"], order=["kit-beta"])

    assert [r.plugin for r in host.records(PmoReport)] == ["kit-beta"]
    assert host.status("kit-alpha").state == "failed"


RAISING_RULES = """
@hookimpl
def pmo_governance_rules():
    raise RuntimeError("rules are broken")
"""

RAISING_SETTINGS = """
@hookimpl
def pmo_settings():
    raise RuntimeError("settings are broken")
"""


@pytest.mark.parametrize("first", ["PmoReport", "PmoSettings"])
def test_a_name_lost_to_a_plugin_quarantined_later_is_not_refused(
    fake_distribution: Install, pmo_host: MakeHost, first: str
) -> None:
    # alpha comes first and would keep "weekly", but a later hook of alpha raises: beta must
    # get the name whichever hook is asked first, not stay refused for clashing with alpha.
    fake_distribution("pmo-kit-alpha", report_plugin("weekly") + RAISING_SETTINGS)
    fake_distribution("pmo-kit-beta", report_plugin("weekly"))
    pmo_host()  # isolates the index cache; the host below is asked one hook first

    host = PluginHost(enabled=["kit-alpha", "kit-beta"])
    host.records({"PmoReport": PmoReport, "PmoSettings": PmoSettings}[first])

    assert [(r.name, r.plugin) for r in host.records(PmoReport)] == [("weekly", "kit-beta")]
    assert host.status("kit-beta").state == "loaded"
    alpha = host.status("kit-alpha")
    assert alpha.state == "failed"
    assert "settings are broken" in (alpha.error or "")


def test_a_plugin_refused_for_its_records_hears_no_events(
    fake_distribution: Install, pmo_host: MakeHost
) -> None:
    fake_distribution("kit-order-log", {"kit_order_log.py": "CALLS = []\n"}, entry_points={})
    fake_distribution("pmo-kit-a", ORDER_PLUGIN.replace("{id}", "kit-a") + RAISING_RULES)
    fake_distribution("pmo-kit-b", ORDER_PLUGIN.replace("{id}", "kit-b"))
    import kit_order_log

    pmo_host()  # isolates the index cache; the host below is notified before any record
    host = PluginHost(enabled=["kit-a", "kit-b"])
    host.notify("pmo_entities_changed", workspace=None, changes=[])

    assert kit_order_log.CALLS == ["kit-b"]
    assert host.status("kit-a").state == "failed"


# ------------------------------------------------------------------- allow / deny, trace


def test_deny_list_keeps_a_plugin_out_without_importing_it(
    fake_distribution: Install, pmo_host: MakeHost
) -> None:
    alpha = fake_distribution("pmo-kit-alpha", report_plugin("alpha-report"))
    fake_distribution("pmo-kit-beta", report_plugin("beta-report"))

    host = pmo_host(enabled=["kit-alpha", "kit-beta"], deny=["pmo-kit-alpha"])

    assert host.status("kit-alpha").state == "denied"
    assert alpha.module not in sys.modules
    assert names(host.records(PmoReport)) == ["beta-report"]
    assert host.problems() == []


def test_allow_list_admits_only_the_listed(fake_distribution: Install, pmo_host: MakeHost) -> None:
    fake_distribution("pmo-kit-alpha", report_plugin("alpha-report"))
    beta = fake_distribution("pmo-kit-beta", report_plugin("beta-report"))

    host = pmo_host(enabled=["kit-alpha", "kit-beta"], allow=["kit-alpha"])

    assert host.status("kit-beta").state == "denied"
    assert beta.module not in sys.modules
    assert names(host.records(PmoReport)) == ["alpha-report"]


def test_trace_logs_every_hook_call_with_its_duration(
    fake_distribution: Install, pmo_host: MakeHost, caplog: pytest.LogCaptureFixture
) -> None:
    fake_distribution("pmo-kit-alpha", report_plugin("alpha-report") + ORDER_PLUGIN)
    fake_distribution("kit-order-log", {"kit_order_log.py": "CALLS = []\n"}, entry_points={})

    with caplog.at_level(logging.INFO, logger="pmo_core.trace"):
        host = pmo_host(enabled=["kit-alpha"], trace=True)
        host.notify("pmo_entities_changed", workspace=None, changes=[])
    quiet = [r for r in caplog.records if r.name == "pmo_core.trace"]

    messages = [r.getMessage() for r in quiet]
    assert any(m.startswith("pmo_reports[kit-alpha] ") and m.endswith(" ms") for m in messages)
    assert any(m.startswith("pmo_entities_changed[kit-alpha] ") for m in messages)


def test_no_trace_without_the_switch(
    fake_distribution: Install, pmo_host: MakeHost, caplog: pytest.LogCaptureFixture
) -> None:
    fake_distribution("pmo-kit-alpha", report_plugin("alpha-report"))

    with caplog.at_level(logging.INFO, logger="pmo_core.trace"):
        pmo_host(enabled=["kit-alpha"])

    assert [r for r in caplog.records if r.name == "pmo_core.trace"] == []


def test_statuses_as_dict_is_json_ready(fake_distribution: Install, pmo_host: MakeHost) -> None:
    import json

    fake_distribution("pmo-kit-alpha", report_plugin("alpha-report"))

    data = pmo_host(enabled=["kit-alpha"]).status("kit-alpha").as_dict()

    assert json.loads(json.dumps(data))["families"] == ["reports"]
    assert data["status"] == "loaded"
    assert data["hooks"] == ["pmo_reports"]


# ------------------------------------------------------------- every registration hook


def _one_record_per_hook() -> dict[str, Any]:
    import click
    from pydantic import BaseModel

    from pmo_core import (
        PmoCommand,
        PmoConnector,
        PmoCustomFields,
        PmoGovernanceModel,
        PmoGovernanceRule,
        PmoMethodology,
        PmoPhase,
        PmoProfile,
        PmoReport,
        PmoScoringModel,
        PmoSettings,
        PmoStorageBackend,
        ReportOutput,
    )
    from pmo_core.testing import MemoryStore

    class KitSettings(BaseModel):
        url: str = "https://pmis.example.com"

    return {
        "pmo_governance_models": PmoGovernanceModel(name="kit-model"),
        "pmo_governance_rules": PmoGovernanceRule(name="kit-rule", check=lambda ctx: None),
        "pmo_methodologies": PmoMethodology(name="kit-method", phases=(PmoPhase(name="do"),)),
        "pmo_connectors": PmoConnector(
            name="kit-connector", capabilities=frozenset({"read"}), read=lambda request: []
        ),
        "pmo_reports": PmoReport(
            name="kit-report",
            scopes=("pmo",),
            formats=("md",),
            render=lambda request: ReportOutput(content="", media_type="text/markdown"),
        ),
        "pmo_scoring_models": PmoScoringModel(name="kit-scoring", score=lambda request: {}),
        "pmo_custom_fields": PmoCustomFields(name="kit-fields", model=KitSettings),
        "pmo_cli_commands": PmoCommand(name="kit-command", command=click.Command("kit-command")),
        "pmo_storage_backends": PmoStorageBackend(name="kit-store", open=lambda url: MemoryStore()),
        "pmo_settings": PmoSettings(name="kit-settings", model=KitSettings),
        "pmo_profiles": PmoProfile(name="kit-profile", plugins=("kit-all",)),
    }


def test_every_registration_hook_collects_stamped_sorted_records(pmo_host: MakeHost) -> None:
    from pmo_core import hookspecs

    records = _one_record_per_hook()
    by_hook = {spec.name: cls for cls, spec in hookspecs.registration_hooks().items()}
    assert set(records) == set(by_hook)
    assert all(type(record) is by_hook[hook] for hook, record in records.items())
    plugin = type(
        "KitAll",
        (),
        {hook: hookimpl_yielding(record) for hook, record in records.items()},
    )()

    host = pmo_host(plugins={"kit-all": plugin})

    status = host.status("kit-all")
    assert status.state == "loaded", status.error
    assert set(status.hooks) == set(records)
    assert set(status.families) == {
        "governance",
        "methodology",
        "connectors",
        "reports",
        "scoring",
        "extensions",
    }
    for hook, record in records.items():
        cls = by_hook[hook]
        mine = [r for r in host.records(cls) if r.plugin == "kit-all"]
        assert [r.name for r in mine] == [record.name], hook
        assert host.record(cls, record.name.upper()).plugin == "kit-all"
        got = [r.name for r in host.records(cls)]
        assert got == sorted(got)
    assert host.records(PmoSettings)[-1].model().url == "https://pmis.example.com"


def hookimpl_yielding(record: Any) -> Any:
    from pmo_core import hookimpl

    def hook(self: Any) -> Any:
        yield record

    return hookimpl(hook)


def test_a_built_in_command_runs_from_its_record(pmo_host: MakeHost) -> None:
    # Built-in commands load their module on first run; the record must still be runnable.
    from click.testing import CliRunner

    command = pmo_host().record(PmoCommand, "schema").command

    result = CliRunner().invoke(command, ["--kind", "project"])

    assert result.exit_code == 0, result.output
    assert '"title": "Project"' in result.output


def test_listens_tells_whether_an_event_reaches_anyone() -> None:
    class Listener:
        @hookimpl
        def pmo_gate_decided(self, workspace: object, decisions: object) -> None:
            pass

    quiet = PluginHost(plugins={}, builtins=False)
    assert quiet.listens("pmo_gate_decided") is False
    assert PluginHost(plugins={}, builtins=False, trace=True).listens("pmo_gate_decided")
    host = PluginHost(plugins={"listener": Listener()}, builtins=False)
    assert host.listens("pmo_gate_decided") is True
    assert host.listens("pmo_status_reported") is False
