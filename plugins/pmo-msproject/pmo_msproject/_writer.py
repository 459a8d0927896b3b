"""Writing MSPDI: a project and its work items as MS Project tasks, with their hierarchy,
dates, work, progress, links and costs, in a file MS Project and MPXJ open."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from pmo_core import ConnectorRequest, InvalidInputError, Money, SourceItem

from ._mspdi import NAMESPACE
from ._plan import LINK_TYPES

#: The working day written: 08:00-12:00 and 13:00-17:00, Monday to Friday.
MINUTES_PER_DAY = 480
_TYPE_NUMBERS = {code: number for number, code in LINK_TYPES.items()}
_WORKING_TIMES = (("08:00:00", "12:00:00"), ("13:00:00", "17:00:00"))


def _day(value: Any) -> date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _amount(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Money.parse(value).amount


def _cents(amount: Decimal) -> str:
    return str((amount * 100).quantize(Decimal(1)))


def _duration(hours: float) -> str:
    minutes = round(hours * 60)
    return f"PT{minutes // 60}H{minutes % 60}M0S"


def _working_days(start: date, finish: date) -> int:
    days = 0
    day = start
    # At most a few thousand days per task: a plan's tasks are not centuries long.
    while day <= finish and days < 100_000:
        days += day.weekday() < 5
        day += timedelta(days=1)
    return days


def _add(parent: ET.Element, name: str, value: object) -> None:
    ET.SubElement(parent, name).text = str(value)


def write(request: ConnectorRequest) -> None:
    """Write ``request.items`` (a project and its work items, as ``pmo export mspdi out.xml
    --under PROJECT`` gives them) as one MSPDI file.

    A work item's ``parent`` makes it a subtask (the parent becomes a summary task), a
    ``milestone`` type a milestone; links keep their type and lag; ``budget`` is written as
    the task's cost (and fixed cost, which is what MS Project keeps for a task without
    resources) and ``actual_cost`` as its actual cost. Several projects are refused: MSPDI
    holds one.

    Example::

        ws.export_to("mspdi", "alpha.xml", scope="ALPHA")
    """
    projects: list[SourceItem] = []
    work_items: list[SourceItem] = []
    for item in request.items:
        if item.kind == "project":
            projects.append(item)
        elif item.kind == "work_item":
            work_items.append(item)
    if len(projects) != 1:
        found = ", ".join(p.remote_id for p in projects[:5]) or "none"
        raise InvalidInputError(
            f"an MSPDI file holds one project, and the export gives {len(projects)} ({found}): "
            "export one with --under PROJECT",
            where=request.location,
        )
    project = projects[0]
    own = [
        w for w in work_items if w.data.get("project") == project.data.get("id", project.remote_id)
    ]
    root = _document(project.data, own)
    ET.indent(root, space="\t")
    tmp = f"{request.location}.tmp"
    ET.ElementTree(root).write(tmp, encoding="UTF-8", xml_declaration=True)
    # Written aside and moved in place: a failed export leaves no half file behind.
    os.replace(tmp, request.location)
    request.progress(len(own) + 1, len(own) + 1)


def _document(project: Mapping[str, Any], items: list[SourceItem]) -> ET.Element:
    root = ET.Element("Project", xmlns=NAMESPACE)
    ordered = _tree(items)
    starts = [
        d for _, _, w in ordered if (d := _day(w.data.get("start")) or _day(w.data.get("due")))
    ]
    finishes = [
        d for _, _, w in ordered if (d := _day(w.data.get("due")) or _day(w.data.get("start")))
    ]
    start = _day(project.get("planned_start")) or min(starts, default=None) or date.today()
    finish = _day(project.get("planned_finish")) or max(finishes, default=None) or start
    name = str(project.get("name") or project.get("id") or "Project")
    currency = str(project.get("currency") or "EUR")
    for tag, value in (
        ("SaveVersion", 14),
        ("Name", f"{project.get('id', name)}.xml"),
        ("Title", name),
        ("Manager", project.get("manager")),
        ("ScheduleFromStart", 1),
        ("StartDate", f"{start}T08:00:00"),
        ("FinishDate", f"{finish}T17:00:00"),
        ("CurrencyCode", currency),
        ("CalendarUID", 1),
        ("DefaultStartTime", "08:00:00"),
        ("DefaultFinishTime", "17:00:00"),
        ("MinutesPerDay", MINUTES_PER_DAY),
        ("MinutesPerWeek", MINUTES_PER_DAY * 5),
        ("DaysPerMonth", 20),
    ):
        if value is not None:
            _add(root, tag, value)
    _calendar(root)
    tasks = ET.SubElement(root, "Tasks")
    uids = {key: n for n, (key, _, _) in enumerate(ordered, start=1)}
    parents = {w.data.get("parent") for _, _, w in ordered}
    budget = _amount(project.get("budget"))
    summary = _task(tasks, 0, 0, "", name, start, finish)
    _add(summary, "Summary", 1)
    if budget is not None:
        _add(summary, "Cost", _cents(budget))
    for key, outline, item in ordered:
        _work_item(tasks, uids, key, outline, item, key in parents, start)
    return root


def _tree(items: Iterable[SourceItem]) -> list[tuple[str, str, SourceItem]]:
    """The work items in outline order (each parent followed by its children), with their
    id and outline number (``1.2.1``)."""
    # Exported items refer to each other by the keys they are given under (the source key
    # of an item that came in through this connector, else its id).
    by_key = {i.remote_id: i for i in items}
    children: dict[str | None, list[str]] = {}
    for key, item in by_key.items():
        parent = item.data.get("parent")
        children.setdefault(parent if parent in by_key else None, []).append(key)
    out: list[tuple[str, str, SourceItem]] = []
    stack: list[tuple[str, str]] = [
        (key, str(n)) for n, key in reversed(list(enumerate(children.get(None, []), start=1)))
    ]
    seen: set[str] = set()
    while stack:
        key, number = stack.pop()
        if key in seen:
            continue
        seen.add(key)
        out.append((key, number, by_key[key]))
        kids = children.get(key, [])
        stack.extend((kid, f"{number}.{n}") for n, kid in reversed(list(enumerate(kids, start=1))))
    return out


def _task(
    tasks: ET.Element, uid: int, level: int, outline: str, name: str, start: date, finish: date
) -> ET.Element:
    task = ET.SubElement(tasks, "Task")
    _add(task, "UID", uid)
    _add(task, "ID", uid)
    _add(task, "Name", name)
    _add(task, "IsNull", 0)
    if outline:
        _add(task, "OutlineNumber", outline)
    _add(task, "OutlineLevel", level)
    _add(task, "Start", f"{start}T08:00:00")
    _add(task, "Finish", f"{finish}T17:00:00")
    _add(task, "Duration", _duration(_working_days(start, finish) * MINUTES_PER_DAY / 60))
    _add(task, "DurationFormat", 7)
    return task


def _work_item(
    tasks: ET.Element,
    uids: Mapping[str, int],
    key: str,
    outline: str,
    item: SourceItem,
    summary: bool,
    project_start: date,
) -> None:
    data = item.data
    milestone = data.get("type") == "milestone"
    start = _day(data.get("start")) or _day(data.get("due")) or project_start
    finish = _day(data.get("due")) or start
    task = _task(
        tasks, uids[key], outline.count(".") + 1, outline, str(data.get("subject")), start, finish
    )
    if milestone:
        task.find("Start").text = f"{finish}T17:00:00"  # type: ignore[union-attr]
        task.find("Duration").text = _duration(0)  # type: ignore[union-attr]
    _add(task, "Milestone", int(milestone))
    _add(task, "Summary", int(summary))
    _add(task, "PercentComplete", round(float(data.get("percent_complete") or 0)))
    if data.get("work") is not None:
        _add(task, "Work", _duration(float(data["work"])))
    if data.get("remaining") is not None:
        _add(task, "RemainingWork", _duration(float(data["remaining"])))
    budget = _amount(data.get("budget"))
    if budget is not None:
        _add(task, "Cost", _cents(budget))
        _add(task, "FixedCost", _cents(budget))
    actual = _amount(data.get("actual_cost"))
    if actual is not None:
        _add(task, "ActualCost", _cents(actual))
    for link in data.get("links") or ():
        predecessor = uids.get(str(link.get("predecessor")))
        if predecessor is None:
            continue  # a link to another project's item: MSPDI links within the file
        element = ET.SubElement(task, "PredecessorLink")
        _add(element, "PredecessorUID", predecessor)
        _add(element, "Type", _TYPE_NUMBERS.get(str(link.get("type") or "FS"), 1))
        _add(element, "LinkLag", round(float(link.get("lag_days") or 0) * MINUTES_PER_DAY * 10))
        _add(element, "LagFormat", 7)


def _calendar(root: ET.Element) -> None:
    """The standard calendar: Monday to Friday, 08:00-12:00 and 13:00-17:00."""
    calendar = ET.SubElement(ET.SubElement(root, "Calendars"), "Calendar")
    _add(calendar, "UID", 1)
    _add(calendar, "Name", "Standard")
    _add(calendar, "IsBaseCalendar", 1)
    week = ET.SubElement(calendar, "WeekDays")
    for day_type in range(1, 8):  # 1 is Sunday
        day = ET.SubElement(week, "WeekDay")
        _add(day, "DayType", day_type)
        working = day_type not in (1, 7)
        _add(day, "DayWorking", int(working))
        if working:
            times = ET.SubElement(day, "WorkingTimes")
            for start, end in _WORKING_TIMES:
                time = ET.SubElement(times, "WorkingTime")
                _add(time, "FromTime", start)
                _add(time, "ToTime", end)
