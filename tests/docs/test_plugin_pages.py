"""The reference page of each first-party plugin (scripts/docs_plugins.py, added to the site by
scripts/docs_reference.py): one per distribution under plugins/, made from the plugin, so
its commands, settings and columns are on the site and cannot drift from the code."""

from __future__ import annotations

import re
from typing import Any

import click
import docs_plugins
import pytest
from docs_plugins import Plugin, first_party_plugins, plugin_page, settings_fields
from docs_reference import FIRST_PARTY, _nav_plugin_pages, catalogue_page, plugin_pages
from pydantic import BaseModel

PLUGINS = {p.distribution: p for p in first_party_plugins()}
PAGES = plugin_pages()


def _page(distribution: str) -> str:
    return PAGES[f"reference/plugins/{distribution}.md"]


def _section(text: str, heading: str) -> str:
    """The text under ``heading`` (a whole heading line) up to the next heading of its level."""
    level = heading.split(" ", 1)[0]
    after = text.split(f"\n{heading}\n", 1)[1]
    return re.split(rf"^{level} ", after, maxsplit=1, flags=re.M)[0]


def _table(text: str) -> list[list[str]]:
    """The rows of the first Markdown table in ``text``, header and rule left out."""
    rows = [line for line in text.splitlines() if line.startswith("|")]
    return [[c.strip() for c in row.strip("|").split(" | ")] for row in rows[2:]]


def test_every_first_party_plugin_has_a_page_linked_from_the_catalogue() -> None:
    assert set(PLUGINS) == FIRST_PARTY  # every folder under plugins/, none left out
    assert set(PAGES) == {f"reference/plugins/{d}.md" for d in FIRST_PARTY}
    catalogue = catalogue_page()
    for distribution, plugin in PLUGINS.items():
        page = _page(distribution)
        assert page.startswith(f"# {distribution}\n")
        assert f"Plugin id `{plugin.id}`" in page
        assert f"[{distribution}](plugins/{distribution}.md)" in catalogue
        assert f"([reference](plugins/{distribution}.md))" in catalogue


def test_the_nav_lists_every_plugin_page_under_the_catalogue() -> None:
    nav: list[Any] = [{"Reference": [{"First-party plugins": "reference/plugins.md"}]}]
    _nav_plugin_pages(nav)
    section = nav[0]["Reference"][0]["First-party plugins"]
    assert section[0] == {"Catalogue": "reference/plugins.md"}
    assert [next(iter(e.values())) for e in section[1:]] == [
        f"reference/plugins/{d}.md" for d in sorted(FIRST_PARTY)
    ]


def _commands(plugin: Plugin) -> list[Any]:
    return list(plugin.registered.get("pmo_cli_commands", []))


@pytest.mark.parametrize(
    "distribution", sorted(d for d, p in PLUGINS.items() if p.registered.get("pmo_cli_commands"))
)
def test_each_command_and_subcommand_has_its_help(distribution: str) -> None:
    page = _section(_page(distribution), "## Commands")
    for record in _commands(PLUGINS[distribution]):
        top = click.Context(click.Group("pmo"), info_name="pmo")
        pending = [
            (record.command, click.Context(record.command, info_name=record.name, parent=top))
        ]
        while pending:
            command, ctx = pending.pop()
            heading = re.search(rf"^#+ {re.escape(ctx.command_path)}$", page, re.M)
            assert heading, f"{distribution}: no section for {ctx.command_path}"
            # The full help, options included, as `--help` prints it.
            assert f"Usage: {ctx.command_path} " in page
            for param in command.params:
                if isinstance(param, click.Option) and not param.hidden:
                    assert param.opts[0] in _section(page, heading.group()), param.opts
            if isinstance(command, click.Group):
                for name in command.list_commands(ctx):
                    sub = command.get_command(ctx, name)
                    pending.append((sub, click.Context(sub, info_name=name, parent=ctx)))


def test_a_plugin_command_shows_its_help_under_its_own_heading() -> None:
    page = _page("pmo-governance")
    (record,) = _commands(PLUGINS["pmo-governance"])
    commands = _section(page, "## Commands")
    assert commands.startswith("\nThe help of each command")
    assert f"\n### pmo {record.name}\n\n```text\nUsage: pmo {record.name} " in commands
    assert "- [`pmo_governance_rules`][pmo_core.hookspecs.pmo_governance_rules]" in page


def test_csv_columns_table_is_the_plugins_definition() -> None:
    from pmo_csv import _columns

    page = _section(_page("pmo-csv"), "## Columns")
    for kind in _columns.KINDS:
        rows = _table(_section(page, f"### `{kind}`: `{_columns.FILES[kind]}`"))
        assert [r[0].strip("`") for r in rows] == list(_columns.columns_for(kind))
        assert all(r[2] for r in rows), f"{kind}: a column without a note"
    dates = _table(_section(page, "### `project`: `projects.csv`"))
    assert dates[8][:2] == ["`planned_start`", "date"]
    assert dates[12][:2] == ["`budget`", "money"]


def test_every_csv_column_has_a_note_and_no_note_is_left_over() -> None:
    from pmo_csv import _columns

    assert set(_columns.COLUMN_NOTES) == {*_columns.ENTITY_COLUMNS, *_columns.WORK_ITEM_COLUMNS}


