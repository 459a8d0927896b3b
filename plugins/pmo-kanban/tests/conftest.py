from __future__ import annotations

from collections.abc import Iterator

import pmo_kanban
import pytest
from kanban_support import Clock, build_board

from pmo_core import Workspace


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ws(clock: Clock) -> Iterator[Workspace]:
    with Workspace.in_memory(
        plugins={"kanban": pmo_kanban}, methodology="kanban", today=clock, actor="tester"
    ) as workspace:
        yield workspace


@pytest.fixture
def board(ws: Workspace, clock: Clock) -> dict[str, str]:
    """The hand-computed board of kanban_support (item name -> id)."""
    return build_board(ws, clock)
