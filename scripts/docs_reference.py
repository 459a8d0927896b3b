"""The reference pages of the SDK docs that are derived from the code, made when the docs are
built (a mkdocs hook, named in mkdocs.yml) and never committed:

- ``reference/hooks.md``: every hook declared in ``pmo_core.hookspecs``, by family, headed by
  its signature as written in the source;
- ``reference/records.md``: per family, the record types its hooks yield and the other public
  types of the record's module;
- ``reference/cli.md``: the help of ``pmo``, of every built-in command and subcommand, and of
  the commands of the first-party plugins;
- ``reference/plugins.md``: the catalogue of the first-party plugins, from their
  metadata (distribution, version, summary, plugin id) and what each registers, every
  distribution under ``plugins/`` (the build fails if one is missing);
- ``reference/plugins/<distribution>.md``: a page per first-party plugin, made by
  scripts/docs_plugins.py (``plugin_pages()``), listed in the nav under the catalogue.

``hooks_page()``, ``records_page()``, ``cli_page()`` and ``catalogue_page()`` return the
Markdown (``plugin_pages()`` the plugin pages by path); they import
pmo-core when called, so the tests (and a copy of pmo-core with a hook added) can call them.

As a mkdocs hook it also sets the site's version (``pmo_core.__version__``, shown in the
footer) and its repository link (from pyproject's ``[project.urls]``, when it has one).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import pkgutil
import re
import tempfile
import textwrap
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# A sibling module: mkdocs puts scripts/ on the path only while it loads this hook.
import docs_plugins

ROOT = Path(__file__).resolve().parent.parent
# The distributions of the plugins in this repository, whose commands the CLI page documents.
FIRST_PARTY = frozenset(p.parent.name for p in ROOT.glob("plugins/*/pyproject.toml"))


def _directive(identifier: str, **options: Any) -> str:
    lines = [f"::: {identifier}"]
    if options:
        lines.append("    options:")
        lines += [f"      {key}: {_yaml(value)}" for key, value in options.items()]
    return "\n".join(lines) + "\n"


def _yaml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# A module's or a hook's docstring under a heading of ours: no heading, no contents entry.
_BODY_ONLY = {"show_root_heading": False, "show_root_toc_entry": False, "members": False}


def hook_signature(name: str) -> str:
    """``pmo_reports() -> Iterable[PmoReport]``: the hook's signature as written in the source
    (normalised to one line)."""
    from pmo_core import hookspecs

    source = textwrap.dedent(inspect.getsource(hookspecs.HOOKS[name].function))
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.FunctionDef)
    returns = f" -> {ast.unparse(node.returns)}" if node.returns else ""
    return f"{name}({ast.unparse(node.args)}){returns}"


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def linked_type(annotation: str) -> str:
    """An annotation as Markdown, each public pmo-core name in it a link to where it is
    documented: ``Sequence[StatusReport]`` becomes
    ``Sequence[`` [``StatusReport``][pmo_core.StatusReport] ``]`` (code spans around the rest)."""
    import pmo_core

    public = set(pmo_core.__all__)
    parts: list[str] = []
    plain = ""
    position = 0
    for match in _IDENTIFIER.finditer(annotation):
        plain += annotation[position : match.start()]
        position = match.end()
        name = match.group()
        if name in public and name[:1].isupper():
            if plain:
                parts.append(f"`{plain}`")
            parts.append(f"[`{name}`][pmo_core.{name}]")
            plain = ""
        else:
            plain += name
    plain += annotation[position:]
    if plain:
        parts.append(f"`{plain}`")
    return "".join(parts)


def hook_parameters(name: str) -> list[tuple[str, str]]:
    """The parameters of a hook as declared, with their annotations as written:
    ``[("workspace", "Workspace"), ("reports", "Sequence[StatusReport]")]``."""
    from pmo_core import hookspecs

    source = textwrap.dedent(inspect.getsource(hookspecs.HOOKS[name].function))
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.FunctionDef)
    return [
        (arg.arg, ast.unparse(arg.annotation) if arg.annotation else "")
        for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
    ]


def hooks_page() -> str:
    from pmo_core import hookspecs

    parts = [
        "# Hook reference",
        "",
        _directive("pmo_core.hookspecs", **_BODY_ONLY),
        "Each section is headed by the hook's signature. A registration hook links to the "
        "record type it yields, in the [record reference](records.md).",
        "",
    ]
    for family, names in hookspecs.families().items():
        parts += [f"## {family.capitalize()}", ""]
        for name in names:
            spec = hookspecs.HOOKS[name]
            anchor = f"pmo_core.hookspecs.{name}"
            parts += [f'### `{hook_signature(name)}` {{ #{anchor} data-toc-label="{name}" }}', ""]
            if spec.record is not None:
                record = spec.record.__name__
                parts += [f"Yields [`{record}`][pmo_core.{record}] records.", ""]
            parameters = hook_parameters(name)
            if parameters:
                parts += ["Parameters:", ""]
                parts += [
                    f"- `{arg}`: {linked_type(annotation)}" if annotation else f"- `{arg}`"
                    for arg, annotation in parameters
                ]
                parts.append("")
            parts.append(_directive(anchor, **_BODY_ONLY))
    return "\n".join(parts).rstrip() + "\n"


def record_families() -> dict[str, list[str]]:
    """The public record types by family (as the records page lists them): the records the
    family's hooks yield, then the other names of those records' modules' ``__all__``. Types
    of no family (the base record) come first, under ``""``."""
    from pmo_core import _records, hookspecs

    families: dict[str, list[str]] = {"": []}
    placed: set[str] = set()
    for family, hooks in hookspecs.families().items():
        records = [r for r in (hookspecs.HOOKS[h].record for h in hooks) if r is not None]
        names = [r.__name__ for r in records]
        for record in records:
            names += importlib.import_module(record.__module__).__all__
        names = [n for n in dict.fromkeys(names) if n not in placed]
        if names:
            families[family] = names
            placed.update(names)
    families[""] = [n for n in _records.__all__ if n not in placed]
    return families


def _value_types() -> Iterator[str]:
    # The vocabularies record fields use (Level, ScopeKind...), so a field's type links to its
    # values: the Literal aliases of the record modules, each where it is defined.
    from pmo_core import _records

    seen: set[int] = set()
    for info in pkgutil.iter_modules(_records.__path__):  # _base first: it defines most
        module = importlib.import_module(f"{_records.__name__}.{info.name}")
        for name, value in vars(module).items():
            if name.startswith("_") or typing.get_origin(value) is not typing.Literal:
                continue
            if id(value) not in seen:
                seen.add(id(value))
                yield f"{module.__name__}.{name}"


def records_page() -> str:
    parts = [
        "# Record reference",
        "",
        _directive("pmo_core._records", **_BODY_ONLY),
        "Every type on this page is importable from `pmo_core`. The [hook reference](hooks.md) "
        "says which hook yields which record. The examples run after the code of "
        "[what the examples assume](examples.md).",
        "",
    ]
    for family, names in record_families().items():
        parts += [f"## {family.capitalize() or 'Common to every family'}", ""]
        parts += [_directive(f"pmo_core.{name}") for name in names]
    parts += [
        "## Value types",
        "",
        "The values a record field of these types accepts.",
        "",
        *(_directive(path) for path in _value_types()),
    ]
    return "\n".join(parts).rstrip() + "\n"


def _help(command: Any, name: str, parent: Any, deeper: int = 0) -> list[str]:
    import click

    # Under the root's context, as when run: `pmo init -h` works (help_option_names).
    ctx = click.Context(command, info_name=name, parent=parent)
    path = ctx.command_path
    parts = [f"{'#' * min(path.count(' ') + 1 + deeper, 4)} {path}", "", "```text"]
    parts += [command.get_help(ctx).rstrip(), "```", ""]
    if isinstance(command, click.Group):
        for sub in command.list_commands(ctx):
            parts += _help(command.get_command(ctx, sub), sub, ctx, deeper)
    return parts


def _plugin_commands() -> Iterator[tuple[Any, str, str]]:
    from importlib.metadata import entry_points

    for entry in sorted(entry_points(group="pmo_core.plugins"), key=lambda e: e.name):
        if entry.dist is None or entry.dist.name not in FIRST_PARTY:
            continue
        hook = getattr(entry.load(), "pmo_cli_commands", None)
        for record in hook() if hook else ():
            yield record, entry.name, entry.dist.name


def _global_options(cli: Any) -> list[str]:
    """The "Global options" section: the root's options, accepted before or after a command."""
    import click

    from pmo_core._cli import _globals

    ctx = click.Context(cli, info_name="pmo")
    rows = ["| option | meaning |", "|---|---|"]
    for param in cli.params:
        if isinstance(param, click.Option) and param.name in _globals.GLOBAL_DESTS:
            record = param.get_help_record(ctx)
            if record is not None:
                rows.append(f"| `{record[0]}` | {record[1]} |")
    rows.append("| `--json` | Print JSON (handed to the command that runs, which must have it). |")
    return [
        "## Global options",
        "",
        "Accepted before or after the command, at any depth, by plugin commands too: "
        "`pmo -w acme --json project list` is `pmo project list -w acme --json`.",
        "",
        *rows,
        "",
    ]


