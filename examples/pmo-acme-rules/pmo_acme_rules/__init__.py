"""Acme's PMO rules for pmo-core: every tier 1 and tier 2 project names a cost centre.

The plugin the SDK tutorial builds: a custom field set ``acme``, a governance rule
``acme-cost-centre`` and a CLI command ``pmo acme cost-centres``.
"""

from __future__ import annotations

from collections.abc import Iterator

import click
from pydantic import BaseModel, Field

from pmo_core import (
    PmoCommand,
    PmoCustomFields,
    PmoGovernanceRule,
    RuleContext,
    current_workspace,
    hookimpl,
)
from pmo_core.cli import echo_json, echo_table, limit_option, limited


class AcmeFields(BaseModel):
    """Acme's fields on a project, kept in ``project.custom_fields["acme"]``.

    Example::

        AcmeFields(cost_centre="CC-042", business_unit="Retail")
    """

    cost_centre: str | None = Field(default=None, pattern=r"^CC-\d{3}$")
    business_unit: str | None = None


@hookimpl
def pmo_custom_fields() -> Iterator[PmoCustomFields]:
    yield PmoCustomFields(
        name="acme",
        summary="Acme's cost centre (CC-nnn) and business unit.",
        kinds=("project",),
        model=AcmeFields,
    )


def cost_centre_named(ctx: RuleContext) -> str | None:
    """The check of ``acme-cost-centre``: ``None`` when the project names a cost centre."""
    if ctx.entity.custom_fields.get("acme", {}).get("cost_centre"):
        return None
    return (
        f"tier {ctx.entity.tier} project {ctx.entity.id} names no Acme cost centre "
        "(set acme.cost_centre, e.g. CC-042)"
    )


@hookimpl
def pmo_governance_rules() -> Iterator[PmoGovernanceRule]:
    yield PmoGovernanceRule(
        name="acme-cost-centre",
        summary="Tier 1 and tier 2 projects name the cost centre that pays for them.",
        level="warn",
        scopes=("project",),
        tiers=(1, 2),
        check=cost_centre_named,
    )


@click.group()
def acme() -> None:
    """Acme's PMO commands."""


@acme.command("cost-centres")
@limit_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def cost_centres(limit: int | None, as_json: bool) -> None:
    """List the projects with their cost centre and business unit.

    \b
    Examples:
      pmo acme cost-centres
      pmo acme cost-centres --json
    """
    view = current_workspace().view()
    rows = [
        {
            "project": project.id,
            "tier": project.tier,
            "cost_centre": project.custom_fields.get("acme", {}).get("cost_centre"),
            "business_unit": project.custom_fields.get("acme", {}).get("business_unit"),
        }
        for project in view.projects()
    ]
    rows = limited(rows, limit, as_json=as_json)
    if as_json:
        echo_json(rows)
        return
    echo_table(
        ["project", "tier", "cost centre", "business unit"],
        [list(row.values()) for row in rows],
        empty="No projects.",
    )


@hookimpl
def pmo_cli_commands() -> Iterator[PmoCommand]:
    yield PmoCommand(name="acme", summary="Acme's PMO commands (cost centres).", command=acme)
