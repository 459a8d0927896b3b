"""The native MSPDI reader on real files and on small made ones: hierarchy, milestones,
dates, work, progress, links, costs, resources and baselines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from msproject_samples import DATA, MSPDI_FILES, by_id, read
from pmo_msproject import hours

from pmo_core import InvalidInputError

NS = "http://schemas.microsoft.com/project"


def mspdi(body: str, head: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Project xmlns="{NS}">'
        f"<GUID>4F1E2D3C-0000-1111-2222-333344445555</GUID><Title>Office move</Title>"
        f"<CurrencyCode>EUR</CurrencyCode><MinutesPerDay>420</MinutesPerDay>"
        f"<StartDate>2025-03-03T08:00:00</StartDate><FinishDate>2025-03-28T17:00:00</FinishDate>"
        f"<LastSaved>2025-03-01T10:00:00</LastSaved>{head}<Tasks>{body}</Tasks></Project>"
    )


def task(uid: int, level: int, name: str, extra: str = "") -> str:
    return (
        f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>{name}</Name>"
        f"<OutlineLevel>{level}</OutlineLevel>{extra}</Task>"
    )


@pytest.mark.parametrize("path", MSPDI_FILES, ids=lambda p: p.name)
def test_every_real_file_reads_to_one_project_and_its_tasks(path: Path) -> None:
    items = read("mspdi", path)

    assert items[0].kind == "project"
    key = items[0].remote_id
    assert all(i.remote_id.startswith(f"{key}/") for i in items[1:])
    assert any(i.kind == "work_item" for i in items)


def test_summary_tasks_become_parents_and_milestones_both_records() -> None:
    items = by_id(read("mspdi", DATA / "sample.xml"))

    first = items[("work_item", "sample/1")]
    assert first["type"] == "summary"
    assert "budget" not in first, "a summary task's cost is its children's: not counted twice"
    assert items[("work_item", "sample/2")]["parent"] == "sample/1"
    assert items[("work_item", "sample/2")]["budget"] == "3526.25 EUR"  # MSPDI: cents
    assert items[("work_item", "sample/2")]["work"] == 500
    assert items[("work_item", "sample/3")]["type"] == "milestone"
    assert items[("work_item", "sample/3")]["milestone"] == "sample/3"
    assert items[("milestone", "sample/3")] == {
        "project": "sample",
        "name": "Third task",
        "due": date(2003, 1, 7),
        "status": "open",
        "completed_on": None,
    }


def test_links_keep_type_and_lag_in_days() -> None:
    items = by_id(read("mspdi", DATA / "mspdirelations.xml"))

    assert items[("work_item", "mspdirelations/3")]["links"] == [
        {"predecessor": "mspdirelations/2", "type": "SS", "lag_days": 1.0}
    ]


def test_link_types_and_lag_formats() -> None:
    links = "".join(
        f"<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>{t}</Type>"
        f"<LinkLag>{lag}</LinkLag><LagFormat>{fmt}</LagFormat></PredecessorLink>"
        for t, lag, fmt in ((0, 4200, 7), (2, 14400, 8), (3, -2100, 5), (1, 500, 19))
    )
    body = task(1, 1, "A", "<Duration>PT14H0M0S</Duration>") + task(2, 1, "B", links)
    path = Path("plan.xml")
    path.write_text(mspdi(body), encoding="utf-8")
    try:
        got = by_id(read("mspdi", path))[("work_item", "4F1E2D3C-0000-1111-2222-333344445555/2")]
    finally:
        path.unlink()

    assert [(link["type"], link["lag_days"]) for link in got["links"]] == [
        ("FF", 1.0),  # 420 working minutes: the file's day is 7 hours
        ("SF", 1.0),  # 1440 elapsed minutes: one calendar day
        ("SS", -0.5),
        ("FS", 1.0),  # 50 % of a two-day predecessor
    ]


def test_resources_rates_and_assignees() -> None:
    items = by_id(read("mspdi", DATA / "mspdiresource.xml"))

    wade = items[("resource", "mspdiresource/R1")]
    assert wade["name"] == "Wade Golden"
    assert wade["email"] == "wade.golden@steelray.com"
    assert wade["rates"] == [{"effective_from": date(1984, 1, 1), "per_hour": "50.00 GBP"}]
    assert ("resource", "mspdiresource/R4") not in items, "Concrete is a material"
    task_a = items[("work_item", "mspdiresource/2")]
    assert task_a["assignee"]
    assert task_a["budget"] == "5400.00 GBP"
    done = items[("work_item", "mspdiresource/4")]
    assert (done["percent_complete"], done["status"], done["actual_cost"]) == (
        100,
        "closed",
        "800.00 GBP",
    )


def test_baselines_one_record_per_number(tmp_path: Path) -> None:
    base = (
        "<Baseline><Number>{n}</Number><Start>2025-03-0{d}T08:00:00</Start>"
        "<Finish>2025-03-1{d}T17:00:00</Finish><Work>PT40H0M0S</Work><Cost>{c}</Cost></Baseline>"
    )
    body = (
        task(0, 0, "Office move", base.format(n=0, d=3, c=900000))
        + task(1, 1, "Pack", base.format(n=0, d=3, c=400000) + base.format(n=1, d=4, c=450000))
        + task(2, 1, "Move", base.format(n=0, d=5, c=500000))
    )
    path = tmp_path / "plan.xml"
    path.write_text(mspdi(body), encoding="utf-8")

    items = [i for i in read("mspdi", path) if i.kind == "baseline"]

    assert [i.remote_id.rsplit("/", 2)[1:] for i in items] == [["baseline", "0"], ["baseline", "1"]]
    zero, one = (dict(i.data) for i in items)
    assert zero["cost"] == "9000.00 EUR"
    assert zero["taken_on"] == date(2025, 3, 1)  # the file's LastSaved
    assert [x["cost"] for x in zero["items"]] == ["4000.00 EUR", "5000.00 EUR"]
    assert one["cost"] == "4500.00 EUR"  # no project total: the items' sum
    assert one["items"][0]["planned_start"] == date(2025, 3, 4)
    assert one["items"][0]["work"] == 40


def test_physical_percent_complete_when_the_task_says_so(tmp_path: Path) -> None:
    body = task(
        1,
        1,
        "Pour",
        "<PercentComplete>20</PercentComplete><PhysicalPercentComplete>65"
        "</PhysicalPercentComplete><EarnedValueMethod>1</EarnedValueMethod>",
    )
    path = tmp_path / "plan.xml"
    path.write_text(mspdi(body), encoding="utf-8")

    (item,) = [i for i in read("mspdi", path) if i.kind == "work_item"]

    assert item.data["percent_complete"] == 65


def test_predecessors_and_parents_come_first_whatever_the_file_order(tmp_path: Path) -> None:
    link = "<PredecessorLink><PredecessorUID>3</PredecessorUID><Type>1</Type></PredecessorLink>"
    body = task(1, 1, "Early", link) + task(2, 1, "Phase", "<Summary>1</Summary>")
    body += task(3, 2, "Late")
    path = tmp_path / "plan.xml"
    path.write_text(mspdi(body), encoding="utf-8")

    order = [i.remote_id.rsplit("/", 1)[1] for i in read("mspdi", path) if i.kind == "work_item"]

    assert order.index("2") < order.index("3") < order.index("1")


def test_a_cycle_of_links_is_refused_with_the_task(tmp_path: Path) -> None:
    def pred(uid: int) -> str:
        return f"<PredecessorLink><PredecessorUID>{uid}</PredecessorUID></PredecessorLink>"

    path = tmp_path / "plan.xml"
    path.write_text(mspdi(task(1, 1, "A", pred(2)) + task(2, 1, "B", pred(1))), encoding="utf-8")

    with pytest.raises(InvalidInputError, match="cycle") as caught:
        read("mspdi", path)
    assert caught.value.where is not None
    assert caught.value.where.startswith(f"{path}:2:")  # the task, on line 2


def test_options_key_parent_and_a_key_from_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "office move (v2).xml"
    path.write_text(mspdi(task(1, 1, "A")).replace("<GUID>", "<X>").replace("</GUID>", "</X>"))

    assert read("mspdi", path)[0].remote_id == "office-move-v2"
    first = read("mspdi", path, key="MOVE", parent="PF-OPS")[0]
    assert (first.remote_id, first.data["parent"], first.data["name"]) == (
        "MOVE",
        "PF-OPS",
        "Office move",
    )


def test_hours_reads_iso_durations() -> None:
    assert hours("PT8H0M0S") == 8
    assert hours("PT7H30M0S") == 7.5
    assert hours("P1DT2H") == 26
    assert hours(None) is None
    with pytest.raises(InvalidInputError, match="not a duration"):
        hours("eight hours", "x.xml:3:4")
