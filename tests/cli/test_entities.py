"""pmo portfolio / program / project: create, list, show, update, archive."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import Pmo, assert_user_error

from pmo_core import Money, Workspace
from pmo_core.testing import CliResult, FakeDistribution


@pytest.mark.plugins("pmo-stage-gate")
def test_create_stores_every_option(pmo: Pmo) -> None:
    pmo.ok("plugins", "enable", "stage-gate")  # --methodology must name one that exists
    pmo.ok("portfolio", "create", "PF", "--name", "Digital", "--governance-model", "directive")
    result = pmo.ok(
        "project", "create", "ALPHA", "--name", "Alpha", "--parent", "PF", "--sponsor", "Dana",
        "--manager", "Sam", "--budget", "250000 USD", "--start", "2025-01-06",
        "--finish", "2025-12-19", "--phase", "scoping", "--status", "on_track", "--tier", "1",
        "--methodology", "stage-gate", "--description", "First", "--tag", "erp",
    )  # fmt: skip

    assert "Created project ALPHA (Alpha), version 1" in result.output
    with Workspace.open(pmo.root) as ws:
        alpha = ws.get("ALPHA")
    assert alpha.parent == "PF"
    assert (alpha.sponsor, alpha.manager, alpha.tier, alpha.phase) == ("Dana", "Sam", 1, "scoping")
    assert alpha.budget == Money.parse("250000 USD")
    assert alpha.currency == "USD"
    assert str(alpha.planned_start) == "2025-01-06"
    assert str(alpha.planned_finish) == "2025-12-19"
    assert alpha.status.value == "on_track"
    assert alpha.methodology == "stage-gate"
    assert alpha.tags == ("erp",)


def test_list_filters_under_and_prints_json(hierarchy: Pmo) -> None:
    hierarchy.ok("project", "create", "BETA", "--name", "Beta")

    rows = json.loads(hierarchy.ok("project", "list", "--under", "PF", "--json").output)
    assert [r["id"] for r in rows] == ["ALPHA"]
    assert rows[0]["budget"] == {"amount": "250000", "currency": "EUR"}
    table = hierarchy.ok("project", "list").output.splitlines()
    assert table[0].split()[:3] == ["KEY", "NAME", "PARENT"]
    assert [line.split()[0] for line in table[1:]] == ["ALPHA", "BETA"]


def test_lists_show_the_lifecycle(hierarchy: Pmo) -> None:
    hierarchy.ok("project", "create", "IDEA", "--name", "Idea", "--parent", "ERP", "--proposed")
    hierarchy.ok(
        "project", "create", "BETA", "--name", "Beta", "--parent", "ERP", "--sponsor", "tester"
    )
    hierarchy.ok("project", "update", "BETA", "--lifecycle", "killed", "--comment", "No market",
                 "--on", "2025-03-02")  # fmt: skip

    rows = json.loads(hierarchy.ok("project", "list", "--json").output)
    assert {r["id"]: (r["lifecycle"], r["lifecycle_by"]) for r in rows} == {
        "ALPHA": ("active", None),
        "BETA": ("killed", "tester"),
        "IDEA": ("proposed", "tester"),
    }
    assert next(r for r in rows if r["id"] == "BETA")["lifecycle_on"] == "2025-03-02"
    table = hierarchy.ok("project", "list").output.splitlines()
    header = table[0].split()
    at = header.index("LIFECYCLE")
    assert header[at - 1] == "STATUS"
    assert {line.split()[0]: line.split()[at] for line in table[1:]} == {
        "ALPHA": "active",
        "BETA": "killed",
        "IDEA": "proposed",
    }
    for kind, key in (("program", "ERP"), ("portfolio", "PF")):
        listed = json.loads(hierarchy.ok(kind, "list", "--json").output)
        assert [(r["id"], r["lifecycle"]) for r in listed] == [(key, "active")]
        assert "LIFECYCLE" in hierarchy.ok(kind, "list").output.splitlines()[0]
    shown = hierarchy.ok("project", "show", "BETA").output
    assert "lifecycle:        killed since 2025-03-02 by tester: No market" in shown


def test_show_includes_latest_status_and_open_raid(hierarchy: Pmo) -> None:
    hierarchy.ok("status", "report", "ALPHA", "--overall", "amber", "--status-date", "2025-03-01")
    hierarchy.ok(
        "raid", "add", "ALPHA", "risk", "Vendor late", "--probability", "4", "--impact", "4"
    )
    hierarchy.ok("raid", "add", "ALPHA", "issue", "Server down")

    data = json.loads(hierarchy.ok("project", "show", "ALPHA", "--json").output)

    assert data["latest_status"]["overall"] == "amber"
    assert data["open_raid"] == {"risk": 1, "issue": 1}
    assert data["open_high_risks"] == 1
    text = hierarchy.ok("project", "show", "ALPHA").output
    assert "latest status:" in text
    assert "amber as of 2025-03-01" in text
    assert "1 issue, 1 risk" in text


def test_show_of_another_kind_is_not_found(hierarchy: Pmo) -> None:
    assert_user_error(hierarchy("project", "show", "PF"), 3, "'PF' is a portfolio, not a project")


def test_update_changes_only_what_is_given(hierarchy: Pmo) -> None:
    result = hierarchy.ok("project", "update", "ALPHA", "--status", "at_risk", "--sponsor", "")

    assert "version 2" in result.output
    with Workspace.open(hierarchy.root) as ws:
        alpha = ws.get("ALPHA")
    assert alpha.status.value == "at_risk"
    assert alpha.sponsor is None
    assert alpha.name == "Alpha"
    assert alpha.manager is None


def test_field_values_are_json_when_they_parse() -> None:
    from pmo_core._cli._params import parse_fields

    assert parse_fields(["fin.cc=CC-104", "fin.capex=true", "fin.share=0.5", "x.y=[1]"]) == {
        "fin": {"cc": "CC-104", "capex": True, "share": 0.5},
        "x": {"y": [1]},
    }


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["--budget", "lots"], 2, "--budget: 'lots' is not money"),
        (["--finish", "31/12/2025"], 2, "--finish: '31/12/2025' is not a date"),
        (["--tier", "7"], 2, "--tier: 7 is not in the range 1..3"),
        (["--status", "great"], 2, "--status: 'great' is not one of"),
        (["--field", "nodot=1"], 2, "--field: 'nodot=1' is not NAMESPACE.KEY=VALUE"),
        (["--field", "acme.cc=1"], 2, "unknown custom field namespace 'acme'"),
        (["--start", "2025-06-01", "--finish", "2025-01-01"], 2, "is before planned_start"),
        (["--expected-version", "1", "--status", "at_risk"], 4, "changed since it was read"),
        (["--parent", "NOPE"], 2, "parent 'NOPE' does not exist"),
        ([], 2, "nothing to change"),
    ],
)
def test_bad_updates_write_nothing(hierarchy: Pmo, args: list[str], code: int, needle: str) -> None:
    hierarchy.ok("project", "update", "ALPHA", "--manager", "Sam")  # now version 2
    before = hierarchy.snapshot()

    result = hierarchy("project", "update", "ALPHA", *args)

    assert_user_error(result, code, needle)
    assert hierarchy.snapshot() == before


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        (
            ["program", "create", "P2", "--name", "x", "--parent", "ALPHA"],
            2,
            "a program cannot have",
        ),
        (["project", "create", "ALPHA", "--name", "again"], 4, "already exists"),
        (["project", "create", "bad key!", "--name", "x"], 2, "is not a valid key"),
        (["project", "create", "X", "--name", "x", "--budget", "12 EURO"], 2, "--budget"),
        (["portfolio", "create", "P3", "--name", "x", "--parent", "PF"], 2, "has no parent"),
        (["project", "list", "--under", "NOPE"], 3, "'NOPE'"),
    ],
)
def test_bad_creates_write_nothing(hierarchy: Pmo, argv: list[str], code: int, needle: str) -> None:
    before = hierarchy.snapshot()

    result = hierarchy(*argv)

    assert_user_error(result, code, needle)
    assert hierarchy.snapshot() == before


def test_archive_hides_from_lists_but_all_shows_it(hierarchy: Pmo) -> None:
    assert "Archived project ALPHA" in hierarchy.ok("project", "archive", "ALPHA").output

    assert json.loads(hierarchy.ok("project", "list", "--json").output) == []
    rows = json.loads(hierarchy.ok("project", "list", "--archived", "--json").output)
    assert [(r["id"], r["archived"]) for r in rows] == [("ALPHA", True)]
    table = hierarchy.ok("project", "list", "--archived").output.splitlines()
    assert table[0].split()[-1] == "ARCHIVED"
    assert table[1].split()[0] == "ALPHA"
    assert table[1].split()[-1] == "yes"
    before = hierarchy.snapshot()
    assert_user_error(hierarchy("project", "archive", "ALPHA"), 4, "already archived")
    assert hierarchy.snapshot() == before


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["create", "bad key!", "--name", "x"], "error: KEY: 'bad key!' is not a valid key"),
        (["create", "X", "--name", "x", "--parent", "NOPE"], "error: --parent: parent 'NOPE'"),
        (["create", "X", "--name", "x", "--field", "acme.cc=1"], "error: --field: unknown"),
        (["update", "ALPHA", "--parent", "ALPHA"], "error: --parent: "),
    ],
)
def test_a_field_error_names_the_option_that_set_it(
    hierarchy: Pmo, argv: list[str], needle: str
) -> None:
    result = hierarchy("project", *argv)

    assert_user_error(result, 2)
    assert result.stderr.startswith(needle), result.stderr


@pytest.mark.plugins("pmo-governance")  # the supportive model
def test_a_methodology_or_model_nobody_provides_is_refused(pmo: Pmo) -> None:
    pmo.ok("portfolio", "create", "PF", "--name", "Digital")
    before = pmo.snapshot()
    created = pmo("project", "create", "X", "--name", "X", "--methodology", "nope")
    assert_user_error(created, 2, "--methodology", "'nope'")
    updated = pmo("portfolio", "update", "PF", "--governance-model", "nope")
    assert_user_error(updated, 2, "--governance-model", "'nope'", "supportive")
    assert pmo.snapshot() == before


CREATION_RULES = """
from pmo_core import PmoGovernanceRule, hookimpl


