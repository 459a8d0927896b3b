from __future__ import annotations

from collections.abc import Iterator

import pmo_scrum
import pytest
from scrum_support import Clock, build_release

from pmo_core import Workspace


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ws(clock: Clock) -> Iterator[Workspace]:
    with Workspace.in_memory(
        plugins={"scrum": pmo_scrum}, methodology="scrum", today=clock, actor="tester"
    ) as workspace:
        yield workspace


@pytest.fixture
def release(ws: Workspace, clock: Clock) -> dict[str, str]:
    """The hand-computed release of scrum_support (story letter -> id)."""
    return build_release(ws, clock)