def test_xlsx_columns_table_is_the_plugins_layout() -> None:
    if PLUGINS["pmo-xlsx"].module is None:
        pytest.skip(f"pmo-xlsx cannot be imported: {PLUGINS['pmo-xlsx'].problem}")
    from pmo_xlsx import _layout

    page = _section(_page("pmo-xlsx"), "## Columns")
    for kind, columns in _layout.COLUMNS.items():
        rows = _table(_section(page, f"### `{kind}`: sheet `{_layout.SHEETS[kind]}`"))
        assert {r[0].strip("`"): r[1] for r in rows} == dict(columns)
        assert [r[0].strip("`") for r in rows] == list(columns)  # in export order


def _settings_models(plugin: Plugin) -> list[type[BaseModel]]:
    models = [r.model for r in plugin.registered.get("pmo_settings", [])]
    for hook in ("pmo_connectors", "pmo_governance_rules"):
        models += [r.settings for r in plugin.registered.get(hook, []) if r.settings]
    return list(dict.fromkeys(models))


@pytest.mark.parametrize(
    "distribution", sorted(d for d, p in PLUGINS.items() if _settings_models(p))
)
def test_settings_fields_with_type_default_and_description_appear(distribution: str) -> None:
    page = _page(distribution)
    for model in _settings_models(PLUGINS[distribution]):
        # The model's own table: after its "Model `pmo_x.Name`." line.
        table = page.split(f".{model.__qualname__}`.\n", 1)[1].split("\n\n", 1)[0]
        for name, _annotation, info in settings_fields(model):
            assert info.description, f"{model.__name__}.{name} has no description"
            row = next((r for r in table.splitlines() if r.startswith(f"| `{name}` |")), "")
            assert row, f"{distribution}: no row for {model.__name__}.{name}"
            assert " ".join(info.description.split()) in row.replace("\\|", "|")


def test_a_settings_row_shows_type_default_and_description() -> None:
    page = _page("pmo-csv")
    assert (
        "| `date_format` | `str | None` | `None` | "
        "A strptime format for dates; ISO 8601 when empty. |" in page
    )
    assert "| `delimiter` | `str` | `','` | The field separator (one character). |" in page


def test_registrations_show_their_details() -> None:
    stage_gate = _page("pmo-stage-gate")
    assert "## Methodologies" in stage_gate
    assert "Phases: " in stage_gate
    assert re.search(r"^- gate \*\*`\w", stage_gate, re.M)
    reports = _page("pmo-reports")
    assert "## Reports" in reports
    assert "- formats: " in reports
    assert "- capabilities: `read`, `write`" in _page("pmo-csv")


def test_a_plugin_that_cannot_be_imported_says_so_or_fails_the_build(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = Plugin(
        distribution="pmo-x",
        id="x",
        module_name="pmo_x",
        version="0.1.0",
        summary="X.",
        families=["connectors"],
        dependencies=["lib>=1"],
        installed=False,
        problem="importing pmo_x failed: No module named 'lib'",
    )
    page = plugin_page(broken, lambda command, name: [])
    assert "!!! warning" in page
    assert "No module named 'lib'" in page
    assert "Hook families it declares: `connectors`" in page

    def fail(plugin: Plugin, folder: Any) -> None:
        plugin.problem = "importing failed"

    monkeypatch.setattr(docs_plugins, "_load", fail)
    monkeypatch.setenv(docs_plugins.REQUIRE_ALL, "1")
    with pytest.raises(RuntimeError, match="pmo-csv: importing failed"):
        first_party_plugins()
    monkeypatch.delenv(docs_plugins.REQUIRE_ALL)
    assert all(p.module is None for p in first_party_plugins())


def test_type_names_read_as_written() -> None:
    from decimal import Decimal
    from typing import Literal

    from docs_plugins import type_name

    from pmo_core import Money

    assert type_name(str) == "str"
    assert type_name(Decimal | None) == "Decimal | None"
    assert type_name(dict[int, Money]) == "dict[int, Money]"  # no module path
    assert type_name(Literal["a.b", "c"]) == "Literal['a.b', 'c']"  # values as they are


def test_the_catalogue_refuses_to_leave_a_first_party_plugin_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import docs_reference

    monkeypatch.setattr(docs_reference, "FIRST_PARTY", FIRST_PARTY | {"pmo-nowhere"})
    with pytest.raises(RuntimeError, match="not catalogued: \\['pmo-nowhere'\\]"):
        docs_reference.catalogue_page()


def test_governance_models_profiles_and_scoring_models_show_their_details() -> None:
    governance = _section(_page("pmo-governance"), "## Governance models")
    directive = _section(governance, "### `directive`")
    assert "- default rule level: `block`; deviations: `waiver`" in directive
    assert "each rule's own" in _section(governance, "### `controlling`")
    profiles = _section(_page("pmo-stage-gate"), "## Profiles")
    assert "- governance model: `directive`" in _section(profiles, "### `directive`")
    npv = _section(_section(_page("pmo-strategy"), "## Scoring models"), "### `npv`")
    assert "- reads the settings `[settings.strategy]`" in npv
