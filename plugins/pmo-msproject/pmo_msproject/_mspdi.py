"""Reading MS Project's XML (MSPDI) natively, with defusedxml: no DTD, no entity, no external
reference is ever resolved, and every refusal says where (file:line:column)."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from pmo_core import ConnectorRequest, InvalidInputError, SourceItem

from ._plan import LINK_TYPES, Plan, PlanBaseline, PlanLink, PlanResource, PlanTask, to_items

#: The MSPDI namespace.
NAMESPACE = "http://schemas.microsoft.com/project"
_NS = f"{{{NAMESPACE}}}"
# LagFormat values of elapsed lags (em, eh, ed, ew, emo, e% and their estimated forms) and of
# lags given as a percent of the predecessor's duration.
_ELAPSED_FORMATS = frozenset({4, 6, 8, 10, 12, 20, 36, 38, 40, 42, 44, 52})
_PERCENT_FORMATS = frozenset({19, 20, 51, 52})
_DURATION = re.compile(
    r"^-?P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
# The resource id MS Project gives an assignment to no resource.
_UNASSIGNED = "-65535"
_CHUNK = 1 << 16


def _raise(error: InvalidInputError) -> None:
    raise error


# The position expat adds to its message: the error's where says it already.
_POSITION = re.compile(r":? line \d+, column \d+$")


def hours(text: str | None, where: str = "") -> float | None:
    """An MSPDI duration (ISO 8601, ``PT8H0M0S``) in hours; ``None`` for no value.

    Example::

        hours("PT7H30M0S")   # 7.5
    """
    if text is None or not text.strip():
        return None
    match = _DURATION.match(text.strip())
    if match is None:
        raise InvalidInputError(
            f"{text.strip()[:40]!r} is not a duration like PT8H0M0S", where=where
        )
    d, h, m, s = (float(match.group(g) or 0) for g in "dhms")
    value = d * 24 + h + m / 60 + s / 3600
    return round(-value if text.strip().startswith("-") else value, 4)


class _Builder(ET.TreeBuilder):
    """A tree builder that remembers where each task, resource and the root start."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: Any = None
        self.places: dict[int, tuple[int, int]] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag, attrs)
        if tag in (f"{_NS}Task", f"{_NS}Resource", f"{_NS}Project") and self.parser is not None:
            expat = self.parser.parser
            self.places[id(element)] = (expat.CurrentLineNumber, expat.CurrentColumnNumber + 1)
        return element


def parse(location: str) -> tuple[ET.Element, dict[int, tuple[int, int]]]:
    """Parse an MSPDI file safely: the root element and where its tasks and resources are.

    Raises InvalidInputError, with file:line:column, for a DTD (which is how entity bombs
    and external entities come), malformed or truncated XML, and a root that is not
    MSPDI's ``Project``.

    Example::

        root, places = parse("plan.xml")
    """
    builder = _Builder()
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    builder.parser = parser

    def at() -> str:
        expat = parser.parser
        return f"{location}:{expat.CurrentLineNumber}:{expat.CurrentColumnNumber + 1}"

    try:
        with open(location, "rb") as f:
            while chunk := f.read(_CHUNK):
                parser.feed(chunk)
        root = parser.close()
    except DefusedXmlException as exc:
        what = {"DTDForbidden": "a DTD", "EntitiesForbidden": "an entity declaration"}.get(
            type(exc).__name__, "an external reference"
        )
        raise InvalidInputError(
            f"{what} is refused: MSPDI files have none, and no DTD, entity or external "
            "reference is ever read",
            where=at(),
        ) from None
    except ET.ParseError as exc:
        line, column = exc.position
        reason = _POSITION.sub("", str(exc))
        raise InvalidInputError(
            f"not well-formed XML ({reason}): a truncated or damaged file?",
            where=f"{location}:{line}:{column + 1}",
        ) from None
    if root.tag != f"{_NS}Project":
        raise InvalidInputError(
            f"not MS Project XML (MSPDI): the root element is <{_local(root.tag)}>"
            f'{_namespace_note(root.tag)}, not <Project xmlns="{NAMESPACE}">',
            where=f"{location}:{_place(builder.places, root)}",
        )
    return root, builder.places


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _namespace_note(tag: str) -> str:
    if tag.startswith("{"):
        return f" in namespace {tag[1:].partition('}')[0]!r}"
    return " without a namespace"


def _place(places: dict[int, tuple[int, int]], element: ET.Element) -> str:
    line, column = places.get(id(element), (1, 1))
    return f"{line}:{column}"


