"""The test files and helpers the pmo-msproject tests share (a module of its own name: the
core's tests have a conftest too)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pmo_msproject

from pmo_core import ConnectorRequest, SourceItem

DATA = Path(__file__).parent / "data"
#: Every MSPDI file of the test data.
MSPDI_FILES = sorted(DATA.glob("*.xml"))
#: The plans saved both as MSPDI and as .mpp: (MSPDI, .mpp).
PAIRS = [
    (DATA / f"{stem}-mspdi.xml", DATA / f"{stem}-mpp14.mpp")
    for stem in ("task-links-project2019", "task-costs-project2019", "task-dates-project2010")
]
XER_FILES = sorted(DATA.glob("*.xer"))


def read(connector: str, path: Path | str, **options: Any) -> list[SourceItem]:
    """The items a connector's reader yields for ``path``."""
    reader = pmo_msproject.read_mspdi if connector == "mspdi" else pmo_msproject.read_mpxj
    return list(reader(ConnectorRequest(location=str(path), options=options)))


def by_id(items: list[SourceItem]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(item.kind, item.remote_id): dict(item.data) for item in items}
