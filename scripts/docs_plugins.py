"""The reference page of each first-party plugin (``reference/plugins/<distribution>.md``),
made from the plugin itself when the docs are built (scripts/docs_reference.py adds them to
the site and to its navigation, under the catalogue of ``reference/plugins.md``).

A page shows what the plugin registers, by calling its registration hooks: governance models
and rules, methodologies with their phases and gates, connectors with their capabilities,
kinds and options, reports with their formats, store kinds, scoring models; the fields of
every settings model (type, default, description, from the pydantic model); the full help of
its commands and of every subcommand; the hooks it implements; and, for the CSV and Excel
connectors, the columns of each kind, from the tuples and mappings the plugin reads and
writes with, so that page and code cannot drift.

The first-party plugins are the distributions under ``plugins/``. One that is not installed,
or cannot be imported (a dependency missing), gets a page made from its ``pyproject.toml``
saying so, unless ``PMO_DOCS_ALL_PLUGINS=1`` (set by ``tox -e docs``, which installs them
all) makes that an error: the published site documents every plugin.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import os
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# A sibling module (scripts/ is on the path while mkdocs loads the hook that imports this).
from griffe_pmo import rest_to_markdown

ROOT = Path(__file__).resolve().parent.parent
# Set by `tox -e docs`: a first-party plugin that cannot be imported fails the build.
REQUIRE_ALL = "PMO_DOCS_ALL_PLUGINS"


def _toml(path: Path) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    return tomllib.loads(path.read_text("utf-8"))


@dataclass
class Plugin:
    """A first-party plugin as the docs see it: from its ``pyproject.toml``, its installed
    metadata when it is installed, and its module when it can be imported."""

    distribution: str
    id: str
    module_name: str
    version: str
    summary: str
    families: list[str]
    dependencies: list[str]
    installed: bool
    module: Any = None
    #: Why the module could not be imported ("" when it was).
    problem: str = ""
    registered: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def page(self) -> str:
        return f"reference/plugins/{self.distribution}.md"


def first_party_plugins() -> list[Plugin]:
    """Every distribution under ``plugins/``, by plugin id, its module imported when it can
    be. Raises ``RuntimeError`` when one declares no ``pmo_core.plugins`` entry point, or
    (with ``PMO_DOCS_ALL_PLUGINS=1``) when one cannot be imported."""
    from importlib.metadata import PackageNotFoundError, distribution

    plugins = []
    for pyproject in sorted(ROOT.glob("plugins/*/pyproject.toml")):
        project = _toml(pyproject)["project"]
        points = project.get("entry-points", {})
        ids = points.get("pmo_core.plugins", {})
        if len(ids) != 1:
            raise RuntimeError(f"{pyproject}: expected one pmo_core.plugins entry point")
        ((plugin_id, module_name),) = ids.items()
        try:
            version, installed = distribution(project["name"]).version, True
        except PackageNotFoundError:
            version, installed = project["version"], False
        plugin = Plugin(
            distribution=project["name"],
            id=plugin_id,
            module_name=module_name,
            version=version,
            summary=project.get("description", ""),
            families=sorted(key.split(".", 1)[1] for key in points.get("pmo_core.families", {})),
            dependencies=[d for d in project.get("dependencies", ()) if "pmo-core" not in d],
            installed=installed,
        )
        _load(plugin, pyproject.parent)
        plugins.append(plugin)
    missing = [p for p in plugins if p.module is None]
    if missing and os.environ.get(REQUIRE_ALL) == "1":
        raise RuntimeError(
            "first-party plugins the docs cannot document (install them): "
            + "; ".join(f"{p.distribution}: {p.problem}" for p in missing)
        )
    return sorted(plugins, key=lambda p: p.id)


def _load(plugin: Plugin, folder: Path) -> None:
    # Not imported from its folder when it is not installed: the build would then see
    # modules the environment does not have (and the docs tests would not skip their pages).
    if not plugin.installed and importlib.util.find_spec(plugin.module_name) is None:
        plugin.problem = f"not installed: pip install -e {folder.relative_to(ROOT)}"
        return
    try:
        plugin.module = importlib.import_module(plugin.module_name)
    except ImportError as error:
        plugin.problem = f"importing {plugin.module_name} failed: {error}"
        return
    from pmo_core.hookspecs import registration_hooks

    for spec in registration_hooks().values():
        hook = getattr(plugin.module, spec.name, None)
        if hook is not None:
            plugin.registered[spec.name] = list(hook() or ())


def implemented_hooks(plugin: Plugin) -> list[str]:
    """The hooks the plugin's module implements (those pmo-core declares)."""
    from pmo_core import hookspecs

    return [name for name in hookspecs.HOOKS if callable(getattr(plugin.module, name, None))]


