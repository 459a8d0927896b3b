"""``pmo plugins install`` and ``pmo plugins uninstall``: pip in the environment pmo runs in.

pip runs as ``sys.executable -m pip``, so a plugin lands where this ``pmo`` finds it (never in
another Python on the PATH). pip's own configuration applies (``pip.conf``, ``PIP_INDEX_URL``
and the other ``PIP_*`` variables). On a terminal pip's progress streams as it runs; its
errors are collected and shown once, as one block under the ``error:`` line, and nothing is
enabled.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .._errors import InvalidInputError, PluginError
from ._output import echo_json, echo_line

if TYPE_CHECKING:
    from .._plugins.index import PluginEntry


class PipError(PluginError):
    """pip failed: its error output, one ``pip: ...`` line each, under the error line."""

    def __init__(self, message: str, lines: Sequence[str]) -> None:
        super().__init__(message)
        self.problems = tuple(f"pip: {line}" for line in lines if line.strip()) or (
            "pip: (no error output)",
        )


def _pip(args: Sequence[str], *, stream: bool) -> None:
    """Run pip; raise :class:`PipError` with its error output when it fails.

    ``stream``: pip's standard output goes to the terminal as it runs (progress); without it
    (not a terminal, ``--json``) it is kept quiet. Standard error is always collected so a
    failure is shown once, in one block.
    """
    import subprocess

    command = [sys.executable, "-m", "pip", *args, "--disable-pip-version-check"]
    done = subprocess.run(
        command,
        stdout=None if stream else subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        lines = done.stderr.splitlines() or (done.stdout or "").splitlines()[-20:]
        raise PipError(
            f"pip {args[0]} failed (exit {done.returncode}) in {sys.prefix}; nothing was enabled",
            lines,
        )


def _installed_names(report: Path) -> set[str]:
    """The distributions pip's ``--report`` says it installed (canonical names)."""
    import json

    from .._plugins.index import canonical_distribution

    try:
        data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {
        canonical_distribution(str(item.get("metadata", {}).get("name", "")))
        for item in data.get("install", ())
        if isinstance(item, dict)
    }


def _load_new_path_files(before: dict[str, set[str]]) -> None:
    """Process the ``.pth`` files pip just added (editable installs), so this process can
    import the new plugin when it is enabled at once."""
    import site

    for sitedir, names in _path_files().items():
        for name in sorted(names - before.get(sitedir, set())):
            site.addpackage(sitedir, name, None)


def _path_files() -> dict[str, set[str]]:
    import site

    dirs = [*site.getsitepackages(), site.getusersitepackages()]
    out: dict[str, set[str]] = {}
    for d in dirs:
        try:
            out[d] = {p.name for p in Path(d).glob("*.pth")}
        except OSError:
            continue
    return out


def _entries() -> list[PluginEntry]:
    import importlib

    from .._plugins.index import scan

    importlib.invalidate_caches()
    return scan()


def _in_workspace(ctx: click.Context) -> bool:
    from . import CliState

    state = ctx.find_object(CliState)
    return bool(state and state.in_workspace())


def _ask(question: str, *, yes: bool, where: str, refused: str) -> bool:
    """``--yes``, or the user's answer; no answer (input ended) is an error naming ``--yes``."""
    if yes:
        return True
    try:
        return bool(click.confirm(question, default=True, err=True))
    except click.Abort:
        raise InvalidInputError(f"no answer to {question!r}: {refused}", where=where) from None


