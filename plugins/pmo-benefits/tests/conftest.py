from __future__ import annotations

from collections.abc import Iterator

import pmo_benefits
import pytest
from benefits_support import Clock

from pmo_core import Workspace


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ws(clock: Clock) -> Iterator[Workspace]:
    with Workspace.in_memory(
        plugins={"benefits": pmo_benefits}, today=clock, actor="tester"
    ) as workspace:
        workspace.create("portfolio", id="PF", name="Acme")
        workspace.create("project", id="LEDGER", name="New ledger", parent="PF")
        yield workspace
