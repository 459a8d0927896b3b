"""``pmo plugins new``: scaffold a plugin package for one family.

The package is rendered with jinja2 from the templates in ``pmo_core/_scaffold/`` (package
data): ``common/`` for every family (pyproject, README, tox.ini, CI workflow, py.typed) and
one folder per family (the plugin module and its tests). Every file is rendered in memory
first, so a bad name or an existing directory writes nothing. jinja2 is imported only here:
``pmo --help`` never pays for it.

Names: ``NAME`` (``acme-rules``) is the plugin id; the distribution is ``pmo-NAME``
(``pmo-acme-rules``), the package ``pmo_NAME`` with dashes as underscores (``pmo_acme_rules``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click

from ._output import echo_json

FAMILIES = ("governance", "methodology", "connector", "report", "command")

# The hook family (pmo_core.hookspecs) each kind of package implements, declared in its
# pyproject (entry point group pmo_core.families) so `pmo plugins list` shows it unloaded.
_HOOK_FAMILY = {
    "governance": "governance",
    "methodology": "methodology",
    "connector": "connectors",
    "report": "reports",
    "command": "extensions",
}

_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")

_TEMPLATES = Path(__file__).resolve().parent.parent / "_scaffold"


def _check_name(name: str) -> None:
    from .._errors import InvalidInputError

    if not _NAME.match(name) or len(name) > 30:
        raise InvalidInputError(
            f"{name!r} is not a plugin name: lower-case letters and digits in words joined by "
            "single dashes, starting with a letter, at most 30 characters (e.g. acme-rules)",
            where="NAME",
        )
    if name == "pmo" or name.startswith("pmo-"):
        raise InvalidInputError(
            f"{name!r}: leave out the 'pmo-' prefix, the distribution is named "
            f"pmo-NAME (e.g. 'acme-rules' makes pmo-acme-rules)",
            where="NAME",
        )


def _context(name: str, family: str, author: str) -> dict[str, Any]:
    import json

    from .._version import __version__

    major, minor = (int(part) for part in __version__.split(".")[:2])
    words = name.split("-")
    return {
        "name": name,
        "family": family,
        "hook_family": _HOOK_FAMILY[family],
        "author": author,
        # A JSON string is a valid TOML basic string: quotes and backslashes stay data.
        "author_toml": json.dumps(author, ensure_ascii=False),
        "distribution": f"pmo-{name}",
        "package": "pmo_" + name.replace("-", "_"),
        "title": " ".join(w.capitalize() for w in words),
        "camel": "".join(w.capitalize() for w in words),
        "requires_core": f">={major}.{minor},<{major}.{minor + 1}",
    }


def render_package(name: str, family: str, author: str = "") -> dict[str, str]:
    """The files of a new plugin package, by relative path, rendered but not written."""
    import jinja2

    _check_name(name)
    context = _context(name, family, author)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Python, TOML and Markdown, not HTML
    )
    files: dict[str, str] = {}
    for folder in ("common", family):
        root = _TEMPLATES / folder
        for path in sorted(root.rglob("*")):
            if not path.is_file() or path.suffix != ".j2":
                continue
            rel = path.relative_to(root).with_suffix("").as_posix()
            rel = rel.replace("PACKAGE", context["package"])
            files[rel] = env.get_template(f"{folder}/{path.relative_to(root).as_posix()}").render(
                context
            )
    return files


@click.command("new", short_help="Create a plugin package for one family, ready to test.")
@click.argument("name")
@click.option(
    "--family",
    type=click.Choice(FAMILIES),
    required=True,
    help="What the plugin contributes: a rule, a methodology, a connector, a report or a command.",
)
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to create it (default: ./pmo-NAME). Must not exist or be empty.",
)
@click.option("--author", default="", help="The author named in pyproject.toml.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def new(name: str, family: str, directory: Path | None, author: str, as_json: bool) -> None:
    """Create a plugin package NAME (distribution pmo-NAME, package pmo_NAME).

    The package holds a working example of the family, tests that use pmo_core.testing,
    a README, a tox.ini (tests, ruff, mypy --strict) and a CI workflow. Its code passes
    ruff and mypy --strict as generated; install it with 'pip install -e DIR[test]'.

    \b
    Examples:
      pmo plugins new acme-rules --family governance
      pmo plugin new acme-report --family report --dir plugins/acme-report --json
    """
    from .._errors import ConflictError, InvalidInputError

    target = directory if directory is not None else Path(f"pmo-{name}")
    files = render_package(name, family, author)
    if target.exists() and not target.is_dir():
        raise InvalidInputError(f"{target} exists and is not a directory", where="--dir")
    if target.is_dir() and any(target.iterdir()):
        raise ConflictError(f"{target} exists and is not empty: choose another --dir")
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    context = _context(name, family, author)
    if as_json:
        echo_json(
            {
                "directory": str(target),
                "plugin": name,
                "distribution": context["distribution"],
                "package": context["package"],
                "family": family,
                "files": sorted(files),
            }
        )
        return
    click.echo(f"Created {context['distribution']} ({family}) in {target}:")
    for rel in sorted(files):
        click.echo(f"  {rel}")
    click.echo("Next: pip install -e '" + str(target) + "[test]' && pytest " + str(target))
