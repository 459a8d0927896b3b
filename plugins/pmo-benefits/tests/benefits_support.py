"""Helpers shared by the tests of pmo-benefits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass
class Clock:
    """The workspace's today, which a test moves."""

    day: date = date(2026, 7, 2)

    def __call__(self) -> date:
        return self.day
