"""pmo plugins list / info and pmo doctor on what test_plugins.py leaves: notes, errors and
report options in what a plugin shows, and doctor on strict mode, a denied plugin, a
methodology or model no plugin registers, and a store that cannot verify itself."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from typing import Any

import pytest
import tomlkit
from cli_helpers import Pmo

from pmo_core.testing import FakeDistribution

Install = Callable[..., FakeDistribution]

REPORTS = """
from pmo_core import PmoReport, ReportOutput, hookimpl

def _render(request):
    return ReportOutput(content="ok", media_type="text/plain")

@hookimpl
def pmo_reports():
    yield PmoReport(name="kit-upper", scopes=("pmo",), formats=("txt",), render=_render,
                    options={"upper": "Names in capitals (true or false)."})
    yield PmoReport(name="kit-plain", scopes=("pmo",), formats=("txt",), render=_render,
                    options={})
"""

BROKEN = "raise ImportError('needs libfoo 2')\n"

GOVERNANCE = """
from pmo_core import (
    PmoArtifact, PmoGovernanceModel, PmoMethodology, PmoPhase, hookimpl,
)

@hookimpl
def pmo_governance_models():
    yield PmoGovernanceModel(name="kit-model")

@hookimpl
def pmo_methodologies():
    yield PmoMethodology(name="kit-method", phases=(PmoPhase(name="plan"),),
                         artifacts=(PmoArtifact(name="plan", template="# Plan"),))
"""

NO_VERIFY_STORE = """
from pmo_core import MemoryStore, PmoStorageBackend, hookimpl

class NoVerify(MemoryStore):
    def verify(self, *, quick=False):
        raise NotImplementedError("kitmem keeps no journal to verify")

@hookimpl
def pmo_storage_backends():
    yield PmoStorageBackend(name="kitmem", open=lambda url, **options: NoVerify())
"""


def _edit(pmo: Pmo, change: Callable[[Any], None]) -> None:
    """Change the workspace's pmo.toml (parsed with tomlkit) in place."""
    path = pmo.root / "pmo.toml"
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(tomlkit.dumps(document), encoding="utf-8")


def _enable(pmo: Pmo, *ids: str) -> None:
    def add(document: Any) -> None:
        document["plugins"]["enabled"].extend(ids)

    _edit(pmo, add)


def _checks(pmo: Pmo, *args: str) -> tuple[int, dict[str, dict[str, Any]]]:
    result = pmo("doctor", "--json", *args)
    return result.exit_code, {c["check"]: c for c in json.loads(result.output)["checks"]}


# -- plugins list / info --------------------------------------------------------------------


def test_list_shows_the_notes_of_a_plugin(pmo: Pmo, fake_distribution: Install) -> None:
    fake_distribution("pmo-kit-reports", REPORTS)

    def slow(document: Any) -> None:
        document["plugins"]["slow_import_seconds"] = 1e-6

    _edit(pmo, slow)
    _enable(pmo, "kit-reports")

    lines = pmo.ok("plugins", "list").output.splitlines()

    notes = [line for line in lines if line.startswith("  kit-reports ")]
    assert len(notes) == 1, lines
    assert re.fullmatch(
        r"  kit-reports \(note\): its import took \d+\.\d\d s \(more than 1e-06 s\)", notes[0]
    )


def test_info_of_a_failed_plugin_shows_its_error(pmo: Pmo, fake_distribution: Install) -> None:
    fake_distribution("pmo-kit-broken", BROKEN)
    _enable(pmo, "kit-broken")

    lines = pmo.ok("plugins", "info", "kit-broken").output.splitlines()

    assert re.fullmatch(r"status: +failed", lines[5]), lines
    assert re.fullmatch(r"error: +import failed: ImportError: needs libfoo 2", lines[6]), lines
    data = json.loads(pmo.ok("plugins", "info", "kit-broken", "--json").output)
    assert data["error"] == "import failed: ImportError: needs libfoo 2"
    assert data["records"] == {}


def test_info_lists_the_options_of_each_report_that_takes_some(
    pmo: Pmo, fake_distribution: Install
) -> None:
    fake_distribution("pmo-kit-reports", REPORTS)
    _enable(pmo, "kit-reports")

    output = pmo.ok("plugins", "info", "kit-reports").output

    assert re.search(r"^pmo_reports: +kit-plain, kit-upper$", output, re.M), output
    assert re.search(
        r"^report kit-upper: +options:\n  --option upper: +Names in capitals \(true or false\)\.$",
        output,
        re.M,
    ), output
    assert "report kit-plain" not in output  # it takes no options: nothing to list
    data = json.loads(pmo.ok("plugins", "info", "kit-reports", "--json").output)
    assert data["report_options"] == {
        "kit-plain": {},
        "kit-upper": {"upper": "Names in capitals (true or false)."},
    }


def test_info_of_a_disabled_plugin_says_how_to_enable_it_without_importing_it(
    pmo: Pmo, fake_distribution: Install
) -> None:
    dist = fake_distribution("pmo-kit-reports", REPORTS)

    output = pmo.ok("plugins", "info", "pmo-kit-reports").output

    assert re.search(r"^status: +disabled$", output, re.M), output
    assert output.endswith("(not imported while disabled: 'pmo plugins enable kit-reports')\n")
    assert dist.module not in sys.modules


# -- doctor ---------------------------------------------------------------------------------


