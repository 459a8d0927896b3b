"""``pmo governance models`` and ``pmo governance check``: the models, and the rules' findings."""

from __future__ import annotations

import sys
from typing import Any

import click

from pmo_core import (
    Finding,
    GovernanceBlockedError,
    NotFoundError,
    PluginHost,
    PmoError,
    PmoGovernanceModel,
    PmoGovernanceRule,
    current_workspace,
    escape_controls,
)
from pmo_core.cli import echo_json, echo_table


def _named_workspace() -> bool:
    # `pmo -w DIR` (before or after the command): a workspace named that is missing is an
    # error to show, not a reason to fall back to this plugin's own records.
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return False
    root = ctx.find_root()
    return root.get_parameter_source("workspace") == click.core.ParameterSource.COMMANDLINE


def _records() -> tuple[list[PmoGovernanceModel], list[PmoGovernanceRule]]:
    # Inside a workspace, show every enabled plugin's models and rules (a third party's rules
    # included); outside one, this plugin's own, so the command also works before `pmo init`.
    try:
        host = current_workspace().host
    except PmoError as exc:
        # Only "no workspace here" (or run outside `pmo`) falls back; a broken pmo.toml or
        # a workspace named explicitly that does not exist is an error to show.
        no_workspace = isinstance(exc, NotFoundError) or type(exc) is PmoError
        if _named_workspace() or not no_workspace:
            raise
        host = PluginHost(plugins={"governance": sys.modules[__package__ or "pmo_governance"]})
    return list(host.records(PmoGovernanceModel)), list(host.records(PmoGovernanceRule))


def _as_dict(models: list[PmoGovernanceModel], rules: list[PmoGovernanceRule]) -> dict[str, Any]:
    return {
        "models": [
            {
                "name": m.name,
                "summary": m.summary,
                "plugin": m.plugin,
                "default_level": m.default_level,
                "cadence_days": {str(tier): days for tier, days in sorted(m.cadence_days.items())},
                "approvals": {
                    decision: [band.model_dump(mode="json") for band in bands]
                    for decision, bands in m.approvals.items()
                },
                "deviations": m.deviations,
                "change_control": m.change_control,
                "tolerances": {
                    level: {k: str(v) for k, v in sorted(limits.items())}
                    for level, limits in sorted(m.tolerances.items())
                },
                "escalate_to": m.escalate_to,
                "levels": {r.name: m.level_for(r) for r in rules},
                "rule_settings": {name: dict(v) for name, v in sorted(m.rule_settings.items())},
            }
            for m in models
        ],
        "rules": [
            {
                "name": r.name,
                "summary": r.summary,
                "plugin": r.plugin,
                "level": r.level,
                "levels": dict(r.levels),
                "min_level": r.min_level,
                "scopes": list(r.scopes),
                "tiers": list(r.tiers),
                "gates_only": r.gates_only,
            }
            for r in rules
        ],
    }


def _describe(model: PmoGovernanceModel) -> str:
    cadence = ", ".join(f"tier {t} {d}d" for t, d in sorted(model.cadence_days.items()))
    parts = [
        f"default {model.default_level or 'rule level'}",
        f"status every {cadence}",
        "deviations " + ("advised" if model.deviations == "advise" else "need a waiver"),
        "baselined changes " + ("recorded" if model.change_control == "record" else "requested"),
    ]
    go = model.approval_rule("go")
    parts.append(f"gate go: {go.describe() if go else 'no approval'}")
    for level, limits in sorted(model.tolerances.items()):
        shown = ", ".join(
            f"{k} {v}" if k == "risk" else f"{k} {v * 100:.0f}%" for k, v in sorted(limits.items())
        )
        parts.append(f"{level} tolerances {shown} -> the level above")
    return "; ".join(parts)


@click.group(name="governance")
def governance() -> None:
    """Governance models and rules."""


@governance.command(name="models")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
def models(as_json: bool) -> None:
    """List the governance models and each rule's effective level under each model.

    The level of a rule under a model is the model's level for that rule, else the model's
    default level, else the rule's own level. A workspace may override it, per workspace and
    per scope, in pmo.toml ([governance.rules.NAME]); 'pmo doctor' lists those overrides.

    \b
    Examples:
      pmo governance models
      pmo governance models --json
    """
    found_models, rules = _records()
    if as_json:
        echo_json(_as_dict(found_models, rules))
        return
    click.echo("Models")
    echo_table(
        ["model", "plugin", "description"],
        [[m.name, m.plugin, _describe(m)] for m in found_models],
        empty="(none registered)",
    )
    click.echo("")
    click.echo("Rule levels by model")
    echo_table(
        ["rule", "own", *(m.name for m in found_models)],
        [[r.name, r.level, *(m.level_for(r) for m in found_models)] for r in rules],
        empty="(no rules registered)",
    )


def _finding_line(finding: Finding) -> str:
    # A rule's message quotes data (a name, a field): nothing in it may drive the terminal.
    # A level set in pmo.toml says so: the same rule may sit at another level elsewhere.
    note = f" [{finding.level_note}]" if finding.level_note else ""
    return escape_controls(f"  {finding.entity}  {finding.rule}{note}: {finding.message}")


@governance.command(name="check")
@click.argument("entity", required=False)
@click.option(
    "--min-level",
    type=click.Choice(("advise", "warn", "block")),
    default="advise",
    show_default=True,
    help="Only rules at this level or stricter under the model in force.",
)
@click.option("--json", "as_json", is_flag=True, help="Print every finding (passed too) as JSON.")
@click.pass_context
def check(
    ctx: click.Context,
    entity: str | None,
    min_level: str,
    as_json: bool,
) -> None:
    """Check the governance rules (outside a gate) for ENTITY, or for every entity.

    Prints the rules that failed, worst first, each with its level under the model in
    force, or as pmo.toml sets it ([governance.rules], shown as 'set in pmo.toml [for
    KEY]'; --json gives every finding's level_from). Exit code 0 when nothing blocks, 5 when
    a finding blocks, so scripts can test it. A gate's own criteria are checked by
    'pmo gate check'.

    \b
    Examples:
      pmo governance check
      pmo governance check ALPHA --json
      pmo governance check --min-level warn || echo "governance blocks"
    """
    findings = current_workspace().check(entity, min_level=min_level)
    if as_json:
        echo_json([f.as_dict() for f in findings])
    else:
        failed = sorted((f for f in findings if not f.passed), key=lambda f: (f.entity, f.rule))
        for level in ("block", "warn", "advise"):
            shown = [f for f in failed if f.level == level]
            if shown:
                click.echo(f"{level} ({len(shown)})")
                click.echo("\n".join(_finding_line(f) for f in shown))
        passed = len(findings) - len(failed)
        click.echo(f"{len(failed)} finding(s), {passed} rule check(s) passed")
    if any(f.blocking for f in findings):
        ctx.exit(GovernanceBlockedError.exit_code)
