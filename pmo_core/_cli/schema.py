"""``pmo schema``: the JSON Schema of the domain model."""

from __future__ import annotations

import click

from ._output import echo_json


@click.command()
@click.option("--kind", metavar="KIND", help="Only one record kind: project, raid, work_item, ...")
def schema(kind: str | None) -> None:
    """Print the JSON Schema of the domain model (every stored record), or of one kind.

    Connectors and integrations can validate their data against it.

    \b
    Examples:
      pmo schema > pmo-schema.json
      pmo schema --kind project
      pmo schema --kind raid
    """
    from .._domain import DOMAIN_MODELS, domain_json_schema
    from .._errors import InvalidInputError

    if kind is None:
        echo_json(domain_json_schema())
        return
    wanted = kind.strip().lower().replace("-", "_")
    for model in DOMAIN_MODELS:
        # 'raid', 'RaidItem' and 'raid-item' all name the same model.
        if wanted == model.store_kind or wanted.replace("_", "") == model.__name__.lower():
            echo_json(model.model_json_schema())
            return
    kinds = ", ".join(m.store_kind for m in DOMAIN_MODELS)
    raise InvalidInputError(f"unknown record kind {kind!r} (kinds: {kinds})", where="--kind")
