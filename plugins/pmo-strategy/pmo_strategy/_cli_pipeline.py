"""``pmo objective`` and ``pmo proposal``: objectives, alignment and the ranked pipeline."""

from __future__ import annotations

import click


@click.group()
def objective() -> None:
    """Strategic objectives: a hierarchy with owners and measures."""


@click.group()
def proposal() -> None:
    """Proposals: strategy fields, scores and the ranked pipeline."""