def test_doctor_in_strict_mode_fails_the_plugins_check_not_the_config(
    pmo: Pmo, fake_distribution: Install
) -> None:
    """Before the fix, the workspace failing to open in strict mode was reported as
    "FAIL config: pmo.toml cannot be read", of a pmo.toml that was fine."""
    fake_distribution("pmo-kit-broken", BROKEN)
    _enable(pmo, "kit-broken")

    result = pmo("--strict", "doctor", "--json")

    assert result.exit_code == 1
    data = json.loads(result.output)
    assert (data["ok"], data["problems"]) == (False, 1)
    assert data["checks"] == [
        {
            "check": "plugins",
            "ok": False,
            "detail": "plugins failed to load",
            "problems": ["plugin 'kit-broken': import failed: ImportError: needs libfoo 2"],
        }
    ]
    text = pmo("--strict", "doctor").output
    assert text.startswith("FAIL plugins: plugins failed to load\n")
    assert "config" not in text


def test_doctor_names_the_plugins_the_environment_denies(
    pmo: Pmo, fake_distribution: Install, monkeypatch: pytest.MonkeyPatch
) -> None:
    dist = fake_distribution("pmo-kit-reports", REPORTS)
    _enable(pmo, "kit-reports")
    monkeypatch.setenv("PMO_PLUGINS_DENY", "pmo-kit-reports")

    plugins = _checks(pmo)[1]["plugins"]
    assert plugins["ok"]
    assert plugins["detail"].endswith("; denied by the environment: kit-reports")
    assert "kit-reports" not in plugins["detail"].split(";")[0]
    assert dist.module not in sys.modules


def test_doctor_reports_a_workspace_methodology_no_plugin_registers(pmo: Pmo) -> None:
    def method(document: Any) -> None:
        document["workspace"]["methodology"] = "kit-method"

    _edit(pmo, method)

    code, checks = _checks(pmo)

    assert code == 1
    governance = checks["governance"]
    assert governance["detail"].endswith(", methodology 'kit-method'")
    (problem,) = governance["problems"]
    assert problem.startswith("methodology 'kit-method' is not registered (available: ")


def test_doctor_reports_entities_using_a_model_or_methodology_no_plugin_registers(
    pmo: Pmo, fake_distribution: Install
) -> None:
    """Their plugin was disabled after the project chose them."""
    fake_distribution("pmo-kit-gov", GOVERNANCE)
    _enable(pmo, "kit-gov")
    pmo.ok(
        "project", "create", "ALPHA", "--name", "Alpha",
        "--governance-model", "kit-model", "--methodology", "kit-method",
    )  # fmt: skip
    assert _checks(pmo)[1]["governance"]["problems"] == []
    pmo.ok("plugins", "disable", "kit-gov")

    code, checks = _checks(pmo)

    assert code == 1
    assert checks["governance"]["problems"] == [
        "project ALPHA uses governance model 'kit-model', which is not registered",
        "project ALPHA uses methodology 'kit-method', which is not registered",
    ]


def test_doctor_on_a_store_that_cannot_verify_itself(pmo: Pmo, fake_distribution: Install) -> None:
    """The quick check is a bonus: the store still opens. --verify fails both of its checks
    with the backend's reason."""
    fake_distribution("pmo-kit-store", NO_VERIFY_STORE)

    def kitmem(document: Any) -> None:
        document["workspace"]["store"] = "kitmem://here"
        document["plugins"]["enabled"].append("kit-store")

    _edit(pmo, kitmem)

    checks = _checks(pmo)[1]
    assert checks["store"]["ok"]
    assert checks["store"]["detail"].startswith("kitmem://here (schema version ")
    assert "journal" not in checks

    code, checks = _checks(pmo, "--verify")
    assert code == 1
    assert checks["store"]["ok"]
    problem = ["NotImplementedError: kitmem keeps no journal to verify"]
    assert checks["journal"] == {
        "check": "journal",
        "ok": False,
        "detail": "the journal cannot be verified",
        "problems": problem,
    }
    assert checks["store integrity"] == {
        "check": "store integrity",
        "ok": False,
        "detail": "the store cannot be verified",
        "problems": problem,
    }


def test_doctor_on_a_store_url_of_no_backend_names_the_url(pmo: Pmo) -> None:
    def nowhere(document: Any) -> None:
        document["workspace"]["store"] = "nowhere://store"

    _edit(pmo, nowhere)

    code, checks = _checks(pmo)

    assert code == 1
    store = checks["store"]
    assert (store["ok"], store["detail"]) == (False, "nowhere://store cannot be opened")
    (problem,) = store["problems"]
    assert "nowhere" in problem


def test_enabling_a_plugin_that_fails_to_load_enables_it_and_says_why_on_stderr(
    pmo: Pmo, fake_distribution: Install
) -> None:
    fake_distribution("pmo-kit-broken", BROKEN)

    result = pmo.ok("plugins", "enable", "kit-broken")

    assert result.stdout == f"Enabled kit-broken in {pmo.root / 'pmo.toml'}\n"
    assert result.stderr == "  kit-broken: failed: import failed: ImportError: needs libfoo 2\n"
    enabled = tomlkit.parse((pmo.root / "pmo.toml").read_text(encoding="utf-8"))["plugins"]
    assert "kit-broken" in enabled["enabled"]
    assert enabled["sources"]["kit-broken"] == "pmo-kit-broken"
