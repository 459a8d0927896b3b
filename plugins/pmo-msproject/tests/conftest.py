from __future__ import annotations

from collections.abc import Iterator

import pmo_msproject
import pytest

from pmo_core import Workspace


@pytest.fixture
def ws() -> Iterator[Workspace]:
    with Workspace.in_memory(plugins={"msproject": pmo_msproject}) as workspace:
        yield workspace
