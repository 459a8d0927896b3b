"""MPXJ as the oracle: the native MSPDI reader agrees with MPXJ on every MSPDI file, and a
plan saved both as MSPDI and as .mpp imports the same either way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from msproject_samples import MSPDI_FILES, PAIRS, by_id, read

FIELDS = ("subject", "type", "parent", "start", "due", "links", "budget", "actual_cost", "work")


@pytest.mark.parametrize("path", MSPDI_FILES, ids=lambda p: p.name)
def test_the_native_reader_agrees_with_mpxj_on_every_mspdi_file(path: Path) -> None:
    native = by_id(read("mspdi", path))
    mpxj = by_id(read("msproject", path))

    assert native == mpxj


@pytest.mark.parametrize(("xml", "mpp"), PAIRS, ids=lambda p: p.name)
def test_the_mspdi_and_mpp_of_one_plan_agree_on_tasks_dates_links_and_costs(
    xml: Path, mpp: Path
) -> None:
    # One key for both: the 2010 MSPDI file carries no GUID, its .mpp does.
    native = by_id(read("mspdi", xml, key="PLAN"))
    mpxj = by_id(read("msproject", mpp, key="PLAN"))

    def tasks(items: dict[tuple[str, str], dict[str, Any]]) -> dict[str, tuple[Any, ...]]:
        return {
            rid: tuple(data.get(f) for f in FIELDS)
            for (kind, rid), data in items.items()
            if kind == "work_item"
        }

    assert tasks(native) == tasks(mpxj)
    assert len(tasks(native)) >= 10
    project = ("project", "PLAN")
    for name in ("planned_start", "planned_finish", "budget", "currency"):
        assert native[project].get(name) == mpxj[project].get(name), name


def test_the_links_file_has_every_link_type_with_lags() -> None:
    _, mpp = PAIRS[0]
    links = [
        (link["type"], link["lag_days"])
        for (kind, _), data in by_id(read("msproject", mpp)).items()
        if kind == "work_item"
        for link in data["links"]
    ]

    assert {t for t, _ in links} == {"FS", "SS", "FF", "SF"}
    assert any(lag > 0 for _, lag in links)