def _help_topics() -> list[str]:
    """One section per ``pmo help TOPIC``, the text that command prints."""
    from pmo_core._cli.help_topics import TOPICS

    parts = ["## Help topics", "", "`pmo help` lists them; `pmo help TOPIC` prints one.", ""]
    for name, (summary, text) in TOPICS.items():
        parts += [f"### pmo help {name}", "", summary, "", "```text", text.rstrip(), "```", ""]
    return parts


def cli_page() -> str:
    import click
    from click.testing import CliRunner

    from pmo_core._cli import cli
    from pmo_core._commands import BUILTIN_COMMANDS

    # In an empty directory with a fresh command cache: `pmo --help` lists the built-ins only,
    # whatever the machine building the docs has enabled.
    with tempfile.TemporaryDirectory() as empty:
        env = {"PMO_WORKSPACE": empty, "PMO_CACHE_DIR": os.path.join(empty, "cache")}
        root = CliRunner().invoke(cli, ["--help"], prog_name="pmo", env=env, terminal_width=88)
    parts = [
        "# CLI reference",
        "",
        "The help of every `pmo` command, as `pmo COMMAND --help` prints it. Commands of "
        "plugins are listed by `pmo --help` once their plugin is enabled in the workspace; "
        "those of the first-party plugins are at the end of this page.",
        "",
        "## pmo",
        "",
        "```text",
        root.output.rstrip(),
        "```",
        "",
        *_global_options(cli),
        *_help_topics(),
    ]
    top = click.Context(cli, info_name="pmo", terminal_width=88, **cli.context_settings)
    for name, module, attr, _summary in BUILTIN_COMMANDS:
        command = getattr(importlib.import_module(f"pmo_core._cli.{module}"), attr)
        parts += _help(command, name, top)
    for record, plugin, distribution in _plugin_commands():
        section = _help(record.command, record.name, top)
        section[1:1] = ["", f"From the `{plugin}` plugin (`{distribution}`)."]
        parts += section
    return "\n".join(parts).rstrip() + "\n"