@click.command("install", short_help="pip install plugins into pmo's environment.")
@click.argument("specs", nargs=-1, metavar="SPEC...")
@click.option(
    "-e",
    "--editable",
    "editables",
    multiple=True,
    metavar="PATH",
    help="Install the project at PATH in editable mode (repeatable).",
)
@click.option("--yes", "-y", is_flag=True, help="Enable the new plugins without asking.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def install(
    ctx: click.Context,
    specs: tuple[str, ...],
    editables: tuple[str, ...],
    yes: bool,
    as_json: bool,
) -> None:
    """Install plugin packages with pip into the environment pmo runs in, then offer to
    enable the plugins they bring in this workspace.

    SPEC is anything pip accepts: a name (with a version range), a path, a URL; -e PATH
    installs a project you are working on in editable mode. pip runs as 'python -m pip' of
    this pmo's Python, with pip's own configuration (pip.conf, PIP_INDEX_URL, ...). If pip
    fails, its errors are shown in one block and nothing is enabled.

    The plugins found in the installed distributions are listed; in a workspace you are
    asked whether to enable them (--yes enables without asking). Outside a workspace, enable
    them later with 'pmo plugins enable ID'.

    \b
    Examples:
      pmo plugins install pmo-csv
      pmo plugins install ./pmo-acme-rules --yes
      pmo plugins install -e ../pmo-acme-rules
      pmo plugins install 'pmo-reports>=0.1,<0.2' --json
    """
    import tempfile

    if not specs and not editables:
        raise InvalidInputError("name at least one SPEC or -e PATH to install", where="SPEC")
    before = {(e.id, e.distribution, e.version) for e in _entries()}
    pth_before = _path_files()
    stream = not as_json and sys.stdout.isatty()
    with tempfile.TemporaryDirectory(prefix="pmo-pip-") as tmp:
        report = Path(tmp) / "report.json"
        args = ["install", "--report", str(report), *specs]
        for path in editables:
            args += ["-e", path]
        if not stream:
            args.append("-q")
        _pip(args, stream=stream)
        names = _installed_names(report)
    _load_new_path_files(pth_before)
    after = _entries()
    # The plugins of what pip installed; when its report is missing (an old pip), the plugins
    # that were not there before.
    new = [
        e
        for e in after
        if e.distribution in names
        or (not names and (e.id, e.distribution, e.version) not in before)
    ]
    enabled: list[str] = []
    in_workspace = _in_workspace(ctx)
    if new and in_workspace:
        from ._output import workspace

        ids = ", ".join(e.id for e in new)
        if not as_json:
            _list_new(new)
        ws = workspace(ctx)
        if _ask(
            f"Enable {ids} in {ws.config.path}?",
            yes=yes,
            where="--yes",
            refused="installed, not enabled (pmo plugins enable ID)",
        ):
            enabled = ws.enable(*(e.id for e in new), comment="pmo plugins install")
    if as_json:
        echo_json(
            {
                "installed": sorted(names),
                "plugins": [
                    {
                        "id": e.id,
                        "distribution": e.distribution,
                        "version": e.version,
                        "enabled": e.id in enabled,
                    }
                    for e in new
                ],
                "enabled": enabled,
            }
        )
        return
    if not new:
        echo_line("No new pmo plugin in what pip installed (already installed, or not a plugin).")
        return
    if not in_workspace:
        _list_new(new)
        echo_line(
            "Not in a workspace: enable them in one with "
            f"'pmo -w DIR plugins enable {' '.join(e.id for e in new)}'."
        )
    elif enabled:
        from ._output import workspace

        echo_line(f"Enabled {', '.join(enabled)} in {workspace(ctx).config.path}")
    else:
        echo_line(f"Not enabled: 'pmo plugins enable {' '.join(e.id for e in new)}' when ready.")


def _list_new(new: Sequence[PluginEntry]) -> None:
    echo_line("New plugins:")
    for e in new:
        echo_line(f"  {e.id} ({e.distribution} {e.version}){': ' + e.summary if e.summary else ''}")


@click.command("uninstall", short_help="Disable a plugin here, then pip uninstall it.")
@click.argument("name", metavar="PLUGIN")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def uninstall(ctx: click.Context, name: str, yes: bool) -> None:
    """Uninstall a plugin's distribution (by plugin id or distribution name) with pip.

    In a workspace that enables it, the plugin is disabled there first (the decision is
    journaled); other workspaces that enable it will report it as missing until they disable
    it too. Asks before changing anything (--yes does not ask).

    \b
    Examples:
      pmo plugins uninstall acme-rules
      pmo plugins uninstall pmo-csv --yes
    """
    from .._errors import NotFoundError
    from .._plugins.index import canonical_distribution

    entries = _entries()
    wanted = canonical_distribution(name)
    entry = next((e for e in entries if e.id == name), None) or next(
        (e for e in entries if e.distribution == wanted), None
    )
    if entry is None:
        known = ", ".join(sorted(e.id for e in entries)) or "none installed"
        raise NotFoundError(f"no installed plugin {name!r} (installed: {known})")
    dist = entry.distribution
    ids = [e.id for e in entries if e.distribution == dist]
    enabled_here: list[str] = []
    ws: Any = None
    if _in_workspace(ctx):
        from ._output import workspace

        ws = workspace(ctx)
        enabled_here = [i for i in ids if i in ws.config.enabled]
    what = f"{dist} (plugin {', '.join(ids)})"
    question = (
        f"Disable {', '.join(enabled_here)} in {ws.config.path} and uninstall {what}?"
        if enabled_here
        else f"Uninstall {what} from {sys.prefix}?"
    )
    if not _ask(question, yes=yes, where="--yes", refused="nothing changed"):
        echo_line("Nothing changed.")
        return
    if enabled_here:
        removed = ws.disable(*enabled_here, comment=f"pmo plugins uninstall {dist}")
        echo_line(f"Disabled {', '.join(removed)} in {ws.config.path}")
    _pip(["uninstall", "-y", dist], stream=sys.stdout.isatty())
    echo_line(f"Uninstalled {dist}")