def _text(element: ET.Element, name: str) -> str | None:
    child = element.find(f"{_NS}{name}")
    if child is None or child.text is None:
        return None
    return child.text.strip() or None


def _date(element: ET.Element, name: str, where: str) -> date | None:
    text = _text(element, name)
    if text is None:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise InvalidInputError(f"{name}: {text[:40]!r} is not a date", where=where) from None


def _number(element: ET.Element, name: str, where: str) -> float | None:
    text = _text(element, name)
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):  # "nan" and "inf" parse as floats, and mean nothing here
        raise InvalidInputError(f"{name}: {text[:40]!r} is not a number", where=where)
    return value


def _cents(element: ET.Element, name: str, where: str) -> Decimal | None:
    # MSPDI writes costs in hundredths of the currency.
    text = _text(element, name)
    if text is None:
        return None
    try:
        value = Decimal(text) / 100
    except InvalidOperation:
        raise InvalidInputError(f"{name}: {text[:40]!r} is not an amount", where=where) from None
    if not value.is_finite():
        raise InvalidInputError(f"{name}: {text[:40]!r} is not an amount", where=where)
    return value


def _flag(element: ET.Element, name: str) -> bool:
    return _text(element, name) in ("1", "true")


def read_plan(location: str, problem: Callable[[InvalidInputError], None] = _raise) -> Plan:
    """Read an MSPDI file into the neutral :class:`~pmo_msproject._plan.Plan`.

    Example::

        plan = read_plan("office-move.xml")
        [task.name for task in plan.tasks]
    """
    root, places = parse(location)
    where_root = f"{location}:{_place(places, root)}"
    plan = Plan(
        location=location,
        guid=_text(root, "GUID"),
        file_name=_text(root, "Name"),
        name=_text(root, "Title") or _stem(_text(root, "Name")) or Path(location).stem,
        manager=_text(root, "Manager"),
        currency=_text(root, "CurrencyCode"),
        minutes_per_day=_number(root, "MinutesPerDay", where_root) or 480,
        minutes_per_week=_number(root, "MinutesPerWeek", where_root) or 2400,
        start=_date(root, "StartDate", where_root),
        finish=_date(root, "FinishDate", where_root),
        baseline_taken=_date(root, "LastSaved", where_root),
    )
    if plan.minutes_per_day <= 0 or plan.minutes_per_week <= 0:
        raise InvalidInputError(
            "MinutesPerDay and MinutesPerWeek must be positive", where=where_root
        )
    resources = _resources(root, plan, places, problem)
    assignees = _assignees(root, {r.uid: r.name for r in resources})
    plan.resources = resources
    parents: list[tuple[int, str]] = []  # (outline level, uid) of the open summary tasks
    for element in root.iterfind(f"{_NS}Tasks/{_NS}Task"):
        where = f"{location}:{_place(places, element)}"
        try:
            uid = _text(element, "UID")
            if uid is None:
                raise InvalidInputError("a task has no UID", where=where)
            if _flag(element, "IsNull"):
                continue  # a blank row of the Gantt chart
            level = int(_number(element, "OutlineLevel", where) or 0)
            if level == 0 or uid == "0":
                # The project's summary task: its totals and baselines are the project's.
                plan.cost = _cents(element, "Cost", where)
                plan.baselines = _baselines(element, where)
                continue
            while parents and parents[-1][0] >= level:
                parents.pop()
            if _flag(element, "Summary"):
                # Before the task is read: a summary task that cannot be read still holds
                # its subtasks, which are then not reported under the wrong parent.
                parents.append((level, uid))
            task = _task(element, uid, where, plan)
        except InvalidInputError as exc:
            problem(exc)  # an import says every task it cannot read, and writes nothing
            continue
        task.parent = next((p for lvl, p in reversed(parents) if lvl < level), None)
        task.assignees = assignees.get(uid, [])
        plan.tasks.append(task)
    return plan


def _stem(name: str | None) -> str | None:
    return Path(name).stem if name else None


def _task(element: ET.Element, uid: str, where: str, plan: Plan) -> PlanTask:
    physical = _text(element, "EarnedValueMethod") == "1"
    percent_field = "PhysicalPercentComplete" if physical else "PercentComplete"
    percent = _number(element, percent_field, where) or 0
    if not 0 <= percent <= 100:
        raise InvalidInputError(
            f"{percent_field}: {percent:g} is not between 0 and 100", where=where
        )
    task = PlanTask(
        uid=uid,
        name=_text(element, "Name") or f"Task {_text(element, 'ID') or uid}",
        summary=_flag(element, "Summary"),
        milestone=_flag(element, "Milestone"),
        start=_date(element, "Start", where),
        finish=_date(element, "Finish", where),
        duration=hours(_text(element, "Duration"), where),
        work=hours(_text(element, "Work"), where),
        remaining=hours(_text(element, "RemainingWork"), where),
        percent=percent,
        cost=_cents(element, "Cost", where),
        actual_cost=_cents(element, "ActualCost", where),
        baselines=_baselines(element, where),
        where=where,
    )
    for link in element.iterfind(f"{_NS}PredecessorLink"):
        task.links.append(_link(link, where))
    return task


