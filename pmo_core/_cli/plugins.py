"""``pmo plugins`` (list, info, enable, disable, install, uninstall) and ``pmo doctor``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from .._errors import describe
from .._redact import redact
from .._text import escape_controls
from ._output import echo_json, limit_option, limited, paint, workspace
from ._tables import echo_table, kv_lines
from .plugin_install import install, uninstall

if TYPE_CHECKING:
    from .._plugins.host import PluginHost
    from .._plugins.status import PluginStatus


def _host(ctx: click.Context) -> tuple[PluginHost, bool]:
    """The command's host: the workspace's, or (outside a workspace) one with nothing enabled."""
    from . import CliState

    state = ctx.find_object(CliState) or CliState(None, debug=False, strict=False, trace=False)
    return state.host(), state.in_workspace()


def _families(status: PluginStatus, connectors: dict[str, list[Any]] | None = None) -> str:
    if status.families:
        families = list(status.families)
        mine = (connectors or {}).get(status.id)
        if mine and "connectors" in families:
            # What an operator asks first of a connector package: what it can do.
            said = "; ".join(f"{c.name}: {', '.join(sorted(c.capabilities))}" for c in mine)
            families[families.index("connectors")] = f"connectors ({said})"
        return ", ".join(families)
    return "-" if status.state != "loaded" else "(none)"


def _connectors(host: PluginHost) -> dict[str, list[Any]]:
    """The connectors of each loaded plugin, by plugin id."""
    from .._records import PmoConnector

    out: dict[str, list[Any]] = {}
    for connector in host.records(PmoConnector):
        out.setdefault(connector.plugin or "", []).append(connector)
    return out


def _report_options(host: PluginHost, plugin_id: str) -> dict[str, dict[str, str] | None]:
    """The options of each report of the plugin, by report (``None``: not declared)."""
    from .._records import PmoReport

    return {
        r.name: None if r.options is None else dict(r.options)
        for r in host.records(PmoReport)
        if r.plugin == plugin_id
    }


def _connector_dicts(connectors: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "name": c.name,
            "capabilities": sorted(c.capabilities),
            "extensions": list(c.extensions),
            "options": dict(c.options),
        }
        for c in connectors
    ]


@click.group()
def plugins() -> None:
    """List, inspect, install, enable, disable and uninstall plugins.

    Plugins are installed with pip ('pmo plugins install' runs it in pmo's own Python)
    and enabled per workspace in pmo.toml; a disabled
    plugin is never imported. A plugin that fails to load is quarantined: every
    command keeps working and 'pmo plugins list' / 'pmo doctor' say why.

    \b
    Examples:
      pmo plugins list
      pmo plugins info pmo-csv
      pmo plugins enable stage-gate
      pmo plugins disable csv
      pmo plugins install ./pmo-acme-rules
      pmo plugins uninstall acme-rules
      pmo plugins new acme-rules --family governance   (also: pmo plugin new)
    """


@plugins.command("list", short_help="List the installed plugins and their status.")
@click.option("--all", "show_all", is_flag=True, help="Also show pmo-core's built-in plugin.")
@limit_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_plugins(ctx: click.Context, show_all: bool, limit: int | None, as_json: bool) -> None:
    """List the installed plugins: id, distribution, version, families, enabled, status.

    Works outside a workspace too (then every plugin shows as not enabled).

    \b
    Examples:
      pmo plugins list
      pmo plugins list --all --json
    """
    host, in_workspace = _host(ctx)
    statuses = limited(
        [s for s in host.statuses() if show_all or not s.builtin], limit, as_json=as_json
    )
    connectors = _connectors(host)
    if as_json:
        echo_json(
            [
                {**s.as_dict(), "connectors": _connector_dicts(connectors.get(s.id, []))}
                for s in statuses
            ]
        )
        return
    rows = [
        [s.id, s.distribution, s.version or "-", _families(s, connectors), s.enabled, s.state]
        for s in statuses
    ]
    echo_table(
        ["id", "distribution", "version", "families", "enabled", "status"],
        rows,
        empty="No pmo plugins are installed (pip install pmo-governance pmo-reports ...).",
    )
    for s in statuses:
        if s.error:
            click.echo(paint(escape_controls(f"  {s.id} ({s.state}): {s.error}"), s.state))
        for note in s.notes:
            click.echo(paint(escape_controls(f"  {s.id} (note): {note}"), "warn"))
    if not in_workspace:
        click.echo("(not in a workspace: nothing is enabled; see 'pmo init')")


def _records_of(host: PluginHost, plugin_id: str) -> dict[str, list[str]]:
    from ..hookspecs import registration_hooks

    out: dict[str, list[str]] = {}
    for cls, spec in registration_hooks().items():
        names = [r.name for r in host.records(cls) if r.plugin == plugin_id]
        if names:
            out[spec.name] = names
    return out


@plugins.command("info", short_help="Show one plugin and what it registers.")
@click.argument("plugin")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def info(ctx: click.Context, plugin: str, as_json: bool) -> None:
    """Show one plugin (by id or distribution name) and what it registers.

    \b
    Examples:
      pmo plugins info csv
      pmo plugins info pmo-csv --json
    """
    host, _ = _host(ctx)
    status = host.status(plugin)
    records = _records_of(host, status.id) if status.state == "loaded" else {}
    connectors = _connectors(host).get(status.id, []) if status.state == "loaded" else []
    reports = _report_options(host, status.id) if status.state == "loaded" else {}
    if as_json:
        echo_json(
            {
                **status.as_dict(),
                "records": records,
                "connectors": _connector_dicts(connectors),
                "report_options": reports,
            }
        )
        return
    pairs: list[tuple[str, Any]] = [
        ("id", status.id),
        ("distribution", status.distribution),
        ("version", status.version or "-"),
        ("summary", status.summary or "-"),
        ("enabled", status.enabled),
        ("status", status.state),
    ]
    if status.error:
        pairs.append(("error", status.error))
    pairs += [
        ("requires", f"pmo-core{status.requires_core}" if status.requires_core else "-"),
        ("families", _families(status)),
        ("hooks", ", ".join(status.hooks) or "-"),
    ]
    for hook, names in records.items():
        pairs.append((hook, ", ".join(names)))
    for c in connectors:
        extensions = f"; files {', '.join(c.extensions)}" if c.extensions else ""
        pairs.append((f"connector {c.name}", f"{', '.join(sorted(c.capabilities))}{extensions}"))
        pairs += [(f"  --option {name}", said) for name, said in c.options.items()]
    for name, options in reports.items():
        if options:  # a report that takes options lists them as a connector does
            pairs.append((f"report {name}", "options:"))
            pairs += [(f"  --option {key}", said) for key, said in options.items()]
    click.echo(kv_lines(pairs))
    if status.state == "disabled":
        click.echo(f"(not imported while disabled: 'pmo plugins enable {status.id}')")


def _load_report(ws: Any, ids: list[str]) -> None:
    """After enabling, say whether each plugin loads under the new configuration (the
    workspace's host follows pmo.toml at once)."""
    host = ws.host
    for pid in ids:
        status = host.status(pid)
        if status.state == "loaded":
            click.echo(
                f"  {pid}: {paint('loaded', 'loaded')} "
                f"({', '.join(status.families) or 'no records'})"
            )
        else:
            click.echo(
                paint(escape_controls(f"  {pid}: {status.state}: {status.error}"), status.state),
                err=True,
            )


_COMMENT = click.option(
    "--comment", default="", help="Why: recorded with the decision in the journal."
)


@plugins.command("enable", short_help="Enable installed plugins in this workspace.")
@click.argument("names", nargs=-1, required=True, metavar="PLUGIN...")
@_COMMENT
@click.pass_context
def enable(ctx: click.Context, names: tuple[str, ...], comment: str) -> None:
    """Enable installed plugins in this workspace (by id or distribution name).

    Every name is checked first: an unknown one changes nothing. The distribution each
    plugin comes from is recorded in pmo.toml ([plugins] sources): if another distribution
    later claims the same id, it is the one refused. The decision is journaled.

    \b
    Examples:
      pmo plugins enable stage-gate
      pmo plugins enable pmo-csv reports --comment "monthly CSV exchange with finance"
    """
    ws = workspace(ctx)
    added = ws.enable(*names, comment=comment)
    ids = [ws.host.resolve(n).id for n in names]
    already = [i for i in dict.fromkeys(ids) if i not in added]
    if added:
        click.echo(f"Enabled {', '.join(added)} in {ws.config.path}")
        _load_report(ws, added)
    if already:
        click.echo(f"Already enabled: {', '.join(already)}")


@plugins.command("disable", short_help="Disable plugins in this workspace.")
@click.argument("names", nargs=-1, required=True, metavar="PLUGIN...")
@_COMMENT
@click.pass_context
def disable(ctx: click.Context, names: tuple[str, ...], comment: str) -> None:
    """Disable plugins in this workspace; a disabled plugin is never imported.

    The decision is journaled: disabling a governance plugin that fails to load is how a PMO
    accepts, on the record, to run without its rules (until then every gate blocks).

    \b
    Examples:
      pmo plugins disable csv
      pmo plugins disable governance --comment "replaced by acme-governance"
    """
    ws = workspace(ctx)
    removed = ws.disable(*names, comment=comment)
    if removed:
        click.echo(f"Disabled {', '.join(removed)} in {ws.config.path}")
    else:
        click.echo(f"Not enabled: {', '.join(names)} (nothing changed)")


# ------------------------------------------------------------ install, uninstall (pip)

plugins.add_command(install)
plugins.add_command(uninstall)


# ------------------------------------------------------------------------- doctor


def _check(name: str, ok: bool, detail: str, problems: list[str] | None = None) -> dict[str, Any]:
    return {"check": name, "ok": ok, "detail": detail, "problems": problems or []}


def _doctor_checks(ctx: click.Context) -> list[dict[str, Any]]:
    from .._errors import PluginError, PmoError
    from .._records import PmoGovernanceModel, PmoMethodology

    checks: list[dict[str, Any]] = []
    try:
        ws = workspace(ctx)
    except PluginError as exc:  # --strict: the workspace opens only if every plugin loads
        checks.append(_check("plugins", False, "plugins failed to load", [str(exc)]))
        return checks
    except PmoError as exc:
        checks.append(_check("config", False, "pmo.toml cannot be read", [str(exc)]))
        return checks
    cfg = ws.config
    checks.append(
        _check(
            "config",
            True,
            f"{cfg.path} (workspace {cfg.name!r}, {len(cfg.enabled)} plugin(s) enabled)",
        )
    )
    host = ws.host
    store_checks, store_ok = _store_checks(ctx, ws)
    checks += store_checks
    statuses = [s for s in host.statuses() if s.enabled and not s.builtin]
    bad = [s for s in statuses if s.state in ("failed", "incompatible")]
    denied = [s for s in statuses if s.state == "denied"]
    loaded = [s.id for s in statuses if s.state == "loaded"]
    detail = f"{len(loaded)} loaded ({', '.join(loaded) or 'none'})"
    if denied:
        detail += f"; denied by the environment: {', '.join(s.id for s in denied)}"
    # A note (a slow import, a distribution refused for claiming a plugin's id) does not
    # stop a plugin, but it is something to look at: doctor reports it.
    problems = [f"{s.id} ({s.state}): {s.error}" for s in bad]
    problems += [f"{s.id}: {note}" for s in statuses for note in s.notes]
    checks.append(_check("plugins", not problems, detail, problems))
    models = {m.name for m in host.records(PmoGovernanceModel)}
    problems = []
    if cfg.governance_model not in models:
        problems.append(
            f"governance_model {cfg.governance_model!r} is not registered "
            f"(available: {', '.join(sorted(models)) or 'none; enable the governance plugin'})"
        )
    methods = {m.name for m in host.records(PmoMethodology)}
    if cfg.methodology and cfg.methodology not in methods:
        problems.append(
            f"methodology {cfg.methodology!r} is not registered "
            f"(available: {', '.join(sorted(methods)) or 'none; enable e.g. stage-gate'})"
        )
    entities = _readable_entities(ws, problems) if store_ok else []
    if store_ok:
        for entity in entities:
            if entity.governance_model and entity.governance_model not in models:
                problems.append(
                    f"{entity.kind} {entity.id} uses governance model "
                    f"{entity.governance_model!r}, which is not registered"
                )
            if entity.methodology and entity.methodology not in methods:
                problems.append(
                    f"{entity.kind} {entity.id} uses methodology "
                    f"{entity.methodology!r}, which is not registered"
                )
    shown = problems[:20] + ([f"... and {len(problems) - 20} more"] if len(problems) > 20 else [])
    checks.append(
        _check(
            "governance",
            not problems,
            f"model {cfg.governance_model!r}, "
            + (f"methodology {cfg.methodology!r}" if cfg.methodology else "no methodology"),
            shown,
        )
    )
    settings = ws.check_settings()
    checks.append(
        _check(
            "settings",
            not settings,
            f"{len(cfg.settings)} [settings] table(s), {len(cfg.governance.rules)} "
            f"[governance.rules] table(s) in {cfg.path.name}",
            settings,
        )
    )
    checks.append(_overrides_check(ws, {e.id for e in entities} if store_ok else None))
    return checks


def _overrides_check(ws: Any, keys: set[str] | None) -> dict[str, Any]:
    """The overrides of governance rules in force ([governance.rules], PMO_RULES_*), listed;
    a scope that names no entity (a misspelt key) is a problem: it overrides nothing."""
    overrides = ws.rule_overrides()
    problems = [
        f"{o.source.removeprefix('pmo.toml ')}: no portfolio, program or project {o.scope!r} "
        "in this workspace, so it overrides nothing"
        for o in overrides
        if o.scope is not None and keys is not None and o.scope not in keys
    ]
    detail = (
        f"{len(overrides)} override(s) of governance rules in force"
        if overrides
        else "none: every rule at its governance model's level and settings"
    )
    check = _check("rule overrides", not problems, detail, problems)
    check["overrides"] = [o.as_dict() for o in overrides]
    return check


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--verify",
    is_flag=True,
    help="Also verify the journal's hash chain, every document against its journal, and "
    "the store file's full integrity check (reads the whole store).",
)
@click.pass_context
def doctor(ctx: click.Context, as_json: bool, verify: bool) -> None:
    """Check the workspace: config, store, plugins, governance, methodology and settings.

    Settings tables no enabled plugin declares are reported (a misspelt name, or a plugin
    not enabled), and so is a bad value, naming the environment variable it came from; so
    is a [governance.rules.NAME] table for a rule no enabled plugin registers. The overrides
    of rules' levels and settings in force (pmo.toml [governance.rules], PMO_RULES_*) are
    listed, and a scope key that names no entity is a problem.
    The store check opens the store and runs its quick integrity check; --verify adds the
    journal check (the hash chain from the first entry, and every document against the
    replay of its journal) and the store's full integrity check.

    Exits 1 when a check finds a problem (handy in CI), 0 when all pass.

    \b
    Examples:
      pmo doctor
      pmo doctor --verify
      pmo -w acme doctor --json
    """
    checks = _doctor_checks(ctx)
    ok = all(c["ok"] for c in checks)
    problems = sum(len(c["problems"]) for c in checks)
    if as_json:
        echo_json({"ok": ok, "problems": problems, "checks": checks})
    else:
        for c in checks:
            mark = paint("ok  ", "ok") if c["ok"] else paint("FAIL", "fail")
            click.echo(f"{mark} {c['check']}: {escape_controls(c['detail'])}")
            for override in c.get("overrides", ()):
                click.echo(f"       {escape_controls(override['summary'])}")
            for problem in c["problems"]:
                click.echo(f"       - {escape_controls(problem)}")
        summary = "all checks passed" if ok else f"{problems} problem(s) found"
        click.echo(paint(summary, "ok" if ok else "problem"))
    if not ok:
        ctx.exit(1)


# ------------------------------------------------------------------- doctor: the store


def _store_location(ws: Any) -> str:
    path = getattr(ws.store, "path", None)
    return str(path) if isinstance(path, str) else redact(ws.config.store_in_use(ws.environ))


def _unopened(ws: Any, exc: Exception) -> dict[str, Any]:
    """The failed store check of a store that cannot be opened: what is wrong in the detail
    (a missing, empty or damaged file), the whole message, with what to do, as the problem."""
    from .._errors import StoreError

    message = str(exc)
    detail = f"{redact(ws.config.store_in_use(ws.environ))} cannot be opened"
    if isinstance(exc, StoreError) and message.startswith("the store "):
        # "the store <path> is not a valid pmo store: <why>; restore it ..." -> its first part
        detail = message.removeprefix("the store ").split("; restore")[0].split(": restore")[0]
    return _check("store", False, detail, [describe(exc)])


def _readable_entities(ws: Any, problems: list[str]) -> list[Any]:
    """The workspace's entities; none, and a problem, when the store cannot give them (a
    document damaged inside a sound file: only --verify reads every document)."""
    from .._errors import PmoError

    try:
        return list(ws.view().entities())
    except (PmoError, ValueError) as exc:
        problems.append(f"the entities cannot be read: {exc}")
        return []


def _store_checks(ctx: click.Context, ws: Any) -> tuple[list[dict[str, Any]], bool]:
    """The store check and, with ``--verify``, the journal and store integrity checks.

    Never raises: a store that cannot be opened or read is a failed check, whatever the
    reason (what doctor is for). Returns the checks and whether the store can be read.
    """
    from .._store.protocol import VerifyResult

    cfg = ws.config
    full = bool(ctx.params.get("verify"))
    try:
        version = ws.store.schema_version
    except Exception as exc:  # any failure to open is what doctor is for
        return [_unopened(ws, exc)], False
    try:
        result = ws.verify(quick=not full)
    except Exception as exc:  # a backend that cannot verify itself, or a damaged store
        result = exc
    opened = f"{redact(cfg.store_in_use(ws.environ))} (schema version {version})"
    if not isinstance(result, VerifyResult):
        if not full:  # the quick check is a bonus: a backend without verify still opens
            return [_check("store", True, opened)], True
        problem = [describe(result)]
        return [
            _check("store", True, opened),
            _check("journal", False, "the journal cannot be verified", problem),
            _check("store integrity", False, "the store cannot be verified", problem),
        ], True
    if not full:
        if not result.integrity:
            return [_check("store", True, opened)], True
        found = len(result.integrity)
        detail = (
            f"{_store_location(ws)} is not a valid pmo store: its check found {found} problem(s)"
        )
        return [_check("store", False, detail, list(result.integrity))], False
    if result.head is None:
        chain = "the journal cannot be read"
    elif result.journal:
        chain = f"{len(result.journal)} problem(s) in {result.entries} entries"
    else:
        chain = (
            f"{result.entries} entries; the hash chain is intact from the first entry and every "
            f"document matches its journal; head {result.head}"
        )
    integrity = (
        f"{_store_location(ws)} failed its integrity check"
        if result.integrity
        else "the integrity check passed and the append-only triggers are in place"
    )
    return [
        _check("store", True, opened),
        _check("journal", not result.journal, chain, list(result.journal)),
        _check("store integrity", not result.integrity, integrity, list(result.integrity)),
    ], not result.integrity


# `pmo plugins new` lives in its own module (jinja2 and the templates load only when it runs).
from .scaffold import new as _new  # noqa: E402

plugins.add_command(_new)
