"""``pmo governance models``: the models in force and each rule's effective level under them."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from pmo_core import (
    NotFoundError,
    PluginHost,
    PmoGovernanceModel,
    PmoGovernanceRule,
    Workspace,
)


def _records(workspace: str | None) -> tuple[list[PmoGovernanceModel], list[PmoGovernanceRule]]:
    # Inside a workspace, show every enabled plugin's models and rules (a third party's rules
    # included); outside one, this plugin's own, so the command also works before `pmo init`.
    try:
        ws = Workspace.open(workspace)
    except NotFoundError:
        if workspace is not None:
            raise
        host = PluginHost(plugins={"governance": sys.modules[__package__ or "pmo_governance"]})
        host.load()
    else:
        with ws:
            host = ws.host
    return list(host.governance_models()), list(host.governance_rules())


def _as_dict(models: list[PmoGovernanceModel], rules: list[PmoGovernanceRule]) -> dict[str, Any]:
    return {
        "models": [
            {
                "name": m.name,
                "summary": m.summary,
                "plugin": m.plugin,
                "default_level": m.default_level,
                "cadence_days": {str(tier): days for tier, days in sorted(m.cadence_days.items())},
                "approvers": list(m.approvers),
                "quorum": m.quorum,
                "tolerances": {k: str(v) for k, v in sorted(m.tolerances.items())},
                "escalate_to": m.escalate_to,
                "pmo_approves_gates": m.pmo_approves_gates,
                "levels": {r.name: m.level_for(r) for r in rules},
            }
            for m in models
        ],
        "rules": [
            {
                "name": r.name,
                "summary": r.summary,
                "plugin": r.plugin,
                "level": r.level,
                "scopes": list(r.scopes),
                "tiers": list(r.tiers),
                "gates_only": r.gates_only,
            }
            for r in rules
        ],
    }


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def _describe(model: PmoGovernanceModel) -> str:
    cadence = ", ".join(f"tier {t} {d}d" for t, d in sorted(model.cadence_days.items()))
    parts = [
        f"default {model.default_level or 'rule level'}",
        f"status every {cadence}",
        f"gates: {' + '.join(model.approvers)} (quorum {model.quorum}"
        + (", PMO must approve)" if model.pmo_approves_gates else ")"),
    ]
    if model.tolerances:
        tolerances = ", ".join(f"{k} {v * 100:.0f}%" for k, v in sorted(model.tolerances.items()))
        parts.append(f"tolerances {tolerances} -> {model.escalate_to}")
    return "; ".join(parts)


@click.group(name="governance")
def governance() -> None:
    """Governance models and rules."""


@governance.command(name="models")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@click.option(
    "-w",
    "--workspace",
    type=click.Path(file_okay=False),
    default=None,
    help="Workspace directory (default: PMO_WORKSPACE or the nearest pmo.toml).",
)
def models(as_json: bool, workspace: str | None) -> None:
    """List the governance models and each rule's effective level under each model.

    The level of a rule under a model is the model's level for that rule, else the model's
    default level, else the rule's own level.
    """
    found_models, rules = _records(workspace)
    if as_json:
        click.echo(json.dumps(_as_dict(found_models, rules), indent=2))
        return
    click.echo("Models")
    click.echo(
        _table([["  " + m.name, m.plugin, _describe(m)] for m in found_models])
        if found_models
        else "  (none registered)"
    )
    click.echo("")
    click.echo("Rule levels by model")
    header = ["  rule", "own", *(m.name for m in found_models)]
    rows = [header] + [
        ["  " + r.name, r.level, *(m.level_for(r) for m in found_models)] for r in rules
    ]
    click.echo(_table(rows) if rules else "  (no rules registered)")