def _registered(module: Any) -> list[tuple[str, list[str]]]:
    """What a plugin module registers: per registration hook it implements, the names."""
    from pmo_core.hookspecs import registration_hooks

    out = []
    for spec in registration_hooks().values():
        hook = getattr(module, spec.name, None)
        if hook is None:
            continue
        names = [
            str(getattr(r, "name", None) or getattr(r, "kind", None) or r) for r in hook() or ()
        ]
        if names:
            label = spec.name.removeprefix("pmo_").replace("_", " ").replace("cli ", "")
            out.append((label, sorted(names)))
    return out


def catalogue_page() -> str:
    parts = [
        "# First-party plugins",
        "",
        "The plugins developed in pmo-core's repository, each its own distribution under "
        "`plugins/`, installed with `pip install` and enabled per workspace with "
        "`pmo plugins enable ID`. This page is made from their metadata and what "
        "each registers when the docs are built; each has a reference page of its own "
        "(its settings, commands and hooks).",
        "",
        "| plugin id | distribution | version | what it is | reference |",
        "|---|---|---|---|---|",
    ]
    sections: list[str] = []
    plugins = docs_plugins.first_party_plugins()
    listed = {p.distribution for p in plugins}
    if listed != FIRST_PARTY:  # never a plugin left out silently
        raise RuntimeError(f"first-party plugins not catalogued: {sorted(FIRST_PARTY - listed)}")
    for plugin in plugins:
        summary = plugin.summary.replace("|", "\\|")
        target = plugin.page.removeprefix("reference/")
        link = f"[{plugin.distribution}]({target})"
        parts.append(
            f"| `{plugin.id}` | `{plugin.distribution}` | {plugin.version} | {summary} | {link} |"
        )
        sections += [
            f"## {plugin.id}",
            "",
            f"`pip install {plugin.distribution}`, then "
            f"`pmo plugins enable {plugin.id}` ([reference]({target})). "
            "It registers:",
            "",
        ]
        if plugin.module is None:
            sections += [f"- not known: it could not be imported ({plugin.problem})", ""]
            continue
        registered = _registered(plugin.module)
        sections += [
            f"- **{record}**: {', '.join(f'`{n}`' for n in names)}" for record, names in registered
        ] or ["- hooks only (events)"]
        sections.append("")
    return "\n".join([*parts, "", *sections]).rstrip() + "\n"