@hookimpl
def pmo_governance_rules():
    # Two rules that fail on every project: one speaks when a project is created.
    yield PmoGovernanceRule(
        name="told-at-creation",
        summary="Told when a project is created.",
        level="advise",
        on_create=True,
        check=lambda ctx: f"{ctx.entity.id} should read the lessons\\x1b[31m",
    )
    yield PmoGovernanceRule(
        name="checked-later",
        summary="Only in checks.",
        level="warn",
        check=lambda ctx: "not said at creation",
    )
"""


def test_create_notes_the_findings_of_the_rules_that_speak_at_creation(
    tmp_path: Path,
    fake_distribution: Callable[..., FakeDistribution],
    pmo_cli: Callable[..., CliResult],
) -> None:
    fake_distribution("pmo-creation-rules", CREATION_RULES)
    with Workspace.init(tmp_path / "ws") as ws:
        ws.enable("creation-rules")

    result = pmo_cli("project", "create", "ALPHA", "--name", "Alpha", workspace=tmp_path / "ws")

    assert result.exit_code == 0, (result.output, result.stderr)
    assert result.output.splitlines() == [
        "Created project ALPHA (Alpha), version 1",
        # Control characters from the rule's message never reach the terminal.
        "note: told-at-creation [advise]: ALPHA should read the lessons\\u001b[31m",
    ]
    # Both are findings like any other in a check; --json prints the record only.
    with Workspace.open(tmp_path / "ws") as ws:
        failed = {f.rule for f in ws.check("ALPHA") if not f.passed}
    assert {"told-at-creation", "checked-later"} <= failed
    created = pmo_cli(
        "project", "create", "BETA", "--name", "Beta", "--json", workspace=tmp_path / "ws"
    )
    assert created.json()["id"] == "BETA"


def test_create_says_nothing_more_without_such_rules(
    pmo_workspace_factory: Callable[..., Workspace], pmo_cli: Callable[..., CliResult]
) -> None:
    ws = pmo_workspace_factory(enabled=["governance"])

    result = pmo_cli("project", "create", "ALPHA", "--name", "Alpha", workspace=ws)

    assert result.output.splitlines() == ["Created project ALPHA (Alpha), version 1"]


@pytest.mark.plugins("pmo-acme-rules")
def test_field_keeps_the_type_its_plugin_declares(pmo: Pmo) -> None:
    """--field acme.business_unit=104: a text field stays text (it was turned into the
    integer 104 and refused); a value for a field with no declared type is JSON if it
    parses, else text."""
    pmo.ok("plugins", "enable", "acme-rules")
    pmo.ok("project", "create", "ALPHA", "--name", "Alpha", "--field", "acme.business_unit=104")
    with Workspace.open(pmo.root) as ws:
        assert ws.get("ALPHA").custom_fields["acme"] == {
            "business_unit": "104",
            "cost_centre": None,
        }
    pmo.ok("project", "update", "ALPHA", "--field", "acme.business_unit=true")
    with Workspace.open(pmo.root) as ws:
        assert ws.get("ALPHA").custom_fields["acme"]["business_unit"] == "true"


def test_parse_fields_reads_json_only_where_no_text_type_is_declared() -> None:
    from pmo_core._cli._params import parse_fields

    raw = ["acme.code=104", "acme.count=104", "acme.flag=true", "acme.name=CC-1"]
    assert parse_fields(raw) == {"acme": {"code": 104, "count": 104, "flag": True, "name": "CC-1"}}
    assert parse_fields(raw, text=lambda ns, key: key == "code") == {
        "acme": {"code": "104", "count": 104, "flag": True, "name": "CC-1"}
    }


@pytest.mark.parametrize(
    ("annotation", "text"),
    [(str, True), (str | None, True), (int, False), (int | str, False), (int | None, False)],
)
def test_a_text_field_is_str_or_optional_str(annotation: object, text: bool) -> None:
    from pmo_core._cli.entities import _text_type

    assert _text_type(annotation) is text


@pytest.mark.parametrize(
    ("kind", "key"), [("portfolio", "PF"), ("program", "ERP"), ("project", "ALPHA")]
)
def test_unarchive_brings_an_entity_back_as_it_was(hierarchy: Pmo, kind: str, key: str) -> None:
    before = json.loads(hierarchy.ok(kind, "show", key, "--json").stdout)
    archived = json.loads(hierarchy.ok(kind, "archive", key, "--json").stdout)
    assert archived["archived"] is True
    assert key not in hierarchy.ok(kind, "list").stdout

    back = hierarchy.ok(kind, "unarchive", key)

    assert back.stdout.startswith(f"Unarchived {kind} {key} ")
    assert key in hierarchy.ok(kind, "list").stdout
    after = json.loads(hierarchy.ok(kind, "show", key, "--json").stdout)
    assert after["archived"] is False
    assert {k: v for k, v in after.items() if k != "version"} == {
        k: v for k, v in before.items() if k != "version"
    }
    assert after["version"] == before["version"] + 2
    assert_user_error(hierarchy(kind, "unarchive", key), 4, f"{kind} '{key}' is not archived")


def test_unarchive_refuses_a_child_of_an_archived_parent_and_writes_nothing(
    hierarchy: Pmo,
) -> None:
    hierarchy.ok("project", "archive", "ALPHA")
    hierarchy.ok("program", "archive", "ERP")
    length = hierarchy.journal_length()

    refused = hierarchy("project", "unarchive", "ALPHA")

    assert_user_error(refused, 4, "the parent of project 'ALPHA', 'ERP', is archived")
    assert hierarchy.journal_length() == length
    hierarchy.ok("program", "unarchive", "ERP")
    hierarchy.ok("project", "unarchive", "ALPHA", "--json")
    assert_user_error(hierarchy("project", "unarchive", "NOPE"), 3, "NOPE")
    assert_user_error(hierarchy("program", "unarchive", "ALPHA"), 3, "ALPHA")