def _link(element: ET.Element, where: str) -> PlanLink:
    predecessor = _text(element, "PredecessorUID")
    if predecessor is None:
        raise InvalidInputError("a PredecessorLink has no PredecessorUID", where=where)
    kind = int(_number(element, "Type", where) or 0) if _text(element, "Type") else 1
    if kind not in LINK_TYPES:
        raise InvalidInputError(f"PredecessorLink Type {kind} is not 0, 1, 2 or 3", where=where)
    lag = (_number(element, "LinkLag", where) or 0) / 10  # tenths of minutes
    lag_format = int(_number(element, "LagFormat", where) or 7)
    return PlanLink(
        predecessor=predecessor,
        type=LINK_TYPES[kind],
        lag_minutes=lag,
        elapsed=lag_format in _ELAPSED_FORMATS,
        lag_percent=lag if lag_format in _PERCENT_FORMATS else None,
    )


def _baselines(element: ET.Element, where: str) -> dict[int, PlanBaseline]:
    found: dict[int, PlanBaseline] = {}
    for baseline in element.iterfind(f"{_NS}Baseline"):
        number = int(_number(baseline, "Number", where) or 0)
        if not 0 <= number <= 10:
            raise InvalidInputError(f"baseline number {number} is not 0 to 10", where=where)
        found[number] = PlanBaseline(
            start=_date(baseline, "Start", where),
            finish=_date(baseline, "Finish", where),
            work=hours(_text(baseline, "Work"), where),
            cost=_cents(baseline, "Cost", where),
        )
    return found


def _resources(
    root: ET.Element,
    plan: Plan,
    places: dict[int, tuple[int, int]],
    problem: Callable[[InvalidInputError], None],
) -> list[PlanResource]:
    found = []
    for element in root.iterfind(f"{_NS}Resources/{_NS}Resource"):
        where = f"{plan.location}:{_place(places, element)}"
        try:
            resource = _resource(element, plan, where)
        except InvalidInputError as exc:
            problem(exc)
            continue
        if resource is not None:
            found.append(resource)
    return found


def _resource(element: ET.Element, plan: Plan, where: str) -> PlanResource | None:
    name = _text(element, "Name")
    # Material and cost resources have no hourly rate; a nameless one is the unassigned
    # placeholder.
    if name is None or _flag(element, "IsNull") or _text(element, "Type") not in (None, "1"):
        return None
    rates = []
    for rate in element.iterfind(f"{_NS}Rates/{_NS}Rate"):
        if _text(rate, "RateTable") not in (None, "0"):
            continue  # cost rate tables B to E are alternatives, not history
        since = _date(rate, "RatesFrom", where)
        amount = _number(rate, "StandardRate", where)
        if since is not None and amount is not None:
            rates.append((since, Decimal(str(amount))))
    if not rates and (standard := _number(element, "StandardRate", where)):
        rates.append((date(1984, 1, 1), Decimal(str(standard))))
    units = _number(element, "MaxUnits", where)
    return PlanResource(
        uid=_text(element, "UID") or "",
        name=name,
        role=_flag(element, "IsGeneric"),
        email=_text(element, "EmailAddress"),
        capacity_hours_per_week=None
        if units is None
        else round(units * plan.minutes_per_week / 60, 4),
        rates=sorted(rates),
        where=where,
    )


def _assignees(root: ET.Element, names: dict[str, str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for element in root.iterfind(f"{_NS}Assignments/{_NS}Assignment"):
        task, resource = _text(element, "TaskUID"), _text(element, "ResourceUID")
        if task is None or resource in (None, _UNASSIGNED) or resource not in names:
            continue
        name = names[str(resource)]
        if name not in found.setdefault(task, []):
            found[task].append(name)
    return found


def read(request: ConnectorRequest) -> Iterator[SourceItem]:
    """The ``mspdi`` connector's read: the project, resources, milestones, work items and
    baselines of one MSPDI file (options: ``parent``, ``key``, ``currency``).

    Example::

        ws.import_from("mspdi", "office-move.xml", options={"parent": "PF"})
    """
    yield from to_items(read_plan(request.location, request.problem), request.options)