def plugin_pages() -> dict[str, str]:
    """The reference page of each first-party plugin, by path (``reference/plugins/pmo-csv.md``)."""
    import click

    from pmo_core._cli import cli

    top = click.Context(cli, info_name="pmo", terminal_width=88, **cli.context_settings)

    def command_help(command: Any, name: str) -> list[str]:
        return _help(command, name, top, deeper=1)

    plugins = docs_plugins.first_party_plugins()
    return {p.page: docs_plugins.plugin_page(p, command_help) for p in plugins}


PAGES: dict[str, Callable[[], str]] = {
    "reference/hooks.md": hooks_page,
    "reference/records.md": records_page,
    "reference/cli.md": cli_page,
    "reference/plugins.md": catalogue_page,
}


def on_files(files: Any, config: Any, **kwargs: Any) -> Any:
    """The mkdocs hook: add the pages, made from the code being documented."""
    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import File

    try:
        pages = {path: page() for path, page in PAGES.items()} | plugin_pages()
    except RuntimeError as error:  # a first-party plugin the docs cannot document: one line
        raise PluginError(str(error)) from None
    for path, content in pages.items():
        files.append(File.generated(config, path, content=content))
    return files


def repository_url() -> str | None:
    """The repository's address from pyproject's ``[project.urls]`` (``Repository``, else
    ``Source``, else ``Homepage``), or ``None`` when it names none."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: the docs are built on 3.11 or later
        return None
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"].get("urls", {})
    return next((urls[k] for k in ("Repository", "Source", "Homepage") if k in urls), None)


def _nav_plugin_pages(nav: list[Any]) -> None:
    # The catalogue's entry in the nav becomes a section: the catalogue, then a page per
    # first-party plugin (one per folder under plugins/, so none is left out of the nav).
    for index, entry in enumerate(nav):
        if not isinstance(entry, dict):
            continue
        ((title, value),) = entry.items()
        if value == "reference/plugins.md":
            pages = [{d: f"reference/plugins/{d}.md"} for d in sorted(FIRST_PARTY)]
            nav[index] = {title: [{"Catalogue": value}, *pages]}
        elif isinstance(value, list):
            _nav_plugin_pages(value)


def on_config(config: Any, **kwargs: Any) -> Any:
    """The mkdocs hook: the version documented (in the footer and as ``extra.version``) and
    the repository link, from the code and pyproject rather than written twice."""
    from pmo_core import __version__

    config.extra["version"] = __version__
    _nav_plugin_pages(config.nav or [])
    config.copyright = f"pmo-core {__version__}"
    if not config.repo_url and (url := repository_url()):
        config.repo_url = url
    return config
