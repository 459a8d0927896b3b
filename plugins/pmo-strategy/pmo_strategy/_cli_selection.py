"""``pmo selection`` and ``pmo scenario``: portfolio selection, scenarios and the frontier."""

from __future__ import annotations

import click


@click.group()
def selection() -> None:
    """Portfolio selection: the best set of proposals under budget and capacity."""


@click.group()
def scenario() -> None:
    """Named what-if selection scenarios: save, compare, decide."""