# ----------------------------------------------------------------------------- rendering


def _cell(text: Any) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _code(text: Any) -> str:
    # A code span in a table cell: Python-Markdown's tables leave a pipe inside backticks.
    return f"`{text}`" if str(text) != "" else ""


def type_name(annotation: Any) -> str:
    """A field's annotation as a reader writes it: ``str | None``, ``list[str]``,
    ``Literal['escape', 'raw']``; ``Annotated`` constraints left out, names without their
    module."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if annotation is type(None):
        return "None"
    if annotation is Ellipsis:
        return "..."
    if origin is typing.Annotated:
        return type_name(args[0])
    if origin is typing.Union or origin is types.UnionType:
        return " | ".join(type_name(a) for a in args)
    if origin is typing.Literal:
        return f"Literal[{', '.join(repr(a) for a in args)}]"
    if origin is not None:
        name = getattr(origin, "__name__", None) or repr(origin).rsplit(".", 1)[-1]
        return f"{name}[{', '.join(type_name(a) for a in args)}]"
    if isinstance(annotation, type):
        return annotation.__name__
    return repr(annotation).rsplit(".", 1)[-1]


def _default(info: Any) -> str:
    from pydantic_core import PydanticUndefined

    if info.default_factory is not None:
        value = info.default_factory()
    elif info.default is PydanticUndefined:
        return "required"
    else:
        value = info.default
    if hasattr(value, "model_dump"):
        return "(its fields below)"
    text = repr(value) if isinstance(value, str) else str(value)
    # A long default (a whole board of columns) is the model's to show.
    return _code(text if len(text) <= 60 else text[:57] + "...")


def settings_fields(model: Any, prefix: str = "") -> Iterator[tuple[str, Any, Any]]:
    """``(name, annotation, FieldInfo)`` of each field of a settings model, a nested model's
    fields after it as ``outer.inner``."""
    from pydantic import BaseModel

    for name, info in model.model_fields.items():
        yield prefix + name, info.annotation, info
        if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
            yield from settings_fields(info.annotation, f"{prefix}{name}.")


def settings_table(model: Any) -> list[str]:
    """A settings model as a Markdown table: field, type, default, description."""
    rows = [
        f"Model `{model.__module__.split('._')[0]}.{model.__qualname__}`.",
        "",
        "| field | type | default | description |",
        "|---|---|---|---|",
    ]
    for name, annotation, info in settings_fields(model):
        rows.append(
            f"| `{name}` | {_code(type_name(annotation))} | {_default(info)} "
            f"| {_cell(info.description or '')} |"
        )
    return [*rows, ""]


def _summary(record: Any) -> list[str]:
    return [record.summary, ""] if getattr(record, "summary", "") else []


def _methodology(record: Any) -> list[str]:
    out = [*_summary(record), "Phases: " + " → ".join(f"`{p.name}`" for p in record.phases), ""]
    for gate in record.gates:
        out.append(f"- gate **`{gate.name}`** (`{gate.leaving}` → `{gate.entering}`)")
        out += [
            f"    - {c.level}: `{c.name}`" + (f": {_cell(c.summary)}" if c.summary else "")
            for c in gate.criteria
        ]
    return [*out, ""]


def _connector(record: Any) -> list[str]:
    out = [
        *_summary(record),
        f"- capabilities: {', '.join(f'`{c}`' for c in sorted(record.capabilities))}",
    ]
    if record.extensions:
        out.append(f"- file extensions: {', '.join(f'`{e}`' for e in record.extensions)}")
    kinds = record.kinds or ("portfolio", "program", "project", "work_item")
    out.append(f"- kinds it exports: {', '.join(f'`{k}`' for k in kinds)}")
    out.append("")
    if record.options:
        out += ["Options (`--option KEY=VALUE`):", "", "| option | what it does |", "|---|---|"]
        out += [f"| `{k}` | {_cell(v)} |" for k, v in sorted(record.options.items())]
        out.append("")
    if record.settings is not None:
        out += [f"Settings (`[settings.{record.name}]`):", "", *settings_table(record.settings)]
    return out


def _rule(record: Any) -> list[str]:
    out = [
        *_summary(record),
        f"- level: `{record.level}`; scopes: {', '.join(f'`{s}`' for s in record.scopes)}; "
        f"tiers: {', '.join(str(t) for t in record.tiers)}",
        "",
    ]
    if record.settings is not None:
        where = f"[governance.rules.{record.name}]"
        out += [f"Settings (`{where}`):", "", *settings_table(record.settings)]
    return out


def _report(record: Any) -> list[str]:
    return [
        *_summary(record),
        f"- scopes: {', '.join(f'`{s}`' for s in record.scopes)}",
        f"- formats: {', '.join(f'`{f}`' for f in record.formats)}",
        "",
    ]


def _prose(model: Any) -> list[str]:
    # A model whose fields say what they are in its docstring rather than one by one: the
    # docstring, its example left out (the reference's examples run; these are not checked).
    text = inspect.cleandoc(model.__doc__ or "").split("\nExample::", 1)[0].strip()
    return [rest_to_markdown(text), ""] if text else []


def _store_kind(record: Any) -> list[str]:
    return [*_summary(record), *_prose(record.model), *settings_table(record.model)]


def _settings(record: Any) -> list[str]:
    return [*_summary(record), f"`[settings.{record.name}]`:", "", *settings_table(record.model)]


def _custom_fields(record: Any) -> list[str]:
    kinds = ", ".join(f"`{k}`" for k in record.kinds)
    return [
        *_summary(record),
        f"On: {kinds}.",
        "",
        *_prose(record.model),
        *settings_table(record.model),
    ]


def _profile(record: Any) -> list[str]:
    out = _summary(record)
    if record.plugins:
        out.append(f"- plugins it enables: {', '.join(f'`{p}`' for p in record.plugins)}")
    if record.governance_model:
        out.append(f"- governance model: `{record.governance_model}`")
    if record.methodology:
        out.append(f"- methodology: `{record.methodology}`")
    if record.settings:
        out.append(f"- settings it sets: {', '.join(f'`{k}`' for k in record.settings)}")
    return [*out, ""]


def _governance_model(record: Any) -> list[str]:
    level = f"`{record.default_level}`" if record.default_level else "each rule's own"
    out = [
        *_summary(record),
        f"- default rule level: {level}; deviations: "
        f"`{record.deviations}`; change control: `{record.change_control}`; escalates to: "
        f"`{record.escalate_to}`",
    ]
    if record.rule_levels:
        levels = ", ".join(f"`{r}` {lvl}" for r, lvl in sorted(record.rule_levels.items()))
        out.append(f"- rule levels: {levels}")
    if record.approvals:
        out.append(f"- approvals for: {', '.join(f'`{a}`' for a in sorted(record.approvals))}")
    return [*out, ""]


def _scoring_model(record: Any) -> list[str]:
    out = _summary(record)
    if record.unit:
        out.append(f"- unit: {record.unit}")
    if record.settings:
        out.append(f"- reads the settings `[settings.{record.settings}]`")
    return [*out, ""]


_DETAILS: dict[str, Callable[[Any], list[str]]] = {
    "pmo_methodologies": _methodology,
    "pmo_connectors": _connector,
    "pmo_governance_rules": _rule,
    "pmo_reports": _report,
    "pmo_store_kinds": _store_kind,
    "pmo_settings": _settings,
    "pmo_custom_fields": _custom_fields,
    "pmo_profiles": _profile,
    "pmo_governance_models": _governance_model,
    "pmo_scoring_models": _scoring_model,
}

_TITLES = {
    "pmo_governance_models": "Governance models",
    "pmo_governance_rules": "Governance rules",
    "pmo_methodologies": "Methodologies",
    "pmo_connectors": "Connectors",
    "pmo_reports": "Reports",
    "pmo_scoring_models": "Scoring models",
    "pmo_custom_fields": "Custom fields",
    "pmo_store_kinds": "Store kinds",
    "pmo_storage_backends": "Storage backends",
    "pmo_settings": "Settings",
    "pmo_profiles": "Profiles",
}


def _record_name(record: Any) -> str:
    return str(getattr(record, "kind", None) or record.name)


# ------------------------------------------------------------------------------- columns


def csv_columns() -> dict[str, tuple[str, ...]]:
    """The columns of each kind of the CSV layout, as pmo-csv reads and writes them."""
    from pmo_csv import _columns

    return {kind: _columns.columns_for(kind) for kind in _columns.KINDS}


def _csv_column_type(name: str) -> str:
    from pmo_csv import _columns

    if name in (*_columns.ENTITY_DATES, *_columns.WORK_ITEM_DATES):
        return "date"
    if name in _columns.MONEY_COLUMNS:
        return "money"
    if name in _columns.NUMBER_COLUMNS:
        return "number"
    return "text"


def _csv_section() -> list[str]:
    from pmo_csv import _columns

    out = [
        "## Columns",
        "",
        "The columns of each file (`kind`: file of the directory layout), in the order an "
        "export writes them, from `pmo_csv`'s own column lists. One file holding several "
        "kinds has a `kind` column first. A column "
        f"`{_columns.CUSTOM_PREFIX}namespace.field` is a custom field.",
        "",
    ]
    for kind, columns in csv_columns().items():
        out += [
            f"### `{kind}`: `{_columns.FILES[kind]}`",
            "",
            "| column | type | what it holds |",
            "|---|---|---|",
            *(
                f"| `{c}` | {_csv_column_type(c)} | {_cell(_columns.COLUMN_NOTES[c])} |"
                for c in columns
            ),
            "",
        ]
    return out


def xlsx_columns() -> dict[str, dict[str, str]]:
    """The columns of each kind of the workbook layout and their cell types, as pmo-xlsx
    reads and writes them."""
    from pmo_xlsx import _layout

    return {kind: dict(columns) for kind, columns in _layout.COLUMNS.items()}


def _xlsx_section() -> list[str]:
    from pmo_xlsx import _layout

    out = [
        "## Columns",
        "",
        "The columns of each sheet (`kind`: sheet), in the order an export writes them, with "
        "their cell type, from `pmo_xlsx`'s layout. Cell types:",
        "",
    ]
    # The cell types as documented beside CellType (its `#: - ``text``: ...` lines).
    for line in inspect.getsource(_layout).splitlines():
        stripped = line.strip()
        if stripped.startswith("#: - "):
            out.append("- " + stripped[5:].replace("``", "`"))
    out.append("")
    for kind, columns in xlsx_columns().items():
        out += [
            f"### `{kind}`: sheet `{_layout.SHEETS[kind]}`",
            "",
            "| column | cell type |",
            "|---|---|",
            *(f"| `{c}` | {t} |" for c, t in columns.items()),
            "",
        ]
    return out


_COLUMNS: dict[str, Callable[[], list[str]]] = {"pmo-csv": _csv_section, "pmo-xlsx": _xlsx_section}


# ---------------------------------------------------------------------------------- pages


def plugin_page(plugin: Plugin, command_help: Callable[[Any, str], list[str]]) -> str:
    """The Markdown of a plugin's page. ``command_help(command, name)`` gives the help
    sections of a command and its subcommands (docs_reference's, headed from ``###``)."""
    parts = [
        f"# {plugin.distribution}",
        "",
        plugin.summary,
        "",
        f"Plugin id `{plugin.id}`, version {plugin.version}: `pip install {plugin.distribution}`, "
        f"then `pmo plugins enable {plugin.id}`. This page is made from the plugin when the "
        "docs are built; the [catalogue](../plugins.md) lists every first-party plugin.",
        "",
    ]
    if plugin.dependencies:
        parts += [f"Depends on: {', '.join(f'`{d}`' for d in plugin.dependencies)}.", ""]
    if plugin.module is None:
        families = ", ".join(f"`{f}`" for f in plugin.families) or "none declared"
        return (
            "\n".join(
                [
                    *parts,
                    "!!! warning",
                    "",
                    f"    {plugin.distribution} could not be imported when these docs were built "
                    f"({_cell(plugin.problem)}): install it and build again to see what it "
                    f"registers. Hook families it declares: {families}.",
                ]
            ).rstrip()
            + "\n"
        )
    registered = plugin.registered
    for hook, title in _TITLES.items():
        records = registered.get(hook)
        if not records:
            continue
        parts += [f"## {title}", ""]
        for record in sorted(records, key=_record_name):
            parts += [f"### `{_record_name(record)}`", ""]
            parts += _DETAILS.get(hook, _summary)(record)
    if plugin.distribution in _COLUMNS:
        parts += _COLUMNS[plugin.distribution]()
    commands = registered.get("pmo_cli_commands", [])
    if commands:
        parts += [
            "## Commands",
            "",
            "The help of each command and subcommand, as `pmo COMMAND --help` prints it once "
            "the plugin is enabled.",
            "",
        ]
        for record in commands:
            parts += command_help(record.command, record.name)
    hooks = implemented_hooks(plugin)
    parts += ["## Hooks it implements", ""]
    parts += [f"- [`{name}`][pmo_core.hookspecs.{name}]" for name in hooks]
    return "\n".join(parts).rstrip() + "\n"
